/* test_org — the organisation model against hand-worked arithmetic: a
 * three-month example to the cent, runway and break-even months on small
 * cases, funding rounds that may not close, and bad org input rejected with a
 * positioned message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_org.h"

#define CENT 0.005 /* CNY: "to the cent" */

/* |a - b| <= tol, with both numbers in the message (cmocka 1.1 has no doubles). */
#define assert_double_equal(a, b, tol) assert_close((a), (b), (tol), __FILE__, __LINE__)
static void assert_close(double a, double b, double tol, const char *file, int line)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%s:%d: %.10g, expected %.10g (tolerance %g)", file, line, a, b, tol);
}

typedef struct fixture {
    lc_scenario *s;
    lc_org *o;
    lc_org_timeline t;
    double *refs;
} fixture;

static int load(fixture *f, const char *text, lc_error *err)
{
    const size_t *ri;
    size_t nr;
    memset(f, 0, sizeof *f);
    lc_error_clear(err);
    f->s = lc_scenario_load_text("org.yaml", text, strlen(text), NULL, 0, NULL, err);
    if (f->s == NULL)
        return err->code;
    f->o = lc_org_parse(f->s, f->s->org, err);
    if (f->o == NULL)
        return err->code;
    lc_org_refs(f->o, &ri, &nr);
    f->refs = malloc((nr + 1) * sizeof *f->refs);
    assert_non_null(f->refs);
    lc_org_point_refs(f->o, f->s, f->refs);
    assert_int_equal(lc_org_timeline_alloc(&f->t, lc_org_horizon(f->o)), LC_OK);
    return lc_org_run(f->o, f->refs, NULL, &f->t, err);
}

static void release(fixture *f)
{
    lc_org_timeline_free(&f->t);
    free(f->refs);
    lc_org_free(f->o);
    lc_scenario_free(f->s);
}

/* One purchase, one funding round, a few users, three months.
 *
 * A month is 730 hours.  Users: points (0, 100), (2, 300): 100, 200, 300.
 * GPUs per user: 7.3 GPU-hour/user/month / 730 h = 0.01, so the need is 1, 2
 * and 3 GPUs.  Two GPUs bought in month 0 at 100,000 CNY (capex 200,000),
 * no buying to the need: used owned 1, 2, 2; rented 0, 0, 1.
 *   electricity (1 CNY per used GPU-hour): 730, 1,460, 1,460
 *   rental (10 CNY/GPU-hour): 0, 0, 1 x 730 x 10 = 7,300 (all inference)
 *   staff: 2 x 10,000 = 20,000 a month; other: 1,000 a month
 *   revenue: users x 10% x 99.99 = 999.90, 1,999.80, 2,999.70
 *   depreciation: 2 x 100,000 x (1 - 10%) / 24 months = 7,500 a month
 * Cash, from 1,000,000:
 *   month 0: 1,000,000 + 999.90 - (20,000 + 730 + 200,000 + 1,000) = 779,269.90
 *   month 1: 779,269.90 + 500,000 + 1,999.80 - (20,000 + 1,460 + 1,000) = 1,258,809.70
 *   month 2: 1,258,809.70 + 2,999.70 - (20,000 + 1,460 + 7,300 + 1,000) = 1,232,049.40
 * Costs for break-even (capex as depreciation): 29,230, 29,960, 37,260 > revenue. */
static const char three_months[] =
    "scenario: three months\n"
    "currency: CNY\n"
    "org:\n"
    "  horizon: 3 month\n"
    "  cash: 1000000 CNY\n"
    "  funding: [ { month: 1, amount: 500000 CNY } ]\n"
    "  staff: [ { role: engineers, count: 2, salary: 10000 "
    "CNY/month } ]\n"
    "  other_costs: 1000 CNY/month\n"
    "  compute:\n"
    "    strategy: own\n"
    "    buy_to_need: false\n"
    "    purchases: [ { month: 0, gpus: 2 } ]\n"
    "    gpu_price: 100000 CNY\n"
    "    life: 2 year\n"
    "    resale: 10%\n"
    "    rent_price: 10 CNY/GPU-hour\n"
    "    electricity: 1 CNY/GPU-hour\n"
    "  demand:\n"
    "    users: [ { month: 0, users: 100 }, { month: 2, users: 300 } ]\n"
    "    gpu_hours_per_user_month: 7.3 GPU-hour/user/month\n"
    "  revenue:\n"
    "    subscription: 99.99 CNY/user/month\n"
    "    paying_share: 10%\n";

