/* plot.c — data file, gnuplot script and chart for one lc_chart.
 *
 * The script is built from program-made values and user text as single-quoted
 * literals only; it is checked, written atomically next to the data, and run
 * by gnuplot (argument vector, deadline) into a temporary chart that is
 * renamed into place only on success. */
#include "lc_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lc_escape.h"
#include "lc_io.h"
#include "lc_util.h"

extern char **environ;

#define TEXT_MAX        1000 /* bytes in one title, label or name */
#define STEM_MAX        100  /* bytes in a file stem */
#define ROWS_MAX        1000000
#define COLS_MAX        256
#define DEFAULT_TIMEOUT 30.0

enum { F_LOGX = 1, F_LOGY = 2, F_MARKERS = 4, F_ROWS = 8 };

static const struct kind_info {
    const char *name;
    size_t min_cols, max_cols;
    unsigned flags;
} kinds[LC_PLOT_KIND_COUNT] = {
    [LC_PLOT_LINE] = {"line", 2, COLS_MAX, F_LOGX | F_LOGY | F_MARKERS},
    [LC_PLOT_HEATMAP] = {"heatmap", 3, 3, F_LOGX | F_LOGY},
    [LC_PLOT_TORNADO] = {"tornado", 2, 2, F_LOGX | F_MARKERS | F_ROWS},
    [LC_PLOT_HISTOGRAM] = {"histogram", 2, 2, F_LOGX | F_LOGY | F_MARKERS},
    [LC_PLOT_BARS] = {"bars", 1, COLS_MAX, F_LOGY | F_ROWS},
    [LC_PLOT_STACKED] = {"stacked", 1, COLS_MAX, F_ROWS},
    [LC_PLOT_TIMELINE] = {"timeline", 2, COLS_MAX, F_LOGX | F_LOGY | F_MARKERS},
    [LC_PLOT_SOBOL] = {"sobol", 6, 6, F_ROWS},
};

void lc_plot_options_init(lc_plot_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->timeout = DEFAULT_TIMEOUT;
}

const char *lc_plot_kind_name(lc_plot_kind kind)
{
    return (unsigned)kind < LC_PLOT_KIND_COUNT ? kinds[kind].name : NULL;
}

const char *lc_plot_format_ext(lc_plot_format fmt)
{
    switch (fmt) {
    case LC_PLOT_PNG:
        return "png";
    case LC_PLOT_SVG:
        return "svg";
    case LC_PLOT_PDF:
        return "pdf";
    }
    return NULL;
}

/* A gnuplot number that is always a float: "3" would be an integer and make
 * 3/2 == 1. */
static void sb_num(lc_sbuf *b, double v)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.17g", v);
    lc_sb_puts(b, tmp);
    if (strpbrk(tmp, ".eEni") == NULL)
        lc_sb_puts(b, ".0");
}

/* User text as a gnuplot string expression made of single-quoted literals,
 * inside which gnuplot expands nothing (no backquotes, macros or escapes).
 * A quote is spliced in as "'" rather than doubled: gnuplot reads a literal
 * that starts with a doubled quote as an empty string and a stray token.
 * Text was checked for control characters already: it cannot end the line. */
static void sb_lit(lc_sbuf *b, const char *s)
{
    lc_sb_putn(b, "'", 1);
    for (s = s ? s : ""; *s; s++) {
        if (*s == '\'')
            lc_sb_puts(b, "'.\"'\".'");
        else if (strncmp(s, "]]>", 3) == 0) {
            /* gnuplot's SVG leaves '>' as it is, and "]]>" in XML text is not
             * well-formed: a zero-width space (U+200B) between, unseen */
            lc_sb_puts(b, "]]\xe2\x80\x8b");
            s++;
        } else
            lc_sb_putn(b, s, 1);
    }
    lc_sb_putn(b, "'", 1);
}

/* ---- user text ------------------------------------------------------------ */

/* Refuse rather than repair: a newline could otherwise end a gnuplot command,
 * and silently changed titles hide the problem. */
static int check_text(const char *what, size_t index, const char *s, lc_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    char name[64];
    size_t i = 0;

    if (s == NULL)
        return LC_OK;
    if (index > 0)
        snprintf(name, sizeof name, "%s %zu", what, index);
    else
        snprintf(name, sizeof name, "%s", what);
    while (p[i] != '\0') {
        uint32_t cp;
        size_t n = lc_utf8_decode((const char *)p + i, &cp);
        if (n == 0)
            return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                                "chart %s is not valid UTF-8 (byte %zu)", name, i + 1);
        if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f))
            return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                                "chart %s contains a control character (0x%02x) at byte %zu; "
                                "chart text must be one line of printable text",
                                name, p[i], i + 1);
        i += n;
    }
    if (i > TEXT_MAX)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "chart %s is longer than %d bytes",
                            name, TEXT_MAX);
    return LC_OK;
}

static int stem_ok(const char *s)
{
    size_t i;

    if (s == NULL || s[0] == '\0' || s[0] == '.' || s[0] == '-')
        return 0;
    for (i = 0; s[i] != '\0'; i++) {
        char c = s[i];
        if (i >= STEM_MAX)
            return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

void lc_plot_stem(const char *name, char *out, size_t size)
{
    size_t max, n = 0;

    if (size < 8) { /* too small for "chart": documented as a caller error */
        if (size > 0)
            out[0] = '\0';
        return;
    }
    max = size - 1 < STEM_MAX ? size - 1 : STEM_MAX;

    for (; name && *name && n < max; name++) {
        char c = *name;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok) {
            if (n > 0 && out[n - 1] == '_')
                continue;
            c = '_';
        }
        /* never an option ('-') or a hidden file, a "..", a pipe ('<', '|') */
        if (n == 0 && (c == '.' || c == '-'))
            c = '_';
        out[n++] = c;
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, size, "chart");
}

/* ---- chart checks and derived values --------------------------------------- */

static double cell(const lc_chart *c, size_t r, size_t col)
{
    return c->data[r * c->ncols + col];
}

static int check_chart(const lc_chart *c, lc_error *err)
{
    const struct kind_info *k;
    size_t i;
    int rc;

    if ((unsigned)c->kind >= LC_PLOT_KIND_COUNT)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "unknown chart kind %d", (int)c->kind);
    k = &kinds[c->kind];
    if (c->nrows == 0 || c->data == NULL)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "%s chart has no data", k->name);
    if (c->nrows > ROWS_MAX)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "%s chart has more than %d rows",
                            k->name, ROWS_MAX);
    if (c->ncols < k->min_cols || c->ncols > k->max_cols ||
        (c->kind == LC_PLOT_TIMELINE && c->band && c->ncols < 4))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "%s chart with %zu columns (expected %zu to %zu%s)", k->name, c->ncols,
                            k->min_cols, k->max_cols,
                            c->kind == LC_PLOT_TIMELINE ? ", at least 4 with a band" : "");
    if ((c->logx && !(k->flags & F_LOGX)) || (c->logy && !(k->flags & F_LOGY)))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "a %s chart cannot have a logarithmic %s axis", k->name,
                            c->logx && !(k->flags & F_LOGX) ? "x" : "y");
    if (c->nmarkers > 0 && !(k->flags & F_MARKERS))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "a %s chart cannot have markers",
                            k->name);
    if (c->nmarkers > 0 && c->markers == NULL)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "chart markers missing");
    if (c->nmarkers > COLS_MAX)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "more than %d chart markers", COLS_MAX);
    if (c->kind == LC_PLOT_TORNADO && !isfinite(c->base))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "tornado base value is not finite");

    if ((rc = check_text("title", 0, c->title, err)) != LC_OK ||
        (rc = check_text("x label", 0, c->xlabel, err)) != LC_OK ||
        (rc = check_text("y label", 0, c->ylabel, err)) != LC_OK ||
        (rc = check_text("y2 label", 0, c->y2label, err)) != LC_OK ||
        (rc = check_text("colour bar label", 0, c->zlabel, err)) != LC_OK)
        return rc;
    for (i = 0; c->col_names && i < c->ncols; i++)
        if ((rc = check_text("series name", i + 1, c->col_names[i], err)) != LC_OK)
            return rc;
    for (i = 0; (k->flags & F_ROWS) && c->row_labels && i < c->nrows; i++)
        if ((rc = check_text("row label", i + 1, c->row_labels[i], err)) != LC_OK)
            return rc;
    for (i = 0; i < c->nmarkers; i++) {
        if (!isfinite(c->markers[i].x))
            return lc_error_set(err, LC_EINPUT, lc_mark_none(), "chart marker %zu is not finite",
                                i + 1);
        if ((rc = check_text("marker label", i + 1, c->markers[i].label, err)) != LC_OK)
            return rc;
    }
    if (c->kind == LC_PLOT_HEATMAP) {
        for (i = 0; i < c->nrows; i++) {
            double x = cell(c, i, 0), y = cell(c, i, 1);
            if (!isfinite(x) || !isfinite(y))
                return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                                    "heatmap row %zu: x and y must be finite", i + 1);
            if ((c->logx && x <= 0) || (c->logy && y <= 0))
                return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                                    "heatmap row %zu: a logarithmic axis needs positive values",
                                    i + 1);
        }
    }
    return LC_OK;
}

