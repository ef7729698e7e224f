/* explain.c — formulas with their numbers and sources. */
#include "lc_explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

/* Sub-formulas whose written-out form is at most this long are shown inline,
 * in parentheses, instead of by value: "(1 + 1.0)" reads better than "2". */
#define INLINE_MAX 32

static void put_value(const lc_scenario *s, size_t qi, lc_sbuf *out)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    if (q->kind == LC_Q_CHOICE)
        lc_sb_puts(out, q->choice ? q->choice : "(not set)");
    else if (!q->available)
        lc_sb_puts(out, "(not set)");
    else if (q->kind == LC_Q_INPUT && q->text && q->dist == NULL)
        lc_sb_puts(out, q->text);
    else {
        char num[LC_UNITS_FORMAT_MAX];
        lc_units_format(&s->units, q->value, q->unit, num, sizeof num);
        lc_sb_puts(out, num);
    }
}

char *lc_explain_value_dup(const lc_scenario *s, size_t qi)
{
    lc_sbuf b = {0};
    put_value(s, qi, &b);
    return lc_sb_take(&b);
}

void lc_explain_currency_step(const lc_scenario *s, const char *text, lc_sbuf *out)
{
    size_t len;
    const char *code = lc_units_find_currency(&s->units, text, &len);
    double k; /* display units per 1 code */
    if (code == NULL ||
        (strlen(s->units.display) == len && strncmp(code, s->units.display, len) == 0))
        return;
    k = lc_units_rate(&s->units, code, len);
    if (!(k > 0))
        return;
    if (k >= 1)
        lc_sb_printf(out, " \xc3\x97 %.6g %s/%.*s", k, s->units.display, (int)len, code);
    else
        lc_sb_printf(out, " \xc3\xb7 %.6g %.*s/%s", 1 / k, (int)len, code, s->units.display);
}

/* Base units per 1 of unit. */
static double unit_factor(const lc_scenario *s, const char *unit)
{
    return 1 / lc_units_to(&s->units, 1.0, unit);
}

/* A formula that only renames another quantity in another unit (a bill per
 * year from one per day) hides a conversion: " × 365 day/year"; else nothing. */
static void alias_step(const lc_scenario *s, const lc_qty *q, lc_sbuf *out)
{
    const lc_qty *dep;
    double ratio;
    const char *a, *b;
    if (q->kind != LC_Q_FORMULA || lc_expr_nnames(q->expr) != 1 ||
        strcmp(lc_expr_text(q->expr), lc_expr_name(q->expr, 0)) != 0)
        return;
    dep = lc_model_qty(s->model, q->deps[0]);
    ratio = unit_factor(s, dep->unit) / unit_factor(s, q->unit);
    if (!isfinite(ratio) || fabs(ratio - 1) < 1e-12)
        return;
    a = strrchr(dep->unit, '/');
    b = strrchr(q->unit, '/');
    if (a && b && a - dep->unit == b - q->unit &&
        strncmp(dep->unit, q->unit, (size_t)(a - dep->unit)) == 0)
        lc_sb_printf(out, " \xc3\x97 %.6g %s/%s", ratio, a + 1, b + 1); /* × 365 day/year */
    else
        lc_sb_printf(out, " \xc3\x97 %.6g (%s to %s)", ratio, dep->unit, q->unit);
}

typedef struct render_ctx {
    const lc_scenario *s;
    const lc_qty *q;
    int names;
    int depth;
} render_ctx;

