/* lc_plot — charts drawn by gnuplot from a caller-built table.
 *
 * lc_plot_render writes three files into an output folder: STEM.dat (the
 * numbers), STEM.gp (a self-contained gnuplot script: the chart's variables
 * followed by the embedded template of its kind, so `gnuplot STEM.gp` in that
 * folder draws it again) and the chart STEM.png, STEM.svg or STEM.pdf.
 *
 * Safety rules, relied upon by callers passing user text:
 *  - User text (titles, labels, series and row names) only ever appears in the
 *    script as single-quoted gnuplot literals (gnuplot does no backquote,
 *    macro or escape expansion inside them; a quote is joined in as "'") and
 *    is drawn noenhanced.
 *    Text with a control character (< 0x20 or 0x7f, e.g. a newline) or that
 *    is not valid UTF-8 is refused with LC_EINPUT, never silently changed.
 *  - gnuplot runs through posix_spawnp with an argument vector (no shell),
 *    under a deadline, on temporary copies of the data and script, drawing
 *    to a temporary chart.  Only when gnuplot exits 0 and the chart is whole
 *    (lc_plot_check_image) do data, script and chart replace the old ones,
 *    so a failed, killed or out-of-space gnuplot leaves the previous three
 *    intact and no temporary behind.  SIGINT/SIGTERM remove the temporaries
 *    and kill gnuplot (lc_io.h).
 *  - Within a run (since lc_plot_new_run) no chart overwrites another: a
 *    name already drawn in that folder becomes STEM-2, STEM-3...; the path
 *    actually written is lc_plot_last_path().
 *  - No path is cut: one longer than PATH_MAX is LC_EOUTPUT.
 *  - Every generated script passes lc_plot_check_script before it is written.
 *
 * Templates live in plots/ in the source tree and are compiled into the
 * binary; an output folder holding the templates (plots/) is refused. */
#ifndef LC_PLOT_H
#define LC_PLOT_H

#include <stddef.h>

#include "lc_error.h"

typedef enum lc_plot_kind {
    /* A sweep.  Columns: x, then one column per metric (a line each). */
    LC_PLOT_LINE,
    /* A 2-D sweep on a grid.  Columns: x, y, z (z coloured; NaN = blank). */
    LC_PLOT_HEATMAP,
    /* Rows: inputs, largest swing first (the caller sorts).  Columns: the
     * metric with the input at its low value, at its high value; base = the
     * metric with every input at its base value. */
    LC_PLOT_TORNADO,
    /* A Monte Carlo distribution.  Columns: bin centre, count (equal bins);
     * markers: percentiles such as P5, P50, P95. */
    LC_PLOT_HISTOGRAM,
    /* Grouped bars.  Rows: metrics (row_labels); columns: scenarios. */
    LC_PLOT_BARS,
    /* Stacked bars.  Rows: scenarios or years (row_labels); columns: cost
     * parts (capex, electricity, rental, staff...). */
    LC_PLOT_STACKED,
    /* Month by month.  Columns: month, then lines; with band set, columns
     * 2..4 are low, median and high (P5, P50, P95) and more columns are lines. */
    LC_PLOT_TIMELINE,
    /* Sobol indices.  Rows: inputs (row_labels).  Columns: first-order index,
     * its confidence low, high, total index, low, high. */
    LC_PLOT_SOBOL,
    LC_PLOT_KIND_COUNT
} lc_plot_kind;

typedef enum lc_plot_format {
    LC_PLOT_PNG, /* pngcairo, 1200x750 px */
    LC_PLOT_SVG, /* svg, 1200x750 */
    LC_PLOT_PDF  /* pdfcairo, 10x6.25 in */
} lc_plot_format;

/* A dashed vertical line at x with a label (percentiles, break-even month).
 * Only for kinds with a numeric x axis: line, tornado, histogram, timeline. */
typedef struct lc_plot_marker {
    double x;
    const char *label; /* borrowed; NULL = no label */
} lc_plot_marker;

/* Everything is borrowed from the caller for the duration of the call.
 * Text may be NULL (= empty) and is UTF-8; labels carry their units, e.g.
 * "cost per million tokens (USD)". */
