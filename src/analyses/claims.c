/* claims.c — does a claim hold, and under which assumptions. */
#include "lc_claims.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_explain.h"
#include "lc_output.h"
#include "lc_solve.h"

/* The inputs under a metric that someone chose (scenario, command line or
 * catalog): defaults are conventions, listed by --explain instead. */
static void assumptions(const lc_scenario *s, size_t qi, unsigned char *seen, char *buf,
                        size_t size, size_t *len)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi])
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA) {
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            assumptions(s, q->deps[j], seen, buf, size, len);
        return;
    }
    if (q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND ||
        q->origin == LC_FROM_CATALOG) {
        char value[160];
        lc_explain_value(s, qi, value, sizeof value);
        if (*len < size)
            *len += (size_t)snprintf(buf + *len, size - *len, "%s%s = %s", *len ? "; " : "",
                                     q->name, value);
    }
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

/* The value of the claim's key assumption that makes the metric equal the
 * stated value, searched over two decades either side of its value. */
static void implied(const lc_scenario *s, const lc_claim *c, lc_verdict *v)
{
    lc_qty *in = lc_model_qty(s->model, c->implied), *q = lc_model_qty(s->model, c->qi);
    implied_ctx ctx = {s->model, c->implied, c->qi};
    lc_solve_result r;
    char xs[96], ts[96];
    double base = in->value;
    lc_units_format(&s->units, c->stated, q->unit, ts, sizeof ts);
    if (!(base > 0) || lc_solve(implied_fn, &ctx, base / 100, base * 100, c->stated, in->name,
                                q->name, &r, NULL) != LC_OK) {
        snprintf(v->implied, sizeof v->implied,
                 "no value of %s within a factor of 100 of its own makes %s = %s", in->name,
                 q->name, ts);
        return;
    }
    lc_units_format(&s->units, r.x, in->unit, xs, sizeof xs);
    snprintf(v->implied, sizeof v->implied, "%s = %s would give %s = %s", in->name, xs, q->name,
             ts);
}

void lc_claims_judge(const lc_scenario *s, const lc_claim *c, lc_verdict *v)
{
    lc_qty *q = lc_model_qty(s->model, c->qi);
    size_t count = lc_model_count(s->model), len = 0;
    /* the usual models on the stack: a verdict never loses its assumptions
     * for want of memory */
    unsigned char seen_buf[1024];
    unsigned char *seen = count <= sizeof seen_buf ? seen_buf : calloc(count, 1);
    double x = q->value, tol = c->tolerance, pct;

    memset(v, 0, sizeof *v);
    v->computed = q->available ? x : NAN;
    if (seen) {
        memset(seen, 0, count);
        assumptions(s, c->qi, seen, v->assumptions, sizeof v->assumptions, &len);
        if (seen != seen_buf)
            free(seen);
    } else {
        snprintf(v->assumptions, sizeof v->assumptions, "(not listed: out of memory)");
    }
    if (c->has_implied && q->available)
        implied(s, c, v);
    if (!q->available || !isfinite(x)) {
        v->holds = -1;
        v->deviation = NAN;
        snprintf(v->text, sizeof v->text,
                 "cannot be computed: the scenario leaves inputs of %s unset", q->name);
        return;
    }
    switch (c->kind) {
    case LC_CLAIM_ABOUT:
        v->deviation = x / c->stated - 1;
        v->holds = fabs(v->deviation) <= tol * (1 + 1e-12);
        break;
    case LC_CLAIM_AT_LEAST:
        v->deviation = x / c->stated - 1;
        v->holds = v->deviation >= -tol * (1 + 1e-12);
        break;
    case LC_CLAIM_AT_MOST:
        v->deviation = x / c->stated - 1;
        v->holds = v->deviation <= tol * (1 + 1e-12);
        break;
    case LC_CLAIM_RANGE:
        v->deviation = x < c->stated      ? x / c->stated - 1
                       : x > c->stated_hi ? x / c->stated_hi - 1
                                          : 0;
        v->holds = fabs(v->deviation) <= tol * (1 + 1e-12);
        break;
    }
    pct = fabs(v->deviation) * 100;
    if (pct < 1e-9)
        pct = 0; /* rounding noise: -1.1e-14% reads as 0% */
    if ((q->kind == LC_Q_INPUT && (q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND)) ||
        c->given) {
        /* The scenario takes the claim's number as an input: nothing is checked. */
        snprintf(v->text, sizeof v->text, "%s by assumption: the scenario takes %s as given",
                 v->holds ? "holds" : "contradicted", q->name);
        return;
    }
    if (v->holds) {
        if (c->kind == LC_CLAIM_RANGE && v->deviation == 0)
            snprintf(v->text, sizeof v->text, "holds (inside the stated range)");
        else if (c->kind == LC_CLAIM_ABOUT || pct == 0)
            snprintf(v->text, sizeof v->text, "holds (%s%.3g%%, tolerance %.3g%%)",
                     v->deviation >= 0 || pct == 0 ? "+" : "-", pct, tol * 100);
        else
            snprintf(v->text, sizeof v->text, "holds (%.3g%% %s the stated bound)", pct,
                     v->deviation > 0 ? "above" : "below");
    } else {
        snprintf(v->text, sizeof v->text, "does not hold: computed is %.3g%% %s %s", pct,
                 v->deviation > 0 ? "above" : "below",
                 c->kind == LC_CLAIM_RANGE ? "the stated range" : "the stated value");
    }
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

static void json_field(FILE *out, const char *key, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    fprintf(out, ", \"%s\": ", key);
    lc_json_string(out, value);
}

void lc_claims_json(const lc_scenario *s, const lc_claim *c, const lc_verdict *v, FILE *out)
{
    lc_qty *q = lc_model_qty(s->model, c->qi);
    char unit[64];
    lc_units_display_name(&s->units, q->unit, unit, sizeof unit);
    fputs("{\"id\": ", out);
    lc_json_string(out, c->id);
    json_field(out, "metric", c->metric);
    json_field(out, "kind", lc_claims_kind_name(c->kind));
    fputs(", \"stated\": ", out);
    lc_json_number(out, lc_units_to(&s->units, c->stated, q->unit));
    if (c->kind == LC_CLAIM_RANGE) {
        fputs(", \"stated_high\": ", out);
        lc_json_number(out, lc_units_to(&s->units, c->stated_hi, q->unit));
    }
    fputs(", \"computed\": ", out);
    lc_json_number(out, lc_units_to(&s->units, v->computed, q->unit));
    fputs(", \"unit\": ", out);
    lc_json_string(out, unit);
    fputs(", \"tolerance\": ", out);
    lc_json_number(out, c->tolerance);
    fputs(", \"deviation\": ", out);
    lc_json_number(out, v->deviation);
    fputs(", \"holds\": ", out);
    fputs(v->holds == 1 ? "true" : v->holds == 0 ? "false" : "null", out);
    json_field(out, "verdict", v->text);
    fputs(", \"assumptions\": ", out);
    lc_json_string(out, v->assumptions);
    json_field(out, "implied", v->implied);
    json_field(out, "claim", c->text);
    json_field(out, "source", c->source);
    json_field(out, "note", c->note);
    fputs("}", out);
}
