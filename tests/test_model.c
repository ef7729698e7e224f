/* test_model.c — the cost model: library formulas against hand calculations,
 * availability, pinning, user formulas, the catalog, evaluators and explain. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_catalog.h"
#include "lc_claims.h"
#include "lc_explain.h"
#include "lc_model.h"
#include "lc_scenario.h"

static lc_scenario *load(const char *text, lc_error *err)
{
    lc_error_clear(err);
    return lc_scenario_load_text("t.yaml", text, strlen(text), NULL, 0, NULL, err);
}

static double value_in(lc_scenario *s, const char *name, const char *unit)
{
    long i = lc_model_find(s->model, name);
    assert_true(i >= 0);
    assert_true(lc_model_qty(s->model, (size_t)i)->available);
    return lc_units_to(&s->units, lc_model_qty(s->model, (size_t)i)->value, unit);
}

#define CLOSE(a, b) assert_true(fabs((double)(a) - (double)(b)) <= 1e-9 * fabs((double)(b)))

static const char *dgx = "scenario: dgx\n"
                         "currency: CNY\n"
                         "inputs:\n"
                         "  fleet.server: dgx-a100\n"
                         "  fleet.servers: 1000\n"
                         "  power.cooling_ratio: 1.0\n"
                         "  electricity.price: 0.63 CNY/kWh\n"
                         "  carbon.intensity: 0.5 kgCO2e/kWh\n";

/* Claims E1-E4 by hand: 6.5 kW x 2 x 24 h x 0.63 = 196.56 CNY per server-day. */
static void electricity_by_hand(void **state)
{
    lc_error err;
    lc_scenario *s = load(dgx, &err);
    (void)state;
    assert_non_null(s);
    CLOSE(value_in(s, "server.power", "kW"), 6.5);
    CLOSE(value_in(s, "power.pue", ""), 2.0);
    CLOSE(value_in(s, "electricity.cost_per_server_day", "CNY/day"), 196.56);
    CLOSE(value_in(s, "electricity.cost_per_day", "CNY/day"), 196560.0);
    /* 196,560 x 365 = 71,744,400 */
    CLOSE(value_in(s, "electricity.cost_per_year", "CNY/year"), 71744400.0);
    /* 1000 x 6.5 x 2 = 13,000 kW; x 24 h = 312,000 kWh a day */
    CLOSE(value_in(s, "power.facility", "kW"), 13000.0);
    CLOSE(value_in(s, "electricity.energy_per_day", "kWh/day"), 312000.0);
    /* 6.5 x 2 x 0.63 / 8 = 1.02375 CNY per GPU-hour */
    CLOSE(value_in(s, "electricity.cost_per_gpu_hour", "CNY/GPU-hour"), 1.02375);
    /* 312,000 kWh x 0.5 kg = 156 t a day; x 365 = 56,940 t a year */
    CLOSE(value_in(s, "carbon.per_day", "tCO2e/day"), 156.0);
    CLOSE(value_in(s, "carbon.per_year", "tCO2e/year"), 56940.0);
    lc_scenario_free(s);
}

/* Formulas whose inputs are not all set are not computed, and say so. */
static void availability(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: x\ninputs:\n  fleet.servers: 10\n", &err);
    long i;
    (void)state;
    assert_non_null(s);
    i = lc_model_find(s->model, "electricity.cost_per_day");
    assert_false(lc_model_qty(s->model, (size_t)i)->available);
    i = lc_model_find(s->model, "train.gpu_hours");
    assert_false(lc_model_qty(s->model, (size_t)i)->available);
    lc_scenario_free(s);
}

