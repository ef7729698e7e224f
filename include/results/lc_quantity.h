/* lc_quantity — how a model quantity enters a document: its kind (money,
 * share, count, quantity), its display unit and values in that unit.  Part of
 * the result model, used by the drivers that fill documents. */
#ifndef LC_QUANTITY_H
#define LC_QUANTITY_H

#include <stddef.h>

#include "lc_result.h"
#include "lc_scenario.h"

/* How a quantity's numbers are read: money, a share, a count or a quantity. */
lc_colkind lc_fill_kind(const lc_scenario *s, size_t qi);
/* The quantity's display unit ("CNY/day"): malloc'd, NULL on out-of-memory. */
char *lc_fill_unit(const lc_scenario *s, size_t qi);
/* A value in base units in the quantity's display unit. */
double lc_fill_value(const lc_scenario *s, size_t qi, double base);

#endif
