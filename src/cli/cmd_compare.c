/* cmd_compare.c — llmcost compare: scenarios (or one scenario's variants) side
 * by side: shared metrics with their differences against the first, the
 * inputs that differ, and charts of the money metrics and cost breakdown. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_fill.h"
#include "lc_org.h"
#include "lc_plot.h"
#include "lc_util.h"

#define MAX_ENTRIES 64
#define MAX_BARS    12 /* money metrics in the grouped-bar chart */

typedef struct entry {
    lc_scenario *s;
    char *label;
    const lc_yaml_node *inputs; /* a variant's inputs, or NULL */
    const char *title;          /* a variant's label:, or NULL (the scenario's name) */
    int has_sim;
    double sim[LC_SIM_NMETRICS];
    double *dcf; /* months: cumulative discounted cash flow before funding */
    size_t months;
} entry;

typedef struct row {
    const char *name;
    const char *unit; /* display unit of the first scenario */
    int sim;          /* index into sim[], or -1 for a model metric */
    lc_dim dim;
} row;

/* --- variants ---------------------------------------------------------------- */

/* variants: [{name, inputs: {NAME: VALUE}, note}], checked strictly against the
 * base scenario's model so that errors point into the file. */
static int check_variants(const lc_scenario *s, lc_error *err)
{
    static const char *const keys[] = {"name", "label", "inputs", "note"};
    const lc_yaml_node *v = s->variants;
    size_t i, j, k;
    if (v->kind != LC_YAML_SEQ || v->n == 0)
        return lc_error_set(err, LC_EINPUT, v->mark,
                            "variants must be a list of { name: ..., inputs: { NAME: VALUE } }");
    for (i = 0; i < v->n; i++) {
        const lc_yaml_node *e = v->items[i], *nm, *in;
        if (e->kind != LC_YAML_MAP)
            return lc_error_set(err, LC_EINPUT, e->mark,
                                "a variant must be a mapping { name: ..., inputs: ... }, not %s",
                                lc_yaml_kind_name(e->kind));
        if (lc_scenario_check_keys(e, keys, sizeof keys / sizeof keys[0], "a variant", err))
            return LC_EINPUT;
        nm = lc_yaml_get(e, "name");
        in = lc_yaml_get(e, "inputs");
        if (nm == NULL || nm->kind != LC_YAML_SCALAR || nm->len == 0)
            return lc_error_set(err, LC_EINPUT, e->mark, "a variant needs name: (a word)");
        if (lc_yaml_get(e, "label") && lc_yaml_get(e, "label")->kind != LC_YAML_SCALAR)
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(e, "label")->mark,
                                "a variant's label: is a text (\"rented on demand\")");
        for (k = 0; k < i; k++)
            if (strcmp(lc_yaml_get(v->items[k], "name")->str, nm->str) == 0)
                return lc_error_set(err, LC_EINPUT, nm->mark, "variant '%s' is defined twice",
                                    nm->str);
        if (in == NULL || in->kind != LC_YAML_MAP)
            return lc_error_set(err, LC_EINPUT, in ? in->mark : e->mark,
                                "variant %s needs inputs: { NAME: VALUE, ... }", nm->str);
        for (j = 0; j < in->n; j++) {
            const lc_yaml_node *key = in->items[2 * j], *val = in->items[2 * j + 1];
            long qi = lc_model_find(s->model, key->str);
            lc_qty *q;
            if (qi < 0)
                return lc_model_unknown(s->model, "input", key->str, key->mark, err);
            q = lc_model_qty(s->model, (size_t)qi);
            if (val->kind != LC_YAML_SCALAR)
                return lc_error_set(err, LC_EINPUT, val->mark,
                                    "variant %s: %s takes one value such as '2 USD/GPU-hour' "
                                    "(distributions belong under inputs:)",
                                    nm->str, key->str);
            if (q->kind != LC_Q_CHOICE) {
                double x;
                if (lc_scenario_quantity(s, val, q->dim, key->str, &x, err))
                    return LC_EINPUT;
            }
        }
    }
    return LC_OK;
}