typedef struct range {
    double lo, hi;
} range;

static range range_empty(void)
{
    range r = {INFINITY, -INFINITY};
    return r;
}

static void range_add(range *r, double v)
{
    if (!isfinite(v))
        return;
    if (v < r->lo)
        r->lo = v;
    if (v > r->hi)
        r->hi = v;
}

static void range_cols(range *r, const lc_chart *c, size_t from, size_t to)
{
    size_t i, j;
    for (i = 0; i < c->nrows; i++)
        for (j = from; j < to && j < c->ncols; j++)
            range_add(r, cell(c, i, j));
}

/* "1.5M", "500K", "-2B": v / 1000^e with at most dec decimals, trailing
 * zeros dropped. */
static void si_format(double v, int dec, char *out, size_t size)
{
    static const char prefix[] = " KMBTPE"; /* as the tables: thousand, million, billion... */
    double a = fabs(v);
    int e = 0;
    char *dot;
    size_t n;

    while (a >= 1000.0 && e < 6) {
        a /= 1000.0;
        e++;
    }
    snprintf(out, size, "%.*f", dec, v < 0 ? -a : a);
    dot = strchr(out, '.');
    if (dot != NULL) {
        n = strlen(out);
        while (n > 0 && out[n - 1] == '0')
            out[--n] = '\0';
        if (n > 0 && out[n - 1] == '.')
            out[--n] = '\0';
    }
    if (strcmp(out, "-0") == 0)
        snprintf(out, size, "0");
    if (e > 0 && strcmp(out, "0") != 0) {
        n = strlen(out);
        if (n + 2 <= size) {
            out[n] = prefix[e];
            out[n + 1] = '\0';
        }
    }
}

/* A value written on a chart: 3 significant digits, K/M/B/T from 10 000. */
static void value_label(double v, char *out, size_t size)
{
    double a = fabs(v);
    int dec;

    if (!isfinite(v)) {
        snprintf(out, size, "%s", "");
        return;
    }
    if (a < 1e4) {
        snprintf(out, size, "%.3g", v);
        return;
    }
    while (a >= 1000.0)
        a /= 1000.0;
    dec = a >= 99.95 ? 0 : a >= 9.995 ? 1 : 2;
    si_format(v, dec, out, size);
}

#define TICKS_MAX 24

/* Tick positions and labels llmcost chooses for an axis with large numbers,
 * so that it reads "0, 500k, 1M, 1.5M" rather than gnuplot's one-format-fits
 * all "0.0, 500.0k, 1.0M". */
typedef struct ticks {
    size_t n; /* 0: leave the axis to gnuplot */
    double lo, hi;
    double v[TICKS_MAX];
    char label[TICKS_MAX][24];
} ticks;

/* extend: widen [lo, hi] to whole steps (bars, lines); otherwise keep it
 * (a heat map's cells, a sweep's first and last x). */
