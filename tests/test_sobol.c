/* test_sobol.c — Sobol indices on the Ishigami function and a linear model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_sobol.h"

#define NONE lc_mark_none()
#define PI   3.14159265358979323846

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

/* Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, a = 7, b = 0.1, inputs
 * uniform on [-pi, pi].  Metric 1 is x1 alone (S1 = ST1 = 1, others 0). */
static int ishigami_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    const double a = 7.0, b = 0.1;
    size_t i;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++) {
        double s1 = sin(in[0][i]), s2 = sin(in[1][i]), x3 = in[2][i];
        out[0][i] = s1 + a * s2 * s2 + b * x3 * x3 * x3 * x3 * s1;
        out[1][i] = in[0][i];
    }
    return LC_OK;
}

static void *ws_alloc(void *ctx)
{
    (void)ctx;
    return malloc(16);
}

static void ws_free(void *ws)
{
    free(ws);
}

static const lc_evaluator ishigami = {3, 2, NULL, ws_alloc, ws_free, ishigami_eval};

/* y = x1 + 2 x2 with x uniform on [0, 1]: V1 = 1/12, V2 = 4/12, so S1 = 0.2,
 * S2 = 0.8 and, with no interaction, ST = S.  Metric 1 is constant. */
static int linear_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++) {
        out[0][i] = in[0][i] + 2.0 * in[1][i];
        out[1][i] = 3.0;
    }
    return LC_OK;
}

static const lc_evaluator linear = {2, 2, NULL, NULL, NULL, linear_eval};

static lc_sobol_result *run(const lc_evaluator *ev, const lc_dist *d, const lc_sobol_opts *o)
{
    lc_sobol_result *r = NULL;
    lc_error err;
    lc_error_clear(&err);
    if (lc_sobol_run(ev, d, o, &r, &err) != LC_OK)
        fail_msg("lc_sobol_run: %s", err.msg);
    assert_non_null(r);
    return r;
}

static void uniforms(lc_dist *d, size_t k, double lo, double hi)
{
    lc_error err;
    size_t j;
    lc_error_clear(&err);
    for (j = 0; j < k; j++)
        assert_int_equal(lc_dist_uniform(&d[j], lo, hi, NONE, &err), LC_OK);
}

/* The acceptance test: at 2^14 base samples every index within 0.02
 * of the analytic value. */
static void test_ishigami(void **state)
{
    const double s1[] = {0.3139, 0.4424, 0.0};
    const double st[] = {0.5576, 0.4424, 0.2437};
    const size_t metrics[] = {0, 1};
    lc_dist d[3];
    lc_sobol_opts o;
    lc_sobol_result *r;
    size_t i;
    (void)state;
    uniforms(d, 3, -PI, PI);
    lc_sobol_opts_init(&o);
    o.n = 16384;
    o.threads = 2;
    o.metrics = metrics;
    o.n_metrics = 2;
    r = run(&ishigami, d, &o);
    for (i = 0; i < 3; i++) {
        const lc_sobol_index *x = lc_sobol_index_of(r, 0, i);
        print_message("x%zu: S1 %.4f [%.4f, %.4f]  ST %.4f [%.4f, %.4f]\n", i + 1, x->s1, x->s1_lo,
                      x->s1_hi, x->st, x->st_lo, x->st_hi);
        assert_close(x->s1, s1[i], 0.02);
        assert_close(x->st, st[i], 0.02);
        /* The bootstrap treats the quasi-random rows as independent, which
         * makes the interval wide enough to hold the truth. */
        assert_true(x->s1_lo <= s1[i] && s1[i] <= x->s1_hi);
        assert_true(x->st_lo <= st[i] && st[i] <= x->st_hi);
        assert_true(x->s1_hi - x->s1_lo < 0.1 && x->st_hi - x->st_lo < 0.1);
    }
    /* V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2 = 13.8446 */
    assert_close(r->var[0], 49.0 / 8.0 + 0.1 * pow(PI, 4) / 5.0 + 0.01 * pow(PI, 8) / 18.0 + 0.5,
                 0.2);
    assert_int_equal(r->n_used[0], 16384);
    /* Metric 1 depends on x1 only: f(A_B^2) = f(A) makes S1 and ST of x2 and
     * x3 exactly 0 (Saltelli 2010's f(B)(f(A_B^i) - f(A)) vanishes term by
     * term, where Jansen's first-order form is noise around 0); x1's are 1 up
     * to sampling error. */
    assert_true(lc_sobol_index_of(r, 1, 1)->s1 == 0.0 && lc_sobol_index_of(r, 1, 2)->s1 == 0.0);
    assert_true(lc_sobol_index_of(r, 1, 1)->s1_lo == 0.0 &&
                lc_sobol_index_of(r, 1, 1)->s1_hi == 0.0);
    assert_close(lc_sobol_index_of(r, 1, 1)->st, 0.0, 1e-12);
    assert_close(lc_sobol_index_of(r, 1, 2)->st, 0.0, 1e-12);
    assert_close(lc_sobol_index_of(r, 1, 0)->s1, 1.0, 0.01);
    assert_close(lc_sobol_index_of(r, 1, 0)->st, 1.0, 0.01);
    assert_null(lc_sobol_index_of(r, 5, 0));
    lc_sobol_result_free(r);
}