static void test_three_months(void **state)
{
    fixture f;
    lc_error err;
    static const double cash[] = {779269.90, 1258809.70, 1232049.40};
    static const double revenue[] = {999.90, 1999.80, 2999.70};
    static const double electricity[] = {730, 1460, 1460};
    static const double inference[] = {0, 0, 7300};
    static const double capex[] = {200000, 0, 0};
    static const double spend[] = {221730, 22460, 29760};
    static const double rented[] = {0, 0, 1};
    static const double users[] = {100, 200, 300};
    size_t m;
    double sim[LC_SIM_NMETRICS];
    (void)state;
    assert_int_equal(load(&f, three_months, &err), LC_OK);
    assert_int_equal(f.t.months, 3);
    for (m = 0; m < 3; m++) {
        assert_double_equal(f.t.s[LC_ORG_CASH][m], cash[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_REVENUE][m], revenue[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_STAFF][m], 20000, CENT);
        assert_double_equal(f.t.s[LC_ORG_ELECTRICITY][m], electricity[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_INFERENCE][m], inference[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_TRAINING][m], 0, CENT);
        assert_double_equal(f.t.s[LC_ORG_CAPEX][m], capex[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_OTHER][m], 1000, CENT);
        assert_double_equal(f.t.s[LC_ORG_SPEND][m], spend[m], CENT);
        assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][m], 7500, CENT);
        assert_double_equal(f.t.s[LC_ORG_GPUS_OWNED][m], 2, 1e-12);
        assert_double_equal(f.t.s[LC_ORG_GPUS_RENTED][m], rented[m], 1e-9);
        assert_double_equal(f.t.s[LC_ORG_USERS][m], users[m], 1e-9);
    }
    assert_double_equal(f.t.s[LC_ORG_FUNDING][1], 500000, CENT);
    assert_int_equal(f.t.runway, -1);
    assert_int_equal(f.t.breakeven, -1);
    lc_org_metrics(&f.t, sim);
    /* Compute per year: (200,000 + 730 + 1,460 + 1,460 + 7,300) CNY over 3 months
     * = 210,950 x 4 = 843,800 CNY/year; a year is 365 days. */
    assert_double_equal(sim[LC_SIM_COMPUTE_PER_YEAR] * 365 * 86400, 843800, CENT);
    assert_true(isnan(sim[LC_SIM_SURVIVAL_36])); /* horizon too short */
    release(&f);
}

/* Runway: 100 CNY and 30 CNY/month of costs: 70, 40, 10, -20: the cash runs
 * out in month 3.  Break-even: a 35 CNY contract a month from month 4 covers
 * the 30 CNY of costs: month 4 (cash -15, -10: still negative). */
static void test_runway_breakeven(void **state)
{
    fixture f;
    lc_error err;
    double sim[LC_SIM_NMETRICS];
    (void)state;
    assert_int_equal(
        load(&f,
             "scenario: runway\ncurrency: CNY\norg:\n  horizon: 6 month\n"
             "  cash: 100 CNY\n  other_costs: 30 CNY/month\n"
             "  revenue: { contracts: { per_month: 1, value: 35 CNY, from_month: 4 } }\n",
             &err),
        LC_OK);
    /* 70, 40, 10, -20, -15, -10 */
    assert_double_equal(f.t.s[LC_ORG_CASH][3], -20, CENT);
    assert_double_equal(f.t.s[LC_ORG_CASH][5], -10, CENT);
    assert_int_equal(f.t.runway, 3);
    assert_int_equal(f.t.breakeven, 4);
    lc_org_metrics(&f.t, sim);
    assert_double_equal(sim[LC_SIM_RUNWAY], 3 * 365.0 * 86400 / 12, 1e-6);
    assert_double_equal(sim[LC_SIM_BREAKEVEN], 4 * 365.0 * 86400 / 12, 1e-6);
    release(&f);
}

/* A round that may not close: the base case counts it, a draw above its
 * probability drops it.  Cash 10, costs 20/month, 100 in month 1 (p = 50%). */
