/* test_serving.c — the serving model: the model catalog, architecture and price
 * choices, and the continuous-batching solution, against hand calculations. */
#include <stdarg.h>
#include <stdio.h>
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

/* The held-out sources of issue 14 (no constant was chosen on them): every
 * run computes, and each source's median absolute error stays within a
 * ceiling.  The ceiling is the error measured when the set was added (README,
 * "Validation") widened by how much the published figure itself moves: AMD's
 * README gives the same 8 MI300X configurations for two software releases
 * (ROCm/vllm docs/dev-docker/README.md at commits b309ea79, vLLM 0.7.3, and
 * 040de12d, vLLM 0.10.0) up to 19% apart (Llama 3.1 70B 128/2048: 15,919 and
 * 13,383 tokens/s), so a measurement is uncertain by about 20%, and an error
 * e by about 0.2 (1 + e).  A model change that moves a source's median by more
 * than that, or a published figure typed wrong, fails here. */
static const struct {
    const char *set;
    size_t runs;
    double median_measured; /* README, when the set was added */
    int overpredicted;      /* a known systematic miss: every run above +50% */
} held_out[] = {
    {"amdvllm", 8, 1.70, 1},  /* AMD MI300X, vLLM v0.10.0 (ROCm/vllm dev-docker README) */
    {"ocivllm", 2, 1.41, 1},  /* Oracle OCI blog 2024-10-10, MI300X, vLLM */
    {"modelopt", 6, 0.34, 0}, /* NVIDIA TensorRT Model Optimizer benchmark.md, H200 */
};

static const char *const held_out_runs[] = {
    "amdvllm-llama70b-mi300x-fp8-tp8-128-2048",   "amdvllm-llama70b-mi300x-fp8-tp8-128-4096",
    "amdvllm-llama70b-mi300x-fp8-tp8-500-2000",   "amdvllm-llama70b-mi300x-fp8-tp8-2048-2048",
    "amdvllm-llama405b-mi300x-fp8-tp8-128-2048",  "amdvllm-llama405b-mi300x-fp8-tp8-128-4096",
    "amdvllm-llama405b-mi300x-fp8-tp8-500-2000",  "amdvllm-llama405b-mi300x-fp8-tp8-2048-2048",
    "ocivllm-llama405b-mi300x-fp8-tp8-128-128",   "ocivllm-llama405b-mi300x-fp8-tp8-128-2048",
    "modelopt-llama8b-h200-fp8-tp1-b1-2048-128",  "modelopt-llama8b-h200-fp8-tp1-b8-2048-128",
    "modelopt-llama8b-h200-fp8-tp1-b64-2048-128", "modelopt-llama70b-h200-fp8-tp1-b1-2048-128",
    "modelopt-llama70b-h200-fp8-tp1-b8-2048-128", "modelopt-llama70b-h200-fp8-tp1-b64-2048-128",
};

static void held_out_sources(void **state)
{
    enum { N = sizeof held_out_runs / sizeof held_out_runs[0] };
    lc_serving_row rows[N];
    size_t i, k, count;
    (void)state;
    for (i = 0; i < N; i++) {
        char path[256];
        lc_error err;
        lc_error_clear(&err);
        snprintf(path, sizeof path, LC_SERVING_DIR "/%s.yaml", held_out_runs[i]);
        if (lc_serving_run(path, NULL, 0, &rows[i], &err) != LC_OK)
            fail_msg("%s: %s", path, err.msg);
        assert_true(isfinite(rows[i].computed) && rows[i].computed > 0);
        assert_true(rows[i].published > 0);
    }
    for (k = 0; k < sizeof held_out / sizeof held_out[0]; k++) {
        double e = held_out[k].median_measured;
        double median = lc_serving_set_abs_error(rows, N, held_out[k].set, 0.5, &count);
        assert_int_equal(count, held_out[k].runs);
        if (!(median <= e + 0.2 * (1 + e)))
            fail_msg("%s: median error %.1f%% is above %.1f%%", held_out[k].set, 100 * median,
                     100 * (e + 0.2 * (1 + e)));
        for (i = 0; i < N && held_out[k].overpredicted; i++)
            if (strcmp(rows[i].set, held_out[k].set) == 0 && !(rows[i].error > 0.5))
                fail_msg("%s is no longer over-predicted (%+.0f%%): update README, Validation",
                         rows[i].id, 100 * rows[i].error);
    }
    for (i = 0; i < N; i++)
        lc_serving_row_release(&rows[i]);
}

/* Per-set quantiles: the median and GSL's interpolated P90 of one set, the
 * other set's rows left out. */
static void set_quantiles(void **state)
{
    lc_serving_row rows[5];
    size_t k;
    (void)state;
    memset(rows, 0, sizeof rows);
    rows[0].set = "a", rows[0].error = 0.1;
    rows[1].set = "b", rows[1].error = 5;
    rows[2].set = "a", rows[2].error = -0.4;
    rows[3].set = "a", rows[3].error = 0.2;
    rows[4].set = "a", rows[4].error = -0.3;
    /* |e| of a sorted: 0.1 0.2 0.3 0.4; median (0.2 + 0.3) / 2; P90 at
     * index 0.9 x 3 = 2.7: 0.3 + 0.7 x 0.1 = 0.37. */
    assert_float_equal(lc_serving_set_abs_error(rows, 5, "a", 0.5, &k), 0.25, 1e-15);
    assert_int_equal(k, 4);
    assert_float_equal(lc_serving_set_abs_error(rows, 5, "a", 0.9, &k), 0.37, 1e-15);
    assert_float_equal(lc_serving_set_abs_error(rows, 5, "b", 0.5, &k), 5, 0);
    assert_int_equal(k, 1);
    assert_true(isnan(lc_serving_set_abs_error(rows, 5, "c", 0.5, &k)));
    assert_int_equal(k, 0);
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
        cmocka_unit_test(set_quantiles),
        cmocka_unit_test(held_out_sources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
