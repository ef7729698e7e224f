/* model.c — quantities, compilation (names, order, units, availability) and
 * evaluation of the cost model. */
#include "lc_model.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_dist.h"
#include "lc_util.h"

/* A year of 365 days in seconds (README, "Units"): LC_DOM_DECLINE's rates are per year. */
#define DECLINE_YEAR_S (365.0 * 86400.0)

struct lc_model {
    const lc_units *u;
    lc_qty *q;
    size_t nq, cap;
    size_t *order; /* topological order, inputs first */
    int compiled;
    /* Name index: open addressing, slot = quantity index + 1 (0 = empty),
     * at most half full, so a lookup is O(1) whatever the scenario's size. */
    size_t *slot;
    size_t nslot; /* a power of two, or 0 */
};

/* FNV-1a, 64 bit (Fowler, Noll, Vo; http://www.isthe.com/chongo/tech/comp/fnv/). */
static size_t name_hash(const char *s)
{
    uint64_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return (size_t)h;
}

static void index_put(size_t *slot, size_t nslot, const char *name, size_t i)
{
    size_t k = name_hash(name) & (nslot - 1);
    while (slot[k] != 0)
        k = (k + 1) & (nslot - 1);
    slot[k] = i + 1;
}

/* Room for one more name; 0, or -1 on out-of-memory. */
static int index_grow(lc_model *m)
{
    size_t n = m->nslot ? m->nslot : 256, i, *slot;
    if (2 * (m->nq + 1) <= m->nslot)
        return 0;
    while (2 * (m->nq + 1) > n)
        n *= 2;
    slot = calloc(n, sizeof *slot);
    if (slot == NULL)
        return -1;
    for (i = 0; i < m->nq; i++)
        index_put(slot, n, m->q[i].name, i);
    free(m->slot);
    m->slot = slot;
    m->nslot = n;
    return 0;
}

static lc_mark library_mark(void)
{
    lc_mark m = {"<library>", 0, 0};
    return m;
}

static void qty_release(lc_qty *q)
{
    free(q->name);
    free(q->label);
    free(q->unit);
    free(q->doc);
    free(q->source);
    free(q->text);
    free(q->choice);
    free(q->deps);
    lc_expr_free(q->expr);
    lc_dist_free(q->dist);
    free(q->dist);
}

void lc_model_free(lc_model *m)
{
    size_t i;
    if (m == NULL)
        return;
    for (i = 0; i < m->nq; i++)
        qty_release(&m->q[i]);
    free(m->q);
    free(m->order);
    free(m->slot);
    free(m);
}

static lc_qty *add_qty(lc_model *m, const char *name, const char *unit, lc_error *err)
{
    lc_qty *q;
    if (index_grow(m) != 0) {
        lc_error_nomem(err);
        return NULL;
    }
    if (m->nq == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 128;
        lc_qty *nq = realloc(m->q, cap * sizeof *nq);
        if (nq == NULL) {
            lc_error_nomem(err);
            return NULL;
        }
        m->q = nq;
        m->cap = cap;
    }
    q = &m->q[m->nq];
    memset(q, 0, sizeof *q);
    q->name = lc_strdup(name);
    q->unit = lc_strdup(unit ? unit : "");
    if (q->name == NULL || q->unit == NULL) {
        qty_release(q);
        lc_error_nomem(err);
        return NULL;
    }
    q->value = NAN;
    index_put(m->slot, m->nslot, q->name, m->nq);
    m->nq++;
    m->compiled = 0;
    return q;
}

static int unit_dim(const lc_model *m, const char *unit, lc_dim *dim, lc_mark at, lc_error *err)
{
    lc_unit un;
    char msg[LC_UNITS_MSG_MAX];
    size_t pos = 0;
    if (unit[0] == '\0') {
        *dim = lc_dim_none();
        return LC_OK;
    }
    if (lc_units_parse_unit(m->u, unit, strlen(unit), &un, msg, sizeof msg, &pos) != 0)
        return lc_error_set(err, LC_EINPUT, at, "bad unit '%s': %s", unit, msg);
    *dim = un.dim;
    return LC_OK;
}

