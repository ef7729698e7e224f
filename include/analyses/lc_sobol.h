/* lc_sobol — variance-based sensitivity: first-order and total Sobol indices
 * of chosen metrics with respect to each uncertain input.
 *
 * Method: Saltelli sampling; first order by Saltelli et al. 2010, total by
 * Jansen 1999 (Saltelli, Annoni, Azzini, Campolongo, Ratto, Tarantola, 'Variance
 * based sensitivity analysis of model output', Computer Physics Communications
 * 181 (2010) 259-270, Table 2 (b) and (f)).  Rows 1..N of a
 * 2k-dimensional Sobol sequence (gsl_qrng_sobol; row 0, all zeros, skipped)
 * give the base matrices: A = the first k coordinates, B = the last k, each
 * mapped through the inputs' quantiles; A_B^i is A with column i from B.
 * With V the variance of f over A and B together (2N values, denominator
 * 2N - 1):
 *   S_i  = 1/N sum_r (f(B)_r - mean) (f(A_B^i)_r - f(A)_r) / V
 *   ST_i = 1/(2N) sum_r (f(A)_r - f(A_B^i)_r)^2 / V
 * N (k + 2) evaluations, in blocks of LC_BLOCK rows on POSIX threads (rows are
 * drawn from the one sequence in order, so results do not depend on the
 * thread count).  Confidence intervals: bootstrap over the N rows (seeded
 * lc_mc_rng stream per metric), percentile interval; it treats the
 * quasi-random rows as independent, so it is conservative.  Accuracy note:
 * GSL's highest Sobol dimensions are weakly equidistributed at small N (with
 * k = 20, V comes out 1% low at N = 4096 and 0.3% at 16384, shifting each S_i
 * by about that much): prefer N >= 2^14 with many inputs.
 *
 * With opts halfwidth > 0 the run is repeated at 2N, 4N, ... (at most n_max)
 * until the largest index of every metric has intervals at most halfwidth
 * either side; res->converged says whether that was reached.
 * A first-order estimate may come out slightly below 0 for an input of no
 * first-order effect; it is reported as computed, with its interval.
 *
 * Borrows the evaluator and the k = ev->n_in distributions during the run;
 * the result owns its arrays.  Limits: k <= LC_SOBOL_K_MAX (2k <= 40 Sobol
 * dimensions), at most LC_SOBOL_METRICS_MAX metrics, memory 8 N (k + 2) bytes
 * per metric (12 MB for N = 2^14, k = 20, 4 metrics).  Rows where any of the
 * k + 2 outputs is not finite are dropped (and counted).  Calls
 * gsl_set_error_handler_off(); call from one thread. */
#ifndef LC_SOBOL_H
#define LC_SOBOL_H

#include <stddef.h>
#include <stdint.h>

#include "lc_dist.h"
#include "lc_error.h"
#include "lc_eval.h"
#include "lc_mc.h"

#define LC_SOBOL_K_MAX       20
#define LC_SOBOL_METRICS_MAX 16
#define LC_SOBOL_BOOT_MAX    100000
#define LC_SOBOL_N_MAX       131072 /* 2^17: doubling's default limit */
#define LC_SOBOL_HALFWIDTH   0.05   /* the interval doubling aims for, either side */

typedef struct lc_sobol_opts {
    size_t n;              /* base samples N, >= 2; powers of 2 suit the sequence best */
    uint64_t seed;         /* bootstrap resampling */
    unsigned threads;      /* 0 or 1 = one worker */
    size_t n_boot;         /* bootstrap resamples; 0 = no intervals */
    double conf;           /* interval's coverage, in (0, 1) */
    const size_t *metrics; /* evaluator output indices, 1..LC_SOBOL_METRICS_MAX */
    size_t n_metrics;
    double halfwidth;        /* > 0: double N until the largest index's intervals are at
                              * most this wide either side (e.g. 0.05); 0: N as given */
    size_t n_max;            /* the most base samples doubling goes to */
    lc_progress_fn progress; /* units: evaluations, N (k + 2) in all, per run; may be NULL */
    void *progress_user;
} lc_sobol_opts;

typedef struct lc_sobol_index {
    double s1, s1_lo, s1_hi; /* first order and its interval */
    double st, st_lo, st_hi; /* total and its interval */
} lc_sobol_index;

typedef struct lc_sobol_result {
    size_t k, n, n_metrics, n_boot;
    double conf;
    size_t *metrics;     /* n_metrics evaluator output indices */
    lc_sobol_index *idx; /* metric j, input i at idx[j * k + i]; NaN (with
                          * var 0) when the metric does not vary */
    double *mean, *var;  /* per metric, over A and B */
    size_t *n_used;      /* per metric: rows with every output finite */
    double halfwidth;    /* widest half-interval of any metric's largest index (by ST); 0
                          * without bootstrap */
    int converged;       /* halfwidth <= opts halfwidth (always 1 when that is 0) */
} lc_sobol_result;

/* Defaults: N = 4096, seed 1, one thread, 200 resamples, 95%, no metrics,
 * no doubling (halfwidth 0), n_max LC_SOBOL_N_MAX. */
void lc_sobol_opts_init(lc_sobol_opts *o);

/* LC_EINPUT for bad options (e.g. more than 20 inputs), LC_ENOMEM, or the
 * evaluator's status other than LC_ENUMERIC.  *out is NULL on failure. */
int lc_sobol_run(const lc_evaluator *ev, const lc_dist *dists, const lc_sobol_opts *o,
                 lc_sobol_result **out, lc_error *err);
void lc_sobol_result_free(lc_sobol_result *r);

/* Indices of evaluator metric `metric` for input `input`, or NULL. */
const lc_sobol_index *lc_sobol_index_of(const lc_sobol_result *r, size_t metric, size_t input);

#endif