static int load_variants(const lc_cli *cli, entry *e, size_t *n, lc_error *err)
{
    const lc_scenario *base = e[0].s;
    const lc_yaml_node *v = base->variants;
    size_t i, j;
    lc_override *sets = NULL;
    int rc = LC_OK;
    if ((rc = check_variants(base, err)) != LC_OK)
        return rc;
    if (v->n + 1 > MAX_ENTRIES)
        return lc_error_set(err, LC_EINPUT, v->mark, "at most %d variants", MAX_ENTRIES - 1);
    if ((e[0].label = lc_strdup("base")) == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < v->n; i++) {
        const lc_yaml_node *in = lc_yaml_get(v->items[i], "inputs");
        size_t ns = cli->nsets;
        free(sets);
        sets = malloc((cli->nsets + in->n + 1) * sizeof *sets);
        if (sets == NULL)
            return lc_error_nomem(err);
        memcpy(sets, cli->sets, cli->nsets * sizeof *sets);
        for (j = 0; j < in->n; j++) {
            sets[ns].name = in->items[2 * j]->str;
            sets[ns].value = in->items[2 * j + 1]->str;
            ns++;
        }
        e[*n].s = lc_scenario_load(base->path, sets, ns, cli->currency, err);
        if (e[*n].s == NULL) {
            rc = err->code;
            break;
        }
        e[*n].label = lc_strdup(lc_yaml_get(v->items[i], "name")->str);
        e[*n].inputs = in;
        e[*n].title =
            lc_yaml_get(v->items[i], "label") ? lc_yaml_get(v->items[i], "label")->str : NULL;
        (*n)++;
        if (e[*n - 1].label == NULL) {
            rc = lc_error_nomem(err);
            break;
        }
    }
    free(sets);
    return rc;
}

/* --- simulation summaries ------------------------------------------------------ */

static int simulate(entry *e, lc_error *err)
{
    lc_org *o;
    lc_org_timeline t;
    const size_t *ri;
    size_t nr;
    double *refs;
    int rc;
    if (e->s->org == NULL)
        return LC_OK;
    if ((o = lc_org_parse(e->s, e->s->org, err)) == NULL)
        return err->code;
    lc_org_refs(o, &ri, &nr);
    refs = malloc((nr ? nr : 1) * sizeof *refs);
    if (refs == NULL || lc_org_timeline_alloc(&t, lc_org_horizon(o)) != LC_OK) {
        free(refs);
        lc_org_free(o);
        return lc_error_nomem(err);
    }
    lc_org_point_refs(o, e->s, refs);
    rc = lc_org_run(o, refs, NULL, &t, err);
    if (rc == LC_OK) {
        lc_org_metrics(&t, e->sim);
        e->has_sim = 1;
        if ((e->dcf = malloc(t.months * sizeof *e->dcf)) == NULL)
            rc = lc_error_nomem(err);
        else {
            memcpy(e->dcf, t.s[LC_ORG_DCF_CUM], t.months * sizeof *e->dcf);
            e->months = t.months;
        }
    }
    lc_org_timeline_free(&t);
    free(refs);
    lc_org_free(o);
    return rc;
}

/* --- rows ---------------------------------------------------------------------------- */

static int usable(const lc_scenario *s, const char *name, const char *unit)
{
    long qi = lc_model_find(s->model, name);
    lc_qty *q;
    if (qi < 0)
        return 0;
    q = lc_model_qty(s->model, (size_t)qi);
    return q->kind != LC_Q_CHOICE && q->available && isfinite(q->value) &&
           strcmp(q->unit, unit) == 0;
}

/* A metric's label in the first scenario (the library's, or the scenario's
 * own label: for its own metric). */
static const char *label_of(const entry *e, const char *name)
{
    long qi = lc_model_find(e->s->model, name);
    return qi < 0 ? name : lc_model_qty(e->s->model, (size_t)qi)->label;
}

/* What a reader sees for a row: the library's label (or the scenario's). */
static const char *row_label(const entry *e, const row *r)
{
    return r->sim >= 0 ? lc_sim_metrics[r->sim].label : label_of(e, r->name);
}

static double value_of(const entry *e, const row *r)
{
    if (r->sim >= 0)
        return e->sim[r->sim];
    return lc_model_qty(e->s->model, (size_t)lc_model_find(e->s->model, r->name))->value;
}

/* A runway as long as e's horizon: the cash lasted, the runway is that or
 * more (a lower bound, not a value to subtract). */
static int lower_bound(const entry *e, const row *r)
{
    return r->sim == LC_SIM_RUNWAY && lc_org_runway_censored(e->months, e->sim[r->sim]);
}

static int have_row(const row *rows, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(rows[i].name, name) == 0)
            return 1;
    return 0;
}

