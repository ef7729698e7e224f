/* test_mc.c — Monte Carlo driver: statistics, reproducibility across threads,
 * sampling methods, non-finite outputs, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "lc_mc.h"

#define NONE lc_mark_none()

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

/* ---- test evaluators ---- */

static void *ws_alloc(void *ctx)
{
    (void)ctx;
    return malloc(64); /* checks that every workspace is freed */
}

static void ws_free(void *ws)
{
    free(ws);
}

/* y0 = 2 x1 + 3 x2, y1 = x1 */
static int linear_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i;
    (void)ctx;
    /* No cmocka asserts here: this runs on worker threads. */
    if (ws == NULL || n < 1 || n > LC_BLOCK)
        return LC_EUSAGE;
    for (i = 0; i < n; i++) {
        out[0][i] = 2.0 * in[0][i] + 3.0 * in[1][i];
        out[1][i] = in[0][i];
    }
    return LC_OK;
}

static const lc_evaluator linear = {2, 2, NULL, ws_alloc, ws_free, linear_eval};

/* A smooth, mostly additive function of three inputs on [0,1]:
 * y = exp(x1) + x2^2 + 0.2 x1 x3, mean (e - 1) + 1/3 + 0.05. */
static int smooth_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++)
        out[0][i] = exp(in[0][i]) + in[1][i] * in[1][i] + 0.2 * in[0][i] * in[2][i];
    return LC_OK;
}

static const lc_evaluator smooth = {3, 1, NULL, NULL, NULL, smooth_eval};
#define SMOOTH_MEAN (2.718281828459045 - 1.0 + 1.0 / 3.0 + 0.05)

/* NaN when x < 0.1, +Inf when x > 0.95, x otherwise; reports LC_ENUMERIC. */
static int holes_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i;
    int rc = LC_OK;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++) {
        double x = in[0][i];
        out[0][i] = x < 0.1 ? NAN : x > 0.95 ? INFINITY : x;
        if (!isfinite(out[0][i]))
            rc = LC_ENUMERIC;
    }
    return rc;
}

static const lc_evaluator holes = {1, 1, NULL, NULL, NULL, holes_eval};

static int failing_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    (void)ctx;
    (void)ws;
    (void)in;
    (void)out;
    (void)n;
    return LC_EINPUT;
}

static const lc_evaluator failing = {1, 1, NULL, NULL, NULL, failing_eval};

static void uniforms(lc_dist *d, size_t k)
{
    lc_error err;
    size_t j;
    lc_error_clear(&err);
    for (j = 0; j < k; j++)
        assert_int_equal(lc_dist_uniform(&d[j], 0.0, 1.0, NONE, &err), LC_OK);
}

static lc_mc_result *run(const lc_evaluator *ev, const lc_dist *d, lc_mc_opts *o)
{
    lc_mc_result *r = NULL;
    lc_error err;
    lc_error_clear(&err);
    if (lc_mc_run(ev, d, o, &r, &err) != LC_OK)
        fail_msg("lc_mc_run: %s", err.msg);
    assert_non_null(r);
    return r;
}

/* ---- tests ---- */

