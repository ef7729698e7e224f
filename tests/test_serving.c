/* test_serving.c — the serving model: the model catalog, architecture and price
 * choices, and the continuous-batching solution, against hand calculations. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "lc_models.h"
#include "lc_scenario.h"
#include "lc_serving.h"

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

/* Every field of the embedded model catalog parses and names a source; every
 * price has a date. */
static void catalog_is_sourced(void **state)
{
    lc_units u;
    lc_error err;
    (void)state;
    lc_error_clear(&err);
    lc_units_init(&u, "USD");
    if (lc_models_check(&u, &err) != LC_OK)
        fail_msg("%s:%d: %s", err.file, err.line, err.msg);
}

/* DeepSeek-V3: 671B total, 37B active; latent attention caches 576 values per
 * token and layer: 61 x 576 x 1 B = 35,136 B/token with an fp8 cache. */
static void latent_attention(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: t\ninputs:\n  model.arch: deepseek-v3\n"
                          "  inf.cache_bytes: 1 B\n",
                          &err);
    (void)state;
    assert_non_null(s);
    assert_float_equal(value_in(s, "model.params", ""), 671e9, 1);
    assert_float_equal(value_in(s, "model.active_params", ""), 37e9, 1);
    assert_float_equal(value_in(s, "inf.kv_bytes_per_token", "B/token"), 35136, 1e-9);
    lc_scenario_free(s);
}

/* Llama 3.1 70B with grouped-query attention: 80 x 2 x 8 x 128 x 2 B = 327,680
 * B/token; a value the scenario sets wins over the catalog's. */
static void scenario_overrides_catalog(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: t\ninputs:\n  model.arch: llama-3.1-70b\n", &err);
    (void)state;
    assert_non_null(s);
    assert_float_equal(value_in(s, "inf.kv_bytes_per_token", "B/token"), 327680, 1e-9);
    lc_scenario_free(s);
    s = load("scenario: t\ninputs:\n  model.arch: llama-3.1-70b\n  model.kv_heads: 64\n", &err);
    assert_non_null(s);
    assert_float_equal(value_in(s, "inf.kv_bytes_per_token", "B/token"), 2621440, 1e-9);
    lc_scenario_free(s);
}

/* A price list entry in yuan: Doubao-pro-32k at 0.8 / 2 CNY per million
 * tokens; no cached price published, so the cached price is the input price. */
static void api_prices(void **state)
{
    lc_error err;
    lc_scenario *s =
        load("scenario: t\ncurrency: CNY\ninputs:\n  api.model: doubao-pro-32k\n", &err);
    (void)state;
    assert_non_null(s);
    assert_float_equal(value_in(s, "api.price_input", "CNY/Mtoken"), 0.8, 1e-12);
    assert_float_equal(value_in(s, "api.price_output", "CNY/Mtoken"), 2, 1e-12);
    assert_float_equal(value_in(s, "api.price_cached", "CNY/Mtoken"), 0.8, 1e-12);
    lc_scenario_free(s);
    s = load("scenario: t\ninputs:\n  api.model: gpt-4o-mini\n", &err);
    assert_non_null(s);
    assert_float_equal(value_in(s, "api.price_cached", "USD/Mtoken"), 0.075, 1e-12);
    lc_scenario_free(s);
}

static void unknown_arch(void **state)
{
    lc_error err;
    lc_scenario *s = load("scenario: t\ninputs:\n  model.arch: llama-3.1-7b\n", &err);
    (void)state;
    assert_null(s);
    assert_int_equal(err.code, LC_EINPUT);
    assert_non_null(strstr(err.msg, "did you mean llama-3.1-8b"));
    assert_int_equal(err.line, 3);
}

/* The batch is the largest that fits and meets the TPOT target: TPOT(B) <=
 * target, and TPOT(B + 1) > target unless memory binds, with TPOT(B) =
 * max(a + bB, cB) + dB from the step components. */