/* Metrics reported by any scenario and available in all, then the simulation's. */
static int shared_rows(entry *e, size_t n, row **out, size_t *nrows, lc_error *err)
{
    size_t cap = 64, k = 0, i, j, l;
    row *rows = malloc(cap * sizeof *rows);
    int all_sim = 1;
    if (rows == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n; i++) {
        size_t *rep = NULL, nrep = 0;
        if (lc_scenario_report(e[i].s, &rep, &nrep, err) != LC_OK) {
            free(rows);
            return err->code;
        }
        for (j = 0; j < nrep; j++) {
            lc_qty *q = lc_model_qty(e[i].s->model, rep[j]);
            int ok = strncmp(q->name, "sim.", 4) != 0 && !have_row(rows, k, q->name);
            for (l = 0; l < n && ok; l++)
                ok = usable(e[l].s, q->name, q->unit);
            if (!ok)
                continue;
            if (k == cap) {
                row *r2 = realloc(rows, (cap *= 2) * sizeof *rows);
                if (r2 == NULL) {
                    free(rep);
                    free(rows);
                    return lc_error_nomem(err);
                }
                rows = r2;
            }
            rows[k].name = q->name;
            rows[k].unit = q->unit;
            rows[k].sim = -1;
            rows[k].dim = q->dim;
            k++;
        }
        free(rep);
    }
    for (i = 0; i < n; i++)
        all_sim &= e[i].has_sim;
    for (j = 0; all_sim && j < LC_SIM_NMETRICS; j++) {
        int ok = j != LC_SIM_SURVIVAL_36 && j != LC_SIM_SURVIVAL_60; /* need simulate's MC */
        lc_unit u;
        size_t at;
        /* money metrics that some runs do not have (payback, IRR): n/a there */
        int some = 0;
        for (i = 0; i < n && ok; i++) {
            some |= isfinite(e[i].sim[j]);
            ok = j >= LC_SIM_NPV || isfinite(e[i].sim[j]);
        }
        ok = ok && some;
        if (!ok || lc_units_parse_unit(&e[0].s->units, lc_sim_metrics[j].unit,
                                       strlen(lc_sim_metrics[j].unit), &u, NULL, 0, &at) != 0)
            continue;
        if (k == cap) {
            row *r2 = realloc(rows, (cap *= 2) * sizeof *rows);
            if (r2 == NULL) {
                free(rows);
                return lc_error_nomem(err);
            }
            rows = r2;
        }
        rows[k].name = lc_sim_metrics[j].name;
        rows[k].unit = lc_sim_metrics[j].unit;
        rows[k].sim = (int)j;
        rows[k].dim = u.dim;
        k++;
    }
    *out = rows;
    *nrows = k;
    return LC_OK;
}

/* --- inputs that differ ----------------------------------------------------------- */

static const char *origin_name(lc_origin o)
{
    switch (o) {
    case LC_FROM_NONE:
        return "unset";
    case LC_FROM_DEFAULT:
        return "default";
    case LC_FROM_CATALOG:
        return "catalog";
    case LC_FROM_SCENARIO:
        return "scenario";
    case LC_FROM_COMMAND:
        return "command line";
    case LC_FROM_LIBRARY:
        return "library";
    case LC_FROM_USER:
        return "scenario formula";
    }
    return "";
}

/* How input name is set in e, malloc'd (NULL when out of memory); *origin
 * says where it comes from. */
static char *input_text(const entry *e, const char *name, const char **origin)
{
    const lc_scenario *s = e->s;
    long qi = lc_model_find(s->model, name);
    lc_qty *q;
    char num[LC_UNITS_FORMAT_MAX];
    *origin = "";
    if (qi < 0)
        return lc_strdup("(not in this scenario)");
    q = lc_model_qty(s->model, (size_t)qi);
    *origin = q->kind == LC_Q_FORMULA ? "formula" : q->available ? origin_name(q->origin) : "";
    if (q->origin == LC_FROM_COMMAND && e->inputs && lc_yaml_get(e->inputs, name))
        *origin = "variant";
    if (q->kind == LC_Q_FORMULA && !q->available)
        return lc_strdup("(not computed)");
    if (q->kind == LC_Q_CHOICE)
        return lc_strdup(q->choice ? q->choice : "(unset)");
    if (!q->available)
        return lc_strdup("(unset)");
    if (q->kind != LC_Q_FORMULA && q->text)
        return lc_strdup(q->text);
    lc_units_format(&s->units, q->value, q->unit, num, sizeof num);
    return lc_strdup(num);
}

static int same_input(const entry *e, size_t n, const char *name)
{
    size_t i;
    lc_qty *q0 = NULL;
    for (i = 0; i < n; i++) {
        long qi = lc_model_find(e[i].s->model, name);
        lc_qty *q = qi < 0 ? NULL : lc_model_qty(e[i].s->model, (size_t)qi);
        if (i == 0) {
            q0 = q;
            continue;
        }
        if ((q == NULL) != (q0 == NULL))
            return 0;
        if (q == NULL)
            continue;
        if (q->available != q0->available)
            return 0;
        if (!q->available)
            continue;
        if (q->kind == LC_Q_CHOICE || q0->kind == LC_Q_CHOICE) {
            if (q->kind != q0->kind ||
                strcmp(q->choice ? q->choice : "", q0->choice ? q0->choice : ""))
                return 0;
        } else if (!(fabs(q->value - q0->value) <= 1e-12 * fabs(q0->value)))
            return 0;
    }
    return 1;
}