lc_model *lc_model_alloc(const lc_units *u, lc_error *err)
{
    lc_model *m = calloc(1, sizeof *m);
    size_t i;

    if (m == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    m->u = u;
    for (i = 0; i < lc_library_count; i++) {
        const lc_libentry *e = &lc_library[i];
        lc_qty *q = add_qty(m, e->name, e->unit, err);
        if (q == NULL)
            goto fail;
        q->doc = lc_strdup(e->doc);
        q->source = lc_strdup(e->source);
        q->label = lc_strdup(e->label);
        q->domain = e->domain;
        if (q->doc == NULL || q->source == NULL || q->label == NULL) {
            lc_error_nomem(err);
            goto fail;
        }
        if (unit_dim(m, e->unit, &q->dim, library_mark(), err) != LC_OK)
            goto fail;
        if (e->choice) {
            q->kind = LC_Q_CHOICE;
            if (e->deflt) {
                q->choice = lc_strdup(e->deflt);
                if (q->choice == NULL) {
                    lc_error_nomem(err);
                    goto fail;
                }
                q->origin = LC_FROM_DEFAULT;
                q->available = 1;
            }
        } else if (e->expr) {
            q->kind = LC_Q_FORMULA;
            q->origin = LC_FROM_LIBRARY;
            q->expr = lc_expr_parse(e->expr, library_mark(), u, err);
            if (q->expr == NULL)
                goto fail;
        } else {
            q->kind = LC_Q_INPUT;
            if (e->deflt && lc_model_set_text(m, e->name, e->deflt, library_mark(), LC_FROM_DEFAULT,
                                              e->source, err) != LC_OK)
                goto fail;
        }
    }
    return m;
fail:
    lc_model_free(m);
    return NULL;
}

const lc_units *lc_model_units(const lc_model *m)
{
    return m->u;
}

size_t lc_model_count(const lc_model *m)
{
    return m->nq;
}

lc_qty *lc_model_qty(lc_model *m, size_t i)
{
    return &m->q[i];
}

long lc_model_find(const lc_model *m, const char *name)
{
    size_t k;
    if (m->nslot == 0)
        return -1;
    for (k = name_hash(name) & (m->nslot - 1); m->slot[k] != 0; k = (k + 1) & (m->nslot - 1))
        if (strcmp(m->q[m->slot[k] - 1].name, name) == 0)
            return (long)(m->slot[k] - 1);
    return -1;
}

int lc_model_unknown(const lc_model *m, const char *what, const char *name, lc_mark at,
                     lc_error *err)
{
    const char **names = malloc((m->nq ? m->nq : 1) * sizeof *names);
    const char *best;
    size_t i;
    if (names == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < m->nq; i++)
        names[i] = m->q[i].name;
    best = lc_suggest(name, names, m->nq);
    if (best)
        lc_error_set(err, LC_EINPUT, at, "unknown %s '%s' (did you mean %s?)", what, name, best);
    else
        lc_error_set(err, LC_EINPUT, at,
                     "unknown %s '%s' (run 'llmcost params' for the list of names)", what, name);
    free(names);
    return LC_EINPUT;
}

static int replace_str(char **dst, const char *src, lc_error *err)
{
    char *p = NULL;
    if (src && (p = lc_strdup(src)) == NULL)
        return lc_error_nomem(err);
    free(*dst);
    *dst = p;
    return LC_OK;
}

static int set_common(lc_model *m, lc_qty *q, const char *text, lc_mark at, lc_origin origin,
                      const char *source, lc_error *err)
{
    if (q->kind == LC_Q_FORMULA)
        q->kind = LC_Q_INPUT; /* pinned: the scenario's value replaces the formula */
    q->origin = origin;
    q->mark = at;
    q->available = 1;
    m->compiled = 0;
    if (replace_str(&q->text, text, err) != LC_OK)
        return LC_ENOMEM;
    /* A value set without a source must not keep the source of the value it
     * replaced (the library's default): explain then shows where it was set. */
    if ((source || origin == LC_FROM_SCENARIO) && replace_str(&q->source, source, err) != LC_OK)
        return LC_ENOMEM;
    return LC_OK;
}

/* A word where an amount belongs ("gpu.rent: h100-sxm@2025"): a catalog
 * entry is picked by a choice input, which then fills the amount. */
static int choice_hint(const lc_model *m, const lc_qty *q, const char *text, lc_mark at,
                       lc_error *err)
{
    lc_sbuf names = {0};
    char shown[LC_UNIT_TEXT_MAX];
    size_t i;
    char *list;
    int rc;
    for (i = 0; i < m->nq; i++)
        if (m->q[i].kind == LC_Q_CHOICE)
            lc_sb_printf(&names, "%s%s", names.len ? ", " : "", m->q[i].name);
    if ((list = lc_sb_take(&names)) == NULL)
        return lc_error_nomem(err);
    lc_units_display_name(m->u, q->unit, shown, sizeof shown);
    if (strpbrk(text, "@-")) /* looks like a catalog id: h100-sxm@2025 */
        rc = lc_error_set(err, LC_EINPUT, at,
                          "%s takes an amount in %s, not '%s'; a catalog entry is picked by a "
                          "choice that fills it (%s; see llmcost params)",
                          q->name, shown[0] ? shown : "a plain number", text, list);
    else
        rc = lc_error_set(err, LC_EINPUT, at, "%s takes an amount in %s, not '%s'", q->name,
                          shown[0] ? shown : "a plain number", text);
    free(list);
    return rc;
}

int lc_model_set_text(lc_model *m, const char *name, const char *text, lc_mark at, lc_origin origin,
                      const char *source, lc_error *err)
{
    long i = lc_model_find(m, name);
    lc_qty *q;
    double v;
    lc_dim dim;
    char msg[LC_UNITS_MSG_MAX];
    size_t pos = 0;

    if (i < 0)
        return lc_model_unknown(m, "input", name, at, err);
    q = &m->q[i];
    if (q->kind == LC_Q_CHOICE)
        return lc_model_set_choice(m, (size_t)i, text, at, origin, err);
    if (lc_units_parse_quantity(m->u, text, &v, &dim, msg, sizeof msg, &pos) != 0) {
        lc_mark p = at;
        if (p.line > 0)
            p.col += (int)pos;
        if (pos == 0 && isalpha((unsigned char)text[0]))
            return choice_hint(m, q, text, p, err);
        return lc_error_set(err, LC_EINPUT, p, "%s: %s", name, msg);
    }
    if (!lc_dim_eq(dim, q->dim)) {
        char want[LC_DIM_TEXT_MAX], got[LC_DIM_TEXT_MAX], shown[LC_UNIT_TEXT_MAX];
        lc_dim_describe(q->dim, want, sizeof want);
        lc_dim_describe(dim, got, sizeof got);
        lc_units_display_name(m->u, q->unit, shown, sizeof shown);
        if (lc_dim_is_none(dim) && shown[0] && !strchr(text, '%')) /* 700 for 700 W */
            return lc_error_set(err, LC_EINPUT, at,
                                "%s needs a value in %s (%s), but '%s' is a plain number: write "
                                "it with its unit, e.g. '%s %s'",
                                name, shown, want, text, text, shown);
        return lc_error_set(err, LC_EINPUT, at, "%s needs a value in %s (%s), but '%s' is %s", name,
                            shown[0] ? shown : "a plain number", want, text, got);
    }
    if (lc_model_check_domain(m, (size_t)i, v, NULL, text, at, err) != LC_OK)
        return LC_EINPUT;
    q->value = lc_domain_whole(q->domain) ? round(v) : v; /* 1.1K users: 1100 exactly */
    return set_common(m, q, text, at, origin, source, err);
}

/* --- domains ----------------------------------------------------------------- */

const char *lc_domain_name(lc_domain d)
{
    switch (d) {
    case LC_DOM_REAL:
        return "any number";
    case LC_DOM_NONNEG:
        return ">= 0";
    case LC_DOM_POSITIVE:
        return "> 0";
    case LC_DOM_SHARE:
        return "0% to 100%";
    case LC_DOM_SHARE_POS:
        return "above 0% to 100%";
    case LC_DOM_COUNT:
        return "whole, >= 0";
    case LC_DOM_COUNT1:
        return "whole, >= 1";
    case LC_DOM_RATIO1:
        return ">= 1";
    case LC_DOM_DAY_TIME:
        return "0 h to 24 h";
    case LC_DOM_DECLINE:
        return "-1000 %/year to 100 %/year";
    case LC_DOM_CHOICE:
        return "an id";
    }
    return "?";
}

void lc_domain_bounds(lc_domain d, double *lo, double *hi)
{
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (d) {
    case LC_DOM_NONNEG:
    case LC_DOM_POSITIVE:
    case LC_DOM_COUNT:
        *lo = 0;
        break;
    case LC_DOM_SHARE:
    case LC_DOM_SHARE_POS:
        *lo = 0;
        *hi = 1;
        break;
    case LC_DOM_COUNT1:
    case LC_DOM_RATIO1:
        *lo = 1;
        break;
    case LC_DOM_DAY_TIME:
        *lo = 0;
        *hi = 86400; /* 24 h in seconds */
        break;
    case LC_DOM_DECLINE:
        *lo = -10 / DECLINE_YEAR_S; /* a rise of 1000 %/year */
        *hi = 1 / DECLINE_YEAR_S;   /* 100 %/year: the price gone in a year */
        break;
    case LC_DOM_REAL:
    case LC_DOM_CHOICE:
        break;
    }
}

int lc_domain_whole(lc_domain d)
{
    return d == LC_DOM_COUNT || d == LC_DOM_COUNT1;
}

int lc_domain_parse(const char *name, lc_domain *out)
{
    static const struct {
        const char *name;
        lc_domain d;
    } names[] = {{"real", LC_DOM_REAL},           {"nonneg", LC_DOM_NONNEG},
                 {"positive", LC_DOM_POSITIVE},   {"share", LC_DOM_SHARE},
                 {"share_pos", LC_DOM_SHARE_POS}, {"count", LC_DOM_COUNT},
                 {"count1", LC_DOM_COUNT1},       {"ratio1", LC_DOM_RATIO1}};
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strcmp(name, names[k].name) == 0) {
            *out = names[k].d;
            return 0;
        }
    return -1;
}