static void test_linear_moments(void **state)
{
    const size_t keep[] = {0, 1};
    const lc_mc_threshold th[] = {{1, 0.8}, {0, 2.5}};
    lc_dist d[2];
    lc_mc_opts o;
    lc_mc_result *r;
    const lc_mc_summary *s;
    const double n = 100000.0, sd = sqrt(13.0 / 12.0);
    size_t i, total;
    (void)state;
    uniforms(d, 2);
    lc_mc_opts_init(&o);
    o.n = 100000;
    o.seed = 2024;
    o.keep = keep;
    o.n_keep = 2;
    o.exceed = th;
    o.n_exceed = 2;
    o.nbins = 10;
    r = run(&linear, d, &o);
    /* y = 2 U1 + 3 U2: mean 2.5, variance (4 + 9) / 12. */
    s = lc_mc_summary_of(r, 0);
    assert_non_null(s);
    assert_int_equal(s->n_finite, 100000);
    assert_close(s->mean, 2.5, 4.0 * sd / sqrt(n));
    assert_close(s->sd, sd, 4.0 * sd / sqrt(2.0 * n));
    assert_true(s->min >= 0.0 && s->max <= 5.0);
    /* x1 ~ U(0,1): percentile p is p; its sd is sqrt(p (1 - p) / n). */
    s = lc_mc_summary_of(r, 1);
    assert_int_equal(r->n_probs, 5);
    for (i = 0; i < 5; i++) {
        double p = r->probs[i];
        assert_close(s->pct[i], p, 4.0 * sqrt(p * (1.0 - p) / n));
    }
    /* P(x1 > 0.8) = 0.2; P(y > 2.5) = 0.5 by symmetry. */
    assert_close(r->exceed[0], 0.2, 4.0 * sqrt(0.16 / n));
    assert_close(r->exceed[1], 0.5, 4.0 * sqrt(0.25 / n));
    /* Histogram over [P0.5, P99.5] ~ [0.005, 0.995]: 10 bins of ~9900. */
    assert_close(s->hist_lo, 0.005, 0.002);
    assert_close(s->hist_hi, 0.995, 0.002);
    total = s->below + s->above;
    for (i = 0; i < 10; i++) {
        assert_close((double)s->hist[i], 9900.0, 4.0 * sqrt(9900.0));
        total += s->hist[i];
    }
    assert_int_equal(total, 100000);
    assert_close((double)s->below, 500.0, 4.0 * sqrt(500.0));
    assert_null(lc_mc_output(r, 5));
    lc_mc_result_free(r);
}

/* The summaries' percentiles equal those of a full sort. */
static void test_percentiles_match_sort(void **state)
{
    const size_t keep[] = {0};
    const double probs[] = {0.999, 0.0, 0.5, 0.01, 1.0, 0.333};
    double pct[6];
    lc_dist d[2];
    lc_mc_opts o;
    lc_mc_result *r;
    lc_error err;
    double *x;
    size_t i;
    (void)state;
    uniforms(d, 2);
    lc_mc_opts_init(&o);
    o.n = 7777;
    o.keep = keep;
    o.n_keep = 1;
    o.probs = probs;
    o.n_probs = 6;
    r = run(&linear, d, &o);
    x = malloc(o.n * sizeof *x);
    assert_non_null(x);
    memcpy(x, lc_mc_output(r, 0), o.n * sizeof *x);
    gsl_sort(x, 1, o.n);
    for (i = 0; i < 6; i++)
        assert_true(r->sum[0].pct[i] == gsl_stats_quantile_from_sorted_data(x, 1, o.n, probs[i]));
    /* The stand-alone function too, with repeated values. */
    for (i = 0; i < o.n; i++)
        x[i] = floor(x[i] * 3.0);
    lc_error_clear(&err);
    assert_int_equal(lc_mc_percentiles(x, o.n, probs, 6, pct, &err), LC_OK);
    gsl_sort(x, 1, o.n);
    for (i = 0; i < 6; i++)
        assert_true(pct[i] == gsl_stats_quantile_from_sorted_data(x, 1, o.n, probs[i]));
    free(x);
    lc_mc_result_free(r);
}

/* Same seed: bit-identical outputs for 1, 2 and 8 threads, every method. */
static void test_threads_bit_identical(void **state)
{
    const size_t keep[] = {0, 1};
    const lc_mc_method methods[] = {LC_MC_RANDOM, LC_MC_LHS, LC_MC_SOBOL};
    const unsigned threads[] = {2, 8};
    lc_dist d[2];
    lc_error err;
    size_t mi, ti;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_normal(&d[0], 1.0, 0.5, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_lognormal(&d[1], 1.0, 10.0, NONE, &err), LC_OK);
    for (mi = 0; mi < 3; mi++) {
        lc_mc_opts o;
        lc_mc_result *one;
        lc_mc_opts_init(&o);
        o.n = 10000; /* 39 full blocks and one of 16 */
        o.seed = 77;
        o.method = methods[mi];
        o.keep = keep;
        o.n_keep = 2;
        o.threads = 1;
        one = run(&linear, d, &o);
        /* y1 = x1 ~ N(1, 0.5): the Ziggurat draws on this module's generator,
         * and the quantile for lhs and sobol, give the right moments. */
        assert_close(one->sum[1].mean, 1.0, 4.0 * 0.5 / 100.0);
        assert_close(one->sum[1].sd, 0.5, 4.0 * 0.5 / sqrt(20000.0));
        for (ti = 0; ti < 2; ti++) {
            lc_mc_result *many;
            o.threads = threads[ti];
            many = run(&linear, d, &o);
            assert_memory_equal(one->y, many->y, 2 * o.n * sizeof(double));
            assert_memory_equal(&one->sum[0].mean, &many->sum[0].mean, sizeof(double));
            assert_memory_equal(one->sum[1].pct, many->sum[1].pct, 5 * sizeof(double));
            lc_mc_result_free(many);
        }
        lc_mc_result_free(one);
    }
}

