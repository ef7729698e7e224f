/* test_validate.c — the validation driver (lc_validate.h): one published run
 * through both passes against the figures worked by hand in its file, the
 * calibration summary of made-up runs, and the training interval. */
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lc_validate.h"

/* |a - b| <= tol, with both numbers in the message (cmocka 1.1 has no doubles). */
#define assert_double_equal(a, b, tol) assert_close((a), (b), (tol), __FILE__, __LINE__)
static void assert_close(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %.17g, expected %.17g (tolerance %g)", file, line, a, b, tol);
}

#define GPT3 LC_VALIDATE_DIR "/gpt3-patterson.yaml"

static const lc_validate_row *row_of(const lc_validate_results *r, int conv, const char *metric)
{
    size_t i;
    for (i = 0; i < r->nrows; i++)
        if (r->rows[i].conventions == conv && strcmp(r->rows[i].metric, metric) == 0)
            return &r->rows[i];
    fail_msg("no %s row for %s", lc_validate_pass_name(conv), metric);
    return NULL;
}

/* GPT-3 (Patterson et al. 2021): four published figures, two passes.  The
 * conventions pass pins train.gpu_hours to 3,552,000 GPU-hours:
 *   energy = 3,552,000 h x 0.300 kW x 1.1 (server overhead) x 1.10 (PUE)
 *          = 1,289,376 kWh = 1,289.376 MWh; 1,289.376 / 1,287 - 1 = +0.1846%
 *   CO2    = 1,289.376 MWh x 0.429 t/MWh = 553.142304 t; / 552.1 - 1 = +0.1888%
 * both within their 2% conventions_tolerance; the predicted pass has no
 * tolerance, so only these two are checked. */
static void gpt3_two_passes(void **state)
{
    lc_validate_results r;
    lc_error err;
    const lc_validate_row *row;
    const lc_validate_run *run;
    (void)state;
    memset(&r, 0, sizeof r);
    lc_error_clear(&err);
    if (lc_validate_file(GPT3, NULL, 0, NULL, &r, &err) != LC_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
    assert_int_equal(r.nruns, 1);
    assert_int_equal(r.nrows, 8);
    run = &r.runs[0];
    assert_string_equal(run->id, "gpt3-patterson");
    assert_string_equal(run->currency, "USD");
    assert_int_equal(run->npins, 1);
    assert_string_equal(run->pins[0], "train.gpu_hours=3552000 GPU-hour");

    row = row_of(&r, 1, "train.energy");
    assert_string_equal(row->unit, "MWh");
    assert_double_equal(row->computed, 1289.376, 1e-9);
    assert_double_equal(row->published, 1287, 0);
    assert_double_equal(row->error_pct, 100 * (1289.376 / 1287 - 1), 1e-9);
    assert_double_equal(row->tol_pct, 2, 1e-12);
    assert_int_equal(row->status, LC_VALIDATE_WITHIN);
    row = row_of(&r, 1, "train.co2");
    assert_double_equal(row->computed, 553.142304, 1e-9);
    assert_int_equal(row->status, LC_VALIDATE_WITHIN);
    row = row_of(&r, 0, "train.energy");
    assert_true(isnan(row->tol_pct));
    assert_int_equal(row->status, LC_VALIDATE_UNCHECKED);
    row = row_of(&r, 0, "train.gpu_hours_total");
    assert_string_equal(row->note, "10,000 x 14.8 days x 24 h; implied MFU 19.7%");
    assert_string_equal(lc_validate_status_name(row->status), "unchecked");
    assert_int_equal(r.checked, 2);
    assert_int_equal(r.within, 2);
    assert_int_equal(r.off, 0);

    /* Calibration: the default MFU is the catalog's lognormal, median
     * sqrt(P5 x P95) = sqrt(0.2540 x 0.5367); GPU-hours go as 1 / MFU. */
    assert_true(run->has_cal);
    assert_true(run->fitted_mfu);
    assert_double_equal(run->published, 3552000.0 * 3600, 1e-3);
    assert_double_equal(run->mfu_implied, sqrt(0.2540 * 0.5367) * run->point / run->published,
                        1e-9);
    assert_true(run->p5 < run->point && run->point < run->p95);
    lc_validate_release(&r);
    assert_int_equal(r.nruns, 0);
}

/* The summary over made-up runs (lc_validate_calibrate reads the catalog's
 * MFU P5 and P95 first):
 *   run  P5  P95  point  published  inside  P95/P5  |error|  ln MFU
 *   a    1   2    1.5    1.2        yes     2       0.25     -1.0
 *   b    1   3    2      4          no      3       0.5      -1.2
 *   c    2   3    2.5    2.5        yes     1.5     0        -0.8
 *   d    (no interval: left out)
 * coverage 2 of 3, median width 2, largest 3, median |error| 0.25; ln MFU
 * mean -1, sd 0.2; leave one out (z = 1.645): a against b, c: mean -1, sd
 * 0.283, inside; b against a, c: mean -0.9, sd 0.141, |-0.3| > 0.233, not;
 * c the same: 1 of 3. */
static void calibration_summary(void **state)
{
    static const double v[3][5] = {
        {1, 2, 1.5, 1.2, -1.0}, {1, 3, 2, 4, -1.2}, {2, 3, 2.5, 2.5, -0.8}};
    lc_validate_run runs[4];
    lc_validate_results r;
    lc_validate_cal c;
    lc_error err;
    double z = 1.6448536269514722;
    size_t i;
    (void)state;
    memset(&r, 0, sizeof r);
    memset(runs, 0, sizeof runs);
    for (i = 0; i < 3; i++) {
        runs[i].has_cal = 1;
        runs[i].fitted_mfu = 1;
        runs[i].p5 = v[i][0];
        runs[i].p95 = v[i][1];
        runs[i].point = v[i][2];
        runs[i].published = v[i][3];
        runs[i].mfu_implied = exp(v[i][4]);
    }
    r.runs = runs;
    r.nruns = 4;
    lc_error_clear(&err);
    assert_int_equal(lc_validate_calibrate(&r, &c, &err), LC_OK);
    assert_double_equal(r.fit_p5, 0.2540, 1e-12);
    assert_double_equal(r.fit_p95, 0.5367, 1e-12);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.inside, 2);
    assert_double_equal(c.median_width, 2, 1e-12);
    assert_double_equal(c.max_width, 3, 1e-12);
    assert_double_equal(c.median_abs_error, 0.25, 1e-12);
    assert_int_equal(c.nfit, 3);
    assert_double_equal(c.log_mean, -1, 1e-12);
    assert_double_equal(c.log_sd, 0.2, 1e-12);
    assert_int_equal(c.loo_inside, 1);
    assert_double_equal(c.cat_log_mean, 0.5 * (log(0.2540) + log(0.5367)), 1e-12);
    assert_double_equal(c.cat_log_sd, (log(0.5367) - log(0.2540)) / (2 * z), 1e-9);
}

