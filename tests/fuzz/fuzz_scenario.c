/* fuzz_scenario.c — libFuzzer harness: the input bytes are a scenario file.
 *
 * Loads them with lc_scenario_load_text (YAML, schema, units, catalog, formula
 * library and the scenario's own formulas, unit checking, point values, claims)
 * and frees the result.  Any crash, sanitizer report or leak is a bug; an
 * error return is the expected answer to most inputs.  See tests/fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lc_scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_error err;
    lc_scenario *s;
    size_t *rep = NULL, n = 0;

    lc_error_clear(&err);
    s = lc_scenario_load_text("fuzz.yaml", (const char *)data, size, NULL, 0, NULL, &err);
    if (s == NULL) {
        /* a failed load must say why */
        if (err.code == LC_OK || err.msg[0] == '\0')
            abort();
        return 0;
    }
    if (lc_scenario_report(s, &rep, &n, &err) == LC_OK)
        free(rep);
    lc_scenario_free(s);
    return 0;
}