static void test_seeds(void **state)
{
    const size_t keep[] = {0};
    const lc_mc_method methods[] = {LC_MC_RANDOM, LC_MC_LHS};
    lc_dist d[2];
    size_t mi;
    (void)state;
    uniforms(d, 2);
    for (mi = 0; mi < 2; mi++) {
        lc_mc_opts o;
        lc_mc_result *a, *b, *c;
        lc_mc_opts_init(&o);
        o.n = 3000;
        o.method = methods[mi];
        o.keep = keep;
        o.n_keep = 1;
        o.seed = 5;
        a = run(&linear, d, &o);
        b = run(&linear, d, &o);
        o.seed = 6;
        c = run(&linear, d, &o);
        assert_memory_equal(a->y, b->y, o.n * sizeof(double));
        assert_memory_not_equal(a->y, c->y, o.n * sizeof(double));
        assert_true(a->sum[0].mean != c->sum[0].mean);
        lc_mc_result_free(a);
        lc_mc_result_free(b);
        lc_mc_result_free(c);
    }
}

/* LHS and Sobol estimate the mean of a smooth function much better than
 * random sampling at N = 4096.  Random: sd 0.72, standard error 0.011;
 * LHS leaves only the interaction 0.2 (x1 - 1/2)(x3 - 1/2) (sd 0.017), error
 * ~3e-4; Sobol's error is O(log(N)^3 / N).  RMS over 16 seeds each. */
static void test_methods_converge(void **state)
{
    const size_t keep[] = {0};
    lc_dist d[3];
    lc_mc_opts o;
    lc_mc_result *r;
    double se_rand = 0.0, se_lhs = 0.0, e_sobol;
    uint64_t seed;
    (void)state;
    uniforms(d, 3);
    lc_mc_opts_init(&o);
    o.n = 4096;
    o.keep = keep;
    o.n_keep = 1;
    o.nbins = 0;
    for (seed = 1; seed <= 16; seed++) {
        double e;
        o.seed = seed;
        o.method = LC_MC_RANDOM;
        r = run(&smooth, d, &o);
        e = r->sum[0].mean - SMOOTH_MEAN;
        se_rand += e * e / 16.0;
        lc_mc_result_free(r);
        o.method = LC_MC_LHS;
        r = run(&smooth, d, &o);
        e = r->sum[0].mean - SMOOTH_MEAN;
        se_lhs += e * e / 16.0;
        lc_mc_result_free(r);
    }
    o.method = LC_MC_SOBOL;
    r = run(&smooth, d, &o);
    e_sobol = fabs(r->sum[0].mean - SMOOTH_MEAN);
    lc_mc_result_free(r);
    print_message("rms error: random %.3g, lhs %.3g; sobol error %.3g\n", sqrt(se_rand),
                  sqrt(se_lhs), e_sobol);
    assert_true(sqrt(se_rand) > 0.005); /* random behaves as random */
    assert_true(sqrt(se_lhs) * 5.0 < sqrt(se_rand));
    assert_true(e_sobol * 10.0 < sqrt(se_rand));
}