static void make_ticks(range r, int logscale, int extend, ticks *t)
{
    static const double nice[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    double span, mag, step = 0, k0, m;
    size_t i;
    long k;

    t->n = 0;
    m = fmax(fabs(r.lo), fabs(r.hi));
    if (logscale || !(r.lo <= r.hi) || !isfinite(m) || m < 1e4)
        return;
    span = r.hi - r.lo;
    if (span < m * 1e-9) { /* one value: centre it */
        r.lo -= m * 0.05;
        r.hi += m * 0.05;
        span = r.hi - r.lo;
    }
    mag = pow(10.0, floor(log10(span / 6.0)));
    for (i = 0; i < sizeof nice / sizeof nice[0]; i++) {
        step = nice[i] * mag;
        if (span / step <= 8.0)
            break;
    }
    if (extend) {
        r.lo = floor(r.lo / step + 1e-9) * step;
        r.hi = ceil(r.hi / step - 1e-9) * step;
    }
    k0 = ceil(r.lo / step - 1e-9);
    for (k = 0; t->n < TICKS_MAX; k++) {
        double v = (k0 + (double)k) * step;
        int dec;
        if (v > r.hi + step * 1e-9)
            break;
        if (fabs(v) < step * 1e-9)
            v = 0;
        /* decimals this tick needs, in its own prefix */
        {
            double a = fabs(v), scale = 1.0, s;
            while (a >= 1000.0 * scale && scale < 1e18)
                scale *= 1000.0;
            /* enough that the step is whole: 0.25M needs two */
            for (dec = 0, s = step / scale; dec < 6; dec++, s *= 10.0)
                if (fabs(s - floor(s + 0.5)) < 1e-6 * s)
                    break;
        }
        t->v[t->n] = v;
        si_format(v, dec, t->label[t->n], sizeof t->label[0]);
        t->n++;
    }
    t->lo = r.lo;
    t->hi = r.hi;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A heat map's grid: the distinct x and y values, sorted. */
typedef struct grid {
    double *x, *y;
    size_t nx, ny;
} grid;

static double *grid_values(const lc_chart *c, size_t col, size_t *n)
{
    double *v = malloc(c->nrows * sizeof *v);
    size_t i, m = 0;

    if (v == NULL)
        return NULL;
    for (i = 0; i < c->nrows; i++)
        v[i] = cell(c, i, col);
    qsort(v, c->nrows, sizeof *v, cmp_double);
    for (i = 0; i < c->nrows; i++)
        if (m == 0 || v[i] != v[m - 1])
            v[m++] = v[i];
    *n = m;
    return v;
}

/* Cell bounds of value x among the grid values g[0..n): halfway to the
 * neighbours (geometrically on a log axis), mirrored at the edges. */
static void grid_bounds(const double *g, size_t n, double x, int logscale, double *lo, double *hi)
{
    size_t a = 0, b = n, i;
    double l, h;

    while (a < b) { /* lower bound: g[i] == x exists */
        size_t mid = a + (b - a) / 2;
        if (g[mid] < x)
            a = mid + 1;
        else
            b = mid;
    }
    i = a;
    if (n == 1) {
        *lo = logscale ? x / sqrt(10.0) : x - 0.5;
        *hi = logscale ? x * sqrt(10.0) : x + 0.5;
        return;
    }
    if (logscale) {
        l = i > 0 ? sqrt(g[i - 1] * x) : 0;
        h = i + 1 < n ? sqrt(g[i + 1] * x) : 0;
        *lo = i > 0 ? l : x * x / h;
        *hi = i + 1 < n ? h : x * x / l;
    } else {
        l = i > 0 ? (g[i - 1] + x) / 2 : 0;
        h = i + 1 < n ? (g[i + 1] + x) / 2 : 0;
        *lo = i > 0 ? l : 2 * x - h;
        *hi = i + 1 < n ? h : 2 * x - l;
    }
}

/* Histogram bin width: the smallest gap between bin centres. */
static double bin_width(const lc_chart *c)
{
    double w = 0;
    size_t i;
    for (i = 1; i < c->nrows; i++) {
        double d = fabs(cell(c, i, 0) - cell(c, i - 1, 0));
        if (d > 0 && isfinite(d) && (w == 0 || d < w))
            w = d;
    }
    return w > 0 ? w : 1.0;
}

/* ---- files ------------------------------------------------------------------ */

static void put_value(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, " %.15g", v);
    else
        fputs(" NaN", fp);
}

/* Numbers only, plus program-made labels ("4.2M") in double quotes; user
 * text appears only in the comment header (one line each, checked). */
static void write_data(const lc_chart *c, const grid *g, lc_atomic_file *df, const char *stem)
{
    lc_atomic_file f = *df;
    char label[32];
    size_t i, j;

    fprintf(f.fp,
            "# llmcost chart data (%s), %zu rows; drawn by %s.gp\n# columns:", kinds[c->kind].name,
            c->nrows, stem);
    for (j = 0; j < c->ncols; j++)
        fprintf(f.fp, "%s %s", j ? " |" : "",
                c->col_names && c->col_names[j] ? c->col_names[j] : "-");
    if (c->kind == LC_PLOT_HEATMAP)
        fputs(" | cell bounds: x low, x high, y low, y high", f.fp);
    else if (c->kind == LC_PLOT_BARS)
        fputs(" | the same values as labels", f.fp);
    else if (c->kind == LC_PLOT_STACKED)
        fputs(" | top of the bar | net total as a label", f.fp);
    fputc('\n', f.fp);
    for (i = 0; i < c->nrows; i++) {
        for (j = 0; j < c->ncols; j++)
            put_value(f.fp, cell(c, i, j));
        if (c->kind == LC_PLOT_HEATMAP) {
            double xl, xh, yl, yh;
            grid_bounds(g->x, g->nx, cell(c, i, 0), c->logx, &xl, &xh);
            grid_bounds(g->y, g->ny, cell(c, i, 1), c->logy, &yl, &yh);
            put_value(f.fp, xl);
            put_value(f.fp, xh);
            put_value(f.fp, yl);
            put_value(f.fp, yh);
        } else if (c->kind == LC_PLOT_BARS) {
            for (j = 0; j < c->ncols; j++) {
                value_label(cell(c, i, j), label, sizeof label);
                fprintf(f.fp, " \"%s\"", label);
            }
        } else if (c->kind == LC_PLOT_STACKED) {
            /* the net total, written above the positive parts */
            double sum = 0, top = 0;
            for (j = 0; j < c->ncols; j++) {
                double v = cell(c, i, j);
                if (isfinite(v)) {
                    sum += v;
                    top += v > 0 ? v : 0;
                }
            }
            value_label(sum, label, sizeof label);
            put_value(f.fp, top);
            fprintf(f.fp, " \"%s\"", label);
        }
        fputc('\n', f.fp);
    }
}

static void put_var_lit(lc_sbuf *b, const char *name, const char *text)
{
    lc_sb_printf(b, "%s = ", name);
    sb_lit(b, text);
    lc_sb_puts(b, "\n");
}

static void put_var_num(lc_sbuf *b, const char *name, double v)
{
    lc_sb_printf(b, "%s = ", name);
    sb_num(b, v);
    lc_sb_puts(b, "\n");
}

static void put_ticks(lc_sbuf *b, const char *axis, const ticks *t)
{
    size_t i, n = t->n > 0 ? t->n : 1;

    lc_sb_printf(b, "n%stics = %zu\n", axis, t->n);
    lc_sb_printf(b, "%stic_lo = ", axis);
    sb_num(b, t->n ? t->lo : 0.0);
    lc_sb_printf(b, "\n%stic_hi = ", axis);
    sb_num(b, t->n ? t->hi : 0.0);
    lc_sb_printf(b, "\narray %stic_value[%zu]\narray %stic_label[%zu]\n", axis, n, axis, n);
    for (i = 0; i < t->n; i++) {
        lc_sb_printf(b, "%stic_value[%zu] = ", axis, i + 1);
        sb_num(b, t->v[i]);
        lc_sb_printf(b, "\n%stic_label[%zu] = ", axis, i + 1);
        sb_lit(b, t->label[i]);
        lc_sb_puts(b, "\n");
    }
}

/* Axis ranges that decide the ticks: everything drawn, so that no bar, box,
 * marker or label falls outside. */
static void axis_ranges(const lc_chart *c, const grid *g, range *xr, range *yr, range *cr,
                        int *from0)
{
    size_t i, j;

    *xr = *yr = *cr = range_empty();
    *from0 = 1;
    for (i = 0; i < c->nmarkers; i++)
        range_add(xr, c->markers[i].x);
    switch (c->kind) {
    case LC_PLOT_LINE:
    case LC_PLOT_TIMELINE:
        range_cols(xr, c, 0, 1);
        range_cols(yr, c, 1, c->ncols);
        break;
    case LC_PLOT_HEATMAP:
        if (g->nx > 0 && g->ny > 0) {
            double lo, hi;
            grid_bounds(g->x, g->nx, g->x[0], c->logx, &lo, &hi);
            range_add(xr, lo);
            grid_bounds(g->x, g->nx, g->x[g->nx - 1], c->logx, &lo, &hi);
            range_add(xr, hi);
            grid_bounds(g->y, g->ny, g->y[0], c->logy, &lo, &hi);
            range_add(yr, lo);
            grid_bounds(g->y, g->ny, g->y[g->ny - 1], c->logy, &lo, &hi);
            range_add(yr, hi);
        }
        range_cols(cr, c, 2, 3);
        break;
    case LC_PLOT_TORNADO:
        range_cols(xr, c, 0, 2);
        range_add(xr, c->base);
        break;
    case LC_PLOT_HISTOGRAM: {
        double w = bin_width(c);
        for (i = 0; i < c->nrows; i++) {
            range_add(xr, cell(c, i, 0) - w / 2);
            range_add(xr, cell(c, i, 0) + w / 2);
        }
        range_cols(yr, c, 1, 2);
        range_add(yr, 0);
        break;
    }
    case LC_PLOT_BARS:
    case LC_PLOT_STACKED:
        for (i = 0; i < c->nrows; i++) {
            double pos = 0, neg = 0;
            for (j = 0; j < c->ncols; j++) {
                double v = cell(c, i, j);
                if (!isfinite(v))
                    continue;
                if (c->kind == LC_PLOT_BARS) {
                    range_add(yr, v);
                } else if (v > 0) {
                    pos += v;
                } else {
                    neg += v;
                }
            }
            if (c->kind == LC_PLOT_STACKED) {
                range_add(yr, pos);
                range_add(yr, neg);
            }
        }
        if (!(yr->lo < 0) && !c->logy)
            range_add(yr, 0);
        *from0 = !(yr->lo < 0);
        /* room for the value labels above the bars */
        if (yr->lo <= yr->hi && !c->logy)
            yr->hi += 0.08 * (yr->hi - yr->lo);
        break;
    default: /* sobol: indices between 0 and 1 */
        break;
    }
}

/* The chart's variables, then the style and kind templates. */
static void build_script(const lc_chart *c, const grid *g, lc_plot_format fmt, const char *stem,
                         lc_sbuf *b)
{
    const struct kind_info *k = &kinds[c->kind];
    range xr, yr, cr;
    ticks *t = malloc(sizeof *t);
    int from0;
    size_t i, j, n;

    if (t == NULL) {
        b->oom = 1;
        return;
    }
    axis_ranges(c, g, &xr, &yr, &cr, &from0);

    lc_sb_printf(b,
                 "# llmcost chart script (generated): a %s chart.\n"
                 "# Draw it again in this folder with:  gnuplot %s.gp\n"
                 "# Another format (png, svg, pdf):      gnuplot -e \"fmt='svg'\" %s.gp\n"
                 "# llmcost itself runs: gnuplot -d -c %s.gp OUTPUT DATA\n"
                 "# Texts are single-quoted literals (a quote inside is joined in as \"'\");\n"
                 "# the plotting code after the variables is the template built into llmcost.\n",
                 k->name, stem, stem, stem);
    lc_sb_puts(b, "if (exists(\"fmt\") == 0) {\n    fmt = ");
    sb_lit(b, lc_plot_format_ext(fmt));
    lc_sb_puts(b, "\n}\n");
    put_var_lit(b, "stem", stem);
    lc_sb_puts(b, "outfile = stem.'.'.fmt\n"
                  "datafile = stem.'.dat'\n"
                  "if (exists(\"ARGC\") && ARGC >= 1) {\n    outfile = ARG1\n}\n"
                  "if (exists(\"ARGC\") && ARGC >= 2) {\n    datafile = ARG2\n}\n");
    put_var_lit(b, "chart_kind", k->name);
    put_var_lit(b, "chart_title", c->title);
    put_var_lit(b, "xlabel_text", c->xlabel);
    put_var_lit(b, "ylabel_text", c->ylabel);
    put_var_lit(b, "y2label_text", c->y2label ? c->y2label : "cumulative (%)");
    put_var_lit(b, "cblabel_text", c->zlabel);
    /* log axes: decades read best as 1k, 10k, 1M */
    put_var_lit(b, "xfmt", c->logx && fmax(fabs(xr.lo), fabs(xr.hi)) >= 1e4 ? "%.0s%c" : "%g");
    put_var_lit(b, "yfmt", c->logy && fmax(fabs(yr.lo), fabs(yr.hi)) >= 1e4 ? "%.0s%c" : "%g");
    lc_sb_printf(b, "logx = %d\nlogy = %d\nband = %d\nyfrom0 = %d\nnrows = %zu\nncols = %zu\n",
                 c->logx != 0, c->logy != 0, c->kind == LC_PLOT_TIMELINE && c->band != 0, from0,
                 c->nrows, c->ncols);
    put_var_num(b, "base", c->kind == LC_PLOT_TORNADO ? c->base : 0.0);
    put_var_num(b, "binwidth", c->kind == LC_PLOT_HISTOGRAM ? bin_width(c) : 1.0);
    {
        char base_label[32];
        value_label(c->kind == LC_PLOT_TORNADO ? c->base : 0.0, base_label, sizeof base_label);
        put_var_lit(b, "base_label", base_label);
    }
    /* categorical axes (tornado y, bars x...) have row labels, not numbers */
    make_ticks(xr, c->logx, c->kind == LC_PLOT_TORNADO, t);
    put_ticks(b, "x", t);
    make_ticks(yr, c->logy, c->kind != LC_PLOT_HEATMAP, t);
    put_ticks(b, "y", t);
    make_ticks(cr, 0, 0, t);
    put_ticks(b, "cb", t);
    free(t);

    lc_sb_printf(b, "array series[%zu]\n", c->ncols);
    for (j = 0; j < c->ncols; j++) {
        lc_sb_printf(b, "series[%zu] = ", j + 1);
        if (c->col_names && c->col_names[j])
            sb_lit(b, c->col_names[j]);
        else
            lc_sb_printf(b, "'column %zu'", j + 1);
        lc_sb_puts(b, "\n");
    }
    n = (k->flags & F_ROWS) ? c->nrows : 1;
    lc_sb_printf(b, "array rowlabel[%zu]\n", n);
    for (i = 0; i < n; i++) {
        lc_sb_printf(b, "rowlabel[%zu] = ", i + 1);
        if (!(k->flags & F_ROWS))
            lc_sb_puts(b, "''");
        else if (c->row_labels && c->row_labels[i])
            sb_lit(b, c->row_labels[i]);
        else
            lc_sb_printf(b, "'%zu'", i + 1);
        lc_sb_puts(b, "\n");
    }
    n = c->nmarkers > 0 ? c->nmarkers : 1;
    lc_sb_printf(b,
                 "nmarkers = %zu\narray marker_x[%zu]\narray marker_label[%zu]\n"
                 "array marker_right[%zu]\n",
                 c->nmarkers, n, n, n);
    {
        /* A marker in the last sixth of the x range gets its label on its left,
         * inside the chart. */
        double lo = INFINITY, hi = -INFINITY;
        size_t r;
        for (i = 0; i < c->nmarkers; i++) {
            lo = fmin(lo, c->markers[i].x);
            hi = fmax(hi, c->markers[i].x);
        }
        for (r = 0; r < c->nrows && c->ncols > 0; r++)
            if (isfinite(c->data[r * c->ncols])) {
                lo = fmin(lo, c->data[r * c->ncols]);
                hi = fmax(hi, c->data[r * c->ncols]);
            }
        for (i = 0; i < c->nmarkers; i++) {
            int right = hi > lo && (c->markers[i].x - lo) / (hi - lo) > 5.0 / 6;
            lc_sb_printf(b, "marker_x[%zu] = ", i + 1);
            sb_num(b, c->markers[i].x);
            lc_sb_printf(b, "\nmarker_label[%zu] = ", i + 1);
            sb_lit(b, c->markers[i].label);
            lc_sb_printf(b, "\nmarker_right[%zu] = %d\n", i + 1, right);
        }
    }
    lc_sb_puts(b, "\n");
    lc_sb_puts(b, lc_plot_template("style"));
    lc_sb_puts(b, "\n");
    lc_sb_puts(b, lc_plot_template(k->name));
}

/* An output folder holding our templates is the source tree's plots/. */
static int is_template_dir(const char *dir)
{
    static const char marker[] = "# llmcost chart template: style";
    char path[4096], line[sizeof marker];
    FILE *fp;
    int same = 0;

    if ((size_t)snprintf(path, sizeof path, "%s/style.gp", dir) >= sizeof path)
        return 0;
    fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    if (fread(line, 1, sizeof marker - 1, fp) == sizeof marker - 1)
        same = memcmp(line, marker, sizeof marker - 1) == 0;
    fclose(fp);
    return same;
}

int lc_plot_have_gnuplot(void)
{
    const char *path = getenv("PATH");
    const char *p, *end;
    char buf[4096];
    struct stat st;

    if (path == NULL)
        path = "/usr/bin:/bin"; /* what posix_spawnp falls back to */
    for (p = path;; p = end + 1) {
        size_t n;
        end = strchr(p, ':');
        n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0) { /* an empty entry is the current folder */
            snprintf(buf, sizeof buf, "gnuplot");
        } else if (n + sizeof "/gnuplot" <= sizeof buf) {
            memcpy(buf, p, n);
            memcpy(buf + n, "/gnuplot", sizeof "/gnuplot");
        } else {
            buf[0] = '\0';
        }
        if (buf[0] && stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return 1;
        if (end == NULL)
            return 0;
    }
}

/* The last non-empty line gnuplot wrote to stderr (its error message, from
 * the last 2 KiB it wrote), malloc'd with controls as spaces; "" when none,
 * NULL when out of memory. */
static char *last_line(FILE *fp)
{
    char buf[2048], *out;
    long end;
    size_t n, a, b, i, o = 0;

    if (fflush(fp) != 0 || fseek(fp, 0, SEEK_END) != 0 || (end = ftell(fp)) <= 0)
        return lc_strdup("");
    if (fseek(fp, end > (long)sizeof buf ? end - (long)sizeof buf : 0, SEEK_SET) != 0)
        return lc_strdup("");
    n = fread(buf, 1, sizeof buf, fp);
    b = n;
    while (b > 0 && (buf[b - 1] == '\n' || buf[b - 1] == '\r' || buf[b - 1] == ' '))
        b--;
    a = b;
    while (a > 0 && buf[a - 1] != '\n')
        a--;
    if ((out = malloc(b - a + 1)) == NULL)
        return NULL;
    for (i = a; i < b; i++) {
        unsigned char ch = (unsigned char)buf[i];
        out[o++] = ch < 0x20 || ch == 0x7f ? ' ' : (char)ch;
    }
    out[o] = '\0';
    return out;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Run gnuplot -d -c script outtmp data: no shell, stdin from /dev/null,
 * stdout and stderr captured, its own process group so that a timeout kills
 * whatever it started too.  Returns LC_OK, or LC_EOUTPUT with err filled;
 * *missing is set when gnuplot could not be found; *said gets gnuplot's last
 * line (malloc'd, the caller frees it) once gnuplot ran. */
static int run_gnuplot(char *script, char *outtmp, char *data, const char *shown, double timeout,
                       int *missing, char **said, lc_error *err)
{
    char prog[] = "gnuplot", opt_d[] = "-d", opt_c[] = "-c";
    char *argv[] = {prog, opt_d, opt_c, script, outtmp, data, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    sigset_t none, dfl;
    struct timespec t0;
    FILE *cap = tmpfile();
    pid_t pid;
    int rc, status = 0, timed_out = 0, fa_ok = 0, attr_ok = 0;
    long nap = 1000000; /* ns; grows to 20 ms */
    char *msg;

    *missing = 0;
    *said = NULL;
    if (cap == NULL)
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                            "cannot create a temporary file for gnuplot's messages: %s",
                            strerror(errno));
    if (posix_spawn_file_actions_init(&fa) != 0)
        goto nomem;
    fa_ok = 1;
    if (posix_spawnattr_init(&attr) != 0)
        goto nomem;
    attr_ok = 1;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    sigaddset(&dfl, SIGINT);
    sigaddset(&dfl, SIGTERM);
    sigaddset(&dfl, SIGHUP);
    if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, fileno(cap), 1) != 0 ||
        posix_spawn_file_actions_adddup2(&fa, fileno(cap), 2) != 0 ||
        (fileno(cap) > 2 && posix_spawn_file_actions_addclose(&fa, fileno(cap)) != 0) ||
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
                                            POSIX_SPAWN_SETSIGDEF) != 0 ||
        posix_spawnattr_setpgroup(&attr, 0) != 0 || posix_spawnattr_setsigmask(&attr, &none) != 0 ||
        posix_spawnattr_setsigdefault(&attr, &dfl) != 0)
        goto nomem;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = posix_spawnp(&pid, prog, &fa, &attr, argv, environ);
    if (rc != 0) {
        *missing = rc == ENOENT;
        lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot run gnuplot: %s", strerror(rc));
        goto fail;
    }
    lc_io_track_child(pid); /* its own group: Ctrl-C reaches it only through us */
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        struct timespec ts;
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "waiting for gnuplot: %s",
                         strerror(errno));
            kill(-pid, SIGKILL);
            lc_io_untrack_child(pid);
            goto fail;
        }
        if (seconds_since(&t0) >= timeout) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            timed_out = 1;
            break;
        }
        ts.tv_sec = 0;
        ts.tv_nsec = nap;
        nanosleep(&ts, NULL);
        if (nap < 20000000)
            nap *= 2;
    }
    lc_io_untrack_child(pid);
    if ((*said = msg = last_line(cap)) == NULL)
        goto nomem;
    rc = LC_EOUTPUT;
    if (timed_out)
        lc_error_set(err, rc, lc_mark_none(),
                     "gnuplot did not finish %s within %g s and was stopped", shown, timeout);
    else if (WIFSIGNALED(status))
        lc_error_set(err, rc, lc_mark_none(), "gnuplot was killed by signal %d (%s)",
                     WTERMSIG(status), shown);
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        lc_error_set(err, rc, lc_mark_none(), "gnuplot failed on %s (exit status %d)%s%s", shown,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1, msg[0] ? ": " : "", msg);
    else
        rc = LC_OK;
    goto done;
