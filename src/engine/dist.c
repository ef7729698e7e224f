/* dist.c — distributions of uncertain inputs: validation, quantiles, sampling. */
#include "lc_dist.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_randist.h>

#include "lc_util.h"

/* z of the 95th percentile of the standard normal. */
#define Z95 1.6448536269514722

/* u is kept in [U_MIN, 1 - U_MIN] so infinite tails give finite quantiles. */
#define U_MIN 0x1p-53

static const char *const kind_names[] = {"fixed",      "uniform", "normal",  "lognormal",
                                         "triangular", "pert",    "discrete"};

const char *lc_dist_kind_name(lc_dist_kind kind)
{
    if ((size_t)kind >= sizeof kind_names / sizeof kind_names[0])
        return "unknown";
    return kind_names[kind];
}

static void reset(lc_dist *d, lc_dist_kind kind)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->tmin = -INFINITY;
    d->tmax = INFINITY;
    d->umin = 0.0;
    d->umax = 1.0;
}

/* Does the truncation remove any probability?  If not, closed forms and the
 * direct generators still apply. */
static int cuts(const lc_dist *d)
{
    return d->truncated && (d->umin > 0.0 || d->umax < 1.0);
}

static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* ---- untruncated CDF and quantile ---- */

static double raw_cdf(const lc_dist *d, double x)
{
    switch (d->kind) {
    case LC_DIST_FIXED:
        return x < d->lo ? 0.0 : 1.0;
    case LC_DIST_UNIFORM:
        return clamp((x - d->lo) / (d->hi - d->lo), 0.0, 1.0);
    case LC_DIST_NORMAL:
        return gsl_cdf_ugaussian_P((x - d->mean_arg) / d->sd_arg);
    case LC_DIST_LOGNORMAL:
        return x <= 0.0 ? 0.0 : gsl_cdf_ugaussian_P((log(x) - d->mu) / d->sigma);
    case LC_DIST_TRIANGULAR: {
        double a = d->lo, c = d->mode, b = d->hi;
        if (x <= a)
            return 0.0;
        if (x >= b)
            return 1.0;
        if (x < c)
            return (x - a) * (x - a) / ((b - a) * (c - a));
        return 1.0 - (b - x) * (b - x) / ((b - a) * (b - c));
    }
    case LC_DIST_PERT:
        if (x <= d->lo)
            return 0.0;
        if (x >= d->hi)
            return 1.0;
        return gsl_cdf_beta_P((x - d->lo) / (d->hi - d->lo), d->alpha, d->beta);
    case LC_DIST_DISCRETE: {
        /* Largest i with values[i] <= x. */
        size_t lo = 0, hi = d->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->values[mid] <= x)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo == 0 ? 0.0 : d->cum[lo - 1];
    }
    }
    return NAN;
}

