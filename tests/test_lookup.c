/* test_lookup — names are found by hash: a scenario of 0.5 MiB with 15,000
 * chained formulas loads in well under a second of CPU (the linear search it
 * replaced took about 2 s of CPU for this file: 15,000^2 / 2 = 1.1e8 string
 * comparisons when defining plus as many when compiling). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lc_model.h"
#include "lc_scenario.h"

#define NFORMULAS 15000

static void big_scenario_is_fast(void **state)
{
    size_t cap = 64 + NFORMULAS * 40, n, i;
    char *text = malloc(cap);
    lc_scenario *s;
    lc_error err;
    clock_t t0;
    double cpu_s;
    long k;
    (void)state;

    assert_non_null(text);
    n = (size_t)snprintf(text, cap, "scenario: big\nmetrics:\n  m0: 1\n");
    for (i = 1; i < NFORMULAS; i++)
        n += (size_t)snprintf(text + n, cap - n, "  m%zu: m%zu + 1\n", i, i - 1);
    assert_true(n < cap);
    lc_error_clear(&err);
    t0 = clock();
    s = lc_scenario_load_text("big.yaml", text, n, NULL, 0, NULL, &err);
    cpu_s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (s == NULL)
        fail_msg("%s", err.msg);
    /* m14999 = 1 + 14999 */
    k = lc_model_find(s->model, "m14999");
    assert_true(k >= 0);
    assert_true(lc_model_qty(s->model, (size_t)k)->value == 15000.0);
    assert_true(lc_model_find(s->model, "m15000") < 0);
    assert_true(lc_model_find(s->model, "electricity.price") >= 0);
    if (cpu_s > 0.8)
        fail_msg("loading took %.2f s of CPU", cpu_s);
    lc_scenario_free(s);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(big_scenario_is_fast)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