/* N not a multiple of the block size, and N = 1. */
static void test_partial_blocks(void **state)
{
    const size_t keep[] = {1};
    const size_t sizes[] = {1, 255, 257, 1000};
    lc_dist d[2];
    size_t si, i;
    (void)state;
    uniforms(d, 2);
    for (si = 0; si < 4; si++) {
        lc_mc_opts o;
        lc_mc_result *r;
        const double *y;
        lc_mc_opts_init(&o);
        o.n = sizes[si];
        o.keep = keep;
        o.n_keep = 1;
        o.threads = 3;
        o.method = si % 2 ? LC_MC_LHS : LC_MC_SOBOL;
        r = run(&linear, d, &o);
        y = lc_mc_output(r, 1);
        assert_non_null(y);
        for (i = 0; i < o.n; i++)
            assert_true(y[i] > 0.0 && y[i] < 1.0);
        assert_int_equal(r->sum[0].n_finite, o.n);
        if (o.n == 1)
            assert_true(isnan(r->sum[0].sd) && r->sum[0].pct[2] == y[0]);
        lc_mc_result_free(r);
    }
}

static void test_nonfinite(void **state)
{
    const size_t keep[] = {0};
    const double n = 20000.0;
    lc_dist d[1];
    lc_mc_opts o;
    lc_mc_result *r;
    const lc_mc_summary *s;
    (void)state;
    uniforms(d, 1);
    lc_mc_opts_init(&o);
    o.n = 20000;
    o.keep = keep;
    o.n_keep = 1;
    o.threads = 2;
    r = run(&holes, d, &o);
    s = &r->sum[0];
    /* 10% NaN, 5% +Inf; the rest is U(0.1, 0.95) with median 0.525. */
    assert_close((double)s->n_nan, 0.10 * n, 4.0 * sqrt(0.09 * n));
    assert_close((double)s->n_inf, 0.05 * n, 4.0 * sqrt(0.0475 * n));
    assert_int_equal(s->n_nan + s->n_inf + s->n_finite, 20000);
    assert_true(isfinite(s->mean) && isfinite(s->pct[0]) && isfinite(s->pct[4]));
    assert_close(s->pct[2], 0.525, 0.01);
    assert_true(s->min >= 0.1 && s->max <= 0.95);
    lc_mc_result_free(r);
}

typedef struct progress_log {
    size_t calls, last_done, total;
    int backwards;
} progress_log;

static void on_progress(void *user, size_t done, size_t total)
{
    progress_log *p = user;
    if (done < p->last_done)
        p->backwards = 1;
    p->calls++;
    p->last_done = done;
    p->total = total;
}

static void test_progress(void **state)
{
    const size_t keep[] = {0};
    lc_dist d[2];
    lc_mc_opts o;
    lc_mc_result *r;
    progress_log log = {0, 0, 0, 0};
    (void)state;
    uniforms(d, 2);
    lc_mc_opts_init(&o);
    o.n = 5000;
    o.keep = keep;
    o.n_keep = 1;
    o.threads = 2;
    o.progress = on_progress;
    o.progress_user = &log;
    r = run(&linear, d, &o);
    assert_true(log.calls >= 1);
    assert_false(log.backwards);
    assert_int_equal(log.last_done, 5000);
    assert_int_equal(log.total, 5000);
    lc_mc_result_free(r);
}

static void expect_fail(const lc_evaluator *ev, const lc_dist *d, const lc_mc_opts *o, int code,
                        const char *text)
{
    lc_mc_result *r = (lc_mc_result *)1;
    lc_error err;
    lc_error_clear(&err);
    assert_int_equal(lc_mc_run(ev, d, o, &r, &err), code);
    assert_null(r);
    if (strstr(err.msg, text) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.msg, text);
}

static int wide_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    (void)ctx;
    (void)ws;
    memcpy(out[0], in[0], n * sizeof(double));
    return LC_OK;
}

