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

/* --- money over time ---------------------------------------------------------- */

#define MONTH (365.0 * 86400 / 12)
#define YEAR  (365.0 * 86400)

/* One GPU bought for 100,000 CNY in month 0 with a loan at 12 %/year (1% a
 * month) over 12 months.  Amortising: payment = 100,000 x 0.01 / (1 - 1.01^-12)
 * = 1,000 / 0.11255077 = 8,884.88 a month from month 1 (the textbook schedule):
 *   month 1: interest 100,000 x 1% = 1,000.00, principal 7,884.88, owed 92,115.12
 *   month 2: interest 921.15, principal 7,963.73, owed 84,151.39
 *   month 12: interest 8,796.91 x 1% = 87.97, principal 8,796.91, owed 0
 *   interest over the loan: 12 x 8,884.88 - 100,000 = 6,618.55
 * The purchase is capex and the loan drawn the same month, so the cash is
 * unchanged in month 0 and falls by 8,884.88 a month from month 1. */
static const char loan_org[] =
    "scenario: loan\ncurrency: CNY\norg:\n  horizon: 14 month\n  cash: 200000 CNY\n"
    "  compute:\n    strategy: own\n    buy_to_need: false\n"
    "    purchases: [ { month: 0, gpus: 1 } ]\n    gpu_price: 100000 CNY\n"
    "    life: 2 year\n    resale: 0%%\n    rent_price: 10 CNY/GPU-hour\n"
    "    electricity: 0 CNY/GPU-hour\n"
    "    financing: { kind: loan, rate: 12 %%/year, term: 12 month%s }\n";

static void test_loan_schedule(void **state)
{
    fixture f;
    lc_error err;
    char text[1024];
    size_t m;
    double interest = 0;
    (void)state;
    snprintf(text, sizeof text, loan_org, "");
    assert_int_equal(load(&f, text, &err), LC_OK);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][0], 100000, CENT);
    assert_double_equal(f.t.s[LC_ORG_BORROWED][0], 100000, CENT);
    assert_double_equal(f.t.s[LC_ORG_CASH][0], 200000, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEBT][0], 100000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][1], 1000.00, CENT);
    assert_double_equal(f.t.s[LC_ORG_PRINCIPAL][1], 7884.88, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEBT][1], 92115.12, CENT);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][2], 921.15, CENT);
    assert_double_equal(f.t.s[LC_ORG_PRINCIPAL][2], 7963.73, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEBT][2], 84151.39, CENT);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][12], 87.97, CENT);
    assert_double_equal(f.t.s[LC_ORG_PRINCIPAL][12], 8796.91, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEBT][12], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][13], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_CASH][1], 200000 - 8884.88, CENT);
    assert_double_equal(f.t.s[LC_ORG_SPEND][5], 8884.88, CENT);
    for (m = 0; m < 14; m++)
        interest += f.t.s[LC_ORG_INTEREST][m];
    assert_double_equal(interest, 6618.55, CENT);
    /* 200,000 - 12 x 8,884.88 = 93,381.45 */
    assert_double_equal(f.t.s[LC_ORG_CASH][13], 93381.45, CENT);
    release(&f);

    /* Bullet: 1,000 interest in months 1..12, the 100,000 back in month 12. */
    snprintf(text, sizeof text, loan_org, ", repayment: bullet");
    assert_int_equal(load(&f, text, &err), LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][1], 1000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INTEREST][12], 1000, CENT);
    assert_double_equal(f.t.s[LC_ORG_PRINCIPAL][11], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_PRINCIPAL][12], 100000, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEBT][11], 100000, CENT);
    assert_double_equal(f.t.s[LC_ORG_CASH][13], 200000 - 12 * 1000 - 100000, CENT);
    release(&f);
}

/* The NPV of a known stream: 1,000 CNY of costs in each of 12 months at 10
 * %/year, month m discounted by 1.1^(-m/12): v = 1.1^(-1/12) = 0.99208838,
 * sum_{m=0..11} v^m = (1 - v^12) / (1 - v) = (1 - 1/1.1) / 0.00791162
 * = 11.4913969, so the NPV is -11,491.40 CNY.  The cash never comes back
 * above 0: the discounted payback is censored (NaN), not the horizon. */
