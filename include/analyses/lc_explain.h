/* lc_explain — every metric traced to its formula, the numbers put into it,
 * and the source of each number.  Borrows the scenario. */
#ifndef LC_EXPLAIN_H
#define LC_EXPLAIN_H

#include <stdio.h>

#include "lc_scenario.h"

/* Each text below is malloc'd and whole however long (the caller frees it);
 * NULL when out of memory. */

/* A quantity's value for people: as written in the scenario or catalog when it
 * was set from text, else formatted in its display unit. */
char *lc_explain_value_dup(const lc_scenario *s, size_t qi);

/* The formula with names (names = 1) or with values, short sub-formulas
 * written out in parentheses (names = 0); "" for a quantity without one. */
char *lc_explain_formula_dup(const lc_scenario *s, size_t qi, int names);

/* "scenario file:line:col", "catalog ...", "default: ...": where a value comes from. */
char *lc_explain_origin_dup(const lc_scenario *s, size_t qi);

/* The quantities metric qi rests on, depth first, each once, qi last: appended
 * to list (room for every quantity) from *n; seen has a byte per quantity,
 * zero for those not visited yet. */
void lc_explain_inputs(const lc_scenario *s, size_t qi, unsigned char *seen, size_t *list,
                       size_t *n);

/* " × 7.084 CNY/USD" (or " ÷ 7.084 CNY/USD") appended to out when text is
 * written in a currency other than the display currency: the conversion as a
 * step; else nothing. */
void lc_explain_currency_step(const lc_scenario *s, const char *text, lc_sbuf *out);

/* The inputs without a value that metric qi still needs, "a, b" (at most
 * five names, then "..."); *n is how many there are. */
char *lc_explain_missing_dup(const lc_scenario *s, size_t qi, size_t *n);

#endif
