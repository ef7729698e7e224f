/* test_solve.c — root finding: inside, at a bound, none, found by the scan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lc_solve.h"

static void assert_close(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

static int square(void *user, double x, double *y, lc_error *err)
{
    (void)user;
    (void)err;
    *y = x * x;
    return LC_OK;
}

static int identity(void *user, double x, double *y, lc_error *err)
{
    (void)user;
    (void)err;
    *y = x;
    return LC_OK;
}

static int decay(void *user, double x, double *y, lc_error *err)
{
    (void)user;
    (void)err;
    *y = exp(-x);
    return LC_OK;
}

/* (x - 1)(x - 3): positive at 0 and 4, negative between the roots. */
static int dip(void *user, double x, double *y, lc_error *err)
{
    (void)user;
    (void)err;
    *y = (x - 1.0) * (x - 3.0);
    return LC_OK;
}

static int pole(void *user, double x, double *y, lc_error *err)
{
    (void)user;
    (void)err;
    *y = x < 0.5 ? NAN : x;
    return LC_OK;
}

static int broken(void *user, double x, double *y, lc_error *err)
{
    int *calls = user;
    (void)y;
    if (++*calls < 3) {
        *y = x;
        return LC_OK;
    }
    return lc_error_set(err, LC_EINPUT, lc_mark_none(), "model broke at %g", x);
}

static void test_inside(void **state)
{
    lc_solve_result r;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_solve(square, NULL, 0.0, 4.0, 2.0, NULL, NULL, &r, &err), LC_OK);
    assert_close(r.x, sqrt(2.0), 1e-9 * sqrt(2.0));
    assert_close(r.y, 2.0, 1e-8);
    assert_false(r.scanned);
    assert_true(r.iterations > 0 && r.iterations <= LC_SOLVE_MAX_ITER);
    /* Decreasing, on a wide range. */
    assert_int_equal(lc_solve(decay, NULL, 0.0, 50.0, 0.5, NULL, NULL, &r, &err), LC_OK);
    assert_close(r.x, log(2.0), 1e-9 * log(2.0));
    /* Root at 0 inside the interval converges too. */
    assert_int_equal(lc_solve(identity, NULL, -1.0, 3.0, 0.0, NULL, NULL, &r, &err), LC_OK);
    assert_close(r.x, 0.0, 1e-14);
}