static void test_linear(void **state)
{
    const double truth[] = {0.2, 0.8};
    const size_t metrics[] = {1, 0};
    lc_dist d[2];
    lc_sobol_opts o;
    lc_sobol_result *r;
    const lc_sobol_index *x;
    size_t i;
    (void)state;
    uniforms(d, 2, 0.0, 1.0);
    lc_sobol_opts_init(&o);
    o.n = 4096;
    o.metrics = metrics;
    o.n_metrics = 2;
    r = run(&linear, d, &o);
    for (i = 0; i < 2; i++) {
        x = lc_sobol_index_of(r, 0, i);
        assert_close(x->s1, truth[i], 0.01);
        assert_close(x->st, truth[i], 0.01);
        assert_true(x->s1_lo <= truth[i] && truth[i] <= x->s1_hi);
        assert_true(x->st_lo <= truth[i] && truth[i] <= x->st_hi);
    }
    /* V = 1/12 + 4/12 = 5/12; mean 1.5 */
    assert_close(r->var[1], 5.0 / 12.0, 0.005);
    assert_close(r->mean[1], 1.5, 0.001);
    /* A constant metric has no indices. */
    x = lc_sobol_index_of(r, 1, 0);
    assert_true(isnan(x->s1) && isnan(x->st) && r->var[0] == 0.0);
    lc_sobol_result_free(r);
}

/* Same numbers for 1 and 3 threads; N not a multiple of the block. */
static void test_threads(void **state)
{
    const size_t metrics[] = {0};
    lc_dist d[3];
    lc_sobol_opts o;
    lc_sobol_result *a, *b;
    (void)state;
    uniforms(d, 3, -PI, PI);
    lc_sobol_opts_init(&o);
    o.n = 1000;
    o.n_boot = 50;
    o.metrics = metrics;
    o.n_metrics = 1;
    a = run(&ishigami, d, &o);
    o.threads = 3;
    b = run(&ishigami, d, &o);
    assert_memory_equal(a->idx, b->idx, 3 * sizeof *a->idx);
    lc_sobol_result_free(a);
    lc_sobol_result_free(b);
}

/* y = sum_i (i + 1) x_i over 20 uniform inputs (40 Sobol dimensions, the
 * most gsl_qrng_sobol has): S_i = ST_i = (i + 1)^2 / 2870.  GSL's highest
 * dimensions are weakly equidistributed at small N (V is 1% low at N = 4096,
 * 0.3% at 16384, which shifts every S_i by about that), hence N = 2^14. */
static int sum20_eval(void *ctx, void *ws, const double *const *in, double *const *out, size_t n)
{
    size_t i, j;
    (void)ctx;
    (void)ws;
    for (i = 0; i < n; i++) {
        double y = 0.0;
        for (j = 0; j < 20; j++)
            y += (double)(j + 1) * in[j][i];
        out[0][i] = y;
    }
    return LC_OK;
}