/* Training: GPT-3 at 30% MFU on A100 = 931,861.1 GPU-hours; pinning train.compute. */
static void training_by_hand(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: t\ninputs:\n  fleet.gpu: a100-80gb\n  model.params: 175B\n"
                          "  train.tokens: 300B tokens\n  train.mfu: 30%\n"
                          "  gpu.rent: 1.5 USD/GPU-hour\n  train.gpus: 1000 GPU\n"
                          "  power.pue: 1.1\n  carbon.intensity: 0.429 kgCO2e/kWh\n",
                          &err);
    double hours, goodput;
    (void)state;
    assert_non_null(s);
    /* 6 x 175e9 x 300e9 = 3.15e23 FLOP */
    CLOSE(value_in(s, "train.compute", "FLOP"), 3.15e23);
    /* 3.15e23 / (312e12 x 0.3) / 3600 = 934,829.06 GPU-hours */
    hours = 3.15e23 / (312e12 * 0.3) / 3600;
    CLOSE(value_in(s, "train.gpu_hours", "GPU-hour"), hours);
    CLOSE(value_in(s, "train.cost_cloud", "USD"), hours * 1.5);
    /* goodput at 1,000 GPUs with the library defaults: checkpoint stall
     * 10 s / 15 min = 0.011111; interruptions 1.973e-5 /h x 1000 GPUs x
     * (7.5 + 8 min = 0.258333 h) = 0.0050969; 1 - 0.011111 - 0.0050969 = 0.983792 */
    goodput = 1 - 10.0 / 900 - 1.973e-5 * 1000 * (15.5 / 60);
    CLOSE(value_in(s, "train.goodput", ""), goodput);
    CLOSE(value_in(s, "train.days", "day"), hours / goodput / 1000 / 24);
    /* No server chosen: 400 W TDP x 1.8 (power.server_overhead, Cottier et al.
     * 2024) = 720 W per GPU, the same figure electricity per GPU-hour uses;
     * 0.72 kW x hours x 1.1 = kWh; / 1000 = MWh; x 0.429 t/MWh */
    CLOSE(value_in(s, "gpu.power", "W"), 720);
    CLOSE(value_in(s, "train.energy", "MWh"), hours * 0.72 * 1.1 / 1000);
    CLOSE(value_in(s, "train.co2", "tCO2e"), hours * 0.72 * 1.1 / 1000 * 0.429);
    lc_scenario_free(s);

    /* Pinned: the published 3.14e23 replaces 6ND. */
    s = load("scenario: t\ninputs:\n  fleet.gpu: a100-80gb\n  model.params: 175B\n"
             "  train.tokens: 300B tokens\n  train.compute: 3.14e23 FLOP\n  train.mfu: 30%\n"
             "  gpu.rent: 1.5 USD/GPU-hour\n",
             &err);
    assert_non_null(s);
    /* 3.14e23 / 9.36e13 / 3600 x 1.5 = 1,397,791.67 USD (claim T1) */
    CLOSE(value_in(s, "train.cost_cloud", "USD"), 3.14e23 / (312e12 * 0.3) / 3600 * 1.5);
    lc_scenario_free(s);
}

/* Own versus rent: break-even utilisation and payback by hand. */
static void own_versus_rent(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: o\ncurrency: USD\ninputs:\n  fleet.server: dgx-a100\n"
                          "  server.price: 200000 USD\n  gpu.rent: 2 USD/GPU-hour\n"
                          "  own.life: 4 years\n  power.pue: 1.5\n"
                          "  electricity.price: 0.1 USD/kWh\n",
                          &err);
    double energy, capex_hour;
    (void)state;
    assert_non_null(s);
    /* 200,000 / 8 = 25,000 per GPU */
    CLOSE(value_in(s, "own.capex_per_gpu", "USD/GPU"), 25000.0);
    /* energy per GPU-hour: 6.5 kW x 1.5 x 0.1 / 8 = 0.121875 USD */
    energy = 6.5 * 1.5 * 0.1 / 8;
    CLOSE(value_in(s, "electricity.cost_per_gpu_hour", "USD/GPU-hour"), energy);
    /* capex per hour of a 4 x 365-day life: 25,000 / 35,040 */
    capex_hour = 25000.0 / (4 * 365 * 24);
    CLOSE(value_in(s, "own.breakeven_utilisation", ""), capex_hour / (2 - energy));
    /* payback: 25,000 / (2 - 0.121875) hours, in months of 365/12 days */
    CLOSE(value_in(s, "own.payback", "month"), 25000.0 / (2 - energy) / (365.0 / 12 * 24));
    lc_scenario_free(s);
}