int lc_model_check_domain(const lc_model *m, size_t i, double v, const char *what, const char *text,
                          lc_mark at, lc_error *err)
{
    const lc_qty *q = &m->q[i];
    const char *who = what ? what : q->name;
    char number[LC_UNITS_FORMAT_MAX], unit[LC_UNIT_TEXT_MAX];
    const char *shown = text ? text : number; /* as written, or the value formatted */
    int share = q->domain == LC_DOM_SHARE || q->domain == LC_DOM_SHARE_POS;

    if (text == NULL && share) {
        lc_units_format_number(v * 100, number, sizeof number - 1);
        strcat(number, "%");
    } else if (text == NULL)
        lc_units_format(m->u, v, q->unit, number, sizeof number);
    if (!isfinite(v))
        return lc_error_set(err, LC_EINPUT, at, "%s must be a finite number, not %s", who, shown);
    switch (q->domain) {
    case LC_DOM_REAL:
    case LC_DOM_CHOICE:
        return LC_OK;
    case LC_DOM_NONNEG:
        if (v >= 0)
            return LC_OK;
        return lc_error_set(err, LC_EINPUT, at, "%s cannot be negative (got %s)", who, shown);
    case LC_DOM_POSITIVE:
        if (v > 0)
            return LC_OK;
        return lc_error_set(err, LC_EINPUT, at, "%s must be above 0 (got %s)", who, shown);
    case LC_DOM_SHARE:
    case LC_DOM_SHARE_POS:
        if (v <= 1 && (q->domain == LC_DOM_SHARE ? v >= 0 : v > 0))
            return LC_OK;
        if (text && strchr(text, '%') == NULL && v > 1) {
            /* The classic mistake: 40 meant as 40%. */
            char pct[LC_NUMBER_TEXT_MAX];
            lc_units_format_number(v * 100, pct, sizeof pct);
            if (v <= 100)
                return lc_error_set(err, LC_EINPUT, at,
                                    "%s must be a share between 0%% and 100%%; %s would be %s%% "
                                    "\xe2\x80\x94 write %s%%",
                                    who, shown, pct, shown);
            return lc_error_set(err, LC_EINPUT, at,
                                "%s must be a share between 0%% and 100%%; %s would be %s%%", who,
                                shown, pct);
        }
        return lc_error_set(
            err, LC_EINPUT, at, "%s must be a share %s, not %s", who,
            q->domain == LC_DOM_SHARE ? "between 0% and 100%" : "above 0% and at most 100%", shown);
    case LC_DOM_COUNT:
    case LC_DOM_COUNT1: {
        double lo = q->domain == LC_DOM_COUNT ? 0 : 1;
        if (v >= lo && fabs(v - round(v)) <= 1e-9 * fmax(1, fabs(v)))
            return LC_OK;
        lc_units_display_name(m->u, q->unit, unit, sizeof unit);
        return lc_error_set(err, LC_EINPUT, at, "%s must be a whole number%s%s, %s, not %s", who,
                            unit[0] ? " of " : "", unit,
                            q->domain == LC_DOM_COUNT ? "0 or more" : "at least 1", shown);
    }
    case LC_DOM_RATIO1:
        if (v >= 1)
            return LC_OK;
        return lc_error_set(err, LC_EINPUT, at, "%s (%s) must be at least 1, not %s", who, q->label,
                            shown);
    case LC_DOM_DAY_TIME:
        if (v >= 0 && v <= 86400)
            return LC_OK;
        return lc_error_set(err, LC_EINPUT, at,
                            "%s must be a time between 0 h and 24 h (hours a day), not %s", who,
                            shown);
    case LC_DOM_DECLINE:
        /* 1e-12 relative: 100 %/year written out is 1/YEAR_S to rounding */
        if (v <= (1 + 1e-12) / DECLINE_YEAR_S && v >= -(10 + 1e-11) / DECLINE_YEAR_S)
            return LC_OK;
        return lc_error_set(err, LC_EINPUT, at,
                            "%s must be a yearly decline from -1000 %%/year (a rise) to 100 "
                            "%%/year, not %s",
                            who, shown);
    }
    return LC_OK;
}

