/* test_catalog.c — the 2026 catalog: chips present and sourced, dated rent
 * rows chosen by fleet.rent, the BF16 peak training uses, the fitted MFU and
 * failure-rate distributions, goodput and mixture-of-experts memory.  Expected
 * values are worked out by hand from catalog.yaml (comments). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lc_catalog.h"
#include "lc_dist.h"
#include "lc_scenario.h"

static lc_scenario *load(const char *text, lc_error *err)
{
    lc_error_clear(err);
    return lc_scenario_load_text("t.yaml", text, strlen(text), NULL, 0, NULL, err);
}

static lc_qty *qty(lc_scenario *s, const char *name)
{
    long i = lc_model_find(s->model, name);
    assert_true(i >= 0);
    return lc_model_qty(s->model, (size_t)i);
}

static double value_in(lc_scenario *s, const char *name, const char *unit)
{
    lc_qty *q = qty(s, name);
    assert_true(q->available);
    return lc_units_to(&s->units, q->value, unit);
}

#define CLOSE(a, b, rel) assert_true(fabs((double)(a) - (double)(b)) <= (rel)*fabs((double)(b)))

/* Every chip and system the issue lists is in the catalog, and every number parses
 * with a source (rent rows: kind, date and source). */
static void chips_of_2026(void **state)
{
    static const char *const gpus[] = {"h100-pcie", "h200",      "a800",    "l40s",       "l20",
                                       "b200",      "b300",      "gb200",   "gb300",      "mi300x",
                                       "mi325x",    "mi355x",    "tpu-v5e", "tpu-v5p",    "tpu-v6e",
                                       "tpu7x",     "trainium2", "gaudi3",  "ascend-910c"};
    static const char *const servers[] = {"dgx-h200",    "dgx-b200",    "hgx-b200",
                                          "gb200-nvl72", "gb300-nvl72", "cloudmatrix-384"};
    lc_catalog c;
    lc_units u;
    lc_error err;
    size_t i;
    (void)state;
    lc_error_clear(&err);
    lc_units_init(&u, "USD");
    assert_int_equal(lc_catalog_init(&c, NULL, &err), LC_OK);
    if (lc_catalog_check(&c, &u, &err) != LC_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
    for (i = 0; i < sizeof gpus / sizeof gpus[0]; i++)
        if (lc_catalog_entry(&c, "gpus", gpus[i]) == NULL)
            fail_msg("no GPU %s", gpus[i]);
    for (i = 0; i < sizeof servers / sizeof servers[0]; i++)
        if (lc_catalog_entry(&c, "servers", servers[i]) == NULL)
            fail_msg("no server %s", servers[i]);
    lc_catalog_release(&c);
}

/* Dense peaks: the B200's BF16 is the HGX B200's 36 PFLOP/s sparse / 8 / 2. */
static void dense_peaks(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: p\ninputs:\n  fleet.gpu: b200\n  gpu.precision: fp4\n", &err);
    (void)state;
    assert_non_null(s);
    /* HGX B200 FP4 144 PFLOP/s with sparsity / 8 GPUs / 2 = 9,000 TFLOP/s dense */
    CLOSE(value_in(s, "gpu.peak", "TFLOP/s"), 9000, 1e-12);
    /* training's peak stays the 16-bit one: 36 PFLOP/s / 8 / 2 = 2,250 TFLOP/s */
    CLOSE(value_in(s, "gpu.peak_bf16", "TFLOP/s"), 2250, 1e-12);
    lc_scenario_free(s);
    /* V100 has no BF16: the FP16 tensor rate, 125 TFLOP/s */
    s = load("scenario: p\ninputs:\n  fleet.gpu: v100-sxm2-32gb\n", &err);
    assert_non_null(s);
    CLOSE(value_in(s, "gpu.peak_bf16", "TFLOP/s"), 125, 1e-12);
    lc_scenario_free(s);
}

static double rent_usd(const char *selector)
{
    char text[256];
    lc_error err;
    lc_scenario *s;
    double v;
    snprintf(text, sizeof text, "scenario: r\ninputs:\n  fleet.gpu: h100-sxm\n  fleet.rent: %s\n",
             selector);
    s = load(text, &err);
    if (s == NULL)
        fail_msg("%s: %s", selector, err.msg);
    v = value_in(s, "gpu.rent", "USD/GPU-hour");
    lc_scenario_free(s);
    return v;
}

/* fleet.rent: the latest row matching every word. */
static void rent_rows(void **state)
{
    lc_error err;
    lc_scenario *s;
    (void)state;
    /* H100 neocloud rows: 3.49 (2024-01), 1.70 (2025-10), 2.35 (2026-03) */
    CLOSE(rent_usd("neocloud"), 2.35, 1e-12);
    CLOSE(rent_usd("neocloud@2025"), 1.70, 1e-12);
    /* 2023: hyperscaler 12.29 (2023-07) is later than reserved 5.00 (2023-06) */
    CLOSE(rent_usd("2023"), 12.29, 1e-12);
    CLOSE(rent_usd("hyperscaler@2025"), 6.88, 1e-12);
    /* 75,000 CNY / 8 / 730 h = 12.84 CNY/GPU-hour; / 7.084 CNY per USD = 1.81254 USD */
    CLOSE(rent_usd("china-cloud"), 12.84 / 7.084, 1e-12);
    /* another chip's row: A100 80GB reserved, 1.81 (2022-08) */
    CLOSE(rent_usd("a100-80gb@reserved"), 1.81, 1e-12);
    /* no row: one positioned error */
    s = load("scenario: r\ninputs:\n  fleet.gpu: h100-sxm\n  fleet.rent: reserved@2019\n", &err);
    assert_null(s);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "no rent row matching 'reserved@2019'"));
    s = load("scenario: r\ninputs:\n  fleet.rent: neocloud\n", &err);
    assert_null(s);
    assert_non_null(strstr(err.msg, "fleet.rent needs a GPU"));
}

