/* catalog_data.c — src/engine/catalog.yaml embedded in the binary (see the Makefile's
 * dependency on it), so llmcost needs no data files at run time. */
#include "lc_catalog.h"

__asm__(".section .rodata\n"
        ".global lc_catalog_yaml\n"
        ".type lc_catalog_yaml, @object\n"
        "lc_catalog_yaml:\n"
        ".incbin \"src/engine/catalog.yaml\"\n"
        ".byte 0\n"
        ".previous\n");

extern const char lc_catalog_yaml[];

const char *lc_catalog_text(void)
{
    return lc_catalog_yaml;
}