fail:
    rc = LC_EOUTPUT;
    goto done;
nomem:
    rc = lc_error_nomem(err);
done:
    if (attr_ok)
        posix_spawnattr_destroy(&attr);
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    fclose(cap);
    return rc;
}

static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", a, b, c);
    return p;
}

/* ---- is the chart whole? ---------------------------------------------------- */

#define IMAGE_MAX (256u << 20) /* bytes: far above any chart gnuplot draws */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* PNG (ISO/IEC 15948, 5.2-5.3): the signature, then chunks of length, type,
 * data and CRC that end exactly with IEND at the end of the file. */
static const char *png_whole(const unsigned char *b, size_t n)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    size_t at = 8;

    if (n < 8 || memcmp(b, sig, 8) != 0)
        return "no PNG signature";
    while (at + 12 <= n) {
        uint32_t len = be32(b + at);
        if (len > n - at - 12)
            return "a PNG chunk runs past the end of the file";
        if (memcmp(b + at + 4, "IEND", 4) == 0)
            return at + 12 + len == n ? NULL : "data after the PNG's IEND chunk";
        at += 12 + (size_t)len;
    }
    return "the PNG ends without its IEND chunk";
}

/* PDF (ISO 32000-1, 7.5.5): "%PDF-" first; startxref and %%EOF at the end. */
static const char *pdf_whole(const unsigned char *b, size_t n)
{
    size_t end = n, from;
    const char *tail;

    if (n < 5 || memcmp(b, "%PDF-", 5) != 0)
        return "no %PDF- header";
    while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r' || b[end - 1] == ' '))
        end--;
    if (end < 5 || memcmp(b + end - 5, "%%EOF", 5) != 0)
        return "the PDF does not end with %%EOF";
    from = end > 1024 ? end - 1024 : 0;
    for (tail = (const char *)b + from; tail + 9 <= (const char *)b + end; tail++)
        if (memcmp(tail, "startxref", 9) == 0)
            return NULL;
    return "the PDF has no startxref trailer";
}