/* First index in [ilo, ihi] whose cumulative probability reaches u. */
static size_t discrete_index(const lc_dist *d, double u)
{
    size_t lo = d->ilo, hi = d->ihi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (u <= d->cum[mid])
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* u in [0, 1]; infinite at 0 or 1 for unbounded kinds. */
static double raw_quantile(const lc_dist *d, double u)
{
    switch (d->kind) {
    case LC_DIST_FIXED:
        return d->lo;
    case LC_DIST_UNIFORM:
        return d->lo + u * (d->hi - d->lo);
    case LC_DIST_NORMAL:
        return d->mean_arg + d->sd_arg * gsl_cdf_ugaussian_Pinv(u);
    case LC_DIST_LOGNORMAL:
        return exp(d->mu + d->sigma * gsl_cdf_ugaussian_Pinv(u));
    case LC_DIST_TRIANGULAR: {
        double a = d->lo, c = d->mode, b = d->hi;
        double fc = (c - a) / (b - a);
        if (u < fc)
            return a + sqrt(u * (b - a) * (c - a));
        return b - sqrt((1.0 - u) * (b - a) * (b - c));
    }
    case LC_DIST_PERT: {
        double t;
        if (u <= 0.0)
            return d->lo;
        if (u >= 1.0)
            return d->hi;
        t = gsl_cdf_beta_Pinv(u, d->alpha, d->beta);
        /* GSL may return NaN when its Newton refinement fails at extreme u. */
        if (!isfinite(t))
            t = u < 0.5 ? 0.0 : 1.0;
        return d->lo + (d->hi - d->lo) * clamp(t, 0.0, 1.0);
    }
    case LC_DIST_DISCRETE:
        return d->values[discrete_index(d, u)];
    }
    return NAN;
}

static double quantile(const lc_dist *d, double u)
{
    double x;

    if (!(u >= U_MIN)) /* also catches NaN */
        u = U_MIN;
    else if (u > 1.0 - U_MIN)
        u = 1.0 - U_MIN;
    if (!d->truncated)
        return raw_quantile(d, u);
    x = raw_quantile(d, d->umin + u * (d->umax - d->umin));
    return clamp(x, d->tmin, d->tmax);
}

double lc_dist_quantile(const lc_dist *d, double u)
{
    double x = quantile(d, u);
    return d->whole ? round(x) : x;
}

double lc_dist_cdf(const lc_dist *d, double x)
{
    double p = raw_cdf(d, x);

    if (!d->truncated)
        return p;
    if (x < d->tmin)
        return 0.0;
    if (x >= d->tmax)
        return 1.0;
    return clamp((p - d->umin) / (d->umax - d->umin), 0.0, 1.0);
}

static void sample(const lc_dist *d, gsl_rng *r, double *out, size_t n);

void lc_dist_sample(const lc_dist *d, gsl_rng *r, double *out, size_t n)
{
    size_t i;
    sample(d, r, out, n);
    if (d->whole)
        for (i = 0; i < n; i++)
            out[i] = round(out[i]);
}

static void sample(const lc_dist *d, gsl_rng *r, double *out, size_t n)
{
    size_t i;

    if (cuts(d) && d->kind != LC_DIST_TRIANGULAR && d->kind != LC_DIST_DISCRETE &&
        d->umax - d->umin > 0.999) {
        /* A cut that removes almost nothing (a normal of mean 13M and sd 1M
         * cut at 0): draw directly and redraw the rare value outside, which
         * is the same law, instead of the slower inverse CDF. */
        lc_dist whole = *d;
        whole.truncated = 0;
        for (i = 0; i < n; i++) {
            double x;
            do
                sample(&whole, r, &x, 1);
            while (!(x >= d->tmin && x <= d->tmax));
            out[i] = x;
        }
        return;
    }
    if (cuts(d) || d->kind == LC_DIST_TRIANGULAR || d->kind == LC_DIST_DISCRETE) {
        for (i = 0; i < n; i++)
            out[i] = quantile(d, gsl_rng_uniform_pos(r));
        return;
    }
    switch (d->kind) {
    case LC_DIST_FIXED:
        for (i = 0; i < n; i++)
            out[i] = d->lo;
        break;
    case LC_DIST_UNIFORM:
        for (i = 0; i < n; i++)
            out[i] = gsl_ran_flat(r, d->lo, d->hi);
        break;
    case LC_DIST_NORMAL:
        for (i = 0; i < n; i++)
            out[i] = d->mean_arg + gsl_ran_gaussian_ziggurat(r, d->sd_arg);
        break;
    case LC_DIST_LOGNORMAL:
        for (i = 0; i < n; i++)
            out[i] = exp(d->mu + d->sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
        break;
    case LC_DIST_PERT:
        for (i = 0; i < n; i++)
            out[i] = d->lo + (d->hi - d->lo) * gsl_ran_beta(r, d->alpha, d->beta);
        break;
    case LC_DIST_TRIANGULAR:
    case LC_DIST_DISCRETE:
        break; /* handled above */
    }
}

/* ---- summaries ---- */

static double quantile_fn(double u, void *params)
{
    return lc_dist_quantile(params, u);
}

/* E[X] = integral over (0,1) of Q(u) du; QAGS copes with the integrable
 * singularities of unbounded tails at u = 0 and 1. */
static int integrate_mean(lc_dist *d, double *mean)
{
    gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
    gsl_function f;
    double abserr;
    int status;

    if (w == NULL)
        return GSL_ENOMEM;
    f.function = quantile_fn;
    f.params = d;
    status = gsl_integration_qags(&f, 0.0, 1.0, 0.0, 1e-10, 200, w, mean, &abserr);
    /* Round-off limits are reached well below any precision we print. */
    if (status == GSL_EROUND && isfinite(*mean))
        status = GSL_SUCCESS;
    gsl_integration_workspace_free(w);
    return status;
}

static int summarize(lc_dist *d, lc_mark at, lc_error *err)
{
    int status;

    d->median = lc_dist_quantile(d, 0.5);
    if (!cuts(d)) {
        switch (d->kind) {
        case LC_DIST_FIXED:
            d->mean = d->lo;
            break;
        case LC_DIST_UNIFORM:
            d->mean = 0.5 * (d->lo + d->hi);
            break;
        case LC_DIST_NORMAL:
            d->mean = d->mean_arg;
            break;
        case LC_DIST_LOGNORMAL:
            d->mean = exp(d->mu + 0.5 * d->sigma * d->sigma);
            break;
        case LC_DIST_TRIANGULAR:
            d->mean = (d->lo + d->mode + d->hi) / 3.0;
            break;
        case LC_DIST_PERT:
            d->mean = (d->lo + 4.0 * d->mode + d->hi) / 6.0;
            break;
        case LC_DIST_DISCRETE:
            break; /* below */
        }
    } else if (d->kind == LC_DIST_UNIFORM) {
        d->mean = 0.5 * (fmax(d->lo, d->tmin) + fmin(d->hi, d->tmax));
    } else if (d->kind != LC_DIST_DISCRETE) {
        status = integrate_mean(d, &d->mean);
        if (status != GSL_SUCCESS)
            return lc_error_set(err, LC_ENUMERIC, at, "%s: cannot compute the mean: %s",
                                lc_dist_kind_name(d->kind), gsl_strerror(status));
    }
    if (d->kind == LC_DIST_DISCRETE) {
        double s = 0.0, prev = d->ilo > 0 ? d->cum[d->ilo - 1] : 0.0;
        size_t i;
        for (i = d->ilo; i <= d->ihi; i++) {
            s += d->values[i] * (d->cum[i] - prev);
            prev = d->cum[i];
        }
        d->mean = s / (d->umax - d->umin);
    }
    switch (d->kind) {
    case LC_DIST_UNIFORM:
    case LC_DIST_NORMAL:
        d->base = d->mean;
        break;
    case LC_DIST_TRIANGULAR:
    case LC_DIST_PERT:
        d->base = clamp(d->mode, d->tmin, d->tmax);
        break;
    case LC_DIST_FIXED:
    case LC_DIST_LOGNORMAL:
    case LC_DIST_DISCRETE:
        d->base = d->median;
        break;
    }
    return LC_OK;
}

double lc_dist_mean(const lc_dist *d)
{
    return d->mean;
}

double lc_dist_median(const lc_dist *d)
{
    return d->median;
}

double lc_dist_base(const lc_dist *d)
{
    return d->base;
}

/* ---- constructors ---- */

static int not_finite(lc_dist *d, const char *kind, lc_mark at, lc_error *err)
{
    reset(d, LC_DIST_FIXED);
    return lc_error_set(err, LC_EINPUT, at, "%s: parameters must be finite numbers", kind);
}

static int fail(lc_dist *d, int code)
{
    lc_dist_free(d);
    return code;
}

int lc_dist_fixed(lc_dist *d, double value, lc_mark at, lc_error *err)
{
    gsl_set_error_handler_off();
    if (!isfinite(value))
        return not_finite(d, "fixed", at, err);
    reset(d, LC_DIST_FIXED);
    d->lo = d->mode = d->hi = value;
    return summarize(d, at, err);
}

int lc_dist_uniform(lc_dist *d, double lo, double hi, lc_mark at, lc_error *err)
{
    gsl_set_error_handler_off();
    if (!isfinite(lo) || !isfinite(hi))
        return not_finite(d, "uniform", at, err);
    reset(d, LC_DIST_FIXED);
    if (!(lo < hi))
        return lc_error_set(err, LC_EINPUT, at, "uniform: lo must be below hi (lo = %g, hi = %g)",
                            lo, hi);
    d->kind = LC_DIST_UNIFORM;
    d->lo = lo;
    d->hi = hi;
    d->mode = 0.5 * (lo + hi);
    return summarize(d, at, err);
}

int lc_dist_normal(lc_dist *d, double mean, double sd, lc_mark at, lc_error *err)
{
    gsl_set_error_handler_off();
    if (!isfinite(mean) || !isfinite(sd))
        return not_finite(d, "normal", at, err);
    reset(d, LC_DIST_FIXED);
    if (!(sd > 0.0))
        return lc_error_set(err, LC_EINPUT, at, "normal: sd must be positive (sd = %g)", sd);
    d->kind = LC_DIST_NORMAL;
    d->mean_arg = mean;
    d->sd_arg = sd;
    d->mode = mean;
    return summarize(d, at, err);
}

int lc_dist_lognormal(lc_dist *d, double lo, double hi, lc_mark at, lc_error *err)
{
    gsl_set_error_handler_off();
    if (!isfinite(lo) || !isfinite(hi))
        return not_finite(d, "lognormal", at, err);
    reset(d, LC_DIST_FIXED);
    if (!(lo > 0.0 && lo < hi))
        return lc_error_set(err, LC_EINPUT, at,
                            "lognormal needs 0 < lo < hi (lo = %g, hi = %g are its 5th and "
                            "95th percentiles)",
                            lo, hi);
    d->kind = LC_DIST_LOGNORMAL;
    d->lo = lo;
    d->hi = hi;
    d->mu = 0.5 * (log(lo) + log(hi));
    d->sigma = (log(hi) - log(lo)) / (2.0 * Z95);
    d->mode = exp(d->mu - d->sigma * d->sigma);
    return summarize(d, at, err);
}

/* Shared by triangular and PERT. */
static int check_lmh(lc_dist *d, const char *kind, double lo, double mode, double hi, lc_mark at,
                     lc_error *err)
{
    gsl_set_error_handler_off();
    if (!isfinite(lo) || !isfinite(mode) || !isfinite(hi))
        return not_finite(d, kind, at, err);
    reset(d, LC_DIST_FIXED);
    if (!(lo < hi))
        return lc_error_set(err, LC_EINPUT, at, "%s: lo must be below hi (lo = %g, hi = %g)", kind,
                            lo, hi);
    if (!(mode >= lo && mode <= hi))
        return lc_error_set(err, LC_EINPUT, at,
                            "%s: mode must be between lo and hi (lo = %g, mode = %g, hi = %g)",
                            kind, lo, mode, hi);
    d->lo = lo;
    d->mode = mode;
    d->hi = hi;
    return LC_OK;
}

int lc_dist_triangular(lc_dist *d, double lo, double mode, double hi, lc_mark at, lc_error *err)
{
    int rc = check_lmh(d, "triangular", lo, mode, hi, at, err);
    if (rc != LC_OK)
        return rc;
    d->kind = LC_DIST_TRIANGULAR;
    return summarize(d, at, err);
}

int lc_dist_pert(lc_dist *d, double lo, double mode, double hi, lc_mark at, lc_error *err)
{
    int rc = check_lmh(d, "PERT", lo, mode, hi, at, err);
    if (rc != LC_OK)
        return rc;
    d->kind = LC_DIST_PERT;
    d->alpha = 1.0 + 4.0 * (mode - lo) / (hi - lo);
    d->beta = 1.0 + 4.0 * (hi - mode) / (hi - lo);
    return summarize(d, at, err);
}

typedef struct pair {
    double v, w;
} pair;

static int by_value(const void *a, const void *b)
{
    double x = ((const pair *)a)->v, y = ((const pair *)b)->v;
    return (x > y) - (x < y);
}

int lc_dist_discrete(lc_dist *d, const double *values, const double *weights, size_t n, lc_mark at,
                     lc_error *err)
{
    pair *p = NULL;
    double total = 0.0, run = 0.0;
    size_t i;
    int rc;

    gsl_set_error_handler_off();
    reset(d, LC_DIST_FIXED);
    if (n == 0)
        return lc_error_set(err, LC_EINPUT, at, "discrete: needs at least one value");
    if (n > LC_DIST_DISCRETE_MAX)
        return lc_error_set(err, LC_EINPUT, at, "discrete: at most %d values (got %zu)",
                            LC_DIST_DISCRETE_MAX, n);
    for (i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1.0;
        if (!isfinite(values[i]))
            return lc_error_set(err, LC_EINPUT, at, "discrete: value %zu is not a finite number",
                                i + 1);
        if (!(w > 0.0) || !isfinite(w))
            return lc_error_set(err, LC_EINPUT, at,
                                "discrete: weights must be positive (weight %zu is %g)", i + 1, w);
        total += w;
    }
    if (!isfinite(total))
        return lc_error_set(err, LC_EINPUT, at, "discrete: the weights' sum is not finite");
    p = malloc(n * sizeof *p);
    d->values = malloc(n * sizeof *d->values);
    d->cum = malloc(n * sizeof *d->cum);
    if (p == NULL || d->values == NULL || d->cum == NULL) {
        rc = lc_error_nomem(err);
        goto fail;
    }
    for (i = 0; i < n; i++) {
        p[i].v = values[i];
        p[i].w = weights ? weights[i] : 1.0;
    }
    qsort(p, n, sizeof *p, by_value);
    for (i = 0; i < n; i++) {
        run += p[i].w;
        d->values[i] = p[i].v;
        d->cum[i] = run / total;
    }
    d->cum[n - 1] = 1.0; /* so every u <= 1 finds a value */
    free(p);
    p = NULL;
    d->kind = LC_DIST_DISCRETE;
    d->n = n;
    d->ilo = 0;
    d->ihi = n - 1;
    d->lo = d->values[0];
    d->hi = d->values[n - 1];
    rc = summarize(d, at, err);
    if (rc != LC_OK)
        goto fail;
    return LC_OK;
fail:
    free(p);
    return fail(d, rc);
}

int lc_dist_truncate(lc_dist *d, double min, double max, lc_mark at, lc_error *err)
{
    lc_dist t = *d; /* shares the discrete arrays, which are not changed */
    double umin, umax;
    int rc;

    gsl_set_error_handler_off();
    if (isnan(min) || isnan(max))
        return lc_error_set(err, LC_EINPUT, at, "truncation bounds must be numbers");
    if (!(min <= max))
        return lc_error_set(err, LC_EINPUT, at,
                            "truncation: min must not be above max (min = %g, max = %g)", min, max);
    min = fmax(min, t.tmin);
    max = fmin(max, t.tmax);
    if (t.kind == LC_DIST_FIXED) {
        if (t.lo < min || t.lo > max)
            return lc_error_set(err, LC_EINPUT, at,
                                "truncation to [%g, %g] excludes the fixed value %g", min, max,
                                t.lo);
    } else if (t.kind == LC_DIST_DISCRETE) {
        size_t ilo = 0, ihi = t.n; /* values in [ilo, ihi) lie in [min, max] */
        while (ilo < t.n && t.values[ilo] < min)
            ilo++;
        while (ihi > ilo && t.values[ihi - 1] > max)
            ihi--;
        if (ilo == ihi)
            return lc_error_set(err, LC_EINPUT, at,
                                "truncation to [%g, %g] excludes every value of the discrete "
                                "distribution",
                                min, max);
        t.ilo = ilo;
        t.ihi = ihi - 1;
        t.umin = ilo > 0 ? t.cum[ilo - 1] : 0.0;
        t.umax = t.cum[ihi - 1];
    } else {
        umin = raw_cdf(&t, min);
        umax = raw_cdf(&t, max);
        if (!(umax > umin))
            return lc_error_set(err, LC_EINPUT, at,
                                "truncation to [%g, %g] leaves no probability in the %s "
                                "distribution",
                                min, max, lc_dist_kind_name(t.kind));
        t.umin = umin;
        t.umax = umax;
    }
    t.truncated = 1;
    t.tmin = min;
    t.tmax = max;
    rc = summarize(&t, at, err);
    if (rc != LC_OK)
        return rc;
    *d = t;
    return LC_OK;
}

void lc_dist_make_whole(lc_dist *d)
{
    d->whole = 1;
    d->median = round(d->median);
    d->base = round(d->base);
}

void lc_dist_support(const lc_dist *d, double *lo, double *hi)
{
    double a = -INFINITY, b = INFINITY;
    switch (d->kind) {
    case LC_DIST_FIXED:
    case LC_DIST_UNIFORM:
    case LC_DIST_TRIANGULAR:
    case LC_DIST_PERT:
        a = d->lo;
        b = d->hi;
        break;
    case LC_DIST_DISCRETE:
        a = d->values[d->ilo];
        b = d->values[d->ihi];
        break;
    case LC_DIST_LOGNORMAL:
        a = 0;
        break;
    case LC_DIST_NORMAL:
        break;
    }
    *lo = fmax(a, d->tmin);
    *hi = fmin(b, d->tmax);
}

int lc_dist_contains(const lc_dist *d, double x)
{
    double lo, hi, tol = 1e-12 * fabs(x);
    size_t i;
    lc_dist_support(d, &lo, &hi);
    if (!(x >= lo - tol && x <= hi + tol))
        return 0;
    if (d->kind != LC_DIST_DISCRETE)
        return 1;
    for (i = d->ilo; i <= d->ihi; i++)
        if (fabs(d->values[i] - x) <= tol)
            return 1;
    return 0;
}

void lc_dist_free(lc_dist *d)
{
    if (d == NULL)
        return;
    free(d->values);
    free(d->cum);
    reset(d, LC_DIST_FIXED);
}

int lc_dist_copy(lc_dist *dst, const lc_dist *src, lc_error *err)
{
    *dst = *src;
    if (src->kind != LC_DIST_DISCRETE)
        return LC_OK;
    dst->values = malloc(src->n * sizeof *dst->values);
    dst->cum = malloc(src->n * sizeof *dst->cum);
    if (dst->values == NULL || dst->cum == NULL) {
        free(dst->values);
        free(dst->cum);
        reset(dst, LC_DIST_FIXED);
        return lc_error_nomem(err);
    }
    memcpy(dst->values, src->values, src->n * sizeof *dst->values);
    memcpy(dst->cum, src->cum, src->n * sizeof *dst->cum);
    return LC_OK;
}

char *lc_dist_describe(const lc_dist *d)
{
    return lc_dist_describe_in(d, 1.0, "");
}

char *lc_dist_describe_in(const lc_dist *d, double scale, const char *unit)
{
    const char *sp = unit[0] ? " " : "";
    lc_sbuf b = {0};

    switch (d->kind) {
    case LC_DIST_FIXED:
        lc_sb_printf(&b, "fixed at %g", d->lo / scale);
        break;
    case LC_DIST_UNIFORM:
        lc_sb_printf(&b, "uniform in [%g, %g]", d->lo / scale, d->hi / scale);
        break;
    case LC_DIST_NORMAL:
        lc_sb_printf(&b, "normal, mean %g, sd %g", d->mean_arg / scale, d->sd_arg / scale);
        break;
    case LC_DIST_LOGNORMAL:
        lc_sb_printf(&b, "lognormal, 90%% in [%g, %g]", d->lo / scale, d->hi / scale);
        break;
    case LC_DIST_TRIANGULAR:
        lc_sb_printf(&b, "triangular, min %g, mode %g, max %g", d->lo / scale, d->mode / scale,
                     d->hi / scale);
        break;
    case LC_DIST_PERT:
        lc_sb_printf(&b, "PERT, min %g, mode %g, max %g", d->lo / scale, d->mode / scale,
                     d->hi / scale);
        break;
    case LC_DIST_DISCRETE:
        lc_sb_printf(&b, "discrete, %zu value%s in [%g, %g]", d->n, d->n == 1 ? "" : "s",
                     d->lo / scale, d->hi / scale);
        break;
    default:
        lc_sb_puts(&b, "unknown distribution");
        return lc_sb_take(&b);
    }
    lc_sb_printf(&b, "%s%s", sp, unit);
    if (d->truncated)
        lc_sb_printf(&b, ", truncated to [%g, %g]", d->tmin / scale, d->tmax / scale);
    return lc_sb_take(&b);
}