static void test_twenty_inputs(void **state)
{
    const size_t metrics[] = {0};
    const lc_evaluator sum20 = {20, 1, NULL, NULL, NULL, sum20_eval};
    lc_dist d[20];
    lc_sobol_opts o;
    lc_sobol_result *r;
    double total = 0.0;
    size_t i;
    (void)state;
    uniforms(d, 20, 0.0, 1.0);
    lc_sobol_opts_init(&o);
    o.n = 16384;
    o.n_boot = 0;
    o.threads = 2;
    o.metrics = metrics;
    o.n_metrics = 1;
    r = run(&sum20, d, &o);
    for (i = 0; i < 20; i++) {
        double truth = (double)((i + 1) * (i + 1)) / 2870.0;
        const lc_sobol_index *x = lc_sobol_index_of(r, 0, i);
        assert_close(x->s1, truth, 0.01);
        assert_close(x->st, truth, 0.01);
        assert_true(isnan(x->s1_lo)); /* no bootstrap asked */
        total += x->st;
    }
    assert_close(total, 1.0, 0.01);
    lc_sobol_result_free(r);
}

/* Doubling: f = x1 + 2 x2 with x ~ U(0, 1) has S = ST = 1/5 and 4/5
 * (variances 1/12 and 4/12).  From 64 base samples the intervals are wider
 * than +-0.05; N doubles until the largest index's are not. */
static void test_doubling(void **state)
{
    const size_t metrics[] = {0};
    lc_dist d[2];
    lc_sobol_opts o;
    lc_sobol_result *r;
    (void)state;
    uniforms(d, 2, 0.0, 1.0);
    lc_sobol_opts_init(&o);
    o.metrics = metrics;
    o.n_metrics = 1;
    o.n = 64;
    o.n_max = 64; /* no room to double: wide, and said so */
    o.halfwidth = LC_SOBOL_HALFWIDTH;
    r = run(&linear, d, &o);
    print_message("N 64: widest half-interval %.4f\n", r->halfwidth);
    assert_true(r->n == 64 && !r->converged && r->halfwidth > 0.05);
    lc_sobol_result_free(r);
    o.n_max = LC_SOBOL_N_MAX;
    r = run(&linear, d, &o);
    print_message("N %zu: widest half-interval %.4f\n", r->n, r->halfwidth);
    assert_true(r->converged && r->halfwidth <= 0.05);
    assert_true(r->n > 64 && r->n <= LC_SOBOL_N_MAX && (r->n & (r->n - 1)) == 0);
    assert_close(lc_sobol_index_of(r, 0, 1)->s1, 0.8, 0.05);
    assert_close(lc_sobol_index_of(r, 0, 1)->st, 0.8, 0.05);
    assert_close(lc_sobol_index_of(r, 0, 0)->s1, 0.2, 0.05);
    lc_sobol_result_free(r);
    /* without doubling the result says nothing is wrong by its own measure */
    o.halfwidth = 0;
    r = run(&linear, d, &o);
    assert_true(r->n == 64 && r->converged);
    lc_sobol_result_free(r);
}

static void test_errors(void **state)
{
    const size_t metrics[] = {0};
    const size_t bad[] = {2};
    lc_evaluator wide = {21, 2, NULL, NULL, NULL, linear_eval};
    lc_dist d[21];
    lc_sobol_opts o;
    lc_sobol_result *r = NULL;
    lc_error err;
    (void)state;
    uniforms(d, 21, 0.0, 1.0);
    lc_sobol_opts_init(&o);
    o.metrics = metrics;
    o.n_metrics = 1;
    lc_error_clear(&err);
    assert_int_equal(lc_sobol_run(&wide, d, &o, &r, &err), LC_EINPUT);
    assert_null(r);
    assert_non_null(strstr(err.msg, "at most 20 uncertain inputs"));
    lc_error_clear(&err);
    o.metrics = bad;
    assert_int_equal(lc_sobol_run(&linear, d, &o, &r, &err), LC_EINPUT);
    assert_non_null(strstr(err.msg, "metric 2 does not exist"));
    lc_error_clear(&err);
    o.metrics = metrics;
    o.n = 1;
    assert_int_equal(lc_sobol_run(&linear, d, &o, &r, &err), LC_EINPUT);
    lc_sobol_result_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ishigami), cmocka_unit_test(test_linear),
        cmocka_unit_test(test_threads),  cmocka_unit_test(test_twenty_inputs),
        cmocka_unit_test(test_errors),   cmocka_unit_test(test_doubling),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
