/* lc_expr — the formula language: parsing, unit checking, compilation to a tape,
 * block evaluation, and rendering for --explain.
 *
 * Syntax: numbers with optional units ("0.63 CNY/kWh", "1 day", "90%", "175B"),
 * names with dots (fleet.servers), + - * / ^ (also × and ÷), parentheses,
 * comparisons (< <= > >= == !=, giving 1 or 0), and the functions
 * min(a, b, ...), max(a, b, ...), ceil, floor, round, abs, exp, log, sqrt and
 * if(cond, then, else).  A unit after a number is one word: no spaces inside.
 *
 * An lc_expr owns its nodes, its copy of the text and the names it refers to.
 * An lc_tape owns its instructions and constants; a workspace owns the slot
 * memory of one thread.  Limits: LC_EXPR_MAX_DEPTH nesting, LC_EXPR_MAX_NODES. */
#ifndef LC_EXPR_H
#define LC_EXPR_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_units.h"
#include "lc_util.h"

#define LC_EXPR_MAX_DEPTH 64
#define LC_EXPR_MAX_NODES 4096

typedef struct lc_expr lc_expr;

/* Parse text; `at` is the position of text[0] in its file (errors add the
 * offset to the column).  Numbers with money units convert at u's rates. */
lc_expr *lc_expr_parse(const char *text, lc_mark at, const lc_units *u, lc_error *err);
void lc_expr_free(lc_expr *e);

/* The distinct names the expression refers to, in order of first use. */
size_t lc_expr_nnames(const lc_expr *e);
const char *lc_expr_name(const lc_expr *e, size_t i);
lc_mark lc_expr_name_mark(const lc_expr *e, size_t i);
const char *lc_expr_text(const lc_expr *e);

/* Infer and check units, given the dimension of each name (index as above).
 * Adding kW to CNY, exp() of a quantity with a unit, etc. are LC_EINPUT. */
int lc_expr_check(lc_expr *e, const lc_dim *name_dims, lc_dim *out, lc_error *err);

/* Evaluate at one point from the names' values (base units); for constant
 * folding and quick checks.  Returns NaN/Inf as IEEE arithmetic gives them. */
double lc_expr_eval1(const lc_expr *e, const double *name_values);

/* Render for people, appended to out (which grows: nothing is cut; out->oom
 * tells an allocation failed).  name_text(ctx, i, out) appends what stands for
 * name i (the name itself, or its value with unit); literals print as written,
 * '*' as '×'. */
typedef void (*lc_expr_name_fn)(void *ctx, size_t i, lc_sbuf *out);
void lc_expr_render(const lc_expr *e, lc_expr_name_fn name_text, void *ctx, lc_sbuf *out);

/* --- tapes: compiled formulas evaluated over blocks ------------------------ */

typedef struct lc_tape lc_tape;
typedef struct lc_tape_ws lc_tape_ws;

lc_tape *lc_tape_alloc(void);
void lc_tape_free(lc_tape *t);

/* A slot whose block the caller binds or that code writes; returns SIZE_MAX
 * on out-of-memory. */
size_t lc_tape_slot(lc_tape *t);
/* A slot holding a constant (shared between equal constants). */
size_t lc_tape_const(lc_tape *t, double v);

/* Append code that evaluates e into slot dst; name i is read from name_slots[i].
 * e must have been checked.  0 or LC_ENOMEM. */
int lc_tape_emit(lc_tape *t, const lc_expr *e, const size_t *name_slots, size_t dst, lc_error *err);
/* dst = src. */
int lc_tape_emit_copy(lc_tape *t, size_t dst, size_t src, lc_error *err);

size_t lc_tape_ninsns(const lc_tape *t);

/* Per-thread slot memory: nslots blocks of LC_BLOCK doubles, constants filled. */
lc_tape_ws *lc_tape_ws_alloc(const lc_tape *t);
void lc_tape_ws_free(lc_tape_ws *ws);
/* Read a slot's block; or make a slot read from caller memory (an input column). */
double *lc_tape_ws_block(lc_tape_ws *ws, size_t slot);
void lc_tape_ws_bind(lc_tape_ws *ws, size_t slot, const double *column);

/* Run the code on the first n points of every block (1 <= n <= LC_BLOCK). */
void lc_tape_run(const lc_tape *t, lc_tape_ws *ws, size_t n);

#endif
