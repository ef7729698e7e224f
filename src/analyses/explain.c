/* explain.c — formulas with their numbers and sources. */
#include "lc_explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

/* Sub-formulas whose written-out form is at most this long are shown inline,
 * in parentheses, instead of by value: "(1 + 1.0)" reads better than "2". */
#define INLINE_MAX 32

size_t lc_explain_value(const lc_scenario *s, size_t qi, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    int n;
    if (q->kind == LC_Q_CHOICE)
        n = snprintf(buf, size, "%s", q->choice ? q->choice : "(not set)");
    else if (!q->available)
        n = snprintf(buf, size, "(not set)");
    else if (q->kind == LC_Q_INPUT && q->text && q->dist == NULL)
        n = snprintf(buf, size, "%s", q->text);
    else {
        lc_units_format(&s->units, q->value, q->unit, buf, size);
        n = (int)strlen(buf); /* a number and a unit: always fits 256 bytes */
    }
    return n < 0 ? 0 : (size_t)n;
}

/* The text fn writes for qi, malloc'd and whole (fn returns the length it
 * needs, as snprintf). */
static char *whole(size_t (*fn)(const lc_scenario *, size_t, char *, size_t), const lc_scenario *s,
                   size_t qi)
{
    char small[256], *text;
    size_t n = fn(s, qi, small, sizeof small);
    if (n < sizeof small)
        return lc_strdup(small);
    if ((text = malloc(n + 1)) != NULL)
        fn(s, qi, text, n + 1);
    return text;
}

char *lc_explain_value_dup(const lc_scenario *s, size_t qi)
{
    return whole(lc_explain_value, s, qi);
}

char *lc_explain_origin_dup(const lc_scenario *s, size_t qi)
{
    return whole(lc_explain_origin, s, qi);
}

/* " × 7.084 CNY/USD" (or " ÷ 7.084 CNY/USD") when text is written in a currency
 * other than the display currency: the conversion as a step; else "". */
void lc_explain_currency_step(const lc_scenario *s, const char *text, char *buf, size_t size)
{
    size_t len;
    const char *code = lc_units_find_currency(&s->units, text, &len);
    double k; /* display units per 1 code */
    buf[0] = '\0';
    if (code == NULL ||
        (strlen(s->units.display) == len && strncmp(code, s->units.display, len) == 0))
        return;
    k = lc_units_rate(&s->units, code, len);
    if (!(k > 0))
        return;
    if (k >= 1)
        snprintf(buf, size, " \xc3\x97 %.6g %s/%.*s", k, s->units.display, (int)len, code);
    else
        snprintf(buf, size, " \xc3\xb7 %.6g %.*s/%s", 1 / k, (int)len, code, s->units.display);
}

/* Base units per 1 of unit. */
static double unit_factor(const lc_scenario *s, const char *unit)
{
    return 1 / lc_units_to(&s->units, 1.0, unit);
}

/* A formula that only renames another quantity in another unit (a bill per
 * year from one per day) hides a conversion: " × 365 day/year"; else "". */
static void alias_step(const lc_scenario *s, const lc_qty *q, char *buf, size_t size)
{
    const lc_qty *dep;
    double ratio;
    const char *a, *b;
    buf[0] = '\0';
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
        snprintf(buf, size, " \xc3\x97 %.6g %s/%s", ratio, a + 1, b + 1); /* × 365 day/year */
    else
        snprintf(buf, size, " \xc3\x97 %.6g (%s to %s)", ratio, dep->unit, q->unit);
}

typedef struct render_ctx {
    const lc_scenario *s;
    const lc_qty *q;
    int names;
    int depth;
} render_ctx;

