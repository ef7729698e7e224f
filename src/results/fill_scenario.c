/* fill_scenario.c — a scenario's metrics, claims and explanations as
 * document sections. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_dist.h"
#include "lc_explain.h"
#include "lc_fill.h"
#include "lc_util.h"

lc_section *lc_fill_scenario_section(lc_doc *d, const lc_scenario *s)
{
    char *stem = lc_path_stem(s->path);
    char *id = stem ? lc_aprintf("scenario:%s", stem) : NULL;
    lc_section *sec = lc_doc_section(d, 1, id ? id : "scenario", s->name ? s->name : s->path);
    if (id == NULL)
        lc_doc_fail(d);
    free(stem);
    free(id);
    lc_section_fact(sec, "file", s->path);
    lc_section_fact(sec, "currency", s->units.display);
    return sec;
}

/* A value cell: the number in its display unit with its kind, or missing
 * with the reason. */
static void value_cell(lc_rtable *t, size_t col, const lc_scenario *s, size_t qi, double base,
                       int available)
{
    if (!available && lc_model_qty(s->model, qi)->kind == LC_Q_INPUT)
        lc_rtable_missing(t, col, "not set: set it under inputs:");
    else if (!available) {
        /* name what it still needs (issue 11): five names at most */
        size_t n = 0;
        char *needs = lc_explain_missing_dup(s, qi, &n), *why = NULL;
        if (needs == NULL ||
            (n > 0 && (why = lc_aprintf("not computed: it needs %s", needs)) == NULL))
            lc_doc_fail(lc_rtable_doc(t));
        lc_rtable_missing(t, col, why ? why : "not computed: an input it needs is not set");
        free(why);
        free(needs);
    } else if (!isfinite(base))
        lc_rtable_missing(t, col, "not a finite number");
    else {
        lc_rtable_num(t, col, lc_fill_value(s, qi, base));
        lc_rtable_cell_kind(t, col, lc_fill_kind(s, qi));
    }
}

static void unit_cell(lc_rtable *t, size_t col, const lc_scenario *s, size_t qi)
{
    char *unit = lc_fill_unit(s, qi);
    lc_rtable_text(t, col, unit);
    free(unit);
}

void lc_fill_metrics(lc_section *sec, const lc_scenario *s, const size_t *qis, size_t n)
{
    if (n == 0) /* a new scenario that sets too little: say how to go on */
        lc_section_warn(sec,
                        "no metric can be computed from these inputs yet: 'llmcost "
                        "explain %s METRIC' names what a metric still needs, 'llmcost "
                        "params' lists the inputs",
                        s->path);
    lc_fill_metrics_table(sec, "metrics", NULL, s, qis, n);
}

void lc_fill_metrics_table(lc_section *sec, const char *id, const char *title, const lc_scenario *s,
                           const size_t *qis, size_t n)
{
    lc_rtable *t = lc_section_table(sec, id, title);
    size_t c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    size_t c_label = lc_rtable_col(t, "label", "metric", NULL, LC_COL_TEXT);
    size_t c_value = lc_rtable_col(t, "value", "value", NULL, LC_COL_QUANTITY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t c_doc = lc_rtable_col(t, "doc", "what it is", NULL, LC_COL_TEXT);
    size_t i;
    lc_rtable_detail(t, c_doc);
    lc_rtable_unit_col(t, c_value, c_unit);
    for (i = 0; i < n; i++) {
        const lc_qty *q = lc_model_qty(s->model, qis[i]);
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, q->name);
        lc_rtable_text(t, c_label, q->label);
        value_cell(t, c_value, s, qis[i], q->value, q->available);
        unit_cell(t, c_unit, s, qis[i]);
        lc_rtable_text(t, c_doc, q->doc);
    }
}

static const char *verdict_word(int holds)
{
    return holds == 1 ? "holds" : holds == 0 ? "does not hold" : "unknown";
}