/* fx: 1 USD = 7.2 CNY; a USD input in a CNY scenario; --currency. */
static void currencies(void **state)
{
    lc_error err;
    lc_override set = {"electricity.price", "0.1 USD/kWh"};
    lc_scenario *s;
    (void)state;
    lc_error_clear(&err);
    s = lc_scenario_load_text("t.yaml", dgx, strlen(dgx), &set, 1, "USD", &err);
    assert_non_null(s);
    /* 6.5 x 2 x 24 x 0.1 USD = 31.2 USD a day, whatever the base currency */
    CLOSE(value_in(s, "electricity.cost_per_server_day", "USD/day"), 31.2);
    /* in CNY at the default 7.084: 221.0208 */
    CLOSE(value_in(s, "electricity.cost_per_server_day", "CNY/day"), 31.2 * 7.084);
    lc_scenario_free(s);
}

/* User formulas: units inferred or declared, checked; cycles and bad names. */
static void user_formulas(void **state)
{
    lc_error err;
    lc_scenario *s;
    char text[1024];
    (void)state;
    snprintf(text, sizeof text,
             "%smetrics:\n  per_gpu: electricity.cost_per_day / fleet.gpus\n"
             "  budget: { formula: 5M CNY/year, unit: CNY/year }\n"
             "  share: { formula: electricity.cost_per_year / budget, unit: \"%%\" }\n",
             dgx);
    s = load(text, &err);
    assert_non_null(s);
    /* 196,560 / 8,000 GPUs = 24.57 CNY a day; default unit CUR/day */
    CLOSE(value_in(s, "per_gpu", "CNY/day"), 24.57);
    assert_string_equal(lc_model_qty(s->model, (size_t)lc_model_find(s->model, "per_gpu"))->unit,
                        "CUR/day");
    /* 71,744,400 / 5,000,000 = 1434.888% */
    CLOSE(value_in(s, "share", "%"), 1434.888);
    lc_scenario_free(s);

    s = load("scenario: x\nmetrics:\n  a: b + 1\n  b: a * 2\n", &err);
    assert_null(s);
    assert_int_equal(err.code, LC_EINPUT);
    assert_non_null(strstr(err.msg, "cycle: a -> b -> a"));

    s = load("scenario: x\nmetrics:\n  a: a + 1\n", &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "cycle: a -> a"));

    s = load("scenario: x\nmetrics:\n  y: electricity.prize * 2\n", &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "did you mean electricity.price?"));
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 6);

    s = load("scenario: x\nmetrics:\n  y: { formula: 2 kW, unit: CNY }\n", &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "declared in CNY"));
}

/* The evaluator gives the point value, and follows a varied input. */
static void evaluator_matches_point(void **state)
{
    lc_error err;
    lc_scenario *s = load(dgx, &err);
    lc_evaluator ev;
    size_t in, out[2];
    void *ws;
    double x[3], y0[3], y1[3];
    const double *inp[1] = {x};
    double *outp[2] = {y0, y1};
    (void)state;
    assert_non_null(s);
    in = (size_t)lc_model_find(s->model, "electricity.price");
    out[0] = (size_t)lc_model_find(s->model, "electricity.cost_per_day");
    out[1] = (size_t)lc_model_find(s->model, "power.facility");
    assert_int_equal(lc_model_evaluator(s->model, &in, 1, out, 2, &ev, &err), LC_OK);
    ws = ev.ws_alloc(ev.ctx);
    assert_non_null(ws);
    x[0] = lc_model_qty(s->model, in)->value;
    x[1] = 2 * x[0];
    x[2] = 0;
    assert_int_equal(ev.eval(ev.ctx, ws, inp, outp, 3), LC_OK);
    CLOSE(y0[0], lc_model_qty(s->model, out[0])->value);
    CLOSE(y0[1], 2 * lc_model_qty(s->model, out[0])->value);
    assert_true(y0[2] == 0);
    /* power.facility does not depend on the price: a constant */
    CLOSE(y1[0], 13000e3);
    CLOSE(y1[2], 13000e3);
    ev.ws_free(ws);
    lc_model_evaluator_release(&ev);
    lc_scenario_free(s);
}