static void test_errors(void **state)
{
    const size_t keep[] = {0};
    const size_t bad_keep[] = {3};
    const lc_mc_threshold th[] = {{1, 1.0}};
    const double bad_probs[] = {0.5, 1.5};
    lc_evaluator wide = {41, 1, NULL, NULL, NULL, wide_eval};
    lc_dist d[41];
    lc_mc_opts o;
    lc_error err;
    lc_mc_method m;
    (void)state;
    uniforms(d, 41);
    lc_mc_opts_init(&o);
    o.n = 100;
    o.keep = keep;
    o.n_keep = 1;
    o.method = LC_MC_SOBOL;
    expect_fail(&wide, d, &o, LC_EINPUT, "at most 40 uncertain inputs");
    /* 40 is fine. */
    wide.n_in = 40;
    lc_mc_result_free(run(&wide, d, &o));
    wide.n_in = 41;
    o.method = LC_MC_RANDOM;
    expect_fail(&failing, d, &o, LC_EINPUT, "the model failed");
    o.keep = bad_keep;
    expect_fail(&linear, d, &o, LC_EINPUT, "metric 3 does not exist");
    o.keep = keep;
    o.exceed = th;
    o.n_exceed = 1;
    expect_fail(&linear, d, &o, LC_EINPUT, "not kept");
    o.n_exceed = 0;
    o.probs = bad_probs;
    o.n_probs = 2;
    expect_fail(&linear, d, &o, LC_EINPUT, "outside 0..100");
    o.probs = NULL;
    o.n = 0;
    expect_fail(&linear, d, &o, LC_EINPUT, "at least 1");
    lc_error_clear(&err);
    assert_int_equal(lc_mc_method_parse("lhs", &m, &err), LC_OK);
    assert_int_equal(m, LC_MC_LHS);
    assert_string_equal(lc_mc_method_name(m), "lhs");
    assert_int_equal(lc_mc_method_parse("quasi", &m, &err), LC_EUSAGE);
    lc_mc_result_free(NULL);
}

/* ---- a data set known exactly: 0, 1, ..., N-1 ---- */

/* Latin hypercube sampling of U(0, 1) over N points puts exactly one point
 * in each stratum [i/N, (i+1)/N), so floor(N x) runs over 0..N-1 once each
 * (the test checks it).  From that v the evaluator makes outputs whose
 * percentiles are worked out by hand below. */
#define KNOWN_N 100000
static int known_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++) {
        double v = floor(in[0][i] * KNOWN_N);
        long digit = (long)v % 10;
        out[0][i] = v;
        /* last digit 0: NaN, 1: +Inf, 2: -Inf */
        out[1][i] = digit == 0 ? NAN : digit == 1 ? INFINITY : digit == 2 ? -INFINITY : v;
        out[2][i] = 1.0 + v * 0x1p-30;  /* all in one sketch bin, 1e5 distinct values */
        out[3][i] = floor(v / 25000.0); /* 0, 1, 2, 3, 25000 times each */
        out[4][i] = -v;
    }
    return LC_OK;
}

static const lc_evaluator known = {1, 5, NULL, NULL, NULL, known_eval};

static lc_mc_result *run_known(int stream, unsigned threads)
{
    static const size_t keep[] = {0, 1, 2, 3, 4};
    /* P(v > 89999.5) = 10000 / 1e5; P(out1 > 50000) worked out in test_known_exact */
    static const lc_mc_threshold th[] = {{0, 89999.5}, {1, 50000.0}};
    lc_dist d[1];
    lc_mc_opts o;
    uniforms(d, 1);
    lc_mc_opts_init(&o);
    o.n = KNOWN_N;
    o.seed = 11;
    o.method = LC_MC_LHS;
    o.keep = keep;
    o.n_keep = 5;
    o.exceed = th;
    o.n_exceed = 2;
    o.threads = threads;
    o.stream = stream;
    return run(&known, d, &o);
}

/* Old summaries (before the one-pass rewrite): gsl_stats_mean and
 * gsl_stats_sd_m over the finite values, percentiles by lc_mc_percentiles
 * (selection, unchanged), histogram by gsl_histogram_increment. */
