/* test_dist.c — quantiles, sampling, truncation and validation of lc_dist. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "lc_dist.h"

#define NONE lc_mark_none()

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

static gsl_rng *rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    assert_non_null(r);
    gsl_rng_set(r, seed);
    return r;
}

/* The description, whole and malloc'd. */
static void describes_as(const lc_dist *d, const char *want)
{
    char *text = lc_dist_describe(d);
    assert_non_null(text);
    assert_string_equal(text, want);
    free(text);
}

static void test_fixed(void **state)
{
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_fixed(&d, 42.5, NONE, &err), LC_OK);
    assert_true(lc_dist_quantile(&d, 0.01) == 42.5);
    assert_true(lc_dist_quantile(&d, 0.99) == 42.5);
    assert_true(lc_dist_mean(&d) == 42.5 && lc_dist_base(&d) == 42.5);
    lc_dist_free(&d);
}

static void test_uniform(void **state)
{
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_uniform(&d, 2.0, 10.0, NONE, &err), LC_OK);
    assert_close(lc_dist_quantile(&d, 0.5), 6.0, 1e-12);
    assert_close(lc_dist_quantile(&d, 0.25), 4.0, 1e-12);
    assert_close(lc_dist_cdf(&d, 8.0), 0.75, 1e-12);
    assert_close(lc_dist_mean(&d), 6.0, 1e-12);
    assert_close(lc_dist_base(&d), 6.0, 1e-12);
    /* u = 0 and 1 are clamped, so the result stays inside [lo, hi]. */
    assert_true(lc_dist_quantile(&d, 0.0) >= 2.0 && lc_dist_quantile(&d, 1.0) <= 10.0);
}

static void test_normal(void **state)
{
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_normal(&d, 100.0, 15.0, NONE, &err), LC_OK);
    /* z(0.975) = 1.959963985 */
    assert_close(lc_dist_quantile(&d, 0.975), 100.0 + 1.959964 * 15.0, 1e-5);
    assert_close(lc_dist_quantile(&d, 0.025), 100.0 - 1.959964 * 15.0, 1e-5);
    assert_close(lc_dist_quantile(&d, 0.5), 100.0, 1e-9);
    assert_close(lc_dist_cdf(&d, 115.0), 0.8413447460685429, 1e-12);
    assert_close(lc_dist_base(&d), 100.0, 0);
    /* Even u = 0 gives a finite value. */
    assert_true(isfinite(lc_dist_quantile(&d, 0.0)) && isfinite(lc_dist_quantile(&d, 1.0)));
}

static void test_lognormal_quantiles(void **state)
{
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_lognormal(&d, 2.0, 8.0, NONE, &err), LC_OK);
    assert_close(lc_dist_quantile(&d, 0.05), 2.0, 1e-9);
    assert_close(lc_dist_quantile(&d, 0.95), 8.0, 1e-8);
    assert_close(lc_dist_median(&d), 4.0, 1e-12); /* sqrt(2 * 8) */
    assert_close(lc_dist_base(&d), 4.0, 1e-12);
    /* sigma = ln 4 / (2 * 1.6448536) = 0.42140356; mean = 4 exp(sigma^2 / 2) */
    assert_close(lc_dist_mean(&d), 4.0 * exp(0.5 * 0.42140356 * 0.42140356), 1e-7);
    assert_close(lc_dist_cdf(&d, 4.0), 0.5, 1e-12);
}

/* The acceptance test: a lognormal given by its 90% interval
 * reproduces its P5 and P95 within 1% at 10^6 samples. */
static void test_lognormal_sampled_interval(void **state)
{
    const size_t n = 1000000;
    double *x = malloc(n * sizeof *x);
    gsl_rng *r = rng(12345);
    lc_dist d;
    lc_error err;
    double p5, p95;
    (void)state;
    assert_non_null(x);
    lc_error_clear(&err);
    assert_int_equal(lc_dist_lognormal(&d, 0.5, 40.0, NONE, &err), LC_OK);
    lc_dist_sample(&d, r, x, n);
    gsl_sort(x, 1, n);
    p5 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.05);
    p95 = gsl_stats_quantile_from_sorted_data(x, 1, n, 0.95);
    assert_close(p5 / 0.5, 1.0, 0.01);
    assert_close(p95 / 40.0, 1.0, 0.01);
    free(x);
    gsl_rng_free(r);
}