static int xml_name_char(unsigned char ch)
{
    return ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == ':' || ch == '-' || ch == '.';
}

static const unsigned char *skip_past(const unsigned char *p, const unsigned char *e,
                                      const char *end)
{
    size_t k = strlen(end);
    for (; p + k <= e; p++)
        if (memcmp(p, end, k) == 0)
            return p + k;
    return NULL;
}

#define XML_DEPTH_MAX 256

/* Well-formed enough to open (XML 1.0, 2.1): declarations, comments, CDATA
 * and processing instructions closed; every tag closed in order; attribute
 * values quoted; no '<' in text; one root element, <svg>. */
static const char *svg_whole(const unsigned char *b, size_t n)
{
    const unsigned char *p = b, *e = b + n;
    const unsigned char *open_name[XML_DEPTH_MAX];
    size_t open_len[XML_DEPTH_MAX], depth = 0;
    int roots = 0;

    while (p < e) {
        const unsigned char *name;
        size_t len;
        int closing;

        if (*p != '<') {
            if (depth == 0 && !(*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                return "text outside the SVG element";
            if (e - p >= 3 && memcmp(p, "]]>", 3) == 0) /* XML 1.0, 2.4 */
                return "']]>' in text";
            p++;
            continue;
        }
        if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) {
            if ((p = skip_past(p + 4, e, "-->")) == NULL)
                return "an unclosed comment";
            continue;
        }
        if (e - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
            if (depth == 0 || (p = skip_past(p + 9, e, "]]>")) == NULL)
                return "an unclosed CDATA section";
            continue;
        }
        if (e - p >= 2 && (p[1] == '?' || p[1] == '!')) {
            if ((p = skip_past(p + 2, e, p[1] == '?' ? "?>" : ">")) == NULL)
                return "an unclosed declaration";
            continue;
        }
        closing = e - p >= 2 && p[1] == '/';
        name = p + 1 + closing;
        for (len = 0; name + len < e && xml_name_char(name[len]); len++)
            ;
        if (len == 0)
            return "a '<' that starts no tag";
        p = name + len;
        if (closing) {
            while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                p++;
            if (p >= e || *p != '>' || depth == 0 || open_len[depth - 1] != len ||
                memcmp(open_name[depth - 1], name, len) != 0)
                return "a closing tag that matches no open element";
            depth--;
            p++;
            continue;
        }
        for (;;) { /* attributes */
            unsigned char q;
            while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                p++;
            if (p >= e)
                return "a tag cut off at the end of the file";
            if (*p == '>' || (*p == '/' && p + 1 < e && p[1] == '>'))
                break;
            while (p < e && xml_name_char(*p))
                p++;
            while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                p++;
            if (p >= e || *p != '=')
                return "an attribute without a value";
            p++;
            while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
                p++;
            if (p >= e || (*p != '"' && *p != '\''))
                return "an attribute value without quotes";
            q = *p++;
            while (p < e && *p != q) {
                if (*p == '<')
                    return "a '<' inside an attribute value";
                p++;
            }
            if (p >= e)
                return "an attribute value cut off at the end of the file";
            p++;
        }
        if (depth == 0 && roots++ > 0)
            return "more than one root element";
        if (depth == 0 && !(len == 3 && memcmp(name, "svg", 3) == 0))
            return "the root element is not <svg>";
        if (*p == '/') {
            p += 2;
            continue;
        }
        if (depth == XML_DEPTH_MAX)
            return "elements nested too deeply";
        open_name[depth] = name;
        open_len[depth] = len;
        depth++;
        p++;
    }
    if (depth > 0)
        return "the SVG ends inside an element";
    return roots == 1 ? NULL : "no <svg> element";
}

static const char image_oom[] = "out of memory while reading it";

/* What is wrong with the chart at path, NULL when it is whole; image_oom
 * when it could not be read for want of memory. */
static const char *image_problem(const char *path, lc_plot_format fmt)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *b = NULL;
    size_t n = 0, cap = 0;
    const char *why = NULL;

    if (fp == NULL)
        return "it cannot be read";
    for (;;) {
        size_t got;
        if (n == cap) {
            unsigned char *nb;
            if (cap >= IMAGE_MAX) {
                why = "it is larger than 256 MiB";
                break;
            }
            cap = cap ? cap * 2 : 65536;
            nb = realloc(b, cap);
            if (nb == NULL) {
                why = image_oom;
                break;
            }
            b = nb;
        }
        got = fread(b + n, 1, cap - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (why == NULL)
        why = ferror(fp)           ? "a read error"
              : n == 0             ? "an empty file"
              : fmt == LC_PLOT_PNG ? png_whole(b, n)
              : fmt == LC_PLOT_PDF ? pdf_whole(b, n)
                                   : svg_whole(b, n);
    free(b);
    fclose(fp);
    return why;
}

int lc_plot_check_image(const char *path, lc_plot_format fmt, lc_error *err)
{
    const char *why = image_problem(path, fmt);
    if (why == image_oom)
        return lc_error_nomem(err);
    if (why != NULL)
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "the chart %s is not whole: %s", path,
                            why);
    return LC_OK;
}

/* ---- what this run has drawn ------------------------------------------------ */

/* Image paths (without extension) given out since lc_plot_new_run, so that no
 * chart overwrites another of the same run; and the charts left undrawn for
 * want of gnuplot. */
static struct {
    char **names;
    size_t n, cap;
    size_t undrawn;    /* charts written without gnuplot */
    char *undrawn_dir; /* the first of their folders */
    size_t undrawn_dirs;
    char *last; /* the image path of the last render, NULL when not drawn */
} run_state;

void lc_plot_new_run(void)
{
    size_t i;
    for (i = 0; i < run_state.n; i++)
        free(run_state.names[i]);
    free(run_state.names);
    free(run_state.undrawn_dir);
    free(run_state.last);
    memset(&run_state, 0, sizeof run_state);
}

static int name_taken(const char *name)
{
    size_t i;
    for (i = 0; i < run_state.n; i++)
        if (strcmp(run_state.names[i], name) == 0)
            return 1;
    return 0;
}

/* "./out/x" for "out", "out/", "./out" alike: one spelling per folder. */
static char *folder_key(const char *dir, const char *stem)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (n >= 2 && dir[0] == '.' && dir[1] == '/' && n > 2) {
        dir += 2;
        n -= 2;
    }
    {
        size_t len = n + strlen(stem) + 2;
        char *k = malloc(len);
        if (k)
            snprintf(k, len, "%.*s/%s", (int)n, dir, stem);
        return k;
    }
}