/* A training scenario gets the fitted lognormal MFU; its point is the median. */
static void fitted_mfu(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: t\ninputs:\n  fleet.gpu: h100-sxm\n  model.params: 7B\n"
                          "  train.tokens: 1T tokens\n  train.gpus: 512 GPU\n",
                          &err);
    lc_qty *mfu, *fail;
    (void)state;
    assert_non_null(s);
    mfu = qty(s, "train.mfu");
    assert_non_null(mfu->dist);
    /* median sqrt(25.40% x 53.67%) = 36.9218%; P5 = 25.40% */
    CLOSE(mfu->value, sqrt(0.2540 * 0.5367), 1e-12);
    CLOSE(lc_dist_quantile(mfu->dist, 0.05), 0.2540, 1e-9);
    CLOSE(lc_dist_quantile(mfu->dist, 0.95), 0.5367, 1e-9);
    /* failure rate: median sqrt(0.9865e-5 x 3.946e-5) = 1.973e-5 per GPU-hour (Llama 3) */
    fail = qty(s, "train.failure_rate");
    assert_non_null(fail->dist);
    CLOSE(value_in(s, "train.failure_rate", "1/h"), 1.973e-5, 1e-6);
    lc_scenario_free(s);
    /* a scenario's own MFU keeps no distribution */
    s = load("scenario: t\ninputs:\n  fleet.gpu: h100-sxm\n  model.params: 7B\n"
             "  train.tokens: 1T tokens\n  train.mfu: 40%\n",
             &err);
    assert_non_null(s);
    assert_null(qty(s, "train.mfu")->dist);
    /* no train.gpus: no failure-rate distribution either */
    assert_null(qty(s, "train.failure_rate")->dist);
    lc_scenario_free(s);
}

