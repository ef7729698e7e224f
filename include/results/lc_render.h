/* lc_render — the only code that formats results: one renderer per format,
 * each taking a whole document (lc_result.h).
 *
 *  - table: aligned terminal tables; numbers to --digits significant digits
 *    with K/M/B/T suffixes and SI-rescaled power, energy and bytes
 *    ("4.52B CNY", "23.5 MW"); labels, or names with --names; full precision
 *    with --raw; control characters shown escaped.
 *  - csv: RFC 4180, every cell of every table as one record
 *    (section, table, row, column, value, unit) at full precision; with
 *    opts.table one table in wide form instead.  Text cells that a spreadsheet
 *    would take for a formula (=, +, -, @, tab, CR) get a leading apostrophe.
 *  - json: through jansson; schema "llmcost-result" version 1 (README).
 *  - markdown and html: used by the report; all scenario text escaped. */
#ifndef LC_RENDER_H
#define LC_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "lc_error.h"
#include "lc_result.h"

typedef enum {
    LC_FORMAT_TABLE,
    LC_FORMAT_CSV,
    LC_FORMAT_JSON,
    LC_FORMAT_MARKDOWN,
    LC_FORMAT_HTML
} lc_format;

#define LC_RESULT_SCHEMA  "llmcost-result"
#define LC_RESULT_VERSION 1
#define LC_DIGITS_DEFAULT 3

typedef struct lc_render_opts {
    int digits;        /* significant digits in tables (1..17); 0 = LC_DIGITS_DEFAULT */
    int raw;           /* full precision, no suffixes */
    int names;         /* internal names instead of labels */
    const char *table; /* csv: only this table (by id), in wide form */
    /* html: embed charts as data: URIs (a self-contained page); markdown and
     * html: chart paths relative to this folder (NULL = as stored). */
    int embed_charts;
    const char *base_dir;
} lc_render_opts;

void lc_render_opts_init(lc_render_opts *o);

/* Parse "table", "csv", "json", "markdown"/"md", "html"; -1 if unknown. */
int lc_format_parse(const char *s, lc_format *f);
const char *lc_format_name(lc_format f);

/* Render d to out.  LC_ENOMEM when d is incomplete, LC_EOUTPUT when out
 * fails (both with err filled); for csv with opts.table naming no table,
 * LC_EUSAGE. */
int lc_render(const lc_doc *d, lc_format f, const lc_render_opts *o, FILE *out, lc_error *err);

/* One value as a person reads it: "4.52B CNY", "38.5%", "28,936 GPU",
 * "23.5 MW"; with o->raw "4523316525 CNY".  Not finite: "n/a", "∞", "-∞".
 * malloc'd; NULL on out-of-memory. */
char *lc_render_value(double v, const char *unit, lc_colkind kind, const lc_render_opts *o);

/* A malloc'd copy of text safe for the terminal: control characters (C0, DEL
 * and C1) shown as \n, \r, \t, \e, \xNN; invalid UTF-8 bytes as \xNN.  NULL on
 * out-of-memory. */
char *lc_render_term_text(const char *text);

#endif
