/* render_internal.h — what the renderers share (private to src/results/). */
#ifndef LC_RENDER_INTERNAL_H
#define LC_RENDER_INTERNAL_H

#include <stdio.h>

#include "lc_render.h"

/* Columns a person sees, in order, into cols (room for ncols): unit columns
 * merged into the numbers they qualify, "name" hidden behind "label" (or the
 * other way round with --names), long columns left for the row notes, and in
 * the terminal no detail columns.  Returns how many. */
size_t lc_render_visible(const lc_rtable *t, const lc_render_opts *o, size_t *cols, int terminal);
/* Header of column c for a person: its label (name with --names). */
const char *lc_render_header(const lc_rtable *t, size_t c, const lc_render_opts *o);
/* Cell (r, c) as a person reads it (malloc'd, "" for an empty cell; a
 * missing one shows its reason or "n/a").  NULL on out-of-memory. */
char *lc_render_cell(const lc_rtable *t, size_t r, size_t c, const lc_render_opts *o);
/* The key of row r for people: its first text cell ("" when none). */
const char *lc_render_cell_key(const lc_rtable *t, size_t r);
/* Fact i of a section as a person reads it (malloc'd; NULL on out-of-memory). */
char *lc_render_fact(const lc_section *s, size_t i, const lc_render_opts *o);
/* The next long column after `after` ((size_t)-1 to start) with text in row
 * r, or (size_t)-1: the row notes, in column order. */
size_t lc_render_next_note(const lc_rtable *t, size_t r, size_t after);
/* 1 when row r has text in a long column (documents show it under the row). */
int lc_render_has_notes(const lc_rtable *t, size_t r);
/* 1 when the cell is a number (right-aligned). */
int lc_render_is_num(const lc_rtable *t, size_t r, size_t c);

/* Display width of UTF-8 text (East Asian wide characters count 2). */
size_t lc_render_width(const char *s);

int lc_render_text(const lc_doc *d, const lc_render_opts *o, FILE *out);
int lc_render_csv(const lc_doc *d, const lc_render_opts *o, FILE *out, lc_error *err);
int lc_render_json(const lc_doc *d, const lc_render_opts *o, FILE *out);
int lc_render_markdown(const lc_doc *d, const lc_render_opts *o, FILE *out);
int lc_render_html(const lc_doc *d, const lc_render_opts *o, FILE *out);

#endif