static void check_against_old(const lc_mc_result *r, size_t j)
{
    const lc_mc_summary *s = &r->sum[j];
    const double *y = lc_mc_output(r, j);
    double *x = malloc(r->n * sizeof *x), pct[8], mean, sd;
    gsl_histogram *h = gsl_histogram_alloc(r->nbins);
    size_t i, m = 0, below = 0, above = 0;
    lc_error err;
    assert_non_null(x);
    assert_non_null(h);
    for (i = 0; i < r->n; i++)
        if (isfinite(y[i]))
            x[m++] = y[i];
    assert_int_equal(m, s->n_finite);
    mean = gsl_stats_mean(x, 1, m);
    sd = gsl_stats_sd_m(x, 1, m, mean);
    /* one compensated pass against GSL's long-double running mean: a few ulps */
    assert_close(s->mean, mean, 1e-14 * (fabs(mean) + sd));
    assert_close(s->sd, sd, 1e-12 * sd + 1e-300);
    lc_error_clear(&err);
    assert_int_equal(lc_mc_percentiles(y, r->n, r->probs, r->n_probs, pct, &err), LC_OK);
    for (i = 0; i < r->n_probs; i++)
        if (memcmp(&pct[i], &s->pct[i], sizeof pct[i]) != 0)
            fail_msg("metric %zu P%g: %.17g, old %.17g", j, r->probs[i] * 100, s->pct[i], pct[i]);
    assert_int_equal(gsl_histogram_set_ranges_uniform(h, s->hist_lo, s->hist_hi), GSL_SUCCESS);
    for (i = 0; i < m; i++) {
        if (x[i] < s->hist_lo)
            below++;
        else if (x[i] > s->hist_hi)
            above++;
        else if (x[i] == s->hist_hi || gsl_histogram_increment(h, x[i]) != GSL_SUCCESS)
            h->bin[r->nbins - 1] += 1.0;
    }
    assert_int_equal(below, s->below);
    assert_int_equal(above, s->above);
    for (i = 0; i < r->nbins; i++)
        assert_int_equal((size_t)gsl_histogram_get(h, i), s->hist[i]);
    gsl_histogram_free(h);
    free(x);
}

static void test_known_exact(void **state)
{
    lc_mc_result *r;
    const lc_mc_summary *s;
    double *v;
    const double n = KNOWN_N;
    size_t i, j;
    (void)state;
    r = run_known(0, 2);
    assert_int_equal(r->streamed, 0);
    /* the data set is 0..N-1 exactly */
    v = malloc(KNOWN_N * sizeof *v);
    assert_non_null(v);
    memcpy(v, lc_mc_output(r, 0), KNOWN_N * sizeof *v);
    gsl_sort(v, 1, KNOWN_N);
    for (i = 0; i < KNOWN_N; i++)
        assert_true(v[i] == (double)i);
    free(v);

    /* v = 0..N-1: mean (N-1)/2 = 49999.5, variance N (N+1) / 12 (N-1
     * denominator) = 1e5 * 100001 / 12 = 833341666.7, sd 28867.66; percentile p is h =
     * (N-1) p itself (neighbours differ by 1): P5 4999.95, P25 24999.75,
     * P50 49999.5, P75 74999.25, P95 94999.05. */
    s = &r->sum[0];
    assert_int_equal(s->n_finite, KNOWN_N);
    assert_close(s->mean, 49999.5, 1e-9);
    assert_close(s->sd, sqrt(1e5 * 100001.0 / 12.0), 1e-9);
    assert_close(s->sd, 28867.66, 0.01);
    assert_true(s->min == 0.0 && s->max == 99999.0);
    assert_close(s->pct[0], 4999.95, 1e-9);
    assert_close(s->pct[1], 24999.75, 1e-9);
    assert_close(s->pct[2], 49999.5, 1e-9);
    assert_close(s->pct[3], 74999.25, 1e-9);
    assert_close(s->pct[4], 94999.05, 1e-9);
    for (i = 0; i < 5; i++)
        assert_true(s->pct_exact[i] == 1 && s->pct_rank_err[i] == 0.0);
    /* histogram over [P0.5, P99.5] = [499.995, 99499.005]: 0..499 below,
     * 99500..99999 above */
    assert_close(s->hist_lo, 499.995, 1e-9);
    assert_close(s->hist_hi, 99499.005, 1e-9);
    assert_int_equal(s->below, 500);
    assert_int_equal(s->above, 500);
    /* P(v > 89999.5): 90000..99999, 10000 of 1e5 */
    assert_true(r->exceed[0] == 0.1);

    /* out1: last digit 0 NaN, 1 +Inf, 2 -Inf: 10000 each, 70000 finite.
     * P(out1 > 50000) over the 90000 that are not NaN: finite ones above are
     * 50003..50009 (7) and 7 in each decade 50010..99999 (4999 decades,
     * 34993): 35000; with the 10000 +Inf, 45000 / 90000 = 0.5. */
    s = &r->sum[1];
    assert_int_equal(s->n_nan, 10000);
    assert_int_equal(s->n_inf, 20000);
    assert_int_equal(s->n_pos_inf, 10000);
    assert_int_equal(s->n_finite, 70000);
    assert_true(r->exceed[1] == 0.5);

    /* out2 = 1 + v 2^-30: the same percentiles, scaled, all from one crowded
     * bin (1e5 distinct values in [1, 1 + 2^-10)). */
    s = &r->sum[2];
    assert_close(s->pct[0], 1.0 + 4999.95 * 0x1p-30, 1e-15);
    assert_close(s->pct[4], 1.0 + 94999.05 * 0x1p-30, 1e-15);

    /* out3 = floor(v / 25000): x[24999] = 0, x[25000] = 1, so P25 = 0.25 * 0
     * + 0.75 * 1 = 0.75; P50 = 0.5 * 1 + 0.5 * 2 = 1.5 (h = 49999.5); P75 =
     * 0.75 * 2 + 0.25 * 3 = 2.25; P5 = 0 and P95 = 3 (both neighbours). */
    s = &r->sum[3];
    assert_true(s->pct[0] == 0.0);
    assert_true(s->pct[1] == 0.75);
    assert_true(s->pct[2] == 1.5);
    assert_true(s->pct[3] == 2.25);
    assert_true(s->pct[4] == 3.0);
    assert_close(s->mean, 1.5, 1e-15);

    /* out4 = -v: P5 = -(N-1) + 4999.95 = -94999.05, P95 = -4999.95 */
    s = &r->sum[4];
    assert_close(s->pct[0], -94999.05, 1e-9);
    assert_close(s->pct[4], -4999.95, 1e-9);
    assert_true(s->min == -99999.0 && s->max == 0.0);

    for (j = 0; j < 5; j++)
        check_against_old(r, j);
    (void)n;
    lc_mc_result_free(r);
}