static void test_boundary(void **state)
{
    lc_solve_result r;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_solve(identity, NULL, 0.0, 1.0, 0.0, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.x == 0.0 && r.iterations == 0);
    assert_int_equal(lc_solve(identity, NULL, 0.0, 1.0, 1.0, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.x == 1.0);
    assert_int_equal(lc_solve(square, NULL, 1.0, 3.0, 9.0, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.x == 3.0 && r.y == 9.0);
}

static void test_no_root(void **state)
{
    lc_solve_result r;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    /* x^2 on [-2, 2] ranges over [0, 4]: the scan passes x = 0 exactly. */
    assert_int_equal(lc_solve(square, NULL, -2.0, 2.0, 5.0, "gpus", "cost", &r, &err), LC_ENUMERIC);
    assert_string_equal(err.msg, "no value of gpus in [-2, 2] makes cost reach 5: cost ranges "
                                 "from 0 to 4 there");
    assert_true(r.ymin == 0.0 && r.ymax == 4.0);
    assert_int_equal(r.evaluations, 2 + LC_SOLVE_SCAN - 1);
    /* err = NULL: the caller words it from the range. */
    assert_int_equal(lc_solve(square, NULL, 1.0, 2.0, -1.0, NULL, NULL, &r, NULL), LC_ENUMERIC);
    assert_true(r.ymin == 1.0 && r.ymax == 4.0);
}

static void test_scan_finds_sign_change(void **state)
{
    lc_solve_result r;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    /* g(0) = g(4) = 3: no bracket at the ends; the scan finds the root
     * nearest lo. */
    assert_int_equal(lc_solve(dip, NULL, 0.0, 4.0, 0.0, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.scanned);
    assert_close(r.x, 1.0, 1e-9);
    /* Target -0.5: roots at 2 -+ sqrt(0.5). */
    assert_int_equal(lc_solve(dip, NULL, 0.0, 4.0, -0.5, NULL, NULL, &r, &err), LC_OK);
    assert_close(r.x, 2.0 - sqrt(0.5), 1e-9);
    /* Not finite below 0.5: the scan steps over it. */
    assert_int_equal(lc_solve(pole, NULL, 0.0, 2.0, 1.5, NULL, NULL, &r, &err), LC_OK);
    assert_close(r.x, 1.5, 1e-9);
}

static void test_bad_input(void **state)
{
    lc_solve_result r;
    lc_error err;
    int calls = 0;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_solve(square, NULL, 2.0, 1.0, 2.0, "n", NULL, &r, &err), LC_EINPUT);
    assert_non_null(strstr(err.msg, "lo below hi"));
    lc_error_clear(&err);
    assert_int_equal(lc_solve(square, NULL, 0.0, INFINITY, 2.0, NULL, NULL, &r, &err), LC_EINPUT);
    lc_error_clear(&err);
    assert_int_equal(lc_solve(square, NULL, 0.0, 1.0, NAN, NULL, NULL, &r, &err), LC_EINPUT);
    lc_error_clear(&err);
    /* The model's own error comes through. */
    assert_int_equal(lc_solve(broken, &calls, -1.0, 1.0, 0.5, NULL, NULL, &r, &err), LC_EINPUT);
    assert_non_null(strstr(err.msg, "model broke"));
    lc_error_clear(&err);
    assert_int_equal(lc_solve(pole, NULL, 0.0, 0.4, 1.0, NULL, "y", &r, &err), LC_ENUMERIC);
    assert_non_null(strstr(err.msg, "not finite anywhere"));
}

/* Every crossing is reported, in order: (x - 1)(x - 3) = 0 at 1 and 3. */
static void test_all_crossings(void **state)
{
    lc_solve_result r;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    assert_int_equal(lc_solve(dip, NULL, 0.0, 4.0, 0.0, NULL, NULL, &r, &err), LC_OK);
    assert_int_equal(r.ncross, 2);
    assert_close(r.cross[0], 1.0, 1e-9);
    assert_close(r.cross[1], 3.0, 1e-9);
    /* ends that bracket one root: still scanned for others, one found */
    assert_int_equal(lc_solve(square, NULL, 0.0, 4.0, 2.0, NULL, NULL, &r, &err), LC_OK);
    assert_int_equal(r.ncross, 1);
}

/* A step function like GPUs bought in servers of 4: revenue 3 n against cost
 * 10 per started server, g(n) = 3 n - 10 ceil(n / 4). */
static int steps(void *user, const double *x, double *y, size_t n, lc_error *err)
{
    size_t i;
    (void)user;
    (void)err;
    for (i = 0; i < n; i++)
        y[i] = 3 * x[i] - 10 * ceil(x[i] / 4);
    return LC_OK;
}

static int countdown(void *user, const double *x, double *y, size_t n, lc_error *err)
{
    size_t i;
    (void)user;
    (void)err;
    for (i = 0; i < n; i++)
        y[i] = 10 - x[i];
    return LC_OK;
}

static int whole_identity(void *user, const double *x, double *y, size_t n, lc_error *err)
{
    size_t i;
    (void)user;
    (void)err;
    for (i = 0; i < n; i++)
        y[i] = x[i];
    return LC_OK;
}

static void test_whole(void **state)
{
    static const double want[] = {4, 5, 7, 9, 10, 13, 14};
    lc_solve_result r;
    lc_error err;
    size_t i;
    (void)state;
    lc_error_clear(&err);
    /* g(1..20) by hand: -7 -4 -1 2 | -5 -2 1 4 | -3 0 3 6 | -1 2 5 8 | 1 4 7 10.
     * Target 0 is reached at 4 (from below), 5 (from above), 7, 9, 10 (equal),
     * 13, 14; from 17 on each server of 4 adds 12 - 10 = 2, so g stays above. */
    assert_int_equal(lc_solve_whole(steps, NULL, 1, 20, 0, "n", "g", &r, &err), LC_OK);
    assert_true(r.x == 4 && r.y == 2);
    assert_int_equal(r.ncross, 7);
    for (i = 0; i < 7; i++)
        assert_true(r.cross[i] == want[i]);
    assert_int_equal(r.evaluations, 20);
    assert_true(r.ymin == -7 && r.ymax == 10);
    /* Decreasing: 10 - n first at or below 2.5 at n = 8 (10 - 7 = 3 > 2.5). */
    assert_int_equal(lc_solve_whole(countdown, NULL, 0, 10, 2.5, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.x == 8 && r.y == 2 && r.ncross == 1);
    /* [0.5, 3.5] holds 1, 2, 3; g = 2 exactly at 2 */
    assert_int_equal(lc_solve_whole(whole_identity, NULL, 0.5, 3.5, 2, NULL, NULL, &r, &err),
                     LC_OK);
    assert_true(r.x == 2 && r.ncross == 1 && r.evaluations == 3);
    /* at lo already */
    assert_int_equal(lc_solve_whole(whole_identity, NULL, 1, 5, 1, NULL, NULL, &r, &err), LC_OK);
    assert_true(r.x == 1);
    /* never: 1..5 stays below 9 */
    assert_int_equal(lc_solve_whole(whole_identity, NULL, 1, 5, 9, "n", "g", &r, &err),
                     LC_ENUMERIC);
    assert_string_equal(err.msg, "no value of n in [1, 5] makes g reach 9: g ranges from 1 to 5 "
                                 "there");
    /* no whole value in [0.2, 0.8]; 2e7 + 1 values is too many */
    lc_error_clear(&err);
    assert_int_equal(lc_solve_whole(whole_identity, NULL, 0.2, 0.8, 0.5, "n", NULL, &r, &err),
                     LC_EINPUT);
    assert_non_null(strstr(err.msg, "no whole value"));
    lc_error_clear(&err);
    assert_int_equal(lc_solve_whole(whole_identity, NULL, 0, 2e7, 5, "n", NULL, &r, &err),
                     LC_EINPUT);
    assert_non_null(strstr(err.msg, "narrow the range"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inside),    cmocka_unit_test(test_boundary),
        cmocka_unit_test(test_no_root),   cmocka_unit_test(test_scan_finds_sign_change),
        cmocka_unit_test(test_bad_input), cmocka_unit_test(test_all_crossings),
        cmocka_unit_test(test_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
