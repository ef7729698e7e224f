/* lc_explain — every metric traced to its formula, the numbers put into it,
 * and the source of each number.  Borrows the scenario. */
#ifndef LC_EXPLAIN_H
#define LC_EXPLAIN_H

#include <stdio.h>

#include "lc_scenario.h"

/* Each of these three writes at most size bytes with a NUL and returns the
 * length of the whole text, as snprintf does: a caller can grow its buffer
 * and call again, so that nothing is cut. */

/* A quantity's value for people: as written in the scenario or catalog when it
 * was set from text, else formatted in its display unit. */
size_t lc_explain_value(const lc_scenario *s, size_t qi, char *buf, size_t size);
/* The same, malloc'd and whole however long the text; NULL when out of memory. */
char *lc_explain_value_dup(const lc_scenario *s, size_t qi);
char *lc_explain_origin_dup(const lc_scenario *s, size_t qi);

/* The formula with names (names = 1) or with values, short sub-formulas
 * written out in parentheses (names = 0). */
size_t lc_explain_formula(const lc_scenario *s, size_t qi, int names, char *buf, size_t size);
/* The same, malloc'd and whole; NULL when out of memory. */
char *lc_explain_formula_dup(const lc_scenario *s, size_t qi, int names);

/* "scenario file:line:col", "catalog ...", "default: ...": where a value comes from. */
size_t lc_explain_origin(const lc_scenario *s, size_t qi, char *buf, size_t size);

/* The quantities metric qi rests on, depth first, each once, qi last: appended
 * to list (room for every quantity) from *n; seen has a byte per quantity,
 * zero for those not visited yet. */
void lc_explain_inputs(const lc_scenario *s, size_t qi, unsigned char *seen, size_t *list,
                       size_t *n);

/* " × 7.084 CNY/USD" (or " ÷ 7.084 CNY/USD") when text is written in a
 * currency other than the display currency: the conversion as a step; else "". */
void lc_explain_currency_step(const lc_scenario *s, const char *text, char *buf, size_t size);

/* The inputs without a value that metric qi still needs, "a, b" (at most
 * five names, then "..."); returns how many there are. */
size_t lc_explain_missing(const lc_scenario *s, size_t qi, char *buf, size_t size);

#endif