static void name_text(void *vctx, size_t i, char *buf, size_t size)
{
    render_ctx *c = vctx;
    size_t qi = c->q->deps[i];
    lc_qty *dep = lc_model_qty(c->s->model, qi);

    if (c->names) {
        snprintf(buf, size, "%s", dep->name);
        return;
    }
    if (dep->kind == LC_Q_FORMULA && dep->available && c->depth < 4) {
        char inner[256], step[64];
        render_ctx sub = {c->s, dep, 0, c->depth + 1};
        size_t n = lc_expr_render(dep->expr, name_text, &sub, inner, sizeof inner);
        if (n <= INLINE_MAX) {
            alias_step(c->s, dep, step, sizeof step);
            snprintf(buf, size, "(%s%s)", inner, step);
            return;
        }
    }
    lc_explain_value(c->s, qi, buf, size);
    if (dep->kind == LC_Q_INPUT && dep->text && dep->dist == NULL) {
        /* written in another currency: show the conversion as a step */
        char step[64];
        size_t len = strlen(buf), sl;
        lc_explain_currency_step(c->s, dep->text, step, sizeof step);
        sl = strlen(step);
        if (step[0] && len + sl + 3 <= size) { /* "(written step)" in place */
            memmove(buf + 1, buf, len);
            buf[0] = '(';
            memcpy(buf + 1 + len, step, sl);
            buf[1 + len + sl] = ')';
            buf[2 + len + sl] = '\0';
        }
    }
}

size_t lc_explain_formula(const lc_scenario *s, size_t qi, int names, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    render_ctx c = {s, q, names, 0};
    size_t n;
    if (q->expr == NULL || q->kind != LC_Q_FORMULA) {
        buf[0] = '\0';
        return 0;
    }
    n = lc_expr_render(q->expr, name_text, &c, buf, size);
    if (!names && n < size) {
        char step[64];
        alias_step(s, q, step, sizeof step);
        n += (size_t)snprintf(buf + n, size - n, "%s", step);
    }
    return n;
}

char *lc_explain_formula_dup(const lc_scenario *s, size_t qi, int names)
{
    char small[256], *text;
    size_t n = lc_explain_formula(s, qi, names, small, sizeof small);
    if (n < sizeof small)
        return lc_strdup(small);
    if ((text = malloc(n + 1)) != NULL)
        lc_explain_formula(s, qi, names, text, n + 1);
    return text;
}

size_t lc_explain_origin(const lc_scenario *s, size_t qi, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    int n = 0;
    switch (q->origin) {
    case LC_FROM_NONE:
        n = snprintf(buf, size, "not set");
        break;
    case LC_FROM_DEFAULT:
        n = snprintf(buf, size, "default: %s", q->source);
        break;
    case LC_FROM_CATALOG:
        n = snprintf(buf, size, "%s", q->source);
        break;
    case LC_FROM_SCENARIO:
        if (q->source && strcmp(q->source, "scenario") != 0 && strcmp(q->source, "catalog") != 0 &&
            q->mark.line > 0 && q->source != lc_library[0].source)
            n = snprintf(buf, size, "%s:%d:%d; source: %s", s->path, q->mark.line, q->mark.col,
                         q->source);
        else
            n = snprintf(buf, size, "%s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    case LC_FROM_COMMAND:
        n = snprintf(buf, size, "--set on the command line");
        break;
    case LC_FROM_LIBRARY:
        n = snprintf(buf, size, "formula: %s", q->source);
        break;
    case LC_FROM_USER:
        n = snprintf(buf, size, "formula at %s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    }
    return n < 0 ? 0 : (size_t)n;
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
static void missing(const lc_scenario *s, size_t qi, unsigned char *seen, char *buf, size_t size,
                    size_t *len, size_t *n)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi] || q->available)
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA) {
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            missing(s, q->deps[j], seen, buf, size, len, n);
        return;
    }
    if (*n < 6 && *len < size)
        *len += (size_t)snprintf(buf + *len, size - *len, "%s%s", *n ? ", " : "",
                                 *n == 5 ? "..." : q->name);
    (*n)++;
}

size_t lc_explain_missing(const lc_scenario *s, size_t qi, char *buf, size_t size)
{
    size_t count = lc_model_count(s->model), len = 0, n = 0;
    unsigned char seen_buf[EXPLAIN_STACK];
    unsigned char *seen = count <= EXPLAIN_STACK ? seen_buf : calloc(count, 1);
    buf[0] = '\0';
    if (seen == NULL)
        return 0;
    memset(seen, 0, count);
    missing(s, qi, seen, buf, size, &len, &n);
    if (seen != seen_buf)
        free(seen);
    return n;
}