static void test_triangular(void **state)
{
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    /* lo 0, mode 1, hi 4: F(mode) = 1/4; below it Q(u) = sqrt(4u), above it
     * Q(u) = 4 - sqrt(12 (1 - u)). */
    assert_int_equal(lc_dist_triangular(&d, 0.0, 1.0, 4.0, NONE, &err), LC_OK);
    assert_close(lc_dist_quantile(&d, 0.16), 0.8, 1e-12);
    assert_close(lc_dist_quantile(&d, 0.25), 1.0, 1e-12);
    assert_close(lc_dist_quantile(&d, 0.64), 4.0 - sqrt(4.32), 1e-12);
    assert_close(lc_dist_cdf(&d, 0.8), 0.16, 1e-12);
    assert_close(lc_dist_cdf(&d, 4.0 - sqrt(4.32)), 0.64, 1e-12);
    assert_close(lc_dist_mean(&d), 5.0 / 3.0, 1e-12);
    assert_close(lc_dist_base(&d), 1.0, 0);
    /* Mode at an end. */
    assert_int_equal(lc_dist_triangular(&d, 0.0, 0.0, 1.0, NONE, &err), LC_OK);
    assert_close(lc_dist_quantile(&d, 0.75), 0.5, 1e-12); /* 1 - sqrt(0.25) */
}

static void test_pert(void **state)
{
    lc_dist d;
    lc_error err;
    gsl_rng *r = rng(7);
    double x[20000];
    size_t i;
    (void)state;
    lc_error_clear(&err);
    /* lo 0, mode 1, hi 4 -> Beta(2, 4) scaled by 4; mean (0 + 4 + 4) / 6. */
    assert_int_equal(lc_dist_pert(&d, 0.0, 1.0, 4.0, NONE, &err), LC_OK);
    assert_close(d.alpha, 2.0, 1e-15);
    assert_close(d.beta, 4.0, 1e-15);
    assert_close(lc_dist_quantile(&d, 0.5), 4.0 * gsl_cdf_beta_Pinv(0.5, 2.0, 4.0), 1e-12);
    /* Beta(2,4) median ~ (a - 1/3) / (a + b - 2/3) = 0.3125 (Kerman's approximation). */
    assert_close(lc_dist_quantile(&d, 0.5), 4.0 * 0.3125, 0.01);
    assert_close(lc_dist_mean(&d), 4.0 / 3.0, 1e-12);
    assert_close(lc_dist_base(&d), 1.0, 0);
    for (i = 1; i < 20; i++) {
        double u = (double)i / 20.0;
        assert_close(lc_dist_cdf(&d, lc_dist_quantile(&d, u)), u, 1e-9);
    }
    /* The direct Beta generator agrees with the mean: sd of Beta(2,4)*4 is
     * 4 sqrt(8 / 252) = 0.7127, standard error 0.005. */
    lc_dist_sample(&d, r, x, 20000);
    assert_close(gsl_stats_mean(x, 1, 20000), 4.0 / 3.0, 4 * 0.0051);
    gsl_rng_free(r);
}

static void test_discrete(void **state)
{
    const double v[] = {8.0, 1.0, 4.0};
    const double w[] = {1.0, 2.0, 1.0};
    size_t count[3] = {0, 0, 0};
    double x[40000];
    gsl_rng *r = rng(3);
    lc_dist d, c;
    lc_error err;
    size_t i;
    (void)state;
    lc_error_clear(&err);
    /* sorted 1, 4, 8 with probabilities 1/2, 1/4, 1/4 */
    assert_int_equal(lc_dist_discrete(&d, v, w, 3, NONE, &err), LC_OK);
    assert_true(lc_dist_quantile(&d, 0.3) == 1.0);
    assert_true(lc_dist_quantile(&d, 0.5) == 1.0);
    assert_true(lc_dist_quantile(&d, 0.6) == 4.0);
    assert_true(lc_dist_quantile(&d, 0.9) == 8.0);
    assert_close(lc_dist_cdf(&d, 5.0), 0.75, 1e-15);
    assert_close(lc_dist_mean(&d), 3.5, 1e-12);
    assert_true(lc_dist_base(&d) == 1.0);
    lc_dist_sample(&d, r, x, 40000);
    for (i = 0; i < 40000; i++)
        count[x[i] == 1.0 ? 0 : x[i] == 4.0 ? 1 : 2]++;
    /* sd of a count: sqrt(n p (1 - p)) = 100 and 86.6; allow 4 of them */
    assert_close((double)count[0], 20000.0, 400.0);
    assert_close((double)count[1], 10000.0, 350.0);
    assert_close((double)count[2], 10000.0, 350.0);
    assert_int_equal(lc_dist_copy(&c, &d, &err), LC_OK);
    lc_dist_free(&d);
    assert_true(lc_dist_quantile(&c, 0.9) == 8.0);
    /* Equal weights. */
    assert_int_equal(lc_dist_discrete(&d, v, NULL, 3, NONE, &err), LC_OK);
    assert_close(lc_dist_mean(&d), 13.0 / 3.0, 1e-12);
    lc_dist_free(&d);
    lc_dist_free(&c);
    lc_dist_free(NULL);
    gsl_rng_free(r);
}