/* Names of inputs (not formulas) in any scenario whose values differ. */
static int differing_inputs(entry *e, size_t n, const char ***out, size_t *nout, lc_error *err)
{
    size_t i, j, k = 0, cap = 32, l;
    const char **names = malloc(cap * sizeof *names);
    if (names == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n; i++)
        for (j = 0; j < lc_model_count(e[i].s->model); j++) {
            lc_qty *q = lc_model_qty(e[i].s->model, j);
            int dup = 0;
            if (q->kind == LC_Q_FORMULA || strncmp(q->name, "sim.", 4) == 0)
                continue;
            for (l = 0; l < k && !dup; l++)
                dup = strcmp(names[l], q->name) == 0;
            if (dup || same_input(e, n, q->name))
                continue;
            if (k == cap) {
                const char **n2 = realloc(names, (cap *= 2) * sizeof *names);
                if (n2 == NULL) {
                    free(names);
                    return lc_error_nomem(err);
                }
                names = n2;
            }
            names[k++] = q->name;
        }
    *out = names;
    *nout = k;
    return LC_OK;
}

/* --- output ---------------------------------------------------------------------------- */

static double shown(const entry *e, const row *r, double v)
{
    return lc_units_to(&e->s->units, v, r->unit);
}

static int is_money(lc_dim d)
{
    return d.e[LC_DIM_MONEY] == 1;
}

/* The comparison as one level-1 section: the scenarios, the shared metrics
 * side by side with differences against the first, and the inputs that differ. */
