/* explain.c — formulas with their numbers and sources. */
#include "lc_explain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sub-formulas whose written-out form is at most this long are shown inline,
 * in parentheses, instead of by value: "(1 + 1.0)" reads better than "2". */
#define INLINE_MAX 32

void lc_explain_value(const lc_scenario *s, size_t qi, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    if (q->kind == LC_Q_CHOICE) {
        snprintf(buf, size, "%s", q->choice ? q->choice : "(not set)");
    } else if (!q->available) {
        snprintf(buf, size, "(not set)");
    } else if (q->kind == LC_Q_INPUT && q->text && q->dist == NULL) {
        snprintf(buf, size, "%s", q->text);
    } else {
        lc_units_format(&s->units, q->value, q->unit, buf, size);
    }
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
        char inner[256];
        render_ctx sub = {c->s, dep, 0, c->depth + 1};
        size_t n = lc_expr_render(dep->expr, name_text, &sub, inner, sizeof inner);
        if (n <= INLINE_MAX) {
            snprintf(buf, size, "(%s)", inner);
            return;
        }
    }
    lc_explain_value(c->s, qi, buf, size);
}

void lc_explain_formula(const lc_scenario *s, size_t qi, int names, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    render_ctx c = {s, q, names, 0};
    if (q->expr == NULL || q->kind != LC_Q_FORMULA) {
        buf[0] = '\0';
        return;
    }
    lc_expr_render(q->expr, name_text, &c, buf, size);
}

void lc_explain_origin(const lc_scenario *s, size_t qi, char *buf, size_t size)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    switch (q->origin) {
    case LC_FROM_NONE:
        snprintf(buf, size, "not set");
        break;
    case LC_FROM_DEFAULT:
        snprintf(buf, size, "default: %s", q->source);
        break;
    case LC_FROM_CATALOG:
        snprintf(buf, size, "%s", q->source);
        break;
    case LC_FROM_SCENARIO:
        if (q->source && strcmp(q->source, "scenario") != 0 && strcmp(q->source, "catalog") != 0 &&
            q->mark.line > 0 && q->source != lc_library[0].source)
            snprintf(buf, size, "%s:%d:%d; source: %s", s->path, q->mark.line, q->mark.col,
                     q->source);
        else
            snprintf(buf, size, "%s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    case LC_FROM_COMMAND:
        snprintf(buf, size, "--set on the command line");
        break;
    case LC_FROM_LIBRARY:
        snprintf(buf, size, "formula: %s", q->source);
        break;
    case LC_FROM_USER:
        snprintf(buf, size, "formula at %s:%d:%d", s->path, q->mark.line, q->mark.col);
        break;
    }
}

/* The inputs a metric rests on, depth first, each once. */
static void collect(const lc_scenario *s, size_t qi, unsigned char *seen, size_t *list, size_t *n)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    size_t j;
    if (seen[qi])
        return;
    seen[qi] = 1;
    if (q->kind == LC_Q_FORMULA)
        for (j = 0; j < lc_expr_nnames(q->expr); j++)
            collect(s, q->deps[j], seen, list, n);
    list[(*n)++] = qi;
}

#define EXPLAIN_STACK 1024 /* quantities explained without the heap */

int lc_explain_print(const lc_scenario *s, const size_t *qis, size_t n, lc_format f, FILE *out)
{
    size_t count = lc_model_count(s->model), i, j;
    int first, rc = LC_OK;
    /* The usual models fit on the stack, so that explaining cannot fail (and
     * print nothing) when memory is short. */
    unsigned char seen_buf[EXPLAIN_STACK];
    size_t list_buf[EXPLAIN_STACK];
    unsigned char *seen = count <= EXPLAIN_STACK ? seen_buf : calloc(count, 1);
    size_t *list = count <= EXPLAIN_STACK ? list_buf : malloc(count * sizeof *list);
    char value[256], names[2048], values[2048], origin[1024];

    if (seen == NULL || list == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    if (f == LC_FORMAT_JSON)
        fputs("[", out);
    for (i = 0; i < n; i++) {
        lc_qty *q = lc_model_qty(s->model, qis[i]);
        size_t nl = 0;
        memset(seen, 0, count);
        collect(s, qis[i], seen, list, &nl);
        lc_explain_value(s, qis[i], value, sizeof value);
        lc_explain_formula(s, qis[i], 1, names, sizeof names);
        lc_explain_formula(s, qis[i], 0, values, sizeof values);
        lc_explain_origin(s, qis[i], origin, sizeof origin);
        if (f == LC_FORMAT_JSON) {
            char unit[64];
            lc_units_display_name(&s->units, q->unit, unit, sizeof unit);
            fputs(i ? ",\n {" : "\n {", out);
            fputs("\"metric\": ", out);
            lc_json_string(out, q->name);
            fputs(", \"value\": ", out);
            lc_json_number(out, q->available ? lc_units_to(&s->units, q->value, q->unit) : NAN);
            fputs(", \"unit\": ", out);
            lc_json_string(out, unit);
            fputs(", \"doc\": ", out);
            lc_json_string(out, q->doc);
            fputs(", \"formula\": ", out);
            lc_json_string(out, names);
            fputs(", \"with_values\": ", out);
            lc_json_string(out, values);
            fputs(", \"source\": ", out);
            lc_json_string(out, origin);
            fputs(", \"inputs\": [", out);
            first = 1;
            for (j = 0; j < nl; j++) {
                lc_qty *d = lc_model_qty(s->model, list[j]);
                if (list[j] == qis[i] || d->kind == LC_Q_FORMULA)
                    continue;
                lc_explain_value(s, list[j], value, sizeof value);
                lc_explain_origin(s, list[j], origin, sizeof origin);
                fputs(first ? "{\"name\": " : ", {\"name\": ", out);
                first = 0;
                lc_json_string(out, d->name);
                fputs(", \"value\": ", out);
                lc_json_string(out, value);
                fputs(", \"source\": ", out);
                lc_json_string(out, origin);
                fputs("}", out);
            }
            fputs("]}", out);
            continue;
        }
        if (i)
            fputc('\n', out);
        fprintf(out, "%s = %s\n", q->name, value);
        fprintf(out, "  %s\n", q->doc);
        if (q->kind == LC_Q_FORMULA) {
            fprintf(out, "  = %s\n", names);
            fprintf(out, "  = %s\n", values);
        }
        fprintf(out, "  source: %s\n", origin);
        if (nl > 1) {
            fputs("  where\n", out);
            for (j = 0; j < nl; j++) {
                lc_qty *d = lc_model_qty(s->model, list[j]);
                if (list[j] == qis[i])
                    continue;
                lc_explain_value(s, list[j], value, sizeof value);
                lc_explain_origin(s, list[j], origin, sizeof origin);
                if (d->kind == LC_Q_FORMULA) {
                    lc_explain_formula(s, list[j], 1, names, sizeof names);
                    fprintf(out, "    %s = %s = %s\n", d->name, value, names);
                } else {
                    fprintf(out, "    %s = %s   [%s]\n", d->name, value, origin);
                }
            }
        }
    }
    if (f == LC_FORMAT_JSON)
        fputs("\n]\n", out);
done:
    if (seen != seen_buf)
        free(seen);
    if (list != list_buf)
        free(list);
    return rc;
}