int lc_model_check_range(const lc_model *m, size_t i, double v, const char *what, const char *text,
                         lc_mark at, lc_error *err)
{
    double lo, hi;
    lc_domain_bounds(m->q[i].domain, &lo, &hi);
    if (lc_domain_whole(m->q[i].domain) && v >= lo && v <= hi)
        return LC_OK; /* a range of a count may have fractional ends */
    return lc_model_check_domain(m, i, v, what, text, at, err);
}

int lc_model_set_value(lc_model *m, size_t i, double value, const char *text, lc_origin origin,
                       const char *source, lc_error *err)
{
    lc_qty *q = &m->q[i];
    int was_compiled = m->compiled;
    q->value = value;
    if (set_common(m, q, text, q->mark, origin, source, err) != LC_OK)
        return LC_ENOMEM;
    /* A value change does not change the graph unless it pinned a formula. */
    m->compiled = was_compiled && q->kind == LC_Q_INPUT && q->deps == NULL;
    return LC_OK;
}

int lc_model_set_choice(lc_model *m, size_t i, const char *choice, lc_mark at, lc_origin origin,
                        lc_error *err)
{
    lc_qty *q = &m->q[i];
    if (q->kind != LC_Q_CHOICE)
        return lc_error_set(err, LC_EINPUT, at, "%s takes a number with a unit, not '%s'", q->name,
                            choice);
    if (replace_str(&q->choice, choice, err) != LC_OK)
        return LC_ENOMEM;
    q->origin = origin;
    q->mark = at;
    q->available = 1;
    return LC_OK;
}