/* Streaming: the same counts, moments and exceedances bit for bit; each
 * percentile within 2^-10 of its value and within its reported rank error. */
static void test_known_stream(void **state)
{
    lc_mc_result *ex, *st, *st1;
    size_t j, p, i;
    (void)state;
    ex = run_known(0, 2);
    st = run_known(1, 2);
    st1 = run_known(1, 1);
    assert_int_equal(st->streamed, 1);
    assert_null(lc_mc_output(st, 0));
    assert_memory_equal(ex->exceed, st->exceed, 2 * sizeof(double));
    for (j = 0; j < 5; j++) {
        const lc_mc_summary *a = &ex->sum[j], *b = &st->sum[j], *c = &st1->sum[j];
        const double *y = lc_mc_output(ex, j);
        assert_int_equal(a->n_finite, b->n_finite);
        assert_int_equal(a->n_nan, b->n_nan);
        assert_int_equal(a->n_inf, b->n_inf);
        assert_memory_equal(&a->mean, &b->mean, sizeof a->mean);
        assert_memory_equal(&a->sd, &b->sd, sizeof a->sd);
        assert_true(a->min == b->min && a->max == b->max);
        /* any thread count, the same sketch */
        assert_memory_equal(b->pct, c->pct, 5 * sizeof(double));
        assert_memory_equal(b->hist, c->hist, ex->nbins * sizeof(size_t));
        for (p = 0; p < 5; p++) {
            double est = b->pct[p], want = (double)(a->n_finite - 1) * ex->probs[p], off;
            size_t lt = 0, le = 0;
            assert_int_equal(b->pct_exact[p], 0);
            assert_true(b->pct_rank_err[p] > 0.0 && b->pct_rank_err[p] <= 1.0);
            if (fabs(est - a->pct[p]) > LC_MC_SKETCH_REL_ERR * fabs(a->pct[p]))
                fail_msg("metric %zu P%g: sketch %.17g, exact %.17g", j, ex->probs[p] * 100, est,
                         a->pct[p]);
            for (i = 0; i < ex->n; i++)
                if (isfinite(y[i])) { /* ranks are among the finite values */
                    lt += y[i] < est;
                    le += y[i] <= est;
                }
            off = want < (double)lt ? (double)lt - want : want > (double)le ? want - (double)le : 0;
            assert_true(off / (double)a->n_finite <=
                        b->pct_rank_err[p] + 1.0 / (double)a->n_finite);
        }
    }
    /* v = 0..N-1 is smooth: near P95 ~ 95000 2^-10 = 93 values a bin, under 0.1% */
    assert_true(st->sum[0].pct_rank_err[4] < 0.001);
    /* The sketch's histogram: the same total; bins within the spread of one
     * sketch bin's count (~97 values) of the exact ones. */
    for (i = 0; i < ex->nbins; i++)
        assert_close((double)st->sum[0].hist[i], (double)ex->sum[0].hist[i], 200.0);
    lc_mc_result_free(ex);
    lc_mc_result_free(st);
    lc_mc_result_free(st1);
}