static void test_npv_known_stream(void **state)
{
    fixture f;
    lc_error err;
    double sim[LC_SIM_NMETRICS];
    (void)state;
    assert_int_equal(load(&f,
                          "scenario: npv\ncurrency: CNY\norg:\n  horizon: 12 month\n"
                          "  cash: 1000000 CNY\n  other_costs: 1000 CNY/month\n"
                          "  finance: { discount_rate: 10 %/year, inflation: 10 %/year }\n",
                          &err),
                     LC_OK);
    lc_org_metrics(&f.t, sim);
    assert_double_equal(sim[LC_SIM_NPV], -11491.40, CENT);
    assert_double_equal(f.t.s[LC_ORG_DCF_CUM][0], -1000, CENT);
    assert_true(isnan(sim[LC_SIM_PAYBACK_DISCOUNTED]));
    assert_true(isnan(sim[LC_SIM_OWN_IRR])); /* nothing owned */
    /* Constant money: 988,000 at month 11 in month-0 money, / 1.1^(11/12)
     * = 988,000 / 1.0912978 = 905,344.05 (1.1^(11/12) = exp(11/12 x ln 1.1)). */
    assert_double_equal(sim[LC_SIM_CASH_END_REAL], 988000 / pow(1.1, 11.0 / 12), CENT);
    assert_double_equal(sim[LC_SIM_CASH_END_REAL], 905344.05, CENT);
    release(&f);
}

/* IRR of flows at m/12 years: -100 now and 110 a year later is 10 %/year;
 * -100, +230 after a year, -132 after two has two: (1 + r)^-1 = x solves
 * -100 + 230 x - 132 x^2 = 0, x = (230 +- 10) / 264: r = 10% and 20%; flows
 * of one sign have none. */
static void test_irr(void **state)
{
    double f[25] = {0}, irr;
    (void)state;
    f[0] = -100;
    f[12] = 110;
    assert_int_equal(lc_org_irr(f, 13, &irr), 1);
    assert_double_equal(irr * YEAR, 0.10, 1e-9);
    f[12] = 230;
    f[24] = -132;
    assert_int_equal(lc_org_irr(f, 25, &irr), 2);
    assert_double_equal(irr * YEAR, 0.10, 1e-9); /* the lowest */
    f[0] = 100;
    f[12] = 1;
    f[24] = 0;
    assert_int_equal(lc_org_irr(f, 25, &irr), 0);
    assert_true(isnan(irr));
}

/* Declining balance at twice the straight-line rate: one GPU of 60,000 CNY,
 * life 60 months, rate 2/60 = 1/30 a month, book value never below the 10%
 * resale (6,000):
 *   month 0: depreciation 60,000 / 30 = 2,000, book 58,000
 *   month 1: 58,000 / 30 = 1,933.33, book 56,066.67
 *   month 2: 56,066.67 / 30 = 1,868.89, book 54,197.78
 *   month 59: book 60,000 x (29/30)^60 = 7,847.94 (above the floor)
 *   month 60: sold for 6,000; the 1,847.94 left on the books is a loss. */
static void test_declining_balance(void **state)
{
    fixture f;
    lc_error err;
    double end = 60000 * pow(29.0 / 30, 60);
    (void)state;
    assert_int_equal(load(&f,
                          "scenario: db\ncurrency: CNY\norg:\n  horizon: 61 month\n"
                          "  compute:\n    strategy: own\n    buy_to_need: false\n"
                          "    purchases: [ { month: 0, gpus: 1 } ]\n    gpu_price: 60000 CNY\n"
                          "    life: 5 year\n    resale: 10%\n    electricity: 0 CNY/GPU-hour\n"
                          "    rent_price: 10 CNY/GPU-hour\n"
                          "    depreciation: { method: declining_balance, factor: 2 }\n",
                          &err),
                     LC_OK);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][0], 2000, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][0], 58000, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][1], 1933.33, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][1], 56066.67, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][2], 1868.89, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][2], 54197.78, CENT);
    assert_double_equal(end, 7847.94, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][59], end, CENT);
    assert_double_equal(f.t.s[LC_ORG_RESALE][60], 6000, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][60], 1847.94, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][60], 0, CENT);
    release(&f);
}