/* Goodput and days at 16,384 GPUs; memory of a mixture of experts. */
static void goodput_and_moe(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: m\ninputs:\n  fleet.gpu: h800\n  model.params: 671B\n"
                          "  model.active_params: 37B\n  train.tokens: 14.8T tokens\n"
                          "  train.mfu: 40%\n  train.gpus: 16384 GPU\n"
                          "  train.checkpoint_interval: 30 min\n  train.restart_time: 20 min\n",
                          &err);
    double hours, goodput;
    (void)state;
    assert_non_null(s);
    /* compute counts active parameters: 6 x 37e9 x 14.8e12 = 3.2856e24 FLOP */
    CLOSE(value_in(s, "train.compute", "FLOP"), 3.2856e24, 1e-12);
    /* 3.2856e24 / (989e12 x 0.40 x 3600) = 2,306,976.1 GPU-hours */
    hours = 3.2856e24 / (989e12 * 0.40 * 3600);
    CLOSE(value_in(s, "train.gpu_hours", "GPU-hour"), hours, 1e-12);
    /* goodput = 1 - 10 s / 1800 s - 1.973e-5 x 16,384 x (0.25 h + 0.3333 h)
     *         = 1 - 0.0055556 - 0.3232563 x 0.5833333 = 1 - 0.0055556 - 0.1885662 = 0.8058782 */
    goodput = 1 - 10.0 / 1800 - 1.973e-5 * 16384 * (0.25 + 20.0 / 60);
    CLOSE(value_in(s, "train.goodput", ""), goodput, 1e-12);
    CLOSE(goodput, 0.8058782, 1e-6);
    CLOSE(value_in(s, "train.gpu_hours_total", "GPU-hour"), hours / goodput, 1e-12);
    CLOSE(value_in(s, "train.days", "day"), hours / goodput / 16384 / 24, 1e-12);
    /* memory counts all parameters: 671e9 x 16 B = 10,736 GB; / 80 GB = 134.2 -> 135 */
    CLOSE(value_in(s, "train.state_memory", "GB"), 10736, 1e-12);
    CLOSE(value_in(s, "train.gpus_for_memory", "GPU"), 135, 0);
    lc_scenario_free(s);
}

static double peak_of(const char *gpu, const char *precision)
{
    char text[256];
    lc_error err;
    lc_scenario *s;
    double v;
    snprintf(text, sizeof text, "scenario: p\ninputs:\n  fleet.gpu: %s\n  gpu.precision: %s\n", gpu,
             precision);
    s = load(text, &err);
    if (s == NULL)
        fail_msg("%s %s: %s", gpu, precision, err.msg);
    v = value_in(s, "gpu.peak", "TFLOP/s");
    lc_scenario_free(s);
    return v;
}

/* Numbers corrected against public sources (issue 13), worked from the sources
 * quoted in catalog.yaml. */
static void checked_sources(void **state)
{
    (void)state;
    /* B200 per-GPU datasheet column: TF32 2.2 PFLOP/s with sparsity / 2 = 1,100
     * (not the HGX 18 PFLOP/s / 8 / 2 = 1,125, which rounds the total up) */
    CLOSE(peak_of("b200", "tf32"), 1100, 1e-12);
    /* HGX B300 NVL16 (GTC 2025): FP4 105 PFLOP/s dense / 8 GPUs = 13,125 */
    CLOSE(peak_of("b300", "fp4"), 105000.0 / 8, 1e-12);
    CLOSE(peak_of("b300", "fp4"), 13125, 1e-12);
    /* HGX B300: FP64 10 TFLOP/s / 8 = 1.25 */
    CLOSE(peak_of("b300", "fp64"), 1.25, 1e-12);
    /* GB200 per-GPU column: FP64 40 TFLOP/s (the 2024 rack figure 3,240 / 72 was 45) */
    CLOSE(peak_of("gb200", "fp64"), 40, 1e-12);
    /* MI355X: 256 CUs x 8,192 FP8 FLOP/clock x 2.4 GHz = 5.0331648e15 = 5,033.2 TFLOP/s */
    CLOSE(peak_of("mi355x", "fp8"), 5033.2, 1e-12);
    CLOSE(256.0 * 8192 * 2.4e9 / 1e12, 5033.2, 1e-5);
    /* TPU v5e docs: 393 TOP/s int8 */
    CLOSE(peak_of("tpu-v5e", "int8"), 393, 1e-12);
}

/* A chip of the scenario's own catalog with dated rent rows (issue 15). */
#define CHIP(rows)                                                                                 \
    "scenario: trend\ncurrency: USD\ncatalog:\n  gpus:\n    chip:\n"                               \
    "      peak: { bf16: 100 TFLOP/s }\n      source: test\n      rents:\n" rows "inputs:\n"       \
    "  fleet.gpu: chip\n"
#define ROW(kind, value, date)                                                                     \
    "        - { kind: " kind ", value: " value ", date: " date ", source: test }\n"

static const char *source_of(lc_scenario *s, const char *name)
{
    const char *src = qty(s, name)->source;
    assert_non_null(src);
    return src;
}

