/* lc_model — the cost model: named inputs and formulas (the built-in library
 * plus a scenario's own), compiled into a dependency order with units checked,
 * evaluated at a point or handed to an analysis as an lc_evaluator.
 *
 * Owns: its quantities, their expressions and strings.  Borrows: the units
 * context given to lc_model_alloc (it must outlive the model).
 * A formula is computed only when every input it needs has a value; inputs
 * without a sourced default must be set by the scenario (no silent defaults). */
#ifndef LC_MODEL_H
#define LC_MODEL_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_eval.h"
#include "lc_expr.h"
#include "lc_units.h"

/* Bytes of a declared unit (unit: of a scenario formula): display buffers
 * hold LC_UNIT_TEXT_MAX, so a longer one is refused rather than cut. */
#define LC_MODEL_UNIT_MAX (LC_UNIT_TEXT_MAX - 1)

/* Distinct names one formula may use (lc_model_compile refuses more). */
#define LC_MODEL_NAMES_MAX 64

typedef enum { LC_Q_INPUT, LC_Q_FORMULA, LC_Q_CHOICE } lc_qkind;

/* Where a quantity's value or formula comes from (for --explain). */
typedef enum {
    LC_FROM_NONE,     /* no value: the scenario must set it */
    LC_FROM_DEFAULT,  /* the library's sourced default */
    LC_FROM_CATALOG,  /* a hardware catalog entry */
    LC_FROM_SCENARIO, /* the scenario file */
    LC_FROM_COMMAND,  /* --set on the command line */
    LC_FROM_LIBRARY,  /* a library formula */
    LC_FROM_USER      /* a formula defined in the scenario's metrics: */
} lc_origin;

struct lc_dist;

/* What values a quantity may take (issue 11 checks them where values enter).
 * Shares are stored as fractions and written as percentages. */
typedef enum {
    LC_DOM_REAL,      /* any finite number: margins, cash, differences */
    LC_DOM_NONNEG,    /* >= 0 */
    LC_DOM_POSITIVE,  /* > 0: divisors, prices, sizes */
    LC_DOM_SHARE,     /* 0% to 100% */
    LC_DOM_SHARE_POS, /* above 0% up to 100%: utilisations that divide */
    LC_DOM_COUNT,     /* a whole number >= 0 */
    LC_DOM_COUNT1,    /* a whole number >= 1 */
    LC_DOM_RATIO1,    /* >= 1: PUE, peak factors, overheads */
    LC_DOM_DAY_TIME,  /* a time from 0 h to 24 h: hours a day */
    LC_DOM_DECLINE,   /* a yearly rate of decline (1/time) from -1000 %/year (a rise
                       * of 1000 %/year, electricity_escalation's limit) to
                       * 100 %/year (the price gone in a year): prices that move */
    LC_DOM_CHOICE     /* a catalog id or option, not a number */
} lc_domain;

/* "0% to 100%", "whole, >= 1", ...: the short text `llmcost params` shows. */
const char *lc_domain_name(lc_domain d);
/* The bounds of a domain in base units (-inf/+inf when open). */
void lc_domain_bounds(lc_domain d, double *lo, double *hi);
/* 1 for the domains of whole numbers (COUNT, COUNT1). */
int lc_domain_whole(lc_domain d);
/* Parse a domain name as a scenario writes it (real, nonneg, positive, share,
 * share_pos, count, count1, ratio1); 0 or -1. */
int lc_domain_parse(const char *name, lc_domain *out);

typedef struct lc_qty {
    char *name;
    char *label; /* short human label ("Serving cost per day, owned GPUs"); never NULL */
    lc_domain domain;
    char *unit; /* display unit, "CUR" for the currency; "" = dimensionless */
    lc_dim dim;
    lc_qkind kind; /* a pinned formula becomes an input */
    lc_origin origin;
    char *doc;
    char *source;         /* where the value or formula comes from */
    char *text;           /* value as written (inputs set from text), or NULL */
    char *choice;         /* LC_Q_CHOICE: the chosen id (catalog entry, precision) */
    lc_mark mark;         /* where the scenario set or defined it */
    lc_expr *expr;        /* formulas (kept when pinned, for documentation) */
    size_t *deps;         /* formulas: quantity index of each expression name */
    int available;        /* has a value (inputs) / all deps available (formulas) */
    int reported;         /* chosen for output by the scenario's report: list */
    int infer_unit;       /* user formula without a declared unit */
    double value;         /* point value in base units */
    int lower_bound;      /* value is only a lower bound: the event lies beyond a simulated
                           * horizon (sim.runway when the cash lasts it) */
    struct lc_dist *dist; /* uncertain input, or NULL (owned) */
} lc_qty;