static void batch_is_largest_meeting_target(void **state)
{
    static const char *targets[] = {"0.02 s", "0.03 s", "0.05 s", "0.1 s"};
    size_t k;
    (void)state;
    for (k = 0; k < 4; k++) {
        char text[512];
        lc_error err;
        lc_scenario *s;
        double a, b, c, d, B, T, next;
        snprintf(text, sizeof text,
                 "scenario: t\ninputs:\n  fleet.gpu: h100-sxm\n  model.arch: llama-3.1-8b\n"
                 "  inf.gpus_per_replica: 1 GPU\n  inf.input_tokens: 500 tokens\n"
                 "  inf.output_tokens: 300 tokens\n  inf.tpot_target: %s\n",
                 targets[k]);
        s = load(text, &err);
        assert_non_null(s);
        a = value_in(s, "inf.step_weights", "s");
        b = value_in(s, "inf.step_cache", "s");
        c = value_in(s, "inf.step_compute", "s");
        d = value_in(s, "inf.step_prefill", "s");
        B = value_in(s, "inf.batch", "requests");
        T = value_in(s, "inf.tpot_target", "s");
        assert_true(value_in(s, "inf.tpot", "s") <= T * (1 + 1e-12));
        next = fmax(a + b * (B + 1), c * (B + 1)) + d * (B + 1);
        /* Either one more request misses the target or it does not fit. */
        assert_true(next > T || B == value_in(s, "inf.batch_memory", "requests"));
        /* The tightest targets are latency-bound here. */
        if (k < 2)
            assert_true(next > T && B < value_in(s, "inf.batch_memory", "requests"));
        assert_float_equal(value_in(s, "inf.meets_targets", ""), 1, 0);
        lc_scenario_free(s);
    }
}

/* Default tensor-parallel degree: the smallest power of two whose usable
 * memory is twice the weights.  Llama 3.1 70B in bf16 on H100 80GB: 2 x 141.2 GB
 * / (80 GB x 90%) = 3.92 -> 4 GPUs; in fp8 1.96 -> 2; Llama 3.1 8B: 0.45 -> 1. */
static void default_tensor_parallel(void **state)
{
    static const struct {
        const char *arch, *bytes;
        double gpus;
    } cases[] = {
        {"llama-3.1-70b", "2 B", 4}, {"llama-3.1-70b", "1 B", 2}, {"llama-3.1-8b", "2 B", 1}};
    size_t k;
    (void)state;
    for (k = 0; k < 3; k++) {
        char text[256];
        lc_error err;
        lc_scenario *s;
        snprintf(text, sizeof text,
                 "scenario: t\ninputs:\n  fleet.gpu: h100-sxm\n  model.arch: %s\n"
                 "  inf.bytes_per_param: %s\n",
                 cases[k].arch, cases[k].bytes);
        s = load(text, &err);
        assert_non_null(s);
        assert_float_equal(value_in(s, "inf.gpus_per_replica", "GPU"), cases[k].gpus, 0);
        lc_scenario_free(s);
    }
}

/* Median absolute error: |+10%|, |-30%|, |+20%| -> 20%. */
static void median_error(void **state)
{
    lc_serving_row rows[3];
    (void)state;
    memset(rows, 0, sizeof rows);
    rows[0].error = 0.1;
    rows[1].error = -0.3;
    rows[2].error = 0.2;
    assert_float_equal(lc_serving_median_abs_error(rows, 3), 0.2, 1e-15);
    assert_true(isnan(lc_serving_median_abs_error(rows, 0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(catalog_is_sourced),
        cmocka_unit_test(latent_attention),
        cmocka_unit_test(scenario_overrides_catalog),
        cmocka_unit_test(api_prices),
        cmocka_unit_test(unknown_arch),
        cmocka_unit_test(batch_is_largest_meeting_target),
        cmocka_unit_test(median_error),
        cmocka_unit_test(default_tensor_parallel),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