/* gpu.rent_decline: least squares on ln(rent) against years, one provider kind.
 * Three neocloud rents 8, 4, 2 USD/GPU-hour in 2023-01, 2024-01, 2026-01:
 *   t = 0, 1, 3 years (from 2023-01); y = ln 8, ln 4, ln 2 = 3L, 2L, L (L = ln 2)
 *   mean t = 4/3, mean y = 2L; t - 4/3 = -4/3, -1/3, 5/3; y - 2L = L, 0, -L
 *   Sxy = -4/3 L - 5/3 L = -3L; Sxx = (16 + 1 + 25)/9 = 14/3
 *   slope = -3L / (14/3) = -9L/14 = -0.4455946 per year
 *   decline = 1 - exp(-9L/14) = 1 - 2^(-9/14) = 1 - 0.6404433 = 35.95567 %/year
 * (not the end points' 1 - (2/8)^(1/3) = 37.00%, nor the first pair's 50%).
 * The one hyperscaler row does not count: neocloud has the most rows. */
static void rent_trend_fit(void **state)
{
    lc_error err;
    lc_scenario *s;
    const char *src;
    (void)state;
    s = load(CHIP(ROW("neocloud", "8 USD/GPU-hour", "2023-01")
                      ROW("hyperscaler", "20 USD/GPU-hour", "2024-06")
                          ROW("neocloud", "4 USD/GPU-hour", "2024-01")
                              ROW("neocloud", "2 USD/GPU-hour", "2026-01")),
             &err);
    if (s == NULL)
        fail_msg("%s:%d:%d: %s", err.file, err.line, err.col, err.msg);
    CLOSE(value_in(s, "gpu.rent_decline", "%/year"), 100 * (1 - pow(2, -9.0 / 14)), 1e-12);
    CLOSE(value_in(s, "gpu.rent_decline", "%/year"), 35.95567, 1e-6);
    assert_int_equal(qty(s, "gpu.rent_decline")->origin, LC_FROM_CATALOG);
    src = source_of(s, "gpu.rent_decline");
    assert_non_null(strstr(src, "fitted to 3 neocloud rents of chip, 2023-01..2026-01 (catalog)"));
    lc_scenario_free(s);

    /* fleet.rent picks a hyperscaler row: that kind has 1 row, no fit, and
     * the source says why */
    s = load(CHIP(ROW("neocloud", "8 USD/GPU-hour", "2023-01") ROW("hyperscaler", "20 USD/GPU-hour",
                                                                   "2024-06")
                      ROW("neocloud", "2 USD/GPU-hour", "2026-01")) "  fleet.rent: hyperscaler\n",
             &err);
    assert_non_null(s);
    assert_true(qty(s, "gpu.rent_decline")->available);
    assert_true(qty(s, "gpu.rent_decline")->value == 0);
    assert_non_null(strstr(source_of(s, "gpu.rent_decline"),
                           "no trend fitted, 1 hyperscaler rent (2 or more needed); 0 %/year"));
    lc_scenario_free(s);

    /* one row: nothing to fit */
    s = load(CHIP(ROW("neocloud", "3 USD/GPU-hour", "2024-01")), &err);
    assert_non_null(s);
    assert_true(qty(s, "gpu.rent_decline")->value == 0);
    assert_non_null(strstr(source_of(s, "gpu.rent_decline"), "1 neocloud rent (2 or more needed)"));
    lc_scenario_free(s);

    /* two rows 11 months apart (2024-01 .. 2024-12): too short a span */
    s = load(CHIP(ROW("neocloud", "4 USD/GPU-hour", "2024-01")
                      ROW("neocloud", "2 USD/GPU-hour", "2024-12")),
             &err);
    assert_non_null(s);
    assert_true(qty(s, "gpu.rent_decline")->value == 0);
    assert_non_null(strstr(source_of(s, "gpu.rent_decline"),
                           "2 neocloud rents spanning 11 months (12 or more needed)"));
    lc_scenario_free(s);

    /* exactly 12 months, a rise: 1 -> 2 USD/GPU-hour in a year, slope ln 2,
     * decline 1 - 2 = -100 %/year (the price doubles a year; kept as a rise) */
    s = load(CHIP(ROW("reserved", "1 USD/GPU-hour", "2024-03")
                      ROW("reserved", "2 USD/GPU-hour", "2025-03")),
             &err);
    assert_non_null(s);
    CLOSE(value_in(s, "gpu.rent_decline", "%/year"), -100, 1e-12);
    assert_non_null(strstr(source_of(s, "gpu.rent_decline"), "; a rise"));
    lc_scenario_free(s);

    /* rows in two currencies are compared in the scenario's: 2 USD (2023-01)
     * and 7.084 CNY = 1 USD at the default 7.084 CNY/USD (2024-01): 50 %/year */
    s = load(CHIP(ROW("china-cloud", "2 USD/GPU-hour", "2023-01")
                      ROW("china-cloud", "7.084 CNY/GPU-hour", "2024-01")),
             &err);
    assert_non_null(s);
    CLOSE(value_in(s, "gpu.rent_decline", "%/year"), 50, 1e-12);
    lc_scenario_free(s);

    /* the scenario's own value wins over the fit */
    s = load(CHIP(ROW("neocloud", "8 USD/GPU-hour", "2023-01") ROW(
                 "neocloud", "2 USD/GPU-hour", "2026-01")) "  gpu.rent_decline: 5 %/year\n",
             &err);
    assert_non_null(s);
    CLOSE(value_in(s, "gpu.rent_decline", "%/year"), 5, 1e-12);
    assert_int_equal(qty(s, "gpu.rent_decline")->origin, LC_FROM_SCENARIO);
    lc_scenario_free(s);

    /* no catalog GPU: the library's 0 with its source */
    s = load("scenario: none\n", &err);
    assert_non_null(s);
    assert_true(qty(s, "gpu.rent_decline")->value == 0);
    assert_int_equal(qty(s, "gpu.rent_decline")->origin, LC_FROM_DEFAULT);
    assert_non_null(strstr(source_of(s, "gpu.rent_decline"), "without a catalog GPU"));
    lc_scenario_free(s);
}