static void name_text(void *vctx, size_t i, lc_sbuf *out)
{
    render_ctx *c = vctx;
    size_t qi = c->q->deps[i];
    lc_qty *dep = lc_model_qty(c->s->model, qi);
    lc_sbuf part = {0};

    if (c->names) {
        lc_sb_puts(out, dep->name);
        return;
    }
    if (dep->kind == LC_Q_FORMULA && dep->available && c->depth < 4) {
        render_ctx sub = {c->s, dep, 0, c->depth + 1};
        lc_expr_render(dep->expr, name_text, &sub, &part);
        if (part.oom || part.s == NULL) { /* out of memory: the caller sees out->oom */
            out->oom = 1;
            free(part.s);
            return;
        }
        if (part.len <= INLINE_MAX) {
            lc_sb_puts(out, "(");
            lc_sb_putn(out, part.s, part.len);
            alias_step(c->s, dep, out);
            lc_sb_puts(out, ")");
            free(part.s);
            return;
        }
        free(part.s);
        memset(&part, 0, sizeof part);
    }
    if (dep->kind == LC_Q_INPUT && dep->text && dep->dist == NULL) {
        /* written in another currency: show the conversion as a step, "(written step)" */
        lc_explain_currency_step(c->s, dep->text, &part);
        if (part.len) {
            lc_sb_puts(out, "(");
            put_value(c->s, qi, out);
            lc_sb_putn(out, part.s, part.len);
            lc_sb_puts(out, ")");
        } else
            put_value(c->s, qi, out);
        out->oom |= part.oom;
        free(part.s);
        return;
    }
    put_value(c->s, qi, out);
}

char *lc_explain_formula_dup(const lc_scenario *s, size_t qi, int names)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    render_ctx c = {s, q, names, 0};
    lc_sbuf b = {0};
    if (q->expr != NULL && q->kind == LC_Q_FORMULA) {
        lc_expr_render(q->expr, name_text, &c, &b);
        if (!names)
            alias_step(s, q, &b);
    }
    return lc_sb_take(&b);
}

char *lc_explain_origin_dup(const lc_scenario *s, size_t qi)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    const char *source = q->source ? q->source : "";
    lc_sbuf b = {0};
    switch (q->origin) {
    case LC_FROM_NONE:
        lc_sb_puts(&b, "not set");
        break;
    case LC_FROM_DEFAULT:
        lc_sb_printf(&b, "default: %s", source);
        break;
    case LC_FROM_CATALOG:
        lc_sb_puts(&b, source);
        break;
    case LC_FROM_SCENARIO:
        if (q->source && strcmp(q->source, "scenario") != 0 && strcmp(q->source, "catalog") != 0 &&
            q->mark.line > 0 && q->source != lc_library[0].source)
            lc_sb_printf(&b, "%s:%d:%d; source: %s", s->path, q->mark.line, q->mark.col, source);
        else
            lc_sb_printf(&b, "%s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    case LC_FROM_COMMAND:
        lc_sb_puts(&b, "--set on the command line");
        break;
    case LC_FROM_LIBRARY:
        lc_sb_printf(&b, "formula: %s", source);
        break;
    case LC_FROM_USER:
        lc_sb_printf(&b, "formula at %s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    }
    return lc_sb_take(&b);
}

void lc_explain_inputs(const lc_scenario *s, size_t qi, unsigned char *seen, size_t *list,
                       size_t *n)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi])
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA)
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            lc_explain_inputs(s, q->deps[j], seen, list, n);
    list[(*n)++] = qi;
}

#define EXPLAIN_STACK 1024 /* quantities explained without the heap */

/* Depth first, each input once: the unset inputs under qi. */
static void missing(const lc_scenario *s, size_t qi, unsigned char *seen, lc_sbuf *out, size_t *n)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi] || q->available)
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA) {
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            missing(s, q->deps[j], seen, out, n);
        return;
    }
    if (*n < 6)
        lc_sb_printf(out, "%s%s", *n ? ", " : "", *n == 5 ? "..." : q->name);
    (*n)++;
}

char *lc_explain_missing_dup(const lc_scenario *s, size_t qi, size_t *n)
{
    size_t count = lc_model_count(s->model);
    unsigned char seen_buf[EXPLAIN_STACK];
    unsigned char *seen = count <= EXPLAIN_STACK ? seen_buf : calloc(count, 1);
    lc_sbuf b = {0};
    *n = 0;
    if (seen == NULL)
        return NULL;
    memset(seen, 0, count);
    missing(s, qi, seen, &b, n);
    if (seen != seen_buf)
        free(seen);
    return lc_sb_take(&b);
}