/* Two generations over 24 months.  Need: 10 GPUs of the first chip (312
 * TFLOP/s) in months 0-11, 40 in months 12-23 (users x 1 GPU each).  The second
 * chip (936 TFLOP/s: 3 times the work) is on sale from month 12 for 200,000
 * CNY, 2 CNY/GPU-hour of electricity, 20 CNY/GPU-hour to rent.
 *   month 0: 10 first-chip GPUs bought, 10 x 100,000 = 1,000,000 capex;
 *            electricity 10 x 730 h x 1 CNY = 7,300
 *   month 12: need 40, fleet does 10: 30 more, / 3 = 10 second-chip GPUs,
 *            2,000,000 capex; 20 GPUs; electricity 7,300 + 10 x 730 x 2 = 21,900
 *   renting instead: months 0-11 10 x 730 x 10 = 73,000 a month; months
 *            12-23 the newest chip, 40 / 3 GPUs x 730 x 20 = 194,666.67 a month.
 * Savings of owning: 73,000 - 1,007,300 = -934,300 in month 0, 65,700 in months
 * 1-11, 194,666.67 - 2,021,900 = -1,827,233.33 in month 12, 172,766.67 in months
 * 13-23: cumulative -211,600 at month 11, -2,038,833.33 at 12, still -138,400 at
 * month 23: the payback is censored. */
static void test_two_generations(void **state)
{
    fixture f;
    lc_error err;
    double sim[LC_SIM_NMETRICS], saving = 0;
    size_t m;
    (void)state;
    assert_int_equal(
        load(&f,
             "scenario: gens\ncurrency: CNY\norg:\n  horizon: 24 month\n  cash: 1B CNY\n"
             "  compute:\n    strategy: own\n    gpu_price: 100000 CNY\n    life: 5 year\n"
             "    resale: 0%\n    rent_price: 10 CNY/GPU-hour\n"
             "    electricity: 1 CNY/GPU-hour\n    peak: 312 TFLOP/s\n"
             "    generations:\n"
             "      - { name: next, from_month: 12, peak: 936 TFLOP/s, gpu_price: 200000 CNY,\n"
             "          rent_price: 20 CNY/GPU-hour, electricity: 2 CNY/GPU-hour }\n"
             "  demand:\n"
             "    users: [ { month: 0, users: 10 }, { month: 11, users: 10 },\n"
             "             { month: 12, users: 40 } ]\n"
             "    gpu_hours_per_user_month: 730 GPU-hour/user/month\n",
             &err),
        LC_OK);
    assert_int_equal(f.t.ngens, 2);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][0], 1000000, CENT);
    assert_double_equal(f.t.s[LC_ORG_ELECTRICITY][5], 7300, CENT);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][12], 2000000, CENT);
    assert_double_equal(f.t.s[LC_ORG_ELECTRICITY][12], 21900, CENT);
    assert_double_equal(f.t.s[LC_ORG_ELECTRICITY][23], 21900, CENT);
    for (m = 0; m < 24; m++) {
        assert_double_equal(f.t.s[LC_ORG_GEN_FIRST][m], 10, 1e-9);
        assert_double_equal(f.t.s[LC_ORG_GEN_FIRST + 1][m], m < 12 ? 0 : 10, 1e-9);
        assert_double_equal(f.t.s[LC_ORG_GPUS_OWNED][m], m < 12 ? 10 : 20, 1e-9);
        assert_double_equal(f.t.s[LC_ORG_GPUS_RENTED][m], 0, 1e-9);
        assert_double_equal(f.t.s[LC_ORG_RENT_COMPUTE][m], m < 12 ? 73000 : 194666.67, CENT);
    }
    for (m = 0; m < 24; m++)
        saving +=
            f.t.s[LC_ORG_RENT_COMPUTE][m] - f.t.s[LC_ORG_CAPEX][m] - f.t.s[LC_ORG_ELECTRICITY][m];
    assert_double_equal(saving, -138400, CENT);
    lc_org_metrics(&f.t, sim);
    assert_true(isnan(sim[LC_SIM_OWN_PAYBACK]));
    release(&f);
}

/* Rents that fall 20% a year: 10 GPUs at 10 CNY/GPU-hour, 73,000 CNY in month
 * 0, 73,000 x 0.8^(6/12) = 65,293.18 in month 6, 73,000 x 0.8 = 58,400 in 12. */
static void test_rent_decline(void **state)
{
    fixture f;
    lc_error err;
    (void)state;
    assert_int_equal(
        load(&f,
             "scenario: decline\ncurrency: CNY\norg:\n  horizon: 13 month\n"
             "  compute: { strategy: rent, rent_price: 10 CNY/GPU-hour, rent_decline: 20 %/year }\n"
             "  demand:\n    users: [ { month: 0, users: 10 } ]\n"
             "    gpu_hours_per_user_month: 730 GPU-hour/user/month\n",
             &err),
        LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][0], 73000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][6], 65293.18, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 58400, CENT);
    release(&f);
}