/* Bad rows and values: one positioned error each. */
static void rent_trend_errors(void **state)
{
    static const struct {
        const char *text;
        int line, col;
        const char *msg;
    } cases[] = {
        /* rows start on line 9 ("scenario" 1, currency 2, catalog 3, gpus 4,
         * chip 5, peak 6, source 7, rents 8); "        - { kind: neocloud, value:
         * 4 USD/GPU-hour, date: " is 57 characters: the date at column 58 */
        {CHIP(ROW("neocloud", "4 USD/GPU-hour", "2024/01")), 9, 58,
         "a rent row's date must be YYYY-MM (2024-01), not 2024/01"},
        {CHIP(ROW("neocloud", "4 USD/GPU-hour", "2024-13")), 9, 58, "not 2024-13"},
        /* "        - " is 10 characters: the row's map at column 11 */
        {CHIP(ROW("cloud", "4 USD/GPU-hour", "2024-01")), 9, 11,
         "a rent row needs kind: hyperscaler, reserved, neocloud or china-cloud"},
        /* "        - { kind: neocloud, value: " is 35 characters: the value at 36 */
        {CHIP(ROW("neocloud", "4 USD/GPU-hour", "2023-01")
                  ROW("neocloud", "0 USD/GPU-hour", "2024-01")),
         10, 36, "a rent row's value must be money per GPU-hour above 0"},
        {CHIP(ROW("neocloud", "4 USD", "2023-01") ROW("neocloud", "2 USD/GPU-hour", "2024-01")), 9,
         36, "not 4 USD"},
        /* 1 -> 20 USD in a year: decline 1 - 20 = -1900 %/year, beyond a rise
         * of 1000 %/year; the error points at the rents: list, whose mark is
         * its first row's dash (line 9, column 9) */
        {CHIP(ROW("neocloud", "1 USD/GPU-hour", "2023-01")
                  ROW("neocloud", "20 USD/GPU-hour", "2024-01")),
         9, 9,
         "gpu.rent_decline must be a yearly decline from -1000 %/year (a rise) to 100 %/year"},
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lc_error err;
        lc_scenario *s = load(cases[i].text, &err);
        if (s != NULL)
            fail_msg("case %zu loaded", i);
        if (err.line != cases[i].line || err.col != cases[i].col ||
            strstr(err.msg, cases[i].msg) == NULL)
            fail_msg("case %zu: %d:%d: %s", i, err.line, err.col, err.msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(chips_of_2026),     cmocka_unit_test(dense_peaks),
        cmocka_unit_test(rent_rows),         cmocka_unit_test(fitted_mfu),
        cmocka_unit_test(goodput_and_moe),   cmocka_unit_test(checked_sources),
        cmocka_unit_test(rent_trend_fit),    cmocka_unit_test(rent_trend_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