static lc_section *fill(lc_doc *d, int level, const char *id, const char *title, entry *e, size_t n,
                        const row *rows, size_t nrows, const char **inp, size_t ninp)
{
    lc_section *sec = lc_doc_section(d, level, id, title);
    lc_rtable *t;
    size_t i, j, c0, d0, r0, c_unit, c_name, c_label;
    char *col;
    lc_section_fact(sec, "currency", e[0].s->units.display);
    lc_section_fact(sec, "against", e[0].label);
    if (e[n - 1].inputs)
        lc_section_text(sec, "The base of %s (%s) and its %zu variants; differences against %s.",
                        e[0].s->name, e[0].s->path, n - 1, e[0].label);
    else
        lc_section_text(sec, "Differences against %s.", e[0].label);
    t = lc_section_table(sec, "scenarios", "Compared");
    {
        size_t c_l = lc_rtable_col(t, "label", "label", NULL, LC_COL_TEXT);
        size_t c_s = lc_rtable_col(t, "scenario", "scenario", NULL, LC_COL_TEXT);
        size_t c_f = lc_rtable_col(t, "file", "file", NULL, LC_COL_TEXT);
        for (i = 0; i < n; i++) {
            lc_rtable_row(t);
            lc_rtable_text(t, c_l, e[i].label);
            lc_rtable_text(t, c_s, e[i].title ? e[i].title : e[i].s->name);
            lc_rtable_text(t, c_f, e[i].s->path);
        }
    }
    t = lc_section_table(sec, "metrics", "Metrics they share");
    c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c_label = lc_rtable_col(t, "label", "metric", NULL, LC_COL_TEXT);
    c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    c0 = lc_rtable_ncols(t);
    for (i = 0; i < n; i++)
        lc_rtable_unit_col(t, lc_rtable_col(t, e[i].label, e[i].label, NULL, LC_COL_QUANTITY),
                           c_unit);
    /* differences against the first: the amount, and the share */
    d0 = lc_rtable_ncols(t);
    for (i = 1; i < n; i++) {
        char *label = lc_aprintf("%s - %s", e[i].label, e[0].label);
        col = lc_aprintf("%s_diff", e[i].label);
        lc_rtable_unit_col(t, lc_rtable_col(t, col, label, NULL, LC_COL_QUANTITY), c_unit);
        if (n > 2)
            lc_rtable_detail(t, lc_rtable_ncols(t) - 1);
        if (col == NULL || label == NULL)
            lc_doc_fail(d);
        free(col);
        free(label);
    }
    r0 = lc_rtable_ncols(t);
    for (i = 1; i < n; i++) {
        char *label = lc_aprintf("%s vs %s", e[i].label, e[0].label);
        col = lc_aprintf("%s_rel", e[i].label);
        lc_rtable_col(t, col, label, NULL, LC_COL_SHARE);
        if (col == NULL || label == NULL)
            lc_doc_fail(d);
        free(col);
        free(label);
    }
    for (i = 0; i < nrows; i++) {
        const row *r = &rows[i];
        double v0 = value_of(&e[0], r);
        size_t ul = strlen(r->unit) * 4 + 16;
        char *unit = malloc(ul);
        lc_colkind k = is_money(r->dim) ? LC_COL_MONEY : LC_COL_QUANTITY;
        if (unit)
            lc_units_display_name(&e[0].s->units, r->unit, unit, ul);
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, r->name);
        lc_rtable_text(t, c_label, row_label(e, r));
        lc_rtable_text(t, c_unit, unit);
        free(unit);
        for (j = 0; j < n; j++) {
            if (lower_bound(&e[j], r)) {
                /* "≥ 60 months": the cash lasts the whole horizon */
                char *why = lc_aprintf("\xe2\x89\xa5 %zu months", e[j].months);
                lc_rtable_missing(t, c0 + j, why ? why : "the whole horizon");
                free(why);
                continue;
            }
            lc_rtable_num(t, c0 + j, shown(&e[j], r, value_of(&e[j], r)));
            lc_rtable_cell_kind(t, c0 + j, k);
        }
        for (j = 1; j < n; j++) {
            double v = value_of(&e[j], r);
            if (lower_bound(&e[0], r) || lower_bound(&e[j], r)) {
                lc_rtable_missing(t, d0 + j - 1, "n/a"); /* a lower bound has no difference */
                lc_rtable_missing(t, r0 + j - 1, "n/a");
                continue;
            }
            lc_rtable_num(t, d0 + j - 1, shown(&e[0], r, v - v0));
            lc_rtable_cell_kind(t, d0 + j - 1, k);
            if (!isfinite(v) || !isfinite(v0))
                lc_rtable_missing(t, r0 + j - 1, "n/a");
            else if (v0 != 0)
                lc_rtable_num(t, r0 + j - 1, v / v0 - 1);
            else if (v == 0)
                lc_rtable_num(t, r0 + j - 1, 0);
            else
                lc_rtable_missing(t, r0 + j - 1, "n/a: the first is 0");
        }
    }
    t = lc_section_table(sec, "inputs", "Inputs that differ (value as written, origin)");
    c_name = lc_rtable_col(t, "name", "input", NULL, LC_COL_TEXT);
    c0 = lc_rtable_ncols(t);
    for (i = 0; i < n; i++) {
        lc_rtable_col(t, e[i].label, e[i].label, NULL, LC_COL_TEXT);
        col = lc_aprintf("%s_origin", e[i].label);
        lc_rtable_col(t, col ? col : "origin", "origin", NULL, LC_COL_TEXT);
        if (col == NULL)
            lc_doc_fail(d);
        free(col);
    }
    for (i = 0; i < ninp; i++) {
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, inp[i]);
        for (j = 0; j < n; j++) {
            const char *org;
            char *text = input_text(&e[j], inp[i], &org);
            lc_rtable_text(t, c0 + 2 * j, text);
            lc_rtable_text(t, c0 + 2 * j + 1, org);
            free(text);
        }
    }
    if (ninp == 0)
        lc_section_text(sec, "No input differs.");
    return sec;
}

/* --- charts ------------------------------------------------------------------------------ */

/* Cost parts for the stacked chart: the first name shared by every scenario. */
static const char *const parts[][4] = {
    {"capex", "sim.capex_per_year", "cost.capex_per_year", NULL},
    {"electricity", "sim.electricity_per_year", "cost.electricity_per_year", NULL},
    {"rental", "sim.rental_per_year", "cost.rental_per_year", NULL},
    {"staff", "sim.staff_per_year", "cost.staff_per_year", NULL},
    {"other", "sim.other_per_year", "cost.other_per_year", NULL},
};
#define NPARTS (sizeof parts / sizeof parts[0])

static int part_value(const entry *e, const char *name, double *v)
{
    long qi;
    size_t k;
    for (k = 0; k < LC_SIM_NMETRICS; k++)
        if (strcmp(lc_sim_metrics[k].name, name) == 0) {
            if (!e->has_sim)
                return 0;
            *v = e->sim[k];
            return 1;
        }
    qi = lc_model_find(e->s->model, name);
    if (qi < 0)
        return 0;
    {
        lc_qty *q = lc_model_qty(e->s->model, (size_t)qi);
        lc_dim want = lc_dim_none();
        want.e[LC_DIM_MONEY] = 1;
        want.e[LC_DIM_TIME] = -1;
        if (!q->available || !isfinite(q->value) || !lc_dim_eq(q->dim, want))
            return 0;
        *v = q->value;
    }
    return 1;
}