static void test_truncation(void **state)
{
    double x[50000];
    const double v[] = {1.0, 4.0, 8.0};
    gsl_rng *r = rng(99);
    lc_dist d;
    lc_error err;
    size_t i;
    (void)state;
    lc_error_clear(&err);
    /* Half-normal: N(0,1) restricted to x >= 0. */
    assert_int_equal(lc_dist_normal(&d, 0.0, 1.0, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_truncate(&d, 0.0, INFINITY, NONE, &err), LC_OK);
    assert_close(lc_dist_mean(&d), sqrt(2.0 / 3.14159265358979323846), 1e-7);
    assert_close(lc_dist_median(&d), 0.6744897501960817, 1e-9); /* z(0.75) */
    assert_close(lc_dist_cdf(&d, 0.6744897501960817), 0.5, 1e-9);
    lc_dist_sample(&d, r, x, 50000);
    for (i = 0; i < 50000; i++)
        assert_true(x[i] >= 0.0);
    assert_true(lc_dist_quantile(&d, 0.0) >= 0.0);
    describes_as(&d, "normal, mean 0, sd 1, truncated to [0, inf]");

    /* Uniform [0, 10] cut to [2, 3]. */
    assert_int_equal(lc_dist_uniform(&d, 0.0, 10.0, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_truncate(&d, 2.0, 3.0, NONE, &err), LC_OK);
    lc_dist_sample(&d, r, x, 50000);
    for (i = 0; i < 50000; i++)
        assert_true(x[i] >= 2.0 && x[i] <= 3.0);
    assert_close(lc_dist_mean(&d), 2.5, 1e-12);
    assert_close(lc_dist_quantile(&d, 0.5), 2.5, 1e-12);

    /* Lognormal with a cap: samples stay below it; the mean drops. */
    assert_int_equal(lc_dist_lognormal(&d, 1.0, 100.0, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_truncate(&d, -INFINITY, 50.0, NONE, &err), LC_OK);
    lc_dist_sample(&d, r, x, 50000);
    for (i = 0; i < 50000; i++)
        assert_true(x[i] > 0.0 && x[i] <= 50.0);
    assert_true(lc_dist_mean(&d) < 50.0);
    assert_close(gsl_stats_mean(x, 1, 50000), lc_dist_mean(&d),
                 4.0 * gsl_stats_sd(x, 1, 50000) / sqrt(50000.0));

    /* PERT cut at its mode: base stays the mode. */
    assert_int_equal(lc_dist_pert(&d, 0.0, 1.0, 4.0, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_truncate(&d, 0.5, 2.0, NONE, &err), LC_OK);
    lc_dist_sample(&d, r, x, 1000);
    for (i = 0; i < 1000; i++)
        assert_true(x[i] >= 0.5 && x[i] <= 2.0);
    assert_close(lc_dist_base(&d), 1.0, 0);

    /* Discrete 1, 4, 8 (equal weights) cut to [2, 10]: 4 or 8, equally. */
    assert_int_equal(lc_dist_discrete(&d, v, NULL, 3, NONE, &err), LC_OK);
    assert_int_equal(lc_dist_truncate(&d, 2.0, 10.0, NONE, &err), LC_OK);
    assert_close(lc_dist_mean(&d), 6.0, 1e-12);
    assert_true(lc_dist_quantile(&d, 0.0) == 4.0);
    assert_true(lc_dist_quantile(&d, 0.49) == 4.0);
    assert_true(lc_dist_quantile(&d, 0.51) == 8.0);
    assert_true(lc_dist_quantile(&d, 1.0) == 8.0);
    lc_dist_sample(&d, r, x, 1000);
    for (i = 0; i < 1000; i++)
        assert_true(x[i] == 4.0 || x[i] == 8.0);
    lc_dist_free(&d);
    assert_int_equal(err.code, LC_OK);
    gsl_rng_free(r);
}

static void expect_error(int rc, lc_error *err, const char *text)
{
    assert_int_equal(rc, LC_EINPUT);
    assert_int_equal(err->code, LC_EINPUT);
    if (strstr(err->msg, text) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err->msg, text);
    lc_error_clear(err);
}

static void test_invalid(void **state)
{
    const double v[] = {1.0, 2.0};
    const double w[] = {1.0, -1.0};
    lc_mark at = {"s.yaml", 3, 7};
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    expect_error(lc_dist_uniform(&d, 3.0, 1.0, NONE, &err), &err, "lo must be below hi");
    expect_error(lc_dist_uniform(&d, 1.0, 1.0, NONE, &err), &err, "lo must be below hi");
    expect_error(lc_dist_normal(&d, 1.0, 0.0, NONE, &err), &err, "sd must be positive");
    expect_error(lc_dist_normal(&d, NAN, 1.0, NONE, &err), &err, "must be finite");
    expect_error(lc_dist_lognormal(&d, 0.0, 5.0, NONE, &err), &err, "lognormal needs 0 < lo < hi");
    expect_error(lc_dist_lognormal(&d, 5.0, 2.0, NONE, &err), &err, "lognormal needs 0 < lo < hi");
    expect_error(lc_dist_triangular(&d, 0.0, 5.0, 4.0, NONE, &err), &err,
                 "mode must be between lo and hi");
    expect_error(lc_dist_pert(&d, 4.0, 4.0, 4.0, NONE, &err), &err, "lo must be below hi");
    expect_error(lc_dist_discrete(&d, v, w, 2, NONE, &err), &err, "weights must be positive");
    expect_error(lc_dist_discrete(&d, v, NULL, 0, NONE, &err), &err, "at least one value");
    lc_dist_free(&d); /* a failed constructor leaves a freeable fixed 0 */

    assert_int_equal(lc_dist_normal(&d, 0.0, 1.0, NONE, &err), LC_OK);
    expect_error(lc_dist_truncate(&d, 2.0, 1.0, NONE, &err), &err, "min must not be above max");
    expect_error(lc_dist_truncate(&d, 60.0, 70.0, NONE, &err), &err, "leaves no probability");
    assert_false(d.truncated); /* a failed truncation changes nothing */
    assert_close(lc_dist_quantile(&d, 0.5), 0.0, 1e-12);
    assert_int_equal(lc_dist_fixed(&d, 5.0, NONE, &err), LC_OK);
    expect_error(lc_dist_truncate(&d, 0.0, 1.0, NONE, &err), &err, "excludes the fixed value");

    /* The position reaches the message. */
    assert_int_equal(lc_dist_uniform(&d, 2.0, 1.0, at, &err), LC_EINPUT);
    assert_string_equal(err.file, "s.yaml");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 7);
    assert_string_equal(err.msg, "uniform: lo must be below hi (lo = 2, hi = 1)");
}

static void test_describe(void **state)
{
    const double v[] = {1.0, 2.0, 4.0};
    lc_dist d;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_dist_lognormal(&d, 2.0, 8.0, NONE, &err), LC_OK);
    describes_as(&d, "lognormal, 90% in [2, 8]");
    assert_int_equal(lc_dist_uniform(&d, 0.5, 1.5, NONE, &err), LC_OK);
    describes_as(&d, "uniform in [0.5, 1.5]");
    assert_int_equal(lc_dist_pert(&d, 1.0, 2.0, 5.0, NONE, &err), LC_OK);
    describes_as(&d, "PERT, min 1, mode 2, max 5");
    assert_int_equal(lc_dist_discrete(&d, v, NULL, 3, NONE, &err), LC_OK);
    describes_as(&d, "discrete, 3 values in [1, 4]");
    lc_dist_free(&d);
    assert_string_equal(lc_dist_kind_name(LC_DIST_TRIANGULAR), "triangular");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_normal),
        cmocka_unit_test(test_lognormal_quantiles),
        cmocka_unit_test(test_lognormal_sampled_interval),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_pert),
        cmocka_unit_test(test_discrete),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