/* stem, or stem-2, stem-3... when this run already drew one of that name in
 * that folder: the malloc'd stem to use, NULL on out-of-memory. */
static char *unique_stem(const char *dir, const char *stem, char **key)
{
    char *s = lc_strdup(stem), *k;
    unsigned long i;

    for (i = 2; s != NULL; i++) {
        k = folder_key(dir, s);
        if (k == NULL)
            break;
        if (!name_taken(k)) {
            *key = k;
            return s;
        }
        free(k);
        free(s);
        s = malloc(strlen(stem) + 24);
        if (s)
            snprintf(s, strlen(stem) + 24, "%s-%lu", stem, i);
    }
    free(s);
    return NULL;
}

static int remember(char *key)
{
    if (run_state.n == run_state.cap) {
        size_t cap = run_state.cap ? run_state.cap * 2 : 16;
        char **p = realloc(run_state.names, cap * sizeof *p);
        if (p == NULL)
            return LC_ENOMEM;
        run_state.names = p;
        run_state.cap = cap;
    }
    run_state.names[run_state.n++] = key;
    return LC_OK;
}

const char *lc_plot_last_path(void)
{
    return run_state.last;
}

int lc_plot_pending(lc_error *err)
{
    int rc = LC_OK;
    if (run_state.undrawn > 0) {
        if (run_state.undrawn_dirs > 1)
            rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                              "gnuplot is not installed (apt-get install gnuplot-nox); data and "
                              "scripts of %zu charts are in %s and %zu other folders: run "
                              "'gnuplot NAME.gp' there",
                              run_state.undrawn,
                              run_state.undrawn_dir ? run_state.undrawn_dir : "the chart folder",
                              run_state.undrawn_dirs - 1);
        else
            rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                              "gnuplot is not installed (apt-get install gnuplot-nox); data and "
                              "scripts of %zu chart%s are in %s: run 'gnuplot NAME.gp' there",
                              run_state.undrawn, run_state.undrawn == 1 ? "" : "s",
                              run_state.undrawn_dir ? run_state.undrawn_dir : "the chart folder");
        run_state.undrawn = run_state.undrawn_dirs = 0;
        free(run_state.undrawn_dir);
        run_state.undrawn_dir = NULL;
    }
    return rc;
}

