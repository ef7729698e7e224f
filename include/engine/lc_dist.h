/* lc_dist — the probability distribution of one uncertain input.
 *
 * Owns: a discrete distribution's value and weight arrays (lc_dist_free
 * releases them); every other kind is plain data and may be copied with `=`.
 * Borrows nothing.  All parameters and results are in the input's base units
 * (see lc_units.h), as plain doubles.  A constructed lc_dist is read-only and
 * may be shared between threads (quantile, cdf and sample do not modify it).
 *
 * Kinds: fixed, uniform(lo, hi), normal(mean, sd), lognormal from a 90%
 * interval (lo, hi = 5th and 95th percentiles), triangular(lo, mode, hi),
 * PERT(lo, mode, hi) (Beta with lambda 4), discrete(values, weights).
 * Any kind may be truncated to [min, max]: the probability u is mapped into
 * [F(min), F(max)] before the quantile, so truncation costs nothing per sample.
 *
 * Constructors validate their parameters and fail with LC_EINPUT and a message
 * such as "uniform: lo must be below hi (lo = 5, hi = 3)", positioned at `at`
 * (the scenario's node, or lc_mark_none()).  On failure *d is left as a fixed
 * distribution at 0 that lc_dist_free accepts.  Constructors call
 * gsl_set_error_handler_off(): call them from one thread at a time. */
#ifndef LC_DIST_H
#define LC_DIST_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "lc_error.h"

/* Most values a discrete distribution may have. */
#define LC_DIST_DISCRETE_MAX 100000

typedef enum lc_dist_kind {
    LC_DIST_FIXED,
    LC_DIST_UNIFORM,
    LC_DIST_NORMAL,
    LC_DIST_LOGNORMAL,
    LC_DIST_TRIANGULAR,
    LC_DIST_PERT,
    LC_DIST_DISCRETE
} lc_dist_kind;

typedef struct lc_dist {
    lc_dist_kind kind;
    /* As given: fixed value (lo); uniform/triangular/PERT bounds and mode;
     * lognormal P5 (lo) and P95 (hi); normal mean and sd. */
    double lo, mode, hi;
    double mean_arg, sd_arg;
    /* Derived: lognormal mu and sigma of ln x; PERT Beta shapes alpha, beta. */
    double mu, sigma;
    double alpha, beta;
    /* Discrete: n values sorted ascending, cum[i] = P(X <= values[i]) (cum[n-1]
     * is exactly 1); truncation keeps indices [ilo, ihi]. */
    size_t n, ilo, ihi;
    double *values; /* owned */
    double *cum;    /* owned */
    /* Truncation to [tmin, tmax] (-inf, +inf when none): u -> umin + u (umax - umin). */
    int truncated;
    double tmin, tmax;
    double umin, umax;
    /* Summaries of the (truncated) distribution, set by the constructors. */
    double mean, median, base;
    /* A count: quantiles and samples are rounded to the nearest whole number
     * (lc_dist_make_whole).  mean stays that of the unrounded law (within
     * half a unit of the rounded one). */
    int whole;
} lc_dist;

int lc_dist_fixed(lc_dist *d, double value, lc_mark at, lc_error *err);
int lc_dist_uniform(lc_dist *d, double lo, double hi, lc_mark at, lc_error *err);
int lc_dist_normal(lc_dist *d, double mean, double sd, lc_mark at, lc_error *err);
/* lo and hi are the 5th and 95th percentiles: mu = (ln lo + ln hi) / 2,
 * sigma = (ln hi - ln lo) / (2 * 1.6448536269514722). */
int lc_dist_lognormal(lc_dist *d, double lo, double hi, lc_mark at, lc_error *err);
int lc_dist_triangular(lc_dist *d, double lo, double mode, double hi, lc_mark at, lc_error *err);
/* Beta on [lo, hi] with alpha = 1 + 4 (mode - lo) / (hi - lo),
 * beta = 1 + 4 (hi - mode) / (hi - lo); mean (lo + 4 mode + hi) / 6. */