int lc_model_define(lc_model *m, const char *name, const char *expr, const char *unit,
                    const char *doc, lc_mark at, lc_error *err)
{
    lc_qty *q;
    lc_expr *e;
    if (lc_model_find(m, name) >= 0)
        return lc_error_set(err, LC_EINPUT, at,
                            "metric '%s' is already defined (by the library or above); choose "
                            "another name or set it under inputs:",
                            name);
    /* every table and message shows the unit whole: refuse what would be cut */
    if (unit && strlen(unit) > LC_MODEL_UNIT_MAX)
        return lc_error_set(err, LC_EINPUT, at,
                            "the unit of %s is %zu bytes long; at most %d: write it shorter "
                            "(e.g. USD/day)",
                            name, strlen(unit), LC_MODEL_UNIT_MAX);
    e = lc_expr_parse(expr, at, m->u, err);
    if (e == NULL)
        return err->code;
    q = add_qty(m, name, unit, err);
    if (q == NULL) {
        lc_expr_free(e);
        return LC_ENOMEM;
    }
    q->kind = LC_Q_FORMULA;
    q->origin = LC_FROM_USER;
    q->expr = e;
    q->mark = at;
    q->doc = lc_strdup(doc ? doc : "Defined by the scenario.");
    q->source = lc_strdup("scenario formula");
    q->label = lc_strdup(name); /* until the scenario's label: says otherwise */
    q->domain = LC_DOM_REAL;
    if (q->doc == NULL || q->source == NULL || q->label == NULL)
        return lc_error_nomem(err);
    if (unit && unit_dim(m, unit, &q->dim, at, err) != LC_OK)
        return LC_EINPUT;
    q->infer_unit = unit == NULL; /* decided in compile, from the formula */
    return LC_OK;
}

int lc_model_set_label(lc_model *m, size_t i, const char *label, lc_error *err)
{
    lc_qty *q = lc_model_qty(m, i);
    char *copy = lc_strdup(label);
    if (copy == NULL)
        return lc_error_nomem(err);
    free(q->label);
    q->label = copy;
    return LC_OK;
}

/* --- compilation ---------------------------------------------------------- */

enum { WHITE, GREY, BLACK };

/* Depth-first topological sort; the recursion depth is bounded by the number
 * of formulas (a few hundred). */