/* Issue 15: without rent_decline: the decline is gpu.rent_decline, fitted to
 * the chip's dated rents.  The chip's neocloud rents 8, 4, 2 USD/GPU-hour in
 * 2023-01, 2024-01, 2026-01 give 1 - 2^(-9/14) = 35.95567 %/year (the
 * least-squares arithmetic is in test_catalog.c, rent_trend_fit).  10 GPUs at
 * 10 USD/GPU-hour: 73,000 USD in month 0, 73,000 x 2^(-9/28) = 58,420.22 in
 * month 6 (0.8002770), 73,000 x 2^(-9/14) = 46,752.36 in month 12 (0.6404433). */
#define TREND_CHIP                                                                                 \
    "scenario: trend\ncurrency: USD\ncatalog:\n  gpus:\n    chip:\n"                               \
    "      peak: { bf16: 100 TFLOP/s }\n      source: test\n      rents:\n"                        \
    "        - { kind: neocloud, value: 8 USD/GPU-hour, date: 2023-01, source: test }\n"           \
    "        - { kind: neocloud, value: 4 USD/GPU-hour, date: 2024-01, source: test }\n"           \
    "        - { kind: neocloud, value: 2 USD/GPU-hour, date: 2026-01, source: test }\n"           \
    "inputs:\n  fleet.gpu: chip\norg:\n  horizon: 13 month\n"
#define TREND_DEMAND                                                                               \
    "  demand:\n    users: [ { month: 0, users: 10 } ]\n"                                          \
    "    gpu_hours_per_user_month: 730 GPU-hour/user/month\n"
static void test_rent_decline_default(void **state)
{
    fixture f;
    lc_error err;
    const char *name, *src;
    double rd;
    (void)state;
    assert_int_equal(
        load(&f,
             TREND_CHIP "  compute: { strategy: rent, rent_price: 10 USD/GPU-hour }\n" TREND_DEMAND,
             &err),
        LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][0], 73000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][6], 58420.22, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 46752.36, CENT);
    rd = lc_org_rent_decline(f.o, &name, &src);
    assert_double_equal(rd * 365 * 86400, 1 - pow(2, -9.0 / 14), 1e-12);
    assert_string_equal(name, "gpu.rent_decline");
    assert_non_null(strstr(src, "fitted to 3 neocloud rents of chip, 2023-01..2026-01"));
    release(&f);
    /* compute: rent_decline: wins: 0 %/year keeps the rent flat */
    assert_int_equal(load(&f,
                          TREND_CHIP "  compute: { strategy: rent, rent_price: 10 USD/GPU-hour, "
                                     "rent_decline: 0 %/year }\n" TREND_DEMAND,
                          &err),
                     LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 73000, CENT);
    rd = lc_org_rent_decline(f.o, &name, &src);
    assert_true(rd == 0 && name == NULL);
    assert_string_equal(src, "compute: rent_decline");
    release(&f);
    /* a rise is a negative decline: -20 %/year, 73,000 x 1.2 = 87,600 in month 12 */
    assert_int_equal(load(&f,
                          TREND_CHIP "  compute: { strategy: rent, rent_price: 10 USD/GPU-hour, "
                                     "rent_decline: -20 %/year }\n" TREND_DEMAND,
                          &err),
                     LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 87600, CENT);
    release(&f);
    /* dated rent prices are the whole path: no default decline on top
     * (10 USD/GPU-hour in month 0 and 12: 73,000 in month 12) */
    assert_int_equal(
        load(&f,
             TREND_CHIP
             "  compute: { strategy: rent, rent_price: [ { month: 0, price: "
             "10 USD/GPU-hour }, { month: 12, price: 10 USD/GPU-hour } ] }\n" TREND_DEMAND,
             &err),
        LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 73000, CENT);
    rd = lc_org_rent_decline(f.o, &name, &src);
    assert_true(rd == 0 && name == NULL);
    assert_non_null(strstr(src, "dated rent_price"));
    release(&f);
}