static void test_uncertain_round(void **state)
{
    fixture f;
    lc_error err;
    double hi = 0.7, lo = 0.2;
    (void)state;
    assert_int_equal(load(&f,
                          "scenario: r\ncurrency: CNY\norg:\n  horizon: 3 month\n  cash: 10 CNY\n"
                          "  other_costs: 20 CNY/month\n"
                          "  funding: [ { month: 1, amount: 100 CNY, probability: 50% } ]\n",
                          &err),
                     LC_OK);
    assert_int_equal(lc_org_ndraws(f.o), 1);
    /* base: -10, 70, 50: runs out in month 0 */
    assert_double_equal(f.t.s[LC_ORG_CASH][2], 50, CENT);
    assert_int_equal(f.t.runway, 0);
    assert_int_equal(lc_org_run(f.o, f.refs, &hi, &f.t, &err), LC_OK);
    assert_double_equal(f.t.s[LC_ORG_CASH][2], -50, CENT); /* 10 - 60: no round */
    assert_int_equal(lc_org_run(f.o, f.refs, &lo, &f.t, &err), LC_OK);
    assert_double_equal(f.t.s[LC_ORG_CASH][2], 50, CENT);
    release(&f);
}

/* Rent versus own for one GPU-month of training: 730 GPU-hours spread over
 * one month need one GPU.  Rent 2 CNY/GPU-hour: training spend 1,460. */
static void test_training_rent(void **state)
{
    fixture f;
    lc_error err;
    (void)state;
    assert_int_equal(load(&f,
                          "scenario: t\ncurrency: CNY\norg:\n  horizon: 13 month\n"
                          "  compute: { strategy: rent, rent_price: 2 CNY/GPU-hour }\n"
                          "  training: { gpu_hours: 730 GPU-hour, runs_per_year: 1 runs/year,"
                          " run_months: 1, growth: 2, max_growth: 16 }\n",
                          &err),
                     LC_OK);
    assert_double_equal(f.t.s[LC_ORG_TRAINING][0], 1460, CENT);
    assert_double_equal(f.t.s[LC_ORG_TRAINING][1], 0, CENT);
    /* The second run, in month 12, is twice the first. */
    assert_double_equal(f.t.s[LC_ORG_TRAINING][12], 2920, CENT);
    assert_double_equal(f.t.s[LC_ORG_GPUS_RENTED][12], 2, 1e-9);
    release(&f);
}

static void expect_error(const char *org, int line, int col, const char *msg)
{
    fixture f;
    lc_error err;
    char text[2048];
    snprintf(text, sizeof text, "scenario: bad\ncurrency: CNY\norg:\n%s", org);
    assert_int_equal(load(&f, text, &err), LC_EINPUT);
    if (strstr(err.msg, msg) == NULL || err.line != line || err.col != col)
        fail_msg("got %d:%d: %s; expected %d:%d: %s", err.line, err.col, err.msg, line, col, msg);
    release(&f);
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_error("  funding: [ { month: -1, amount: 1M CNY } ]\n", 4, 23,
                 "a funding round's month must be a whole month from 0");
    expect_error("  staff: [ { role: x, count: 2, salary: -5000 CNY/month } ]\n", 4, 41,
                 "a salary must not be negative");
    expect_error("  compute: { strategy: rent, rent_price: 1 CNY/GPU-hour }\n"
                 "  demand:\n    users: { start: 10, growth_per_year: 100% }\n"
                 "    gpu_hours_per_user_month: 1 GPU-hour/user/month\n",
                 6, 12, "needs a ceiling: give cap:");
    expect_error("  horizon: 700 month\n", 4, 12,
                 "horizon must be a whole number of months from 1 to 600");
    expect_error("  cash: 5 kWh\n", 4, 9, "cash must be money");
    expect_error("  fundng: []\n", 4, 3, "unknown key 'fundng' in org (did you mean funding?)");
    expect_error("  compute: { strategy: rnt }\n", 4, 24, "did you mean rent?");
    expect_error("  staff: [ { role: r, count: 1, salary: 1 CNY/month, growth_per_year: 10% } ]\n",
                 4, 71, "staff growth needs a ceiling");
    expect_error("  cash: gpu.rnt\n", 4, 9, "did you mean gpu.rent?");
    expect_error("  claims: [ { id: X, metric: sim.runwy, stated: 3 month } ]\n", 4, 30,
                 "did you mean sim.runway?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_months),    cmocka_unit_test(test_runway_breakeven),
        cmocka_unit_test(test_uncertain_round), cmocka_unit_test(test_training_rent),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
