/* lc_draw — the charts of a document drawn through lc_plot. */
#ifndef LC_DRAW_H
#define LC_DRAW_H

#include "lc_error.h"
#include "lc_plot.h"
#include "lc_result.h"

/* The folder a scenario's charts go to without -o: "STEM-charts" for
 * "dir/STEM.yaml" ("stdin-charts" for -).  malloc'd; NULL on out-of-memory. */
char *lc_draw_default_dir(const char *scenario_path);

/* Draw every chart of d not drawn yet, into outdir or, when it is NULL, into
 * the default folder of the scenario whose level-1 section (fact "file")
 * holds the chart.  Names are unique within the document: a second chart
 * with the same stem gets "-2", "-3"...  Each drawn chart records its file.
 * Returns LC_OK or the first error; the other charts are still drawn. */
int lc_draw(lc_doc *d, lc_plot_format fmt, const char *outdir, lc_error *err);

#endif