/* A lease: one GPU of 100,000 CNY at 3 %/month for 12 months, bought out for
 * 10% at the end of the term, kept until its 24-month life, sold for 5%:
 *   months 0-11: lease 3,000 a month, no capex, nothing on the books
 *   month 12: buy-out 10,000 as capex; then straight line from 10,000 at age
 *            12 to 5,000 at age 24: 5,000 / 12 = 416.67 a month, book 9,583.33
 *   month 24: sold for 5,000; nothing left owned. */
/* Dated prices: rent from 8 CNY/GPU-hour in month 0 to 2 in month 12, linear
 * between, constant after: 10 GPUs cost 10 x 730 h x 8 = 58,400 in month 0,
 * x 5 = 36,500 in month 6, x 2 = 14,600 in months 12 and 13.  Purchase price
 * from 100,000 to 40,000 CNY over the same year: a GPU bought in month 6 costs
 * 70,000 (and one in month 13, 40,000). */
static void test_dated_prices(void **state)
{
    fixture f;
    lc_error err;
    (void)state;
    assert_int_equal(
        load(&f,
             "scenario: dated\ncurrency: CNY\norg:\n  horizon: 14 month\n"
             "  compute:\n    strategy: own\n    buy_to_need: false\n"
             "    purchases: [ { month: 6, gpus: 1 }, { month: 13, gpus: 1 } ]\n"
             "    life: 5 year\n    electricity: 0 CNY/GPU-hour\n"
             "    gpu_price: [ { month: 0, price: 100000 CNY }, { month: 12, price: 40000 CNY } ]\n"
             "    rent_price: [ { month: 0, price: 8 CNY/GPU-hour },\n"
             "                  { month: 12, price: 2 CNY/GPU-hour } ]\n"
             "  demand:\n    users: [ { month: 0, users: 10 } ]\n"
             "    gpu_hours_per_user_month: 730 GPU-hour/user/month\n",
             &err),
        LC_OK);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][0], 58400, CENT);
    /* month 6: one GPU owned, 9 rented at 5 CNY/GPU-hour */
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][6], 9 * 730 * 5, CENT);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][6], 70000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][12], 9 * 730 * 2, CENT);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][13], 40000, CENT);
    assert_double_equal(f.t.s[LC_ORG_INFERENCE][13], 8 * 730 * 2, CENT);
    release(&f);
}

static void test_lease(void **state)
{
    fixture f;
    lc_error err;
    (void)state;
    assert_int_equal(load(&f,
                          "scenario: lease\ncurrency: CNY\norg:\n  horizon: 25 month\n"
                          "  compute:\n    strategy: own\n    buy_to_need: false\n"
                          "    purchases: [ { month: 0, gpus: 1 } ]\n    gpu_price: 100000 CNY\n"
                          "    life: 2 year\n    resale: 5%\n    electricity: 0 CNY/GPU-hour\n"
                          "    rent_price: 10 CNY/GPU-hour\n"
                          "    financing: { kind: lease, payment: 3 %/month, term: 12 month,"
                          " buyout: 10% }\n",
                          &err),
                     LC_OK);
    assert_double_equal(f.t.s[LC_ORG_LEASE][0], 3000, CENT);
    assert_double_equal(f.t.s[LC_ORG_LEASE][11], 3000, CENT);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][0], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][11], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_LEASE][12], 0, CENT);
    assert_double_equal(f.t.s[LC_ORG_CAPEX][12], 10000, CENT);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][12], 416.67, CENT);
    assert_double_equal(f.t.s[LC_ORG_BOOK_VALUE][12], 9583.33, CENT);
    assert_double_equal(f.t.s[LC_ORG_GPUS_OWNED][23], 1, 1e-12);
    assert_double_equal(f.t.s[LC_ORG_RESALE][24], 5000, CENT);
    assert_double_equal(f.t.s[LC_ORG_GPUS_OWNED][24], 0, 1e-12);
    assert_double_equal(f.t.s[LC_ORG_DEPRECIATION][24], 0, CENT);
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
        cmocka_unit_test(test_three_months),
        cmocka_unit_test(test_runway_breakeven),
        cmocka_unit_test(test_uncertain_round),
        cmocka_unit_test(test_training_rent),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_loan_schedule),
        cmocka_unit_test(test_npv_known_stream),
        cmocka_unit_test(test_irr),
        cmocka_unit_test(test_declining_balance),
        cmocka_unit_test(test_two_generations),
        cmocka_unit_test(test_rent_decline),
        cmocka_unit_test(test_rent_decline_default),
        cmocka_unit_test(test_lease),
        cmocka_unit_test(test_dated_prices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
