/* lc_serving — serving throughput against published measurements: each run is
 * a scenario under scenarios/validation/serving/ whose validation: published:
 * gives one measured figure (output tokens/s per GPU), and the model's value of
 * that metric is compared with it.
 *
 * Owns: the strings of each row (lc_serving_row_release).  Borrows: nothing. */
#ifndef LC_SERVING_H
#define LC_SERVING_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_scenario.h"

#define LC_SERVING_DIR "scenarios/validation/serving"
/* The median absolute error the model must stay within (issue 14). */
#define LC_SERVING_TARGET 0.25
/* The set whose dense Llama rows the library's efficiencies were chosen on;
 * every other set is held out (no constant was chosen on it). */
#define LC_SERVING_TUNED_SET "trtllm"

typedef struct lc_serving_row {
    char *id;         /* file name without folder and .yaml */
    char *set;        /* the source: id up to its first '-' (trtllm, amdvllm, ...) */
    char *gpu;        /* fleet.gpu of the run */
    char *metric;     /* the published metric */
    char unit[64];    /* display unit of computed and published */
    double computed;  /* display unit */
    double published; /* display unit */
    double error;     /* computed / published - 1 */
} lc_serving_row;

/* Compute one run.  LC_OK, or an error code with err (bad file, no published
 * figure, metric not computed). */
int lc_serving_run(const char *path, const lc_override *sets, size_t nsets, lc_serving_row *row,
                   lc_error *err);
void lc_serving_row_release(lc_serving_row *row);

/* Median of |error| over rows[0..n) (GSL); NaN when n is 0. */
double lc_serving_median_abs_error(const lc_serving_row *rows, size_t n);

/* Quantile q (0..1, GSL's linear interpolation) of |error| over the rows of
 * one set (every row when set is NULL); *count gets their number.  NaN when
 * there are none. */
double lc_serving_set_abs_error(const lc_serving_row *rows, size_t n, const char *set, double q,
                                size_t *count);

#endif
