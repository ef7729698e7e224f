/* lc_output — results as terminal tables, CSV (RFC 4180) and JSON.
 *
 * An lc_table owns copies of its cells.  Numeric columns hold numbers printed
 * with %.17g (exact round trip) for CSV/JSON and in short form for tables;
 * NaN and infinities become null in JSON and empty cells in CSV. */
#ifndef LC_OUTPUT_H
#define LC_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "lc_render.h"

typedef struct lc_table lc_table;

lc_table *lc_table_alloc(const char *const *cols, size_t ncols);
void lc_table_free(lc_table *t);
/* Mark column c numeric: cells are set with lc_table_num. */
void lc_table_set_numeric(lc_table *t, size_t c);
/* Start a row; then set each cell.  0 or -1 on out-of-memory. */
int lc_table_row(lc_table *t);
int lc_table_str(lc_table *t, size_t c, const char *s);
int lc_table_num(lc_table *t, size_t c, double v);
size_t lc_table_rows(const lc_table *t);

/* Table: aligned columns with a header line.  CSV: header + rows.  JSON: an
 * array of objects keyed by column name. */
void lc_table_print(const lc_table *t, lc_format f, FILE *out);

/* A JSON string literal with escapes. */
void lc_json_string(FILE *out, const char *s);
/* A JSON number, or null when not finite. */
void lc_json_number(FILE *out, double v);

/* Display width of UTF-8 text (CJK counts 2). */
size_t lc_text_width(const char *s);

#endif