static void note_undrawn(const char *dir)
{
    if (run_state.undrawn_dirs == 0) {
        run_state.undrawn_dir = lc_strdup(dir); /* NULL: the message names none */
        run_state.undrawn_dirs = 1;
    } else if (run_state.undrawn_dir != NULL) {
        char *a = folder_key(run_state.undrawn_dir, ""), *b = folder_key(dir, "");
        if (a != NULL && b != NULL && strcmp(a, b) != 0)
            run_state.undrawn_dirs++; /* a change of folder: counts each run of charts */
        free(a);
        free(b);
    }
    run_state.undrawn++;
}

/* ---- rendering ------------------------------------------------------------------- */

/* The data or script so far is on disk: gnuplot is about to read it. */
static int flushed(lc_atomic_file *f, lc_error *err)
{
    if (fflush(f->fp) != 0 || ferror(f->fp))
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", f->path,
                            strerror(errno));
    return LC_OK;
}

int lc_plot_render(const lc_chart *c, lc_plot_format fmt, const char *dir, const char *stem,
                   const lc_plot_options *opt, lc_error *err)
{
    const char *ext = lc_plot_format_ext(fmt);
    double timeout = opt && opt->timeout > 0 ? opt->timeout : DEFAULT_TIMEOUT;
    lc_sbuf script = {NULL, 0, 0, 0};
    grid g = {NULL, NULL, 0, 0};
    lc_atomic_file df, gf;
    char *prefix = NULL, *datapath = NULL, *gppath = NULL, *outpath = NULL, *tmppath = NULL;
    char *ustem = NULL, *key = NULL;
    char dotext[8];
    int rc, fd = -1, missing = 0, df_open = 0, gf_open = 0;

    free(run_state.last);
    run_state.last = NULL;
    if (ext == NULL)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "unknown chart format %d", (int)fmt);
    snprintf(dotext, sizeof dotext, ".%s", ext);
    if (!stem_ok(stem))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "unsafe chart file name '%.100s': use letters, digits, '.', '_', '-' "
                            "and no leading '.' or '-' (see lc_plot_stem)",
                            stem ? stem : "");
    if (dir == NULL || dir[0] == '\0')
        dir = ".";
    rc = check_chart(c, err);
    if (rc != LC_OK)
        return rc;

    /* Paths gnuplot sees start with '/' or '.', never '<' or '|' (a pipe) or
     * '-' (an option). */
    prefix = join(dir[0] == '/' || dir[0] == '.' ? "" : "./", dir, "/");
    if (prefix == NULL || (ustem = unique_stem(dir, stem, &key)) == NULL ||
        (datapath = join(prefix, ustem, ".dat")) == NULL ||
        (gppath = join(prefix, ustem, ".gp")) == NULL ||
        (outpath = join(prefix, ustem, dotext)) == NULL ||
        (tmppath = join(outpath, ".tmpXXXXXX", "")) == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    if ((rc = lc_io_check_path(outpath, err)) != LC_OK || (rc = lc_make_dir(dir, err)) != LC_OK)
        goto done;
    if (is_template_dir(dir)) {
        rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                          "%s holds the chart templates; choose another output folder", dir);
        goto done;
    }

    if (c->kind == LC_PLOT_HEATMAP) {
        g.x = grid_values(c, 0, &g.nx);
        g.y = grid_values(c, 1, &g.ny);
        if (g.x == NULL || g.y == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
    }
    build_script(c, &g, fmt, ustem, &script);
    if (script.oom) {
        rc = lc_error_nomem(err);
        goto done;
    }
    rc = lc_plot_check_script(script.s, err);
    if (rc != LC_OK)
        goto done;

    /* Data, script and chart of one run replace the old ones together, and
     * only once the chart is known to be whole. */
    if ((rc = lc_atomic_open(&df, datapath, err)) != LC_OK)
        goto done;
    df_open = 1;
    write_data(c, &g, &df, ustem);
    if ((rc = flushed(&df, err)) != LC_OK || (rc = lc_atomic_open(&gf, gppath, err)) != LC_OK)
        goto done;
    gf_open = 1;
    fwrite(script.s, 1, script.len, gf.fp);
    if ((rc = flushed(&gf, err)) != LC_OK)
        goto done;

    if (!lc_plot_have_gnuplot()) {
        missing = 1;
    } else {
        lc_error run_err;
        char *said = NULL;
        const char *why = NULL;

        fd = mkstemp(tmppath);
        if (fd < 0) {
            rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", outpath,
                              strerror(errno));
            goto done;
        }
        lc_io_track_tmp(tmppath);
        fchmod(fd, 0644); /* as the data and script files: mkstemp makes it 0600 */
        close(fd);
        lc_error_clear(&run_err);
        rc = run_gnuplot(gf.tmp, tmppath, df.tmp, gppath, timeout, &missing, &said, &run_err);
        if (rc == LC_OK && (why = image_problem(tmppath, fmt)) == image_oom)
            rc = lc_error_nomem(err);
        else if (rc == LC_OK && why != NULL)
            /* gnuplot exits 0 after a failed write (a full disk): say what it said */
            rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                              "gnuplot did not write %s whole (%s)%s%s", outpath, why,
                              said[0] ? "; gnuplot said: " : "", said);
        else if (rc != LC_OK && !missing)
            lc_error_set(err, run_err.code, lc_mark_none(), "%s", run_err.msg);
        free(said);
        if (rc != LC_OK && !missing)
            goto done;
    }
    gf_open = df_open = 0;
    if ((rc = lc_atomic_commit(&df, err)) != LC_OK) {
        lc_atomic_abort(&gf);
        goto done;
    }
    if ((rc = lc_atomic_commit(&gf, err)) != LC_OK)
        goto done;
    if (missing) {
        /* an older chart no longer matches the data beside it */
        unlink(outpath);
        note_undrawn(dir);
    } else if (rename(tmppath, outpath) != 0) {
        rc = lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", outpath,
                          strerror(errno));
        goto done;
    } else {
        /* as the caller spelled the folder: "out/x.png", not "./out/x.png" */
        size_t n = strlen(dir);
        run_state.last =
            lc_aprintf("%s%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", ustem, dotext);
        if (run_state.last == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
    }
    if (remember(key) != LC_OK) {
        rc = lc_error_nomem(err);
        goto done;
    }
    key = NULL;
    rc = LC_OK;
done:
    if (df_open)
        lc_atomic_abort(&df);
    if (gf_open)
        lc_atomic_abort(&gf);
    if (fd >= 0) {
        unlink(tmppath);
        lc_io_untrack_tmp(tmppath);
    }
    free(g.x);
    free(g.y);
    free(script.s);
    free(prefix);
    free(datapath);
    free(gppath);
    free(outpath);
    free(tmppath);
    free(ustem);
    free(key);
    return rc;
}

