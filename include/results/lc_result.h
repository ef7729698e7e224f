/* lc_result — results as data.  A command runs its driver, fills a document
 * (lc_doc) and hands it to a renderer (lc_render.h); nothing else formats
 * output.  The report renders the same documents.
 *
 * A document is a list of sections (level 1: a scenario or a comparison;
 * level 2: an analysis, claims, a simulation...).  A section has key/value
 * facts (scenario, file, currency, samples...), paragraphs, warnings, tables
 * and charts.  A table has typed columns — a name (stable, for JSON, CSV and
 * --names), a human label, a unit and a kind — and cells that are numbers,
 * text, or missing with a reason ("not within the horizon").
 *
 * Everything is copied in: callers pass borrowed strings and arrays.
 * Out-of-memory is sticky, as in a builder: a failed allocation marks the
 * document, later calls do nothing, and lc_doc_status() returns LC_ENOMEM, so
 * a command fills a whole document and checks once. */
#ifndef LC_RESULT_H
#define LC_RESULT_H

#include <stddef.h>

#include "lc_plot.h"

/* What a column holds; renderers format numbers by kind. */
typedef enum {
    LC_COL_TEXT,     /* names, descriptions */
    LC_COL_MONEY,    /* an amount in a currency (the unit says which) */
    LC_COL_SHARE,    /* a fraction shown as a percentage (0.4 -> 40%) */
    LC_COL_COUNT,    /* a whole number (GPUs, users, samples) */
    LC_COL_QUANTITY, /* any other measured value with a unit */
    LC_COL_VERDICT,  /* holds / does not hold / not reached / unknown */
    LC_COL_UNIT      /* the unit of the numbers in another column (see lc_rtable_unit_col) */
} lc_colkind;

const char *lc_colkind_name(lc_colkind k);

typedef struct lc_doc lc_doc;
typedef struct lc_section lc_section;
typedef struct lc_rtable lc_rtable;
typedef struct lc_rchart lc_rchart;

/* --- documents -------------------------------------------------------------- */

/* A document for one command ("run", "mc", ...).  NULL on out-of-memory. */
lc_doc *lc_doc_alloc(const char *command);
void lc_doc_free(lc_doc *d);
/* LC_OK, or LC_ENOMEM when any call on the document failed to allocate. */
int lc_doc_status(const lc_doc *d);
const char *lc_doc_command(const lc_doc *d);
/* Mark the document failed (out-of-memory in a caller's own allocation). */
void lc_doc_fail(lc_doc *d);
/* A title for the whole document (the report's); NULL = none. */
void lc_doc_set_title(lc_doc *d, const char *title);
const char *lc_doc_title(const lc_doc *d);
/* The currency money is shown in (the --currency), or NULL. */
void lc_doc_set_currency(lc_doc *d, const char *code);
const char *lc_doc_currency(const lc_doc *d);
/* Move every section of src to the end of d (the report gathers commands'
 * documents into one); src is left empty. */
void lc_doc_take(lc_doc *d, lc_doc *src);

size_t lc_doc_nsections(const lc_doc *d);
lc_section *lc_doc_get(const lc_doc *d, size_t i);

/* --- sections --------------------------------------------------------------- */

/* A new section at the end.  id is stable across runs ("scenario:chatgpt-2023",
 * "mc:inf.gpus"); title is for people.  Returns a valid section even after
 * out-of-memory (a shared dummy), so callers need not check. */
lc_section *lc_doc_section(lc_doc *d, int level, const char *id, const char *title);

/* A fact shown under the title and kept in JSON: key "file", value "x.yaml". */
void lc_section_fact(lc_section *s, const char *key, const char *value);
/* A fact for machines and documents (JSON, CSV, Markdown, HTML) that the
 * terminal leaves out because the section's text already says it. */
void lc_section_fact_detail(lc_section *s, const char *key, const char *value);
int lc_section_fact_is_detail(const lc_section *s, size_t i);
/* Make the last fact added a detail fact. */
void lc_section_fact_hide(lc_section *s);
/* A numeric fact (samples, seed): kept as a number in JSON. */
void lc_section_fact_num(lc_section *s, const char *key, double value);
/* A measured fact ("base case": 28,936 GPU): number, unit and kind. */
void lc_section_fact_qty(lc_section *s, const char *key, double value, const char *unit,
                         lc_colkind kind);