/* Over the budget, Monte Carlo streams by itself. */
static void test_stream_budget(void **state)
{
    const size_t keep[] = {0};
    lc_dist d[2];
    lc_mc_opts o;
    lc_mc_result *r;
    (void)state;
    uniforms(d, 2);
    lc_mc_opts_init(&o);
    o.n = 1000;
    o.keep = keep;
    o.n_keep = 1;
    o.max_bytes = 8000; /* 1000 samples x 8 bytes: still exact */
    r = run(&linear, d, &o);
    assert_int_equal(r->streamed, 0);
    lc_mc_result_free(r);
    o.max_bytes = 7999;
    r = run(&linear, d, &o);
    assert_int_equal(r->streamed, 1);
    assert_null(r->y);
    /* y = 2 U1 + 3 U2 in (0, 5): P50 = 2.5 within sampling error (sd 1.04 / sqrt(1000)
     * x 1.25 for the median) and the sketch's 0.1% */
    assert_close(r->sum[0].pct[2], 2.5, 0.15);
    lc_mc_result_free(r);
}

static void test_exceed_fraction(void **state)
{
    /* +Inf above 1.5, -Inf and 1 below, NaN left out: 2 of 4 */
    const double y[] = {1.0, 2.0, NAN, INFINITY, -INFINITY};
    const double all_nan[] = {NAN, NAN};
    (void)state;
    assert_true(lc_mc_exceed_fraction(y, 5, 1.5) == 0.5);
    assert_true(isnan(lc_mc_exceed_fraction(all_nan, 2, 0.0)));
}

static void test_rng_streams(void **state)
{
    gsl_rng *a = lc_mc_rng_alloc(), *b = lc_mc_rng_alloc();
    double x[8], y[8];
    size_t i;
    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    lc_mc_rng_seed(a, 1, 0);
    lc_mc_rng_seed(b, 1, 0);
    for (i = 0; i < 8; i++) {
        x[i] = gsl_rng_uniform(a);
        y[i] = gsl_rng_uniform(b);
        assert_true(x[i] >= 0.0 && x[i] < 1.0);
    }
    assert_memory_equal(x, y, sizeof x);
    lc_mc_rng_seed(b, 1, 1);
    for (i = 0; i < 8; i++)
        y[i] = gsl_rng_uniform(b);
    assert_memory_not_equal(x, y, sizeof x);
    gsl_rng_free(a);
    gsl_rng_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_moments),
        cmocka_unit_test(test_percentiles_match_sort),
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_methods_converge),
        cmocka_unit_test(test_partial_blocks),
        cmocka_unit_test(test_nonfinite),
        cmocka_unit_test(test_progress),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_rng_streams),
        cmocka_unit_test(test_known_exact),
        cmocka_unit_test(test_known_stream),
        cmocka_unit_test(test_stream_budget),
        cmocka_unit_test(test_exceed_fraction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
