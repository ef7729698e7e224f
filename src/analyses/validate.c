/* validate.c — the model against published training runs: the validation:
 * mapping parsed, both passes computed, the predicted GPU-hours calibrated by
 * Monte Carlo; and the training interval of llmcost run (lc_validate.h). */
#include "lc_validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "lc_catalog.h"
#include "lc_io.h"
#include "lc_mc.h"
#include "lc_util.h"

/* A published entry, parsed. */
typedef struct vfigure {
    const lc_yaml_node *key;
    const char *note;
    double published; /* base units */
    double tol, ctol; /* relative; NaN when absent */
} vfigure;

static const char *const status_names[] = {"within", "off", "unchecked", "pinned", "not computed"};

const char *lc_validate_status_name(lc_validate_status st)
{
    return status_names[st];
}

const char *lc_validate_pass_name(int conventions)
{
    return conventions ? "conventions" : "predicted";
}

void lc_validate_release(lc_validate_results *r)
{
    size_t i, j;
    for (i = 0; i < r->nruns; i++) {
        free(r->runs[i].id);
        free(r->runs[i].name);
        free(r->runs[i].file);
        free(r->runs[i].source);
        free(r->runs[i].currency);
        for (j = 0; j < r->runs[i].npins; j++)
            free(r->runs[i].pins[j]);
        free(r->runs[i].pins);
    }
    for (i = 0; i < r->nrows; i++) {
        free(r->rows[i].metric);
        free(r->rows[i].note);
    }
    free(r->runs);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
    void *np;
    size_t nc;
    if (n < *cap)
        return 0;
    nc = *cap ? 2 * *cap : 8;
    np = realloc(*p, nc * size);
    if (np == NULL)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* --- the validation: mapping ----------------------------------------------------- */

static int expect_kind(const lc_yaml_node *n, lc_yaml_kind kind, const char *what, lc_error *err)
{
    if (n->kind == kind)
        return LC_OK;
    return lc_error_set(err, LC_EINPUT, n->mark, "%s must be %s, not %s", what,
                        lc_yaml_kind_name(kind), lc_yaml_kind_name(n->kind));
}

/* The tolerance n of published figure `figure` (key: tolerance or
 * conventions_tolerance): a share, not negative. */
static int parse_tolerance(const lc_scenario *s, const lc_yaml_node *n, const char *figure,
                           const char *key, double *tol, lc_error *err)
{
    char *what = lc_aprintf("%s %s", figure, key);
    int rc;
    if (what == NULL)
        return lc_error_nomem(err);
    rc = lc_scenario_quantity(s, n, lc_dim_none(), what, tol, err);
    if (rc == LC_OK && !(*tol >= 0))
        rc = lc_error_set(err, LC_EINPUT, n->mark, "%s must not be negative", what);
    free(what);
    return rc;
}

/* Check validation: against the schema and the model; fill figs[] (one per
 * published entry, caller-sized to published->n). */
static int parse_validation(lc_scenario *s, const lc_yaml_node **conv, const lc_yaml_node **pub,
                            const char **source, vfigure *figs, lc_error *err)
{
    static const char *const keys[] = {"source", "note", "conventions", "published"};
    static const char *const fig_keys[] = {"value", "tolerance", "conventions_tolerance", "source",
                                           "note"};
    const lc_yaml_node *v = s->validation, *n;
    lc_mark file = {s->path, 0, 0};
    size_t i;
    int rc;

    if (v == NULL)
        return lc_error_set(err, LC_EINPUT, file,
                            "no validation: mapping (llmcost validate needs the published "
                            "figures: validation: { source, conventions, published })");
    if ((rc = expect_kind(v, LC_YAML_MAP, "validation", err)) ||
        (rc = lc_scenario_check_keys(v, keys, sizeof keys / sizeof keys[0], "validation", err)))
        return rc;
    if ((n = lc_yaml_get(v, "source")) == NULL)
        return lc_error_set(err, LC_EINPUT, v->mark,
                            "validation needs source: (where the published figures come from)");
    if ((rc = expect_kind(n, LC_YAML_SCALAR, "validation source", err)))
        return rc;
    *source = n->str;
    if ((n = lc_yaml_get(v, "note")) &&
        (rc = expect_kind(n, LC_YAML_SCALAR, "validation note", err)))
        return rc;

    *conv = lc_yaml_get(v, "conventions");
    if (*conv) {
        if ((rc = expect_kind(*conv, LC_YAML_MAP, "validation conventions", err)))
            return rc;
        for (i = 0; i < (*conv)->n; i++) {
            const lc_yaml_node *k = (*conv)->items[2 * i], *val = (*conv)->items[2 * i + 1];
            long qi = lc_model_find(s->model, k->str);
            lc_qty *q;
            double x;
            if (qi < 0)
                return lc_model_unknown(s->model, "input or formula", k->str, k->mark, err);
            if (val->kind != LC_YAML_SCALAR)
                return lc_error_set(err, LC_EINPUT, val->mark,
                                    "the convention %s must be a value as --set takes it, such "
                                    "as 3552000 GPU-hour, not %s",
                                    k->str, lc_yaml_kind_name(val->kind));
            q = lc_model_qty(s->model, (size_t)qi);
            if (q->origin == LC_FROM_USER)
                return lc_error_set(err, LC_EINPUT, k->mark,
                                    "%s is a formula of this scenario; conventions pin inputs "
                                    "and library formulas",
                                    k->str);
            if (q->kind != LC_Q_CHOICE &&
                (rc = lc_scenario_quantity(s, val, q->dim, k->str, &x, err)) != LC_OK)
                return rc;
        }
    }

    *pub = lc_yaml_get(v, "published");
    if (*pub == NULL)
        return lc_error_set(err, LC_EINPUT, v->mark,
                            "validation needs published: (METRIC: { value: ..., tolerance: ... })");
    if ((rc = expect_kind(*pub, LC_YAML_MAP, "validation published", err)))
        return rc;
    if ((*pub)->n == 0)
        return lc_error_set(err, LC_EINPUT, (*pub)->mark, "validation published: lists no figures");
    for (i = 0; i < (*pub)->n; i++) {
        const lc_yaml_node *k = (*pub)->items[2 * i], *e = (*pub)->items[2 * i + 1], *val = e;
        vfigure *f = &figs[i];
        long qi = lc_model_find(s->model, k->str);
        lc_qty *q;
        f->key = k;
        f->note = NULL;
        f->tol = NAN;
        f->ctol = NAN;
        if (qi < 0)
            return lc_model_unknown(s->model, "metric", k->str, k->mark, err);
        q = lc_model_qty(s->model, (size_t)qi);
        if (q->kind == LC_Q_CHOICE)
            return lc_error_set(err, LC_EINPUT, k->mark, "%s is not a number", k->str);
        if (e->kind == LC_YAML_MAP) {
            if ((rc = lc_scenario_check_keys(e, fig_keys, sizeof fig_keys / sizeof fig_keys[0],
                                             k->str, err)))
                return rc;
            if ((val = lc_yaml_get(e, "value")) == NULL)
                return lc_error_set(err, LC_EINPUT, e->mark,
                                    "published %s needs value: (the figure the source gives)",
                                    k->str);
            if ((n = lc_yaml_get(e, "tolerance")) &&
                (rc = parse_tolerance(s, n, k->str, "tolerance", &f->tol, err)))
                return rc;
            if ((n = lc_yaml_get(e, "conventions_tolerance"))) {
                if (*conv == NULL)
                    return lc_error_set(err, LC_EINPUT, n->mark,
                                        "conventions_tolerance needs a validation conventions: "
                                        "mapping (without it there is no conventions pass)");
                if ((rc = parse_tolerance(s, n, k->str, "conventions_tolerance", &f->ctol, err)))
                    return rc;
            }
            if ((n = lc_yaml_get(e, "source")) &&
                (rc = expect_kind(n, LC_YAML_SCALAR, "source", err)))
                return rc;
            if ((n = lc_yaml_get(e, "note"))) {
                if ((rc = expect_kind(n, LC_YAML_SCALAR, "note", err)))
                    return rc;
                f->note = n->str;
            }
        } else if (e->kind != LC_YAML_SCALAR) {
            return lc_error_set(err, LC_EINPUT, e->mark,
                                "published %s must be a value or { value: ..., tolerance: ... }, "
                                "not %s",
                                k->str, lc_yaml_kind_name(e->kind));
        }
        {
            char *what = lc_aprintf("published %s", k->str);
            if (what == NULL)
                return lc_error_nomem(err);
            rc = lc_scenario_quantity(s, val, q->dim, what, &f->published, err);
            free(what);
            if (rc)
                return rc;
        }
        if (!(f->published != 0) || !isfinite(f->published))
            return lc_error_set(err, LC_EINPUT, val->mark,
                                "published %s must not be zero (errors are relative to it)",
                                k->str);
    }
    return LC_OK;
}

/* --- the two passes ---------------------------------------------------------------- */

static int add_rows(lc_validate_results *r, size_t run, int conv, lc_scenario *s,
                    const vfigure *figs, size_t nfigs, lc_error *err)
{
    size_t i;
    for (i = 0; i < nfigs; i++) {
        const vfigure *f = &figs[i];
        long qi = lc_model_find(s->model, f->key->str);
        lc_qty *q;
        lc_validate_row *row;
        double tol = conv ? f->ctol : f->tol, dev;
        if (qi < 0)
            continue; /* cannot happen: the same file, checked above */
        q = lc_model_qty(s->model, (size_t)qi);
        if (grow((void **)&r->rows, &r->caprows, r->nrows, sizeof *r->rows))
            return lc_error_nomem(err);
        row = &r->rows[r->nrows];
        memset(row, 0, sizeof *row);
        row->run = run;
        row->conventions = conv;
        row->metric = lc_strdup(q->name);
        row->note = f->note ? lc_strdup(f->note) : NULL;
        r->nrows++;
        if (row->metric == NULL || (f->note && row->note == NULL))
            return lc_error_nomem(err);
        lc_units_display_name(&s->units, q->unit, row->unit, sizeof row->unit);
        row->published = lc_units_to(&s->units, f->published, q->unit);
        row->tol_pct = tol * 100;
        if (!q->available || !isfinite(q->value)) {
            row->computed = NAN;
            row->error_pct = NAN;
            row->status = isnan(tol) ? LC_VALIDATE_UNCHECKED : LC_VALIDATE_MISSING;
        } else {
            row->computed = lc_units_to(&s->units, q->value, q->unit);
            dev = q->value / f->published - 1;
            if (fabs(dev) < 1e-13)
                dev = 0; /* rounding noise */
            row->error_pct = dev * 100;
            if (q->kind != LC_Q_FORMULA)
                row->status = LC_VALIDATE_PINNED; /* set, not computed: nothing to check */
            else if (isnan(tol))
                row->status = LC_VALIDATE_UNCHECKED;
            else
                row->status = fabs(dev) <= tol * (1 + 1e-12) ? LC_VALIDATE_WITHIN : LC_VALIDATE_OFF;
        }
        if (row->status == LC_VALIDATE_WITHIN || row->status == LC_VALIDATE_OFF ||
            row->status == LC_VALIDATE_MISSING) {
            r->checked++;
            if (row->status == LC_VALIDATE_WITHIN)
                r->within++;
            else
                r->off++;
        }
    }
    return LC_OK;
}

/* --- calibration ----------------------------------------------------------------- */

/* Over every input with a distribution: the fitted MFU and failure rate, and
 * any the scenario gives. */
int lc_validate_interval(lc_scenario *s, const size_t *out, size_t nout, double *p5, double *p95,
                         lc_error *err)
{
    size_t n = lc_model_count(s->model), k = 0, i, keep[LC_MC_KEEP_MAX];
    size_t *idx = malloc(n * sizeof *idx);
    lc_dist *dists = malloc(n * sizeof *dists);
    static const double probs[] = {0.05, 0.95};
    lc_evaluator ev;
    lc_mc_opts o;
    lc_mc_result *res = NULL;
    int rc = LC_OK;

    memset(&ev, 0, sizeof ev);
    if (idx == NULL || dists == NULL || nout > LC_MC_KEEP_MAX) {
        free(idx);
        free(dists);
        return lc_error_nomem(err);
    }
    for (i = 0; i < n; i++) {
        lc_qty *q = lc_model_qty(s->model, i);
        if (q->kind == LC_Q_INPUT && q->dist) {
            idx[k] = i;
            dists[k++] = *q->dist;
        }
    }
    for (i = 0; i < nout; i++) {
        p5[i] = p95[i] = lc_model_qty(s->model, out[i])->value;
        keep[i] = i;
    }
    if (k && (rc = lc_model_evaluator(s->model, idx, k, out, nout, &ev, err)) == LC_OK) {
        lc_mc_opts_init(&o);
        o.n = LC_VALIDATE_SAMPLES;
        o.seed = LC_VALIDATE_SEED;
        o.keep = keep;
        o.n_keep = nout;
        o.probs = probs;
        o.n_probs = 2;
        o.nbins = 0;
        if ((rc = lc_mc_run(&ev, dists, &o, &res, err)) == LC_OK)
            for (i = 0; i < nout; i++) {
                p5[i] = res->sum[i].pct[0];
                p95[i] = res->sum[i].pct[1];
            }
        lc_mc_result_free(res);
        lc_model_evaluator_release(&ev);
    }
    free(idx);
    free(dists);
    return rc;
}

/* The training metrics' interval when the MFU is the catalog's fitted one. */
int lc_validate_training_interval(lc_scenario *s, lc_validate_training *t, lc_error *err)
{
    static const char *const names[LC_VALIDATE_TRAINING_MAX] = {
        "train.gpu_hours", "train.gpu_hours_total", "train.days",      "train.energy",
        "train.co2",       "train.cost_total",      "train.cost_cloud"};
    lc_qty *mfu = lc_model_qty(s->model, (size_t)lc_model_find(s->model, "train.mfu"));
    size_t i;

    t->n = 0;
    if (mfu->dist == NULL || mfu->origin != LC_FROM_DEFAULT)
        return LC_OK; /* the scenario chose its own MFU: its analyses: say the rest */
    for (i = 0; i < LC_VALIDATE_TRAINING_MAX; i++) {
        long j = lc_model_find(s->model, names[i]);
        lc_qty *q = lc_model_qty(s->model, (size_t)j);
        if (q->kind == LC_Q_FORMULA && q->available && isfinite(q->value))
            t->qi[t->n++] = (size_t)j;
    }
    if (t->n == 0)
        return LC_OK;
    return lc_validate_interval(s, t->qi, t->n, t->p5, t->p95, err);
}

/* A run's calibration: its published and predicted GPU-hours, the MFU the
 * figure implies, and the prediction's interval. */
static int calibrate(lc_scenario *s, const vfigure *figs, size_t nfigs, lc_validate_run *vr,
                     lc_error *err)
{
    long qi = lc_model_find(s->model, LC_VALIDATE_CAL_METRIC);
    long mi = lc_model_find(s->model, "train.mfu");
    lc_qty *q = lc_model_qty(s->model, (size_t)qi), *mfu = lc_model_qty(s->model, (size_t)mi);
    size_t i;
    for (i = 0; i < nfigs; i++)
        if (strcmp(figs[i].key->str, LC_VALIDATE_CAL_METRIC) == 0)
            break;
    if (i == nfigs || q->kind != LC_Q_FORMULA || !q->available || !isfinite(q->value))
        return LC_OK;
    vr->has_cal = 1;
    vr->published = figs[i].published;
    vr->point = q->value;
    /* GPU-hours are inversely proportional to MFU, other inputs at their points. */
    vr->fitted_mfu = mfu->origin == LC_FROM_DEFAULT && mfu->dist != NULL;
    vr->mfu_implied = mfu->value * vr->point / vr->published;
    {
        size_t o = (size_t)qi;
        return lc_validate_interval(s, &o, 1, &vr->p5, &vr->p95, err);
    }
}

static double median_of(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    return gsl_stats_median_from_sorted_data(x, 1, n);
}

/* Summary over the runs: coverage, widths, errors, the MFU fit again, and the
 * leave-one-out coverage of the fit. */
static int summarise(const lc_validate_results *r, lc_validate_cal *c, lc_error *err)
{
    double *w = malloc((r->nruns + 1) * sizeof *w), *e = malloc((r->nruns + 1) * sizeof *e);
    double *l = malloc((r->nruns + 1) * sizeof *l), z = gsl_cdf_ugaussian_Pinv(0.95);
    size_t i, j;
    memset(c, 0, sizeof *c);
    if (w == NULL || e == NULL || l == NULL) {
        free(w);
        free(e);
        free(l);
        return lc_error_nomem(err);
    }
    c->max_width = NAN;
    for (i = 0; i < r->nruns; i++) {
        const lc_validate_run *v = &r->runs[i];
        if (!v->has_cal)
            continue;
        w[c->n] = v->p95 / v->p5;
        e[c->n] = fabs(v->point / v->published - 1);
        c->inside += v->p5 <= v->published && v->published <= v->p95;
        c->max_width = c->n == 0 || w[c->n] > c->max_width ? w[c->n] : c->max_width;
        c->n++;
        if (v->fitted_mfu)
            l[c->nfit++] = log(v->mfu_implied);
    }
    c->median_width = c->n ? median_of(w, c->n) : NAN;
    c->median_abs_error = c->n ? median_of(e, c->n) : NAN;
    c->log_mean = c->nfit ? gsl_stats_mean(l, 1, c->nfit) : NAN;
    c->log_sd = c->nfit > 1 ? gsl_stats_sd(l, 1, c->nfit) : NAN;
    /* Leave one out: refit on the others, is the left-out MFU inside the
     * refit's 90% interval (MFU uncertainty only)? */
    for (i = 0; c->nfit > 2 && i < c->nfit; i++) {
        double rest[256], mu, sd;
        size_t m = 0;
        for (j = 0; j < c->nfit && m < 256; j++)
            if (j != i)
                rest[m++] = l[j];
        mu = gsl_stats_mean(rest, 1, m);
        sd = gsl_stats_sd(rest, 1, m);
        c->loo_inside += fabs(l[i] - mu) <= z * sd;
    }
    c->cat_log_mean = 0.5 * (log(r->fit_p5) + log(r->fit_p95));
    c->cat_log_sd = (log(r->fit_p95) - log(r->fit_p5)) / (2 * z);
    free(w);
    free(e);
    free(l);
    return LC_OK;
}

/* The catalog's training: mfu P5 and P95 (fractions). */
static int catalog_fit(lc_validate_results *r, lc_error *err)
{
    lc_catalog c;
    lc_units u;
    const lc_yaml_node *t;
    double v[2];
    static const char *const keys[] = {"p5", "p95"};
    size_t i;
    int rc;
    r->fit_p5 = r->fit_p95 = NAN;
    if (lc_units_init(&u, "USD") != 0)
        return lc_error_nomem(err);
    if ((rc = lc_catalog_init(&c, NULL, err)) != LC_OK)
        return rc;
    t = lc_yaml_get(lc_yaml_get(c.builtin, "training"), "mfu");
    for (i = 0; i < 2; i++) {
        lc_dim d;
        const char *text, *src, *date;
        if (lc_catalog_field(&u, t, keys[i], &v[i], &d, &text, &src, &date, err) != 1) {
            rc = LC_EINPUT;
            break;
        }
    }
    if (rc == LC_OK) {
        r->fit_p5 = v[0];
        r->fit_p95 = v[1];
    }
    lc_catalog_release(&c);
    return rc;
}

int lc_validate_calibrate(lc_validate_results *r, lc_validate_cal *c, lc_error *err)
{
    int rc = catalog_fit(r, err);
    if (rc != LC_OK) {
        memset(c, 0, sizeof *c);
        return rc;
    }
    return summarise(r, c, err);
}

/* Load a scenario from path, or from text already read (standard input). */
static lc_scenario *load(const char *path, const char *text, size_t len, const lc_override *sets,
                         size_t nsets, const char *currency, lc_error *err)
{
    if (text)
        return lc_scenario_load_text("<stdin>", text, len, sets, nsets, currency, err);
    return lc_scenario_load(path, sets, nsets, currency, err);
}

int lc_validate_file(const char *path, const lc_override *sets, size_t nsets, const char *currency,
                     lc_validate_results *r, lc_error *err)
{
    lc_scenario *s = NULL, *s2 = NULL;
    const lc_yaml_node *conv = NULL, *pub = NULL;
    const char *source = NULL;
    vfigure *figs = NULL;
    lc_override *ov = NULL;
    char *text = NULL;
    size_t len = 0, nov = 0, i, run;
    lc_validate_run *vr;
    int rc = LC_OK;

    if (strcmp(path, "-") == 0 &&
        (rc = lc_read_file("-", LC_YAML_MAX_BYTES, &text, &len, err)) != LC_OK)
        return rc;
    s = load(path, text, len, sets, nsets, currency, err);
    if (s == NULL) {
        rc = err->code ? err->code : LC_EINPUT;
        goto done;
    }
    {
        const lc_yaml_node *p = s->validation ? lc_yaml_get(s->validation, "published") : NULL;
        figs = calloc(p && p->kind == LC_YAML_MAP && p->n ? p->n : 1, sizeof *figs);
    }
    if (figs == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    if ((rc = parse_validation(s, &conv, &pub, &source, figs, err)) != LC_OK)
        goto done;

    if (grow((void **)&r->runs, &r->capruns, r->nruns, sizeof *r->runs)) {
        rc = lc_error_nomem(err);
        goto done;
    }
    run = r->nruns++;
    vr = &r->runs[run];
    memset(vr, 0, sizeof *vr);
    vr->id = lc_path_stem(path);
    vr->name = lc_strdup(s->name);
    vr->file = lc_strdup(s->path);
    vr->source = lc_strdup(source);
    vr->currency = lc_strdup(s->units.display);
    if (!vr->id || !vr->name || !vr->file || !vr->source || !vr->currency) {
        rc = lc_error_nomem(err);
        goto done;
    }
    if ((rc = add_rows(r, run, 0, s, figs, pub->n, err)) != LC_OK ||
        (rc = calibrate(s, figs, pub->n, vr, err)) != LC_OK)
        goto done;
    if (conv == NULL || conv->n == 0)
        goto done; /* no conventions: no second pass */

    /* The conventions pass: the same file with conventions: pinned, then --set. */
    nov = conv->n + nsets;
    ov = calloc(nov, sizeof *ov);
    vr->pins = calloc(conv->n, sizeof *vr->pins);
    if (ov == NULL || vr->pins == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (i = 0; i < conv->n; i++) {
        ov[i].name = conv->items[2 * i]->str;
        ov[i].value = conv->items[2 * i + 1]->str;
        if ((vr->pins[i] = lc_aprintf("%s=%s", ov[i].name, ov[i].value)) == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
        vr->npins++;
    }
    for (i = 0; i < nsets; i++)
        ov[conv->n + i] = sets[i];
    s2 = load(path, text, len, ov, nov, currency, err);
    if (s2 == NULL) {
        /* Overrides fail at "<command line>": point at the conventions instead. */
        if (strcmp(err->file, "<command line>") == 0 && conv->mark.file) {
            lc_error_move(err, conv->mark);
        }
        rc = err->code ? err->code : LC_EINPUT;
        goto done;
    }
    rc = add_rows(r, run, 1, s2, figs, pub->n, err);
done:
    free(ov);
    free(figs);
    lc_scenario_free(s2);
    lc_scenario_free(s);
    free(text);
    return rc;
}