static int visit(lc_model *m, size_t i, int *colour, size_t *n, size_t *stack, size_t depth,
                 lc_error *err)
{
    lc_qty *q = &m->q[i];
    size_t k;
    if (colour[i] == BLACK)
        return LC_OK;
    if (colour[i] == GREY) {
        /* Report the cycle from where it starts. */
        lc_sbuf b = {0};
        size_t j, from = 0;
        char *path;
        int rc;
        for (j = 0; j < depth; j++)
            if (stack[j] == i)
                from = j;
        for (j = from; j < depth; j++)
            lc_sb_printf(&b, "%s -> ", m->q[stack[j]].name);
        lc_sb_puts(&b, q->name);
        if ((path = lc_sb_take(&b)) == NULL)
            return lc_error_nomem(err);
        rc = lc_error_set(err, LC_EINPUT, m->q[stack[from]].mark,
                          "formulas depend on each other in a cycle: %s", path);
        free(path);
        return rc;
    }
    colour[i] = GREY;
    stack[depth] = i;
    if (q->kind == LC_Q_FORMULA)
        for (k = 0; k < lc_expr_nnames(q->expr); k++)
            if (visit(m, q->deps[k], colour, n, stack, depth + 1, err) != LC_OK)
                return LC_EINPUT;
    colour[i] = BLACK;
    m->order[(*n)++] = i;
    return LC_OK;
}