void lc_section_text(lc_section *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void lc_section_warn(lc_section *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int lc_section_level(const lc_section *s);
lc_doc *lc_section_doc(const lc_section *s);
lc_doc *lc_rtable_doc(const lc_rtable *t);
const char *lc_section_id(const lc_section *s);
const char *lc_section_title(const lc_section *s);
size_t lc_section_nfacts(const lc_section *s);
/* Fact i: key, text value (NULL for numeric facts) and number. */
const char *lc_section_fact_key(const lc_section *s, size_t i);
const char *lc_section_fact_text(const lc_section *s, size_t i);
double lc_section_fact_value(const lc_section *s, size_t i);
const char *lc_section_fact_unit(const lc_section *s, size_t i); /* "" for none */
lc_colkind lc_section_fact_kind(const lc_section *s, size_t i);
const char *lc_section_fact_get(const lc_section *s, const char *key);
size_t lc_section_ntexts(const lc_section *s);
const char *lc_section_text_at(const lc_section *s, size_t i);
size_t lc_section_nwarnings(const lc_section *s);
const char *lc_section_warning_at(const lc_section *s, size_t i);
size_t lc_section_ntables(const lc_section *s);
lc_rtable *lc_section_table_at(const lc_section *s, size_t i);
size_t lc_section_ncharts(const lc_section *s);
lc_rchart *lc_section_chart_at(const lc_section *s, size_t i);

/* --- tables ----------------------------------------------------------------- */

lc_rtable *lc_section_table(lc_section *s, const char *id, const char *title);
/* Add a column; returns its index.  label NULL = name; unit NULL = none. */
size_t lc_rtable_col(lc_rtable *t, const char *name, const char *label, const char *unit,
                     lc_colkind kind);
/* Numbers of column num take their unit, row by row, from column unit_col
 * (an LC_COL_UNIT column): a metrics table has one unit per row.  The
 * terminal shows "4.52B CNY" in one cell; CSV and JSON keep both columns. */
void lc_rtable_unit_col(lc_rtable *t, size_t num, size_t unit_col);
/* A detail column (assumptions, sources, long text): in every format but the
 * terminal table, which stays narrow enough to read. */
void lc_rtable_detail(lc_rtable *t, size_t col);
int lc_rtable_col_is_detail(const lc_rtable *t, size_t c);
/* A long detail column (assumptions, a claim in words): documents show it
 * under its row instead of in a column; the terminal leaves it out. */
void lc_rtable_long(lc_rtable *t, size_t col);
int lc_rtable_col_is_long(const lc_rtable *t, size_t c);
/* Kind of one cell of a column whose rows differ (a metrics table: money in
 * one row, a share in the next).  Set after the cell's value. */
void lc_rtable_cell_kind(lc_rtable *t, size_t col, lc_colkind kind);

/* Start a row, then set its cells; unset cells are missing (no reason).
 * Text NULL is taken for a failed allocation: the document is marked. */
void lc_rtable_row(lc_rtable *t);
void lc_rtable_text(lc_rtable *t, size_t col, const char *text);
void lc_rtable_num(lc_rtable *t, size_t col, double v);
/* A value that is not a number: censored or not computed; reason is shown. */
void lc_rtable_missing(lc_rtable *t, size_t col, const char *reason);

typedef enum { LC_CELL_MISSING, LC_CELL_NUM, LC_CELL_TEXT } lc_celltype;

const char *lc_rtable_id(const lc_rtable *t);
const char *lc_rtable_title(const lc_rtable *t);
size_t lc_rtable_ncols(const lc_rtable *t);
size_t lc_rtable_nrows(const lc_rtable *t);
const char *lc_rtable_col_name(const lc_rtable *t, size_t c);
const char *lc_rtable_col_label(const lc_rtable *t, size_t c);
const char *lc_rtable_col_unit(const lc_rtable *t, size_t c);
lc_colkind lc_rtable_col_kind(const lc_rtable *t, size_t c);
/* The LC_COL_UNIT column giving c's units, or (size_t)-1. */
size_t lc_rtable_col_unit_col(const lc_rtable *t, size_t c);
/* 1 when column c is the unit column of another column. */
int lc_rtable_col_is_unit_of_other(const lc_rtable *t, size_t c);
lc_celltype lc_rtable_cell_type(const lc_rtable *t, size_t r, size_t c);
double lc_rtable_cell_num(const lc_rtable *t, size_t r, size_t c);
/* Text of a text cell, or the reason of a missing one (NULL = none). */
const char *lc_rtable_cell_text(const lc_rtable *t, size_t r, size_t c);
/* The unit of cell (r, c): from its unit column, else the column's unit. */
const char *lc_rtable_cell_unit(const lc_rtable *t, size_t r, size_t c);
lc_colkind lc_rtable_cell_kind_at(const lc_rtable *t, size_t r, size_t c);

/* --- charts ----------------------------------------------------------------- */

/* A chart the document owns: a deep copy of c (data, names, labels, markers).
 * stem names its files ("mc-inf.gpus"); unit is the unit of its value axis,
 * so the report can group charts that share one.  Drawn later by lc_draw. */
lc_rchart *lc_section_chart(lc_section *s, const lc_chart *c, const char *stem, const char *unit);
/* The chart as lc_plot takes it (pointers into the document). */
const lc_chart *lc_rchart_spec(const lc_rchart *c);
const char *lc_rchart_stem(const lc_rchart *c);
const char *lc_rchart_unit(const lc_rchart *c);
/* Where the chart was drawn, once it was (NULL before, or when it failed). */
const char *lc_rchart_file(const lc_rchart *c);
void lc_rchart_set_file(lc_rchart *c, const char *path);

#endif