/* The training interval of a scenario with the fitted MFU: every training
 * metric it computes, its point inside; the GPU-hours' interval is the
 * calibration's (the same Monte Carlo and seed).  A scenario that sets its
 * MFU gets none. */
static void training_interval(void **state)
{
    lc_validate_results r;
    lc_validate_training t;
    lc_scenario *s;
    lc_error err;
    lc_override mfu = {"train.mfu", "30%"};
    size_t i, total = 0;
    (void)state;
    memset(&r, 0, sizeof r);
    lc_error_clear(&err);
    assert_int_equal(lc_validate_file(GPT3, NULL, 0, NULL, &r, &err), LC_OK);
    s = lc_scenario_load(GPT3, NULL, 0, NULL, &err);
    assert_non_null(s);
    assert_int_equal(lc_validate_training_interval(s, &t, &err), LC_OK);
    assert_int_equal(t.n, 7);
    for (i = 0; i < t.n; i++) {
        const lc_qty *q = lc_model_qty(s->model, t.qi[i]);
        assert_true(t.p5[i] <= q->value && q->value <= t.p95[i]);
        if (strcmp(q->name, LC_VALIDATE_CAL_METRIC) == 0) {
            assert_double_equal(t.p5[i], r.runs[0].p5, 0);
            assert_double_equal(t.p95[i], r.runs[0].p95, 0);
            total++;
        }
    }
    assert_int_equal(total, 1);
    lc_scenario_free(s);
    lc_validate_release(&r);

    s = lc_scenario_load(GPT3, &mfu, 1, NULL, &err);
    assert_non_null(s);
    assert_int_equal(lc_validate_training_interval(s, &t, &err), LC_OK);
    assert_int_equal(t.n, 0);
    lc_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gpt3_two_passes),
        cmocka_unit_test(calibration_summary),
        cmocka_unit_test(training_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