/* Grouped bars: rows (row_labels) of metrics, a column per scenario. */
static void bars(lc_chart *c, const char *title, const char *ylabel, size_t nrows, size_t ncols,
                 const double *data, const char *const *cols, const char *const *rows)
{
    memset(c, 0, sizeof *c);
    c->kind = LC_PLOT_BARS;
    c->title = title;
    c->ylabel = ylabel;
    c->nrows = nrows;
    c->ncols = ncols;
    c->data = data;
    c->col_names = cols;
    c->row_labels = rows;
}

static int render(lc_section *sec, lc_chart *c, const char *stem, const char *unit)
{
    lc_section_chart(sec, c, stem, unit);
    return LC_OK;
}

/* Money over time: NPV bars and the cumulative discounted cash flow of each
 * scenario that simulates an org (none: no chart). */
static int money_charts(lc_section *sec, const char *prefix, entry *e, size_t n, lc_error *err)
{
    static const int npv_rows[] = {LC_SIM_NPV, LC_SIM_NPV_COMPUTE, LC_SIM_OWN_SAVING_NPV};
    const char *labels[3], *cnames[MAX_ENTRIES + 1];
    char ylabel[64], *stem;
    size_t i, j, H = 0, nr = 0;
    double *data;
    lc_chart c;
    int rc;
    for (j = 0; j < n; j++) {
        if (!e[j].has_sim)
            return LC_OK;
        if (e[j].months > H)
            H = e[j].months;
    }
    if ((data = malloc((H > 3 ? H : 3) * (n + 1) * sizeof *data)) == NULL)
        return lc_error_nomem(err);
    for (j = 0; j < n; j++)
        cnames[j] = e[j].label;
    for (i = 0; i < 3; i++) {
        labels[nr] = lc_sim_metrics[npv_rows[i]].label;
        for (j = 0; j < n; j++)
            data[nr * n + j] = lc_units_to(&e[j].s->units, e[j].sim[npv_rows[i]], "CUR");
        nr++;
    }
    snprintf(ylabel, sizeof ylabel, "present value (%s)", e[0].s->units.display);
    bars(&c, "Net present value at the cost of capital", ylabel, nr, n, data, cnames, labels);
    if ((stem = lc_aprintf("%s-npv", prefix)) == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    rc = render(sec, &c, stem, e[0].s->units.display);
    free(stem);
    if (rc != LC_OK)
        goto done;
    /* cumulative discounted cash: column 0 the month, then one line a scenario */
    cnames[0] = "month";
    for (j = 0; j < n; j++)
        cnames[j + 1] = e[j].label;
    for (i = 0; i < H; i++) {
        data[i * (n + 1)] = (double)i;
        for (j = 0; j < n; j++)
            data[i * (n + 1) + j + 1] =
                i < e[j].months ? lc_units_to(&e[j].s->units, e[j].dcf[i], "CUR") : NAN;
    }
    memset(&c, 0, sizeof c);
    c.kind = LC_PLOT_TIMELINE;
    c.title = "Cumulative cash flow before funding, discounted to month 0";
    c.xlabel = "month";
    c.ylabel = ylabel;
    c.nrows = H;
    c.ncols = n + 1;
    c.data = data;
    c.col_names = cnames;
    if ((stem = lc_aprintf("%s-discounted", prefix)) == NULL)
        rc = lc_error_nomem(err);
    else
        rc = render(sec, &c, stem, e[0].s->units.display);
    free(stem);
done:
    free(data);
    return rc;
}

static int charts(lc_section *sec, const char *prefix, entry *e, size_t n, const row *rows,
                  size_t nrows, lc_error *err)
{
    const char *labels[MAX_BARS], *cnames[MAX_ENTRIES], *pnames[NPARTS];
    char ylabel[LC_UNIT_TEXT_MAX + 16], title[LC_UNIT_TEXT_MAX + 32]; /* a unit and words */
    double *data = malloc((MAX_BARS > NPARTS ? MAX_BARS : NPARTS) * MAX_ENTRIES * sizeof *data);
    unsigned char *done_row = calloc(nrows ? nrows : 1, 1);
    size_t i, j, nb, np = 0, ncharts = 0;
    const char *pick[NPARTS];
    int rc = LC_OK;
    lc_chart c;
    if (data == NULL || done_row == NULL) {
        free(data);
        free(done_row);
        return lc_error_nomem(err);
    }
    for (j = 0; j < n; j++)
        cnames[j] = e[j].label;
    /* Grouped bars of the money metrics, one chart per unit, so that one axis
     * carries one unit (log scale when every bar is above 0). */
    for (i = 0; i < nrows; i++) {
        char unit[LC_UNIT_TEXT_MAX], *stem;
        int positive = 1;
        size_t k;
        if (!is_money(rows[i].dim) || done_row[i])
            continue;
        nb = 0;
        for (k = i; k < nrows && nb < MAX_BARS; k++) {
            if (done_row[k] || !is_money(rows[k].dim) || strcmp(rows[k].unit, rows[i].unit) != 0)
                continue;
            done_row[k] = 1;
            labels[nb] = row_label(e, &rows[k]);
            for (j = 0; j < n; j++) {
                double v = shown(&e[j], &rows[k], value_of(&e[j], &rows[k]));
                data[nb * n + j] = v;
                positive &= v > 0;
            }
            nb++;
        }
        lc_units_display_name(&e[0].s->units, rows[i].unit, unit, sizeof unit);
        snprintf(title, sizeof title, "Money metrics compared (%s)", unit);
        snprintf(ylabel, sizeof ylabel, "%s%s", unit, positive && nb > 1 ? " (log scale)" : "");
        bars(&c, title, ylabel, nb, n, data, cnames, labels);
        c.logy = positive && nb > 1;
        stem = ncharts ? lc_aprintf("%s-money-%zu", prefix, ncharts + 1)
                       : lc_aprintf("%s-money", prefix);
        if (stem == NULL) {
            rc = lc_error_nomem(err);
            break;
        }
        render(sec, &c, stem, unit);
        free(stem);
        ncharts++;
    }
    if (rc != LC_OK) {
        free(data);
        free(done_row);
        return rc;
    }
    if (ncharts == 0)
        lc_section_warn(sec, "no money metric shared by every scenario: no bar chart");
    /* Stacked cost breakdown, per year. */
    for (i = 0; i < NPARTS; i++) {
        pick[i] = NULL;
        for (j = 1; j < 4 && parts[i][j] && pick[i] == NULL; j++) {
            size_t k;
            double v;
            int all = 1;
            for (k = 0; k < n && all; k++)
                all = part_value(&e[k], parts[i][j], &v);
            if (all)
                pick[i] = parts[i][j];
        }
    }
    for (i = 0; i < NPARTS; i++)
        if (pick[i]) {
            for (j = 0; j < n; j++) {
                double v = 0;
                part_value(&e[j], pick[i], &v);
                data[j * NPARTS + np] = lc_units_to(&e[j].s->units, v, "CUR/year");
            }
            pnames[np++] = parts[i][0];
        }
    if (np > 0) {
        /* Rows: scenarios; columns: parts (compact the stride to np). */
        for (j = 0; j < n; j++)
            for (i = 0; i < np; i++)
                data[j * np + i] = data[j * NPARTS + i];
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_STACKED;
        snprintf(title, sizeof title, "Cost breakdown per year");
        snprintf(ylabel, sizeof ylabel, "cost (%s/year)", e[0].s->units.display);
        c.title = title;
        c.ylabel = ylabel;
        c.nrows = n;
        c.ncols = np;
        c.data = data;
        c.col_names = pnames;
        c.row_labels = cnames;
        char *stem = lc_aprintf("%s-costs", prefix);
        if (stem == NULL)
            rc = lc_error_nomem(err);
        else
            rc = render(sec, &c, stem, "CUR/year");
        free(stem);
    } else
        lc_section_warn(sec, "no cost breakdown shared by every scenario (sim.*_per_year from "
                             "org:, or cost.capex_per_year, cost.electricity_per_year, "
                             "cost.rental_per_year, cost.staff_per_year metrics): no stacked "
                             "chart");
    if (rc == LC_OK)
        rc = money_charts(sec, prefix, e, n, err);
    free(data);
    free(done_row);
    return rc;
}

/* Entries e[0..n) simulated and compared into doc: a section (level, id,
 * title) of the scenarios, the metrics they share and the inputs that differ;
 * with plot its charts, named prefix-money, prefix-npv, ... */
static int compare_into(lc_doc *doc, int level, const char *id, const char *title,
                        const char *prefix, entry *e, size_t n, int plot, lc_error *err)
{
    size_t i, nrows = 0, ninp = 0;
    row *rows = NULL;
    const char **inp = NULL;
    int rc = LC_OK;
    lc_section *sec;
    for (i = 0; i < n && rc == LC_OK; i++)
        rc = simulate(&e[i], err);
    if (rc == LC_OK)
        rc = shared_rows(e, n, &rows, &nrows, err);
    if (rc == LC_OK)
        rc = differing_inputs(e, n, &inp, &ninp, err);
    if (rc == LC_OK) {
        sec = fill(doc, level, id, title, e, n, rows, nrows, inp, ninp);
        /* Charts beside the first file without -o (the folder of its scenario). */
        lc_section_fact(sec, "file", e[0].s->path);
        lc_section_fact_hide(sec);
        if (plot)
            rc = charts(sec, prefix, e, n, rows, nrows, err);
    }
    free(rows);
    free(inp);
    return rc;
}

static void free_entries(entry *e, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        free(e[i].label);
        free(e[i].dcf);
        lc_scenario_free(e[i].s);
    }
}