int lc_dist_pert(lc_dist *d, double lo, double mode, double hi, lc_mark at, lc_error *err);
/* Copies values and weights (n of each, n <= LC_DIST_DISCRETE_MAX); weights
 * NULL means equally likely; weights need not sum to 1.  Repeated values add up. */
int lc_dist_discrete(lc_dist *d, const double *values, const double *weights, size_t n, lc_mark at,
                     lc_error *err);

/* Restrict d to [min, max] (either may be infinite; e.g. min = 0 for a
 * quantity that cannot be negative).  Fails with LC_EINPUT when the interval
 * holds no probability (numerically: a bound 40 sd out in a normal's tail
 * counts as none), leaving d unchanged.  Truncating twice intersects the
 * intervals.  Discrete: keeps the values in [min, max], weights renormalised. */
int lc_dist_truncate(lc_dist *d, double min, double max, lc_mark at, lc_error *err);

/* Make d the law of a count: every quantile and sample is rounded to the
 * nearest whole number, and so are its median and base value. */
void lc_dist_make_whole(lc_dist *d);

/* The smallest and largest values d can take ([tmin, tmax] cut to the kind's
 * own range: [lo, hi] for uniform, triangular, PERT and discrete, [0, inf)
 * for lognormal, the whole line for normal). */
void lc_dist_support(const lc_dist *d, double *lo, double *hi);

/* 1 if x is a value d can take: inside the support, and for a discrete
 * distribution one of its values (relative tolerance 1e-12). */
int lc_dist_contains(const lc_dist *d, double x);

/* Release a discrete distribution's arrays (not d itself) and leave *d a fixed
 * distribution at 0.  No-op on NULL. */
void lc_dist_free(lc_dist *d);

/* Deep copy (dst must not hold arrays: freshly declared or freed). */
int lc_dist_copy(lc_dist *dst, const lc_dist *src, lc_error *err);

/* Inverse CDF at probability u in (0, 1); u is clamped to [2^-53, 1 - 2^-53]
 * so that 0 and 1 give finite values.  Truncation applied.  Used by Latin
 * hypercube and Sobol sampling and for tornado P10/P90. */
double lc_dist_quantile(const lc_dist *d, double u);

/* P(X <= x), truncation applied. */
double lc_dist_cdf(const lc_dist *d, double x);

/* n independent draws from r into out.  Untruncated uniform, normal,
 * lognormal and PERT use GSL's direct generators (uniform, Ziggurat, Beta);
 * truncated and other kinds go through the quantile. */
void lc_dist_sample(const lc_dist *d, gsl_rng *r, double *out, size_t n);

double lc_dist_mean(const lc_dist *d);
double lc_dist_median(const lc_dist *d);
/* The single value used as the "base case" when the input is not varied:
 * the mean for normal and uniform, the median for lognormal (sqrt(lo*hi),
 * more typical than its mean, which the right tail pulls up) and discrete
 * (always one of the values), the mode for triangular and PERT (the value the
 * author named as most likely), the value for fixed.  With truncation: the
 * truncated mean or median, or the mode clamped into [min, max]. */
double lc_dist_base(const lc_dist *d);

/* "lognormal, 90% in [2, 8]", "normal, mean 5, sd 1, truncated to [0, inf]"...
 * with numbers in base units (%g): malloc'd, NULL when out of memory. */
char *lc_dist_describe(const lc_dist *d);

/* "fixed", "uniform", "normal", "lognormal", "triangular", "pert", "discrete". */
const char *lc_dist_kind_name(lc_dist_kind kind);

/* The same with every number divided by scale and followed by unit: a
 * distribution in base units described in its display unit. */
char *lc_dist_describe_in(const lc_dist *d, double scale, const char *unit);

#endif