size_t lc_fill_claims(lc_section *sec, const lc_claim_ref *rows, size_t n, int with_scenario)
{
    lc_rtable *t = lc_section_table(sec, "claims", "Claims");
    size_t c_id = lc_rtable_col(t, "id", "claim", NULL, LC_COL_TEXT);
    size_t c_scen =
        with_scenario ? lc_rtable_col(t, "scenario", "scenario", NULL, LC_COL_TEXT) : (size_t)-1;
    size_t c_file =
        with_scenario ? lc_rtable_col(t, "file", "file", NULL, LC_COL_TEXT) : (size_t)-1;
    size_t c_metric = lc_rtable_col(t, "metric", "metric", NULL, LC_COL_TEXT);
    size_t c_kind = lc_rtable_col(t, "kind", "kind", NULL, LC_COL_TEXT);
    size_t c_stated = lc_rtable_col(t, "stated", "stated", NULL, LC_COL_QUANTITY);
    size_t c_hi = lc_rtable_col(t, "stated_high", "stated (high)", NULL, LC_COL_QUANTITY);
    size_t c_comp = lc_rtable_col(t, "computed", "computed", NULL, LC_COL_QUANTITY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t c_dev = lc_rtable_col(t, "deviation", "deviation", NULL, LC_COL_SHARE);
    size_t c_tol = lc_rtable_col(t, "tolerance", "tolerance", NULL, LC_COL_SHARE);
    /* issue 11: the signed difference, and a tolerance given as an amount */
    size_t c_diff = lc_rtable_col(t, "difference", "difference", NULL, LC_COL_QUANTITY);
    size_t c_tola =
        lc_rtable_col(t, "tolerance_amount", "tolerance (amount)", NULL, LC_COL_QUANTITY);
    size_t c_holds = lc_rtable_col(t, "holds", "verdict", NULL, LC_COL_VERDICT);
    size_t c_why = lc_rtable_col(t, "verdict", "why", NULL, LC_COL_TEXT);
    size_t c_ass = lc_rtable_col(t, "assumptions", "assuming", NULL, LC_COL_TEXT);
    size_t c_imp = lc_rtable_col(t, "implied", "implied", NULL, LC_COL_TEXT);
    size_t c_text = lc_rtable_col(t, "claim", "claim in words", NULL, LC_COL_TEXT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    size_t c_note = lc_rtable_col(t, "note", "note", NULL, LC_COL_TEXT);
    size_t i, failed = 0;
    lc_rtable_detail(t, c_kind);
    lc_rtable_detail(t, c_tol);
    lc_rtable_detail(t, c_diff);
    lc_rtable_detail(t, c_tola);
    lc_rtable_unit_col(t, c_diff, c_unit);
    lc_rtable_unit_col(t, c_tola, c_unit);
    lc_rtable_long(t, c_ass);
    lc_rtable_long(t, c_imp);
    lc_rtable_long(t, c_text);
    lc_rtable_long(t, c_src);
    lc_rtable_long(t, c_note);
    if (with_scenario)
        lc_rtable_detail(t, c_file);
    lc_rtable_unit_col(t, c_stated, c_unit);
    lc_rtable_unit_col(t, c_hi, c_unit);
    lc_rtable_unit_col(t, c_comp, c_unit);
    for (i = 0; i < n; i++) {
        const lc_scenario *s = rows[i].s;
        const lc_claim *c = rows[i].c;
        lc_colkind k = lc_fill_kind(s, c->qi);
        lc_verdict v;
        if (lc_claims_judge(s, c, &v) != LC_OK)
            lc_doc_fail(lc_section_doc(sec));
        failed += v.holds != 1;
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, c->id);
        if (with_scenario) {
            lc_rtable_text(t, c_scen, s->name);
            lc_rtable_text(t, c_file, s->path);
        }
        lc_rtable_text(t, c_metric, c->metric);
        lc_rtable_text(t, c_kind, lc_claims_kind_name(c->kind));
        lc_rtable_num(t, c_stated, lc_fill_value(s, c->qi, c->stated));
        lc_rtable_cell_kind(t, c_stated, k);
        if (c->kind == LC_CLAIM_RANGE) {
            lc_rtable_num(t, c_hi, lc_fill_value(s, c->qi, c->stated_hi));
            lc_rtable_cell_kind(t, c_hi, k);
        }
        if (isfinite(v.computed)) {
            lc_rtable_num(t, c_comp, lc_fill_value(s, c->qi, v.computed));
            lc_rtable_cell_kind(t, c_comp, k);
        } else {
            lc_rtable_missing(t, c_comp,
                              v.censored ? "not reached within the horizon" : "not computed");
        }
        unit_cell(t, c_unit, s, c->qi);
        if (isfinite(v.deviation))
            lc_rtable_num(t, c_dev, v.deviation);
        if (isfinite(v.difference)) {
            lc_rtable_num(t, c_diff, lc_fill_value(s, c->qi, v.difference));
            lc_rtable_cell_kind(t, c_diff, k);
        }
        if (c->tol_absolute) {
            lc_rtable_num(t, c_tola, lc_fill_value(s, c->qi, c->tolerance));
            lc_rtable_cell_kind(t, c_tola, k);
        } else
            lc_rtable_num(t, c_tol, c->tolerance);
        lc_rtable_text(t, c_holds, verdict_word(v.holds));
        lc_rtable_text(t, c_why, v.text);
        lc_rtable_text(t, c_ass, v.assumptions);
        if (v.implied)
            lc_rtable_text(t, c_imp, v.implied);
        if (c->text)
            lc_rtable_text(t, c_text, c->text);
        if (c->source)
            lc_rtable_text(t, c_src, c->source);
        if (c->note)
            lc_rtable_text(t, c_note, c->note);
        lc_verdict_release(&v);
    }
    return failed;
}

/* A text of the explanation as a fact (NULL: out of memory, the document
 * marked failed), freed. */
static void fact_take(lc_section *sec, const char *key, char *text, int detail)
{
    if (text == NULL)
        lc_doc_fail(lc_section_doc(sec));
    else if (detail)
        lc_section_fact_detail(sec, key, text);
    else
        lc_section_fact(sec, key, text);
    free(text);
}

void lc_fill_explain(lc_doc *d, const lc_scenario *s, const size_t *qis, size_t n)
{
    size_t count = lc_model_count(s->model), i, j;
    unsigned char *seen = calloc(count ? count : 1, 1);
    size_t *list = malloc((count ? count : 1) * sizeof *list);
    lc_fill_scenario_section(d, s);
    if (!seen || !list) {
        lc_doc_fail(d);
        goto done;
    }
    for (i = 0; i < n; i++) {
        const lc_qty *q = lc_model_qty(s->model, qis[i]);
        size_t nl = 0;
        char *id = lc_aprintf("explain:%s", q->name), *title;
        lc_section *sec;
        lc_rtable *t;
        size_t c_name, c_label, c_value, c_unit, c_text, c_kind, c_src;
        title = strcmp(q->label, q->name) != 0 ? lc_aprintf("%s (%s)", q->name, q->label)
                                               : lc_strdup(q->name);
        sec = lc_doc_section(d, 2, id ? id : q->name, title ? title : q->name);
        if (id == NULL || title == NULL)
            lc_doc_fail(d);
        free(id);
        free(title);
        memset(seen, 0, count);
        lc_explain_inputs(s, qis[i], seen, list, &nl);
        lc_section_fact_detail(sec, "metric", q->name);
        if (q->available && q->kind != LC_Q_CHOICE && isfinite(q->value)) {
            char *u = lc_fill_unit(s, qis[i]);
            if (u == NULL)
                lc_doc_fail(d);
            lc_section_fact_qty(sec, "value", lc_fill_value(s, qis[i], q->value), u ? u : "",
                                lc_fill_kind(s, qis[i]));
            free(u);
        }
        /* An input set from text is shown as written; a computed value only
         * as a number, which the renderer formats. */
        if (q->kind != LC_Q_FORMULA)
            fact_take(sec, "as written", lc_explain_value_dup(s, qis[i]), 0);
        fact_take(sec, "source", lc_explain_origin_dup(s, qis[i]), 0);
        lc_section_text(sec, "%s", q->doc);
        if (!q->available && q->kind != LC_Q_CHOICE) {
            size_t nmissing = 0;
            char *names = lc_explain_missing_dup(s, qis[i], &nmissing);
            if (names == NULL)
                lc_doc_fail(d);
            else if (nmissing > 0) {
                lc_section_fact_detail(sec, "needs", names);
                lc_section_text(sec, "not computed: it needs %s", names);
            }
            free(names);
        }
        if (q->kind == LC_Q_FORMULA) {
            char *f = lc_explain_formula_dup(s, qis[i], 1),
                 *v = lc_explain_formula_dup(s, qis[i], 0);
            if (f && v) {
                lc_section_text(sec, "= %s", f);
                lc_section_text(sec, "= %s", v);
            }
            fact_take(sec, "formula", f, 1);
            fact_take(sec, "with_values", v, 1);
        }
        if (nl <= 1)
            continue;
        t = lc_section_table(sec, "inputs", "where");
        c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
        c_label = lc_rtable_col(t, "label", "quantity", NULL, LC_COL_TEXT);
        c_value = lc_rtable_col(t, "value", "value", NULL, LC_COL_QUANTITY);
        c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
        c_text = lc_rtable_col(t, "as_written", "as written", NULL, LC_COL_TEXT);
        c_kind = lc_rtable_col(t, "formula", "formula", NULL, LC_COL_TEXT);
        c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
        lc_rtable_unit_col(t, c_value, c_unit);
        for (j = 0; j < nl; j++) {
            const lc_qty *dq = lc_model_qty(s->model, list[j]);
            char *text;
            if (list[j] == qis[i])
                continue;
            lc_rtable_row(t);
            lc_rtable_text(t, c_name, dq->name);
            lc_rtable_text(t, c_label, dq->label);
            if (dq->kind != LC_Q_CHOICE) {
                char *u = lc_fill_unit(s, list[j]);
                value_cell(t, c_value, s, list[j], dq->value, dq->available);
                lc_rtable_text(t, c_unit, u);
                free(u);
            }
            if (dq->kind == LC_Q_FORMULA) {
                text = lc_explain_formula_dup(s, list[j], 1);
                lc_rtable_text(t, c_kind, text);
            } else {
                lc_sbuf b = {0};
                char *value = lc_explain_value_dup(s, list[j]);
                /* written in another currency: the conversion as a step */
                lc_sb_puts(&b, value ? value : "");
                if (dq->text && dq->dist == NULL)
                    lc_explain_currency_step(s, dq->text, &b);
                b.oom |= value == NULL;
                free(value);
                if ((text = lc_sb_take(&b)) == NULL)
                    lc_doc_fail(d);
                lc_rtable_text(t, c_text, text);
            }
            free(text);
            text = lc_explain_origin_dup(s, list[j]);
            lc_rtable_text(t, c_src, text);
            free(text);
        }
    }
done:
    free(seen);
    free(list);
}

void lc_fill_assumptions(lc_section *sec, const lc_scenario *s)
{
    lc_rtable *t = lc_section_table(sec, "assumptions", "Assumptions");
    size_t c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    size_t c_label = lc_rtable_col(t, "label", "input", NULL, LC_COL_TEXT);
    size_t c_value = lc_rtable_col(t, "value", "value", NULL, LC_COL_TEXT);
    size_t c_lo = lc_rtable_col(t, "P5", "P5", NULL, LC_COL_QUANTITY);
    size_t c_hi = lc_rtable_col(t, "P95", "P95", NULL, LC_COL_QUANTITY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    size_t i;
    char *value;
    lc_rtable_unit_col(t, c_lo, c_unit);
    lc_rtable_unit_col(t, c_hi, c_unit);
    for (i = 0; i < lc_model_count(s->model); i++) {
        const lc_qty *q = lc_model_qty(s->model, i);
        if (q->kind == LC_Q_FORMULA || q->origin == LC_FROM_NONE || q->origin == LC_FROM_DEFAULT)
            continue;
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, q->name);
        lc_rtable_text(t, c_label, q->label);
        value = lc_explain_value_dup(s, i);
        lc_rtable_text(t, c_value, value); /* NULL: the document is marked failed */
        free(value);
        if (q->dist) {
            lc_rtable_num(t, c_lo, lc_fill_value(s, i, lc_dist_quantile(q->dist, 0.05)));
            lc_rtable_cell_kind(t, c_lo, lc_fill_kind(s, i));
            lc_rtable_num(t, c_hi, lc_fill_value(s, i, lc_dist_quantile(q->dist, 0.95)));
            lc_rtable_cell_kind(t, c_hi, lc_fill_kind(s, i));
        }
        if (q->kind != LC_Q_CHOICE) {
            char *u = lc_fill_unit(s, i);
            lc_rtable_text(t, c_unit, u);
            free(u);
        }
        value = lc_explain_origin_dup(s, i);
        lc_rtable_text(t, c_src, value);
        free(value);
    }
}
