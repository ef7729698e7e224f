/* catalog_models_data.c — src/engine/catalog-models.yaml embedded in the binary
 * (see the Makefile's dependency on it), so llmcost needs no data files at run time. */
#include "lc_models.h"

__asm__(".section .rodata\n"
        ".global lc_models_yaml\n"
        ".type lc_models_yaml, @object\n"
        "lc_models_yaml:\n"
        ".incbin \"src/engine/catalog-models.yaml\"\n"
        ".byte 0\n"
        ".previous\n");

extern const char lc_models_yaml[];

const char *lc_models_text(void)
{
    return lc_models_yaml;
}