typedef struct lc_chart {
    lc_plot_kind kind;
    const char *title;
    const char *xlabel;
    const char *ylabel;
    const char *y2label; /* histogram: the cumulative axis; NULL = "cumulative (%)" */
    const char *zlabel;  /* heatmap: the colour bar */
    int logx, logy;      /* logx: line, heatmap, tornado, histogram, timeline;
                            logy: line, heatmap, histogram, bars, timeline */
    size_t nrows, ncols;
    const double *data;            /* nrows * ncols, row by row; NaN = no value */
    const char *const *col_names;  /* ncols series names, or NULL ("column N") */
    const char *const *row_labels; /* nrows, for tornado, bars, stacked, sobol;
                                      NULL = "1", "2", ... */
    double base;                   /* tornado */
    int band;                      /* timeline */
    const lc_plot_marker *markers;
    size_t nmarkers;
} lc_chart;

typedef struct lc_plot_options {
    double timeout; /* seconds gnuplot may run before it is killed; <= 0 = 30 */
} lc_plot_options;

void lc_plot_options_init(lc_plot_options *opt);

/* Write dir/STEM.dat, dir/STEM.gp and dir/STEM.{png,svg,pdf}; dir is created
 * when missing.  stem must already be safe (see lc_plot_stem), otherwise
 * LC_EINPUT.  opt may be NULL.  Without gnuplot on PATH the data and script
 * are still written, an older chart of that name is removed (it would not
 * match them) and LC_OK is returned: lc_plot_pending then reports every
 * undrawn chart at once.  A gnuplot failure, crash, timeout or incomplete
 * chart is LC_EOUTPUT with what gnuplot said. */
int lc_plot_render(const lc_chart *c, lc_plot_format fmt, const char *dir, const char *stem,
                   const lc_plot_options *opt, lc_error *err);

/* The chart file the last lc_plot_render drew ("DIR/STEM.png"), NULL when it
 * failed or drew none (no gnuplot).  Valid until the next render. */
const char *lc_plot_last_path(void);

/* LC_EOUTPUT, naming the folder and count, when charts of this run were left
 * undrawn for want of gnuplot (then forgets them); else LC_OK.  main calls it
 * after every command. */
int lc_plot_pending(lc_error *err);

/* Start a new run: forget (and free) the chart names drawn so far and the
 * undrawn charts; main calls it before exit. */
void lc_plot_new_run(void);

/* LC_OK when the file at path is a whole chart of the format: a PNG whose
 * chunks end with IEND at the end of the file, a PDF with its startxref
 * trailer and %%EOF, an SVG that is well-formed XML with one <svg> root.
 * Otherwise LC_EOUTPUT saying what is wrong. */
int lc_plot_check_image(const char *path, lc_plot_format fmt, lc_error *err);

/* Build a safe file stem from any name: bytes outside [A-Za-z0-9._-] become
 * '_' (a run of them one '_'), a leading '.' or '-' becomes '_', an empty
 * result is "chart"; at most 100 bytes and size - 1.  size must be >= 8. */
void lc_plot_stem(const char *name, char *out, size_t size);

/* 1 when an executable gnuplot is found on PATH. */
int lc_plot_have_gnuplot(void);

/* LC_OK when text (a generated script) has only the constructs templates use:
 * statements starting with set, unset, plot, splot, stats, if, else, do,
 * array or an assignment; no backquote, '!' or '@' outside single-quoted
 * literals; no system, shell, pipe, load, call, print, eval, cd, save, fit,
 * table, pause...; no literal starting with '<' or '|' (a pipe) outside
 * assignments.  Otherwise LC_EOUTPUT naming the line. */
int lc_plot_check_script(const char *text, lc_error *err);

/* The embedded template "style" or the kind's name ("line", ...); NULL when
 * unknown.  NUL-terminated, static. */
const char *lc_plot_template(const char *name);

const char *lc_plot_kind_name(lc_plot_kind kind);
const char *lc_plot_format_ext(lc_plot_format fmt);

#endif