int lc_cli_variants(const lc_cli *cli, const char *path, lc_doc *doc, int plot)
{
    entry e[MAX_ENTRIES];
    size_t n = 0;
    lc_error err;
    char *stem = lc_path_stem(path), *prefix = stem ? lc_aprintf("%s-variants", stem) : NULL;
    int rc = LC_OK;

    memset(e, 0, sizeof e);
    lc_error_clear(&err);
    if (prefix == NULL)
        rc = LC_ENOMEM;
    else if ((e[0].s = lc_cli_load(cli, path, &rc)) != NULL) {
        n = 1;
        if (load_variants(cli, e, &n, &err) != LC_OK ||
            compare_into(doc, 2, "variants", "Variants", prefix, e, n, plot, &err) != LC_OK)
            rc = lc_cli_fail(&err);
    }
    free_entries(e, n);
    free(stem);
    free(prefix);
    return rc;
}

static int cmd_compare(lc_cli *cli)
{
    entry e[MAX_ENTRIES];
    size_t n = 0, i;
    lc_error err;
    lc_doc *doc = NULL;
    int rc = LC_OK, fmt = (int)LC_PLOT_PNG;

    memset(e, 0, sizeof e);
    lc_error_clear(&err);
    if (cli->nfiles == 0 || cli->nargs > 0) {
        fputs("llmcost compare: give two or more scenario files, or one with variants:; see "
              "llmcost compare --help\n",
              stderr);
        return LC_EUSAGE;
    }
    if (cli->plot && lc_cli_plot_format("compare", cli->plot, &fmt))
        return LC_EUSAGE;
    for (i = 0; i < cli->nfiles; i++) {
        if ((e[n].s = lc_cli_load(cli, cli->files[i], &rc)) == NULL)
            goto done;
        n++;
        /* The file's stem labels a column: scenario names are long. */
        e[n - 1].label = lc_path_stem(cli->files[i]);
        if (e[n - 1].label == NULL) {
            rc = LC_ENOMEM;
            goto done;
        }
    }
    if (n == 1) {
        if (e[0].s->variants == NULL) {
            lc_mark at = {e[0].s->path, 0, 0};
            lc_error_set(&err, LC_EUSAGE, at,
                         "nothing to compare: give two or more files, or a file with variants:");
            rc = lc_cli_fail(&err);
            goto done;
        }
        free(e[0].label);
        e[0].label = NULL;
        if (load_variants(cli, e, &n, &err) != LC_OK) {
            rc = lc_cli_fail(&err);
            goto done;
        }
    }
    if ((doc = lc_doc_alloc("compare")) == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    lc_doc_set_currency(doc, e[0].s->units.display);
    if ((rc = compare_into(doc, 1, "comparison", "Comparison", "compare", e, n, cli->plot != NULL,
                           &err)) != LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    rc = lc_cli_emit(cli, doc);
done:
    lc_doc_free(doc);
    free_entries(e, n);
    return rc;
}

const lc_command lc_cmd_compare_def = {
    "compare",
    cmd_compare,
    "scenarios or variants side by side, with differences and charts",
    "A.yaml B.yaml [...] [options]\n"
    "FILE [options]",
    "Every metric the scenarios share (reported by any, computed in all), side by\n"
    "side with the difference against the first (absolute and relative), then the\n"
    "inputs whose values differ, each as written with its origin.  Scenarios with an\n"
    "org: section add the simulation's sim.* results (one run, no Monte Carlo).\n"
    "\n"
    "A single FILE with variants: [{ name: ..., inputs: { NAME: VALUE } }] compares\n"
    "its base against each variant (the file loaded again with the variant's inputs).\n",
    (const lc_option *const[]){
        &(const lc_option){
            "--plot", NULL, "png|svg|pdf",
            "charts: compare-money (grouped bars of the money metrics) and "
            "compare-costs (cost per year stacked: capex, electricity, rental, "
            "staff, other, from sim.* or the scenarios' cost.*_per_year metrics); with "
            "org: sections also compare-npv (NPV bars) and compare-discounted "
            "(cumulative discounted cash of each)"},
        &(const lc_option){"-o", NULL, "DIR",
                           "chart folder (default: FIRST-charts/, FIRST being the first file's "
                           "name without .yaml)"},
        LC_OPTS_COMMON, NULL},
    "compare scenarios/startup.yaml scenarios/bigtech.yaml\n"
    "compare scenarios/compute-strategies.yaml --plot png\n"};
