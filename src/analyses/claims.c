/* claims.c — does a claim hold, and under which assumptions. */
#include "lc_claims.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lc_explain.h"
#include "lc_solve.h"
#include "lc_util.h"

/* The inputs under a metric that someone chose (scenario, command line or
 * catalog): defaults are conventions, listed by --explain instead. */
static void assumptions(const lc_scenario *s, size_t qi, unsigned char *seen, lc_sbuf *b)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi])
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA) {
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            assumptions(s, q->deps[j], seen, b);
        return;
    }
    if (q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND ||
        q->origin == LC_FROM_CATALOG) {
        char *value = lc_explain_value_dup(s, qi);
        if (value == NULL)
            b->oom = 1;
        else
            lc_sb_printf(b, "%s%s = %s", b->len ? "; " : "", q->name, value);
        free(value);
    }
}

/* *field = the formatted text (malloc'd); NULL when out of memory. */
static void say(char **field, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(char **field, const char *fmt, ...)
{
    va_list ap;
    free(*field);
    va_start(ap, fmt);
    *field = lc_vaprintf(fmt, ap);
    va_end(ap);
}

typedef struct implied_ctx {
    lc_model *m;
    size_t in, out;
} implied_ctx;

static int implied_fn(void *user, double x, double *y, lc_error *err)
{
    implied_ctx *c = user;
    (void)err;
    *y = lc_model_eval_at(c->m, c->in, x, c->out);
    return LC_OK;
}

static int implied_block_fn(void *user, const double *x, double *y, size_t n, lc_error *err)
{
    size_t i;
    for (i = 0; i < n; i++)
        implied_fn(user, x[i], &y[i], err);
    return LC_OK;
}

/* The value of the claim's key assumption that makes the metric equal the
 * stated value, searched over two decades either side of its value. */
static void implied(const lc_scenario *s, const lc_claim *c, lc_verdict *v)
{
    lc_qty *in = lc_model_qty(s->model, c->implied), *q = lc_model_qty(s->model, c->qi);
    implied_ctx ctx = {s->model, c->implied, c->qi};
    lc_solve_result r;
    char xs[LC_UNITS_FORMAT_MAX], ts[LC_UNITS_FORMAT_MAX];
    double base = in->value, lo, hi;
    int whole;
    lc_units_format(&s->units, c->stated, q->unit, ts, sizeof ts);
    lc_domain_bounds(in->domain, &lo, &hi); /* the search stays inside the input's domain */
    lo = fmax(lo, base / 100);
    hi = fmin(hi, base * 100);
    /* a count (GPUs, servers, users) is searched over whole values only */
    whole = lc_domain_whole(in->domain) && floor(hi) - ceil(lo) < LC_SOLVE_WHOLE_MAX;
    if (!(base > 0) || !(lo < hi) ||
        (whole ? lc_solve_whole(implied_block_fn, &ctx, lo, hi, c->stated, in->name, q->name, &r,
                                NULL)
               : lc_solve(implied_fn, &ctx, lo, hi, c->stated, in->name, q->name, &r, NULL)) !=
            LC_OK) {
        say(&v->implied, "no %svalue of %s within a factor of 100 of its own makes %s = %s",
            whole ? "whole " : "", in->name, q->name, ts);
        return;
    }
    lc_units_format(&s->units, r.x, in->unit, xs, sizeof xs);
    if (whole && r.y != c->stated) {
        char ys[LC_UNITS_FORMAT_MAX];
        lc_units_format(&s->units, r.y, q->unit, ys, sizeof ys);
        say(&v->implied, "%s = %s, the first whole number to reach %s = %s, would give %s",
            in->name, xs, q->name, ts, ys);
        return;
    }
    say(&v->implied, "%s = %s would give %s = %s", in->name, xs, q->name, ts);
}

/* The half-width of the tolerance band around reference value ref (base units). */
static double band(const lc_claim *c, double ref)
{
    return (c->tol_absolute ? c->tolerance : c->tolerance * fabs(ref)) * (1 + 1e-12);
}

/* "+1.72%" of ref, or the difference in the metric's unit when ref is 0. */
static void deviation_text(const lc_scenario *s, const lc_qty *q, double diff, double rel,
                           char *buf, size_t size)
{
    double pct = fabs(rel) * 100;
    if (isnan(rel) || (!isfinite(rel))) {
        char d[LC_UNITS_FORMAT_MAX];
        lc_units_format(&s->units, fabs(diff), q->unit, d, sizeof d);
        snprintf(buf, size, "%s%s", diff >= 0 ? "+" : "-", d);
        return;
    }
    if (pct < 1e-9)
        pct = 0; /* rounding noise: -1.1e-14% reads as 0% */
    snprintf(buf, size, "%s%.3g%%", rel >= 0 || pct == 0 ? "+" : "-", pct);
}

static void judge(const lc_scenario *s, const lc_claim *c, lc_verdict *v)
{
    lc_qty *q = lc_model_qty(s->model, c->qi);
    size_t count = lc_model_count(s->model);
    unsigned char seen_buf[1024];
    unsigned char *seen = count <= sizeof seen_buf ? seen_buf : calloc(count, 1);
    lc_sbuf list = {0};
    double x = q->value, ref, diff;
    char dev[1 + LC_UNITS_FORMAT_MAX], tol[LC_UNITS_FORMAT_MAX]; /* sign, number, unit */

    v->computed = q->available ? x : NAN;
    if (seen) {
        memset(seen, 0, count);
        assumptions(s, c->qi, seen, &list);
        if (seen != seen_buf)
            free(seen);
        v->assumptions = lc_sb_take(&list);
    }
    if (c->has_implied && q->available)
        implied(s, c, v);
    v->difference = NAN;
    if (q->available && isinf(x) && x > 0 && strncmp(q->name, "sim.", 4) == 0) {
        /* censored: the event (break-even) does not happen within the horizon */
        v->holds = -1;
        v->deviation = NAN;
        v->computed = NAN;
        v->censored = 1;
        say(&v->text, "not reached: %s is not within the simulated horizon", q->name);
        return;
    }
    if (!q->available || !isfinite(x)) {
        size_t nmissing = 0;
        char *missing = q->available ? NULL : lc_explain_missing_dup(s, c->qi, &nmissing);
        v->holds = -1;
        v->deviation = NAN;
        if (!q->available && missing == NULL)
            ; /* out of memory: v->text stays NULL, lc_claims_judge says so */
        else if (nmissing > 0)
            say(&v->text, "cannot be computed: %s needs %s", q->name, missing);
        else if (!q->available)
            say(&v->text, "cannot be computed: the scenario leaves inputs of %s unset", q->name);
        else
            say(&v->text, "cannot be computed: %s is not a finite number", q->name);
        free(missing);
        return;
    }
    /* The reference is the stated value, or for a range the nearer end; the
     * deviation is signed by direction (above > 0), whatever the sign of the
     * stated value: -80 against at_least -100 is 20% above. */
    ref = c->kind == LC_CLAIM_RANGE && x > c->stated_hi ? c->stated_hi : c->stated;
    diff = x - ref;
    switch (c->kind) {
    case LC_CLAIM_ABOUT:
        v->holds = fabs(diff) <= band(c, ref);
        break;
    case LC_CLAIM_AT_LEAST:
        v->holds = diff >= -band(c, ref);
        break;
    case LC_CLAIM_AT_MOST:
        v->holds = diff <= band(c, ref);
        break;
    case LC_CLAIM_RANGE:
        if (x >= c->stated && x <= c->stated_hi)
            diff = 0;
        v->holds = fabs(diff) <= band(c, ref);
        break;
    }
    if (q->lower_bound && !(c->kind == LC_CLAIM_AT_LEAST ? v->holds : !v->holds && diff > 0)) {
        /* the true value is x or more: only "at least" can hold and only a
         * value already above the claim can fail */
        char at[LC_UNITS_FORMAT_MAX];
        lc_units_format(&s->units, x, q->unit, at, sizeof at);
        v->holds = -1;
        v->deviation = NAN;
        v->censored = 1;
        say(&v->text,
            "cannot tell: %s is only known to be %s or more (beyond the simulated "
            "horizon); simulate a longer horizon",
            q->name, at);
        return;
    }
    v->difference = diff;
    v->deviation = ref != 0 ? diff / fabs(ref) : diff == 0 ? 0 : NAN;
    deviation_text(s, q, diff, v->deviation, dev, sizeof dev);
    if (c->tol_absolute)
        lc_units_format(&s->units, c->tolerance, q->unit, tol, sizeof tol);
    else
        snprintf(tol, sizeof tol, "%.3g%%", c->tolerance * 100);
    if ((q->kind == LC_Q_INPUT &&
         (q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND)) ||
        c->given) {
        /* The scenario takes the claim's number as an input: nothing is checked. */
        say(&v->text, "%s by assumption: the scenario takes %s as given",
            v->holds ? "holds" : "contradicted", q->name);
        return;
    }
    if (v->holds) {
        if (c->kind == LC_CLAIM_RANGE && diff == 0)
            say(&v->text, "holds (inside the stated range)");
        else if (c->kind == LC_CLAIM_ABOUT || diff == 0 || dev[1] == '0')
            say(&v->text, "holds (%s, tolerance %s)", dev, tol);
        else
            say(&v->text, "holds (%s %s the stated bound)", dev + 1, diff > 0 ? "above" : "below");
    } else {
        say(&v->text, "does not hold: computed is %s %s %s%s", dev + 1,
            diff > 0 ? "above" : "below",
            c->kind == LC_CLAIM_RANGE ? "the stated range" : "the stated value",
            ref == 0 && !c->tol_absolute
                ? " (a share of 0 is 0: give the tolerance as an amount in the metric's unit)"
                : "");
    }
}

int lc_claims_judge(const lc_scenario *s, const lc_claim *c, lc_verdict *v)
{
    const lc_qty *q = lc_model_qty(s->model, c->qi);
    memset(v, 0, sizeof *v);
    judge(s, c, v);
    if (v->text == NULL || v->assumptions == NULL ||
        (c->has_implied && q->available && v->implied == NULL))
        return LC_ENOMEM;
    return LC_OK;
}

void lc_verdict_release(lc_verdict *v)
{
    free(v->text);
    free(v->implied);
    free(v->assumptions);
    v->text = v->implied = v->assumptions = NULL;
}

const char *lc_claims_kind_name(lc_claim_kind kind)
{
    switch (kind) {
    case LC_CLAIM_ABOUT:
        return "about";
    case LC_CLAIM_AT_LEAST:
        return "at_least";
    case LC_CLAIM_AT_MOST:
        return "at_most";
    case LC_CLAIM_RANGE:
        return "range";
    }
    return "?";
}