/* explain writes the formula with names and with the numbers put in. */
static void explain_text(void **state)
{
    lc_error err;
    lc_scenario *s = load(dgx, &err);
    char *text;
    size_t qi;
    (void)state;
    assert_non_null(s);
    qi = (size_t)lc_model_find(s->model, "electricity.cost_per_server_day");
    text = lc_explain_formula_dup(s, qi, 1);
    /* one power model: the server's 6.5 kW shared among its 8 GPUs (issue 11) */
    assert_string_equal(text, "server.gpus \xc3\x97 gpu.power \xc3\x97 power.pue \xc3\x97 "
                              "electricity.hours \xc3\x97 electricity.price / 1 day");
    free(text);
    text = lc_explain_formula_dup(s, qi, 0);
    assert_string_equal(text,
                        "8 \xc3\x97 (6.5 kW / 8 \xc3\x97 100%) \xc3\x97 (1 + 1.0) \xc3\x97 24 h "
                        "\xc3\x97 0.63 CNY/kWh / 1 day");
    free(text);
    lc_scenario_free(s);
}

/* Claims: about, at_least, range and the implied assumption. */
static void claims(void **state)
{
    lc_error err;
    char text[2048];
    lc_scenario *s;
    lc_verdict v;
    (void)state;
    snprintf(
        text, sizeof text,
        "%sclaims:\n"
        "  - { id: E3, metric: electricity.cost_per_server_day, stated: 200 CNY/day }\n"
        "  - { id: X1, metric: electricity.cost_per_day, kind: at_least, stated: 250000 CNY/day,"
        " implied: electricity.price }\n"
        "  - { id: X2, metric: electricity.cost_per_day, kind: range, low: 1 CNY/day,"
        " high: 200000 CNY/day }\n",
        dgx);
    s = load(text, &err);
    assert_non_null(s);
    assert_int_equal(s->nclaims, 3);
    assert_int_equal(lc_claims_judge(s, &s->claims[0], &v), LC_OK);
    assert_int_equal(v.holds, 1);
    /* 196.56 / 200 - 1 = -1.72% */
    CLOSE(v.deviation, 196.56 / 200 - 1);
    lc_verdict_release(&v);
    assert_int_equal(lc_claims_judge(s, &s->claims[1], &v), LC_OK);
    assert_int_equal(v.holds, 0);
    /* 250,000 = 1000 x 6.5 x 2 x 24 x p: p = 0.801282 CNY/kWh */
    assert_non_null(strstr(v.implied, "electricity.price = 0.801282 CNY/kWh"));
    lc_verdict_release(&v);
    assert_int_equal(lc_claims_judge(s, &s->claims[2], &v), LC_OK);
    assert_int_equal(v.holds, 1);
    lc_verdict_release(&v);
    lc_scenario_free(s);
}

/* Every number of the built-in catalog parses and has a source. */
static void catalog_is_sourced(void **state)
{
    lc_catalog c;
    lc_units u;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    lc_units_init(&u, "USD");
    assert_int_equal(lc_catalog_init(&c, NULL, &err), LC_OK);
    if (lc_catalog_check(&c, &u, &err) != LC_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
    assert_non_null(lc_catalog_entry(&c, "gpus", "h800"));
    assert_non_null(lc_catalog_entry(&c, "gpus", "ascend-910b"));
    assert_non_null(lc_catalog_entry(&c, "servers", "dgx-h100"));
    lc_catalog_release(&c);
}

/* A scenario's catalog entry overrides the built-in one. */
static void catalog_override(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: c\ncatalog:\n  servers:\n    dgx-a100: { gpu: a100-40gb, "
                          "gpus: 8, power: 7 kW, source: test }\n"
                          "inputs:\n  fleet.server: dgx-a100\n",
                          &err);
    (void)state;
    assert_non_null(s);
    CLOSE(value_in(s, "server.power", "kW"), 7.0);
    lc_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(electricity_by_hand),
        cmocka_unit_test(availability),
        cmocka_unit_test(training_by_hand),
        cmocka_unit_test(own_versus_rent),
        cmocka_unit_test(currencies),
        cmocka_unit_test(user_formulas),
        cmocka_unit_test(evaluator_matches_point),
        cmocka_unit_test(explain_text),
        cmocka_unit_test(claims),
        cmocka_unit_test(catalog_is_sourced),
        cmocka_unit_test(catalog_override),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