/* ---- the script checker --------------------------------------------------------- */

static int is_word_start(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static int is_word_char(char ch)
{
    return is_word_start(ch) || (ch >= '0' && ch <= '9');
}

static int word_in(const char *w, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, w, n) == 0)
            return 1;
    return 0;
}

static int refuse(lc_error *err, int line, const char *what)
{
    return lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                        "generated gnuplot script, line %d: %s; refusing to run it", line, what);
}

int lc_plot_check_script(const char *text, lc_error *err)
{
    /* commands and functions that run programs, read or write other files,
     * execute strings as code or wait */
    static const char *const banned[] = {
        "system",   "shell",  "pipe", "load", "call",   "print", "printerr", "eval",
        "evaluate", "import", "cd",   "save", "table",  "pause", "history",  "fit",
        "update",   "bind",   "exit", "quit", "reread", "test",  NULL};
    static const char *const commands[] = {"set", "unset", "plot", "splot", "stats",
                                           "if",  "else",  "do",   "array", NULL};
    const char *p = text;
    int line = 1, at_start = 1, assignment = 0;

    while (*p) {
        char ch = *p;
        if (ch == '\n') {
            line++;
            p++;
            at_start = 1;
            assignment = 0;
            continue;
        }
        if (ch == '\\' && p[1] == '\n') { /* continued line */
            line++;
            p += 2;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\r') {
            p++;
            continue;
        }
        if (ch == '#') { /* comment; a trailing backslash continues it */
            while (*p && !(*p == '\n' && p[-1] != '\\')) {
                if (*p == '\n')
                    line++;
                p++;
            }
            continue;
        }
        if (ch == ';' || ch == '{' || ch == '}') {
            p++;
            at_start = 1;
            assignment = 0;
            continue;
        }
        if (ch == '\'' || ch == '"') {
            const char *s = p + 1;
            /* as gnuplot's scanner: '' is an empty string even before a quote */
            while (!(ch == '\'' && s == p + 1 && *s == '\'')) {
                if (*s == '\0' || *s == '\n')
                    return refuse(err, line, "unterminated string");
                if (ch == '"' && *s == '\\' && s[1] != '\0') {
                    s += 2;
                    continue;
                }
                /* gnuplot substitutes backquotes inside double quotes */
                if (ch == '"' && *s == '`')
                    return refuse(err, line, "backquote in a string");
                if (*s == ch) {
                    if (ch == '\'' && s[1] == '\'') {
                        s += 2;
                        continue;
                    }
                    break;
                }
                s++;
            }
            if (at_start)
                return refuse(err, line, "a statement starts with a string");
            /* a file name starting with '<' or '|' runs a program */
            if (!assignment) {
                const char *q = p + 1;
                while (*q == ' ')
                    q++;
                if (*q == '<' || *q == '|')
                    return refuse(err, line, "a file name that is a pipe");
            }
            p = s + 1;
            continue;
        }
        if (ch == '`')
            return refuse(err, line, "backquote (runs a shell command)");
        if (ch == '!')
            return refuse(err, line, "'!' (runs a shell command)");
        if (ch == '@')
            return refuse(err, line, "'@' (macro: text run as code)");
        if (is_word_start(ch)) {
            const char *w = p;
            size_t n;
            while (is_word_char(*p))
                p++;
            n = (size_t)(p - w);
            if (word_in(w, n, banned)) {
                char what[64];
                snprintf(what, sizeof what, "forbidden '%.*s'", (int)n, w);
                return refuse(err, line, what);
            }
            if (at_start) {
                at_start = 0;
                if (!word_in(w, n, commands)) {
                    /* only an assignment: name = ..., name[i] = ..., f(x) = ... */
                    const char *q = p;
                    int d = 0;
                    while (*q == ' ' || *q == '\t')
                        q++;
                    if (*q == '[' || *q == '(') {
                        do {
                            if (*q == '[' || *q == '(')
                                d++;
                            else if (*q == ']' || *q == ')')
                                d--;
                            else if (*q == '\0' || *q == '\n' || *q == '\'' || *q == '"')
                                break;
                            q++;
                        } while (d > 0);
                        while (*q == ' ' || *q == '\t')
                            q++;
                    }
                    if (d != 0 || *q != '=' || q[1] == '=')
                        return refuse(err, line,
                                      "a statement that is not set, plot, if, do, "
                                      "array or an assignment");
                    assignment = 1;
                } else if (n == 5 && memcmp(w, "array", 5) == 0) {
                    assignment = 1;
                }
            }
            continue;
        }
        at_start = 0;
        p++;
    }
    return LC_OK;
}