int lc_model_compile(lc_model *m, lc_error *err)
{
    size_t i, k, n = 0;
    int *colour = NULL;
    size_t *stack = NULL;
    lc_dim dims[LC_MODEL_NAMES_MAX];
    int rc = LC_OK;

    /* Resolve names. */
    for (i = 0; i < m->nq; i++) {
        lc_qty *q = &m->q[i];
        size_t nn;
        if (q->expr == NULL)
            continue;
        nn = lc_expr_nnames(q->expr);
        free(q->deps);
        q->deps = malloc((nn ? nn : 1) * sizeof *q->deps);
        if (q->deps == NULL)
            return lc_error_nomem(err);
        for (k = 0; k < nn; k++) {
            long j = lc_model_find(m, lc_expr_name(q->expr, k));
            if (j < 0)
                return lc_model_unknown(m, "name", lc_expr_name(q->expr, k),
                                        lc_expr_name_mark(q->expr, k), err);
            if (m->q[j].kind == LC_Q_CHOICE)
                return lc_error_set(err, LC_EINPUT, lc_expr_name_mark(q->expr, k),
                                    "'%s' is a choice, not a number; use the values it sets "
                                    "(see 'llmcost params')",
                                    m->q[j].name);
            q->deps[k] = (size_t)j;
        }
    }
    free(m->order);
    m->order = malloc((m->nq ? m->nq : 1) * sizeof *m->order);
    colour = calloc(m->nq ? m->nq : 1, sizeof *colour);
    stack = malloc((m->nq ? m->nq : 1) * sizeof *stack);
    if (m->order == NULL || colour == NULL || stack == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    /* Inputs first (stable), then formulas in dependency order. */
    for (i = 0; i < m->nq; i++)
        if (m->q[i].kind != LC_Q_FORMULA) {
            colour[i] = BLACK;
            m->order[n++] = i;
        }
    for (i = 0; i < m->nq; i++)
        if ((rc = visit(m, i, colour, &n, stack, 0, err)) != LC_OK)
            goto done;

    /* Units and availability, in order. */
    for (k = 0; k < n; k++) {
        lc_qty *q = &m->q[m->order[k]];
        size_t j, nn;
        lc_dim got;
        if (q->kind != LC_Q_FORMULA)
            continue;
        nn = lc_expr_nnames(q->expr);
        if (nn > LC_MODEL_NAMES_MAX) {
            rc = lc_error_set(err, LC_EINPUT, q->mark,
                              "formula %s uses %zu names, more than %d: split it into metrics "
                              "of fewer names",
                              q->name, nn, LC_MODEL_NAMES_MAX);
            goto done;
        }
        q->available = 1;
        for (j = 0; j < nn; j++) {
            dims[j] = m->q[q->deps[j]].dim;
            q->available &= m->q[q->deps[j]].available;
        }
        if ((rc = lc_expr_check(q->expr, dims, &got, err)) != LC_OK)
            goto done;
        if (q->infer_unit) {
            const char *du = lc_dim_default_unit(got);
            q->dim = got;
            q->infer_unit = 0;
            if (du == NULL)
                du = "";
            if ((rc = replace_str(&q->unit, du, err)) != LC_OK)
                goto done;
            if (du[0] == '\0' && !lc_dim_is_none(got)) {
                char d[LC_DIM_TEXT_MAX];
                lc_dim_describe(got, d, sizeof d);
                rc = lc_error_set(err, LC_EINPUT, q->mark,
                                  "give %s a unit (it is %s): write it as { formula: ..., "
                                  "unit: ... }",
                                  q->name, d);
                goto done;
            }
        } else if (!lc_dim_eq(got, q->dim)) {
            char want[LC_DIM_TEXT_MAX], have[LC_DIM_TEXT_MAX];
            lc_dim_describe(q->dim, want, sizeof want);
            lc_dim_describe(got, have, sizeof have);
            rc = lc_error_set(err, LC_EINPUT, q->origin == LC_FROM_USER ? q->mark : library_mark(),
                              "%s is declared in %s (%s), but its formula gives %s", q->name,
                              q->unit, want, have);
            goto done;
        } else if (q->origin == LC_FROM_USER) {
            /* One currency on screen: a metric declared in CNY/year is shown
             * in the display currency, as CUR/year. */
            char cur_unit[LC_UNIT_TEXT_MAX];
            lc_units_currency_as_cur(m->u, q->unit, cur_unit, sizeof cur_unit);
            if ((rc = replace_str(&q->unit, cur_unit, err)) != LC_OK)
                goto done;
        }
    }
    m->compiled = 1;
    lc_model_recompute(m);
    /* A scenario formula declared with a domain (domain: share) computes inside it. */
    for (i = 0; i < m->nq; i++) {
        lc_qty *q = &m->q[i];
        char *what;
        if (q->origin != LC_FROM_USER || q->kind != LC_Q_FORMULA || q->domain == LC_DOM_REAL ||
            !q->available)
            continue;
        if ((what = lc_aprintf("%s (its formula computes it)", q->name)) == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
        rc = lc_model_check_domain(m, i, q->value, what, NULL, q->mark, err);
        free(what);
        if (rc != LC_OK)
            goto done;
    }
done:
    free(colour);
    free(stack);
    return rc;
}

void lc_model_recompute(lc_model *m)
{
    size_t k, j;
    double vals[LC_MODEL_NAMES_MAX]; /* lc_model_compile refuses more */
    for (k = 0; k < m->nq; k++) {
        lc_qty *q = &m->q[m->order[k]];
        if (q->kind != LC_Q_FORMULA)
            continue;
        q->available = 1;
        for (j = 0; j < lc_expr_nnames(q->expr); j++) {
            vals[j] = m->q[q->deps[j]].value;
            q->available &= m->q[q->deps[j]].available;
        }
        q->value = q->available ? lc_expr_eval1(q->expr, vals) : NAN;
    }
}

const size_t *lc_model_order(const lc_model *m)
{
    return m->order;
}

double lc_model_eval_at(lc_model *m, size_t in, double x, size_t out)
{
    double saved = m->q[in].value, y;
    m->q[in].value = x;
    lc_model_recompute(m);
    y = m->q[out].value;
    m->q[in].value = saved;
    lc_model_recompute(m);
    return y;
}

/* --- evaluators ------------------------------------------------------------ */

typedef struct evalctx {
    lc_tape *tape;
    size_t nin, nout;
    size_t *in_slot;       /* per varied input */
    size_t *out_slot;      /* per output */
    unsigned char *direct; /* per output: its formula writes straight into out[j] */
} evalctx;

static void *ev_ws_alloc(void *ctx)
{
    return lc_tape_ws_alloc(((evalctx *)ctx)->tape);
}

static void ev_ws_free(void *ws)
{
    lc_tape_ws_free(ws);
}

static int ev_eval(void *ctx, void *wsp, const double *const *in, double *const *out, size_t n)
{
    evalctx *c = ctx;
    lc_tape_ws *ws = wsp;
    size_t j;
    for (j = 0; j < c->nin; j++)
        lc_tape_ws_bind(ws, c->in_slot[j], in[j]);
    /* Outputs computed by a formula are written in place: no copy. */
    for (j = 0; j < c->nout; j++)
        if (c->direct[j])
            lc_tape_ws_bind(ws, c->out_slot[j], out[j]);
    lc_tape_run(c->tape, ws, n);
    for (j = 0; j < c->nout; j++)
        if (!c->direct[j])
            memcpy(out[j], lc_tape_ws_block(ws, c->out_slot[j]), n * sizeof(double));
    return LC_OK;
}

void lc_model_evaluator_release(lc_evaluator *ev)
{
    evalctx *c;
    if (ev == NULL || ev->ctx == NULL)
        return;
    c = ev->ctx;
    lc_tape_free(c->tape);
    free(c->in_slot);
    free(c->out_slot);
    free(c->direct);
    free(c);
    ev->ctx = NULL;
}

int lc_model_evaluator(lc_model *m, const size_t *varied, size_t nv, const size_t *out, size_t no,
                       lc_evaluator *ev, lc_error *err)
{
    evalctx *c = calloc(1, sizeof *c);
    unsigned char *varies = calloc(m->nq ? m->nq : 1, 1);
    unsigned char *needed = calloc(m->nq ? m->nq : 1, 1);
    size_t *slot = malloc((m->nq ? m->nq : 1) * sizeof *slot);
    size_t i, j, k;
    int rc = LC_ENOMEM;

    memset(ev, 0, sizeof *ev);
    if (c == NULL || varies == NULL || needed == NULL || slot == NULL)
        goto fail;
    if (!m->compiled && (rc = lc_model_compile(m, err)) != LC_OK)
        goto fail_rc;
    c->tape = lc_tape_alloc();
    c->in_slot = malloc((nv ? nv : 1) * sizeof *c->in_slot);
    c->out_slot = malloc((no ? no : 1) * sizeof *c->out_slot);
    c->direct = calloc(no ? no : 1, 1);
    if (c->tape == NULL || c->in_slot == NULL || c->out_slot == NULL || c->direct == NULL)
        goto fail;
    c->nin = nv;
    c->nout = no;
    for (j = 0; j < nv; j++)
        varies[varied[j]] = 1;
    /* What varies: the varied inputs and every formula that reads one. */
    for (k = 0; k < m->nq; k++) {
        lc_qty *q = &m->q[m->order[k]];
        if (q->kind == LC_Q_FORMULA)
            for (j = 0; j < lc_expr_nnames(q->expr); j++)
                varies[m->order[k]] |= varies[q->deps[j]];
    }
    /* What is needed: outputs and, backwards, what varying formulas read. */
    for (j = 0; j < no; j++)
        needed[out[j]] = 1;
    for (j = 0; j < nv; j++)
        needed[varied[j]] = 1;
    for (k = m->nq; k-- > 0;) {
        size_t qi = m->order[k];
        lc_qty *q = &m->q[qi];
        if (needed[qi] && varies[qi] && q->kind == LC_Q_FORMULA)
            for (j = 0; j < lc_expr_nnames(q->expr); j++)
                needed[q->deps[j]] = 1;
    }
    /* Slots: varied inputs are bound to the caller's columns, constants hold
     * point values, and varying formulas are computed in order. */
    for (k = 0; k < m->nq; k++) {
        size_t qi = m->order[k];
        lc_qty *q = &m->q[qi];
        if (!needed[qi])
            continue;
        slot[qi] = varies[qi] ? lc_tape_slot(c->tape) : lc_tape_const(c->tape, q->value);
        if (slot[qi] == SIZE_MAX)
            goto fail;
        if (varies[qi] && q->kind == LC_Q_FORMULA) {
            size_t names[LC_MODEL_NAMES_MAX];
            for (j = 0; j < lc_expr_nnames(q->expr); j++)
                names[j] = slot[q->deps[j]];
            if ((rc = lc_tape_emit(c->tape, q->expr, names, slot[qi], err)) != LC_OK)
                goto fail_rc;
        }
    }
    for (j = 0; j < nv; j++)
        c->in_slot[j] = slot[varied[j]];
    for (j = 0; j < no; j++) {
        size_t k2;
        c->out_slot[j] = slot[out[j]];
        c->direct[j] = varies[out[j]] && m->q[out[j]].kind == LC_Q_FORMULA;
        for (k2 = 0; k2 < j; k2++)
            if (out[k2] == out[j])
                c->direct[j] = c->direct[k2] = 0; /* asked twice: copy both */
    }
    (void)i;
    ev->n_in = nv;
    ev->n_out = no;
    ev->ctx = c;
    ev->ws_alloc = ev_ws_alloc;
    ev->ws_free = ev_ws_free;
    ev->eval = ev_eval;
    free(varies);
    free(needed);
    free(slot);
    return LC_OK;
fail:
    rc = lc_error_nomem(err);
fail_rc:
    ev->ctx = c;
    lc_model_evaluator_release(ev);
    free(varies);
    free(needed);
    free(slot);
    return rc;
}