typedef struct lc_model lc_model;

/* A model holding the built-in library.  NULL with err on failure. */
lc_model *lc_model_alloc(const lc_units *u, lc_error *err);
void lc_model_free(lc_model *m);

const lc_units *lc_model_units(const lc_model *m);
size_t lc_model_count(const lc_model *m);
lc_qty *lc_model_qty(lc_model *m, size_t i);
/* Index of name, or -1. */
long lc_model_find(const lc_model *m, const char *name);
/* An "unknown name" error with a did-you-mean suggestion; returns LC_EINPUT. */
int lc_model_unknown(const lc_model *m, const char *what, const char *name, lc_mark at,
                     lc_error *err);

/* Set an input (or pin a formula to a value) from text such as "6.5 kW".  The
 * unit must have the quantity's dimension.  `source` may be NULL. */
int lc_model_set_text(lc_model *m, const char *name, const char *text, lc_mark at, lc_origin origin,
                      const char *source, lc_error *err);
/* Is v (base units) in the domain of quantity i?  LC_OK, or LC_EINPUT at `at`
 * with a message in the user's words: `what` names the value (NULL: the
 * quantity's name) and `text` is the value as written (NULL: v formatted in
 * the quantity's unit).  A bare number above 1 given for a share is named as
 * the classic mistake ("40 would be 4000% - write 40%"). */
int lc_model_check_domain(const lc_model *m, size_t i, double v, const char *what, const char *text,
                          lc_mark at, lc_error *err);

/* The same for an end of a sweep or solve range: a count's range may have
 * fractional ends (the analysis steps over the whole values inside). */
int lc_model_check_range(const lc_model *m, size_t i, double v, const char *what, const char *text,
                         lc_mark at, lc_error *err);

/* Set a value in base units (catalog entries); text is how to show it. */
int lc_model_set_value(lc_model *m, size_t i, double value, const char *text, lc_origin origin,
                       const char *source, lc_error *err);
/* Choose a catalog id or option for a choice input. */
int lc_model_set_choice(lc_model *m, size_t i, const char *choice, lc_mark at, lc_origin origin,
                        lc_error *err);

/* Give quantity i a human label (a scenario's label: key). */
int lc_model_set_label(lc_model *m, size_t i, const char *label, lc_error *err);

/* Define a formula of the scenario's own.  unit may be NULL (inferred); a
 * money unit written with a currency code (CNY/year) becomes CUR/year when
 * compiled, so that it is shown in the --currency currency. */
int lc_model_define(lc_model *m, const char *name, const char *expr, const char *unit,
                    const char *doc, lc_mark at, lc_error *err);

/* Resolve names, order formulas, check units, compute point values.  Call
 * after every set/define and before reading values; again after changes. */
int lc_model_compile(lc_model *m, lc_error *err);

/* Recompute point values only (after lc_model_set_value on a compiled model). */
void lc_model_recompute(lc_model *m);

/* Topological order of all quantities (inputs first); valid after compile. */
const size_t *lc_model_order(const lc_model *m);

/* An evaluator whose inputs are the quantities varied[0..nv) and whose outputs
 * are out[0..no); everything else is held at its point value.  Release with
 * lc_model_evaluator_release. */
int lc_model_evaluator(lc_model *m, const size_t *varied, size_t nv, const size_t *out, size_t no,
                       lc_evaluator *ev, lc_error *err);
void lc_model_evaluator_release(lc_evaluator *ev);

/* Evaluate output `out` at one point where input `in` takes value x (base
 * units) and all else is at its point value; no tape needed. */
double lc_model_eval_at(lc_model *m, size_t in, double x, size_t out);

/* --- the library ----------------------------------------------------------- */

typedef struct lc_libentry {
    const char *name;
    const char *label; /* short human label for tables, charts and the report */
    const char *unit;  /* display unit; CUR = the currency */
    lc_domain domain;
    const char *expr;   /* formula, or NULL for an input */
    const char *deflt;  /* input default with unit, NULL when the scenario must set it;
                           for choices the default id */
    const char *doc;    /* one sentence */
    const char *source; /* where the formula or default comes from */
    int choice;         /* 1: a choice (catalog id or option), not a number */
} lc_libentry;

extern const lc_libentry lc_library[];
extern const size_t lc_library_count;

#endif
