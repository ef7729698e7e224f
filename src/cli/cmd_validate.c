/* cmd_validate.c — llmcost validate: the cost model against published runs.
 *
 * usage: llmcost validate [FILE...] [options]
 *
 * Check the model against published training runs.  Each FILE is a scenario
 * with a validation: mapping (default: every .yaml file in scenarios/validation/
 * under the current directory, in name order).  Each run is computed twice:
 *   predicted    the scenario as written (e.g. GPU-hours from 6ND, the
 *                catalog peak and the default MFU)
 *   conventions  the same scenario with the validation: conventions: pinned
 *                (the paper's own figures, e.g. its GPU-hours)
 * and every published figure is compared with both.  tolerance: applies to
 * the predicted pass, conventions_tolerance: to the conventions pass; a
 * figure without one in a pass is shown but not checked.
 *
 *   --format table|csv|json   output format (default table)
 *   --set NAME=VALUE          override an input in both passes
 *   --currency CODE           show money in CODE (USD, CNY, EUR, ...)
 *   -h, --help                this help
 *
 * exit status: 0 every checked figure within its tolerance, 3 some are off
 * (one line on standard error says which), 1 no files and no
 * scenarios/validation/ folder, 2 bad scenario or validation: mapping.
 *
 * example: llmcost validate --format json
 *
 * The validation: mapping (keys checked strictly, errors positioned):
 *
 *   validation:
 *     source: "Patterson et al. 2021, Table 4"           # required
 *     note: "..."                                         # optional
 *     conventions:                  # NAME: VALUE pinned in the second pass, as
 *       train.gpu_hours: 3552000 GPU-hour   # --set NAME=VALUE would take it
 *     published:                    # METRIC: { value, tolerance, ... } or METRIC: VALUE
 *       train.gpu_hours: { value: 3552000 GPU-hour, tolerance: 30% }
 *       train.energy: { value: 1287 MWh, conventions_tolerance: 2% }
 *
 * Published entries take value (required), tolerance, conventions_tolerance
 * (needs conventions:), source and note.  In each pass a figure is: within or
 * off (checked), unchecked (no tolerance for that pass), pinned (the metric is
 * set, not computed, in that pass: nothing to check) or not computed (the
 * scenario leaves an input unset; off when checked).  The error is
 * computed / published - 1, in percent.  --set applies to both passes, after
 * the conventions.
 *
 * Calibration: for every run that publishes train.gpu_hours_total, a Monte
 * Carlo over the scenario's distributions (the catalog's fitted MFU and
 * failure rate) gives the 90% interval; the report says whether the published
 * figure lies inside, the interval's P95/P5, the point's error and the MFU the
 * figure implies, then coverage, median width and error over the runs, the
 * MFU fit again from the runs (to compare with the catalog's) and its
 * leave-one-out coverage.  Output is a result document (figures, sources,
 * calibration tables; summary facts). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "cli.h"
#include "lc_analyses.h"
#include "lc_quantity.h"
#include "lc_result.h"
#include "lc_io.h"
#include "lc_util.h"

#define VALIDATION_DIR "scenarios/validation"
/* The metric whose published value calibrates the predicted interval. */
#define CAL_METRIC "train.gpu_hours_total"
/* Monte Carlo per run for the interval: samples and seed (fixed, so the
 * report is reproducible). */
#define CAL_SAMPLES 20000
#define CAL_SEED    1

typedef enum { ST_WITHIN, ST_OFF, ST_UNCHECKED, ST_PINNED, ST_MISSING } vstatus;

static const char *const status_names[] = {"within", "off", "unchecked", "pinned", "not computed"};

/* One published figure in one pass. */
typedef struct vrow {
    size_t run;      /* index into the runs */
    int conventions; /* 0 predicted pass, 1 conventions pass */
    char *metric;
    char unit[64];    /* display unit */
    char *note;       /* the published entry's note, or NULL */
    double computed;  /* display unit; NaN when not computed */
    double published; /* display unit */
    double error_pct; /* NaN when not computed */
    double tol_pct;   /* NaN when not checked in this pass */
    vstatus status;
} vrow;

/* One validated scenario. */
typedef struct vrun {
    char *id;   /* file name without folder and .yaml */
    char *name; /* scenario: */
    char *file;
    char *source; /* validation: source: */
    char *currency;
    char **pins; /* "NAME=VALUE" of each convention */
    size_t npins;
    /* Calibration of the predicted GPU-hours (CAL_METRIC), GPU-hours. */
    int has_cal;        /* the run publishes CAL_METRIC and the model computes it */
    double published;   /* published GPU-hours */
    double point;       /* point prediction */
    double p5, p95;     /* 90% interval of the Monte Carlo over the uncertain inputs */
    int fitted_mfu;     /* train.mfu is the catalog's fitted distribution */
    double mfu_implied; /* MFU while running that reproduces the published figure */
} vrun;

typedef struct vresults {
    vrun *runs;
    size_t nruns, capruns;
    vrow *rows;
    size_t nrows, caprows;
    size_t checked, within, off;
    double fit_p5, fit_p95; /* the catalog's MFU distribution (training: mfu) */
} vresults;

/* A published entry, parsed. */
typedef struct vfigure {
    const lc_yaml_node *key;
    const char *note;
    double published; /* base units */
    double tol, ctol; /* relative; NaN when absent */
} vfigure;

static void results_free(vresults *r)
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

/* --- the files ----------------------------------------------------------------- */

/* Every .yaml file in VALIDATION_DIR, sorted (lc_cli_scenario_dir). */
static int list_dir(char ***out, size_t *n)
{
    if (lc_cli_scenario_dir(VALIDATION_DIR, out, n) != 0) {
        fputs("llmcost validate: no " VALIDATION_DIR "/ folder in the current directory and no "
              "files given; run it from the llmcost source tree or name the scenarios (see "
              "llmcost validate --help)\n",
              stderr);
        return LC_EUSAGE;
    }
    if (*n == 0) {
        lc_cli_free_list(*out, 0);
        *out = NULL;
        fputs("llmcost validate: no .yaml files in " VALIDATION_DIR "/ and no files given (see "
              "llmcost validate --help)\n",
              stderr);
        return LC_EUSAGE;
    }
    return LC_OK;
}

/* "scenarios/validation/gpt3-patterson.yaml" -> "gpt3-patterson". */
static char *run_id(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;
    if (strcmp(path, "-") == 0)
        return lc_strdup("stdin");
    base = base ? base + 1 : path;
    n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    return lc_strndup(base, n);
}

/* --- the validation: mapping ----------------------------------------------------- */

static int expect_kind(const lc_yaml_node *n, lc_yaml_kind kind, const char *what, lc_error *err)
{
    if (n->kind == kind)
        return LC_OK;
    return lc_error_set(err, LC_EINPUT, n->mark, "%s must be %s, not %s", what,
                        lc_yaml_kind_name(kind), lc_yaml_kind_name(n->kind));
}

static int parse_tolerance(const lc_scenario *s, const lc_yaml_node *n, const char *what,
                           double *tol, lc_error *err)
{
    int rc = lc_scenario_quantity(s, n, lc_dim_none(), what, tol, err);
    if (rc != LC_OK)
        return rc;
    if (!(*tol >= 0))
        return lc_error_set(err, LC_EINPUT, n->mark, "%s must not be negative", what);
    return LC_OK;
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
            char what[160];
            if ((rc = lc_scenario_check_keys(e, fig_keys, sizeof fig_keys / sizeof fig_keys[0],
                                             k->str, err)))
                return rc;
            if ((val = lc_yaml_get(e, "value")) == NULL)
                return lc_error_set(err, LC_EINPUT, e->mark,
                                    "published %s needs value: (the figure the source gives)",
                                    k->str);
            snprintf(what, sizeof what, "%s tolerance", k->str);
            if ((n = lc_yaml_get(e, "tolerance")) &&
                (rc = parse_tolerance(s, n, what, &f->tol, err)))
                return rc;
            snprintf(what, sizeof what, "%s conventions_tolerance", k->str);
            if ((n = lc_yaml_get(e, "conventions_tolerance"))) {
                if (*conv == NULL)
                    return lc_error_set(err, LC_EINPUT, n->mark,
                                        "conventions_tolerance needs a validation conventions: "
                                        "mapping (without it there is no conventions pass)");
                if ((rc = parse_tolerance(s, n, what, &f->ctol, err)))
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
            char what[160];
            snprintf(what, sizeof what, "published %s", k->str);
            if ((rc = lc_scenario_quantity(s, val, q->dim, what, &f->published, err)))
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

static int add_rows(vresults *r, size_t run, int conv, lc_scenario *s, const vfigure *figs,
                    size_t nfigs)
{
    size_t i;
    for (i = 0; i < nfigs; i++) {
        const vfigure *f = &figs[i];
        long qi = lc_model_find(s->model, f->key->str);
        lc_qty *q;
        vrow *row;
        double tol = conv ? f->ctol : f->tol, dev;
        if (qi < 0)
            continue; /* cannot happen: the same file, checked above */
        q = lc_model_qty(s->model, (size_t)qi);
        if (grow((void **)&r->rows, &r->caprows, r->nrows, sizeof *r->rows))
            return LC_ENOMEM;
        row = &r->rows[r->nrows];
        memset(row, 0, sizeof *row);
        row->run = run;
        row->conventions = conv;
        row->metric = lc_strdup(q->name);
        row->note = f->note ? lc_strdup(f->note) : NULL;
        r->nrows++;
        if (row->metric == NULL || (f->note && row->note == NULL))
            return LC_ENOMEM;
        lc_units_display_name(&s->units, q->unit, row->unit, sizeof row->unit);
        row->published = lc_units_to(&s->units, f->published, q->unit);
        row->tol_pct = tol * 100;
        if (!q->available || !isfinite(q->value)) {
            row->computed = NAN;
            row->error_pct = NAN;
            row->status = isnan(tol) ? ST_UNCHECKED : ST_MISSING;
        } else {
            row->computed = lc_units_to(&s->units, q->value, q->unit);
            dev = q->value / f->published - 1;
            if (fabs(dev) < 1e-13)
                dev = 0; /* rounding noise */
            row->error_pct = dev * 100;
            if (q->kind != LC_Q_FORMULA)
                row->status = ST_PINNED; /* set, not computed: nothing to check */
            else if (isnan(tol))
                row->status = ST_UNCHECKED;
            else
                row->status = fabs(dev) <= tol * (1 + 1e-12) ? ST_WITHIN : ST_OFF;
        }
        if (row->status == ST_WITHIN || row->status == ST_OFF || row->status == ST_MISSING) {
            r->checked++;
            if (row->status == ST_WITHIN)
                r->within++;
            else
                r->off++;
        }
    }
    return LC_OK;
}

/* --- calibration ----------------------------------------------------------------- */

/* The 90% interval of metrics out[0..nout) by Monte Carlo over every input
 * with a distribution (the fitted MFU and failure rate, and any the scenario
 * gives); p5 = p95 = the point value when nothing is uncertain. */
static int interval(lc_scenario *s, const size_t *out, size_t nout, double *p5, double *p95,
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
        o.n = CAL_SAMPLES;
        o.seed = CAL_SEED;
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

int lc_cli_training_interval(lc_scenario *s, lc_section *sec)
{
    static const char *const names[] = {
        "train.gpu_hours", "train.gpu_hours_total", "train.days",      "train.energy",
        "train.co2",       "train.cost_total",      "train.cost_cloud"};
    size_t qi[7], n = 0, i, c_name, c_label, c_p5, c_point, c_p95, c_unit;
    double p5[7], p95[7];
    lc_qty *mfu = lc_model_qty(s->model, (size_t)lc_model_find(s->model, "train.mfu"));
    lc_rtable *t;
    lc_error err;

    if (mfu->dist == NULL || mfu->origin != LC_FROM_DEFAULT)
        return LC_OK; /* the scenario chose its own MFU: its analyses: say the rest */
    for (i = 0; i < 7; i++) {
        long j = lc_model_find(s->model, names[i]);
        lc_qty *q = lc_model_qty(s->model, (size_t)j);
        if (q->kind == LC_Q_FORMULA && q->available && isfinite(q->value))
            qi[n++] = (size_t)j;
    }
    if (n == 0)
        return LC_OK;
    lc_error_clear(&err);
    if (interval(s, qi, n, p5, p95, &err) != LC_OK)
        return lc_cli_fail(&err);
    t = lc_section_table(sec, "training_interval",
                         "Training prediction, 90% interval (Monte Carlo over the fitted MFU, "
                         "the failure rate and the scenario's ranges; 20,000 samples, seed 1)");
    c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c_label = lc_rtable_col(t, "label", "metric", NULL, LC_COL_TEXT);
    c_p5 = lc_rtable_col(t, "p5", "P5", NULL, LC_COL_QUANTITY);
    c_point = lc_rtable_col(t, "point", "point", NULL, LC_COL_QUANTITY);
    c_p95 = lc_rtable_col(t, "p95", "P95", NULL, LC_COL_QUANTITY);
    c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    lc_rtable_unit_col(t, c_p5, c_unit);
    lc_rtable_unit_col(t, c_point, c_unit);
    lc_rtable_unit_col(t, c_p95, c_unit);
    for (i = 0; i < n; i++) {
        const lc_qty *q = lc_model_qty(s->model, qi[i]);
        char *unit = lc_fill_unit(s, qi[i]);
        const double v[3] = {p5[i], q->value, p95[i]};
        const size_t col[3] = {c_p5, c_point, c_p95};
        size_t k;
        if (unit == NULL)
            return LC_ENOMEM; /* nothing is printed: the caller fails the command */
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, q->name);
        lc_rtable_text(t, c_label, q->label);
        for (k = 0; k < 3; k++) {
            lc_rtable_num(t, col[k], lc_fill_value(s, qi[i], v[k]));
            lc_rtable_cell_kind(t, col[k], lc_fill_kind(s, qi[i]));
        }
        lc_rtable_text(t, c_unit, unit);
        free(unit);
    }
    return LC_OK;
}

static int calibrate(lc_scenario *s, const vfigure *figs, size_t nfigs, vrun *vr, lc_error *err)
{
    long qi = lc_model_find(s->model, CAL_METRIC), mi = lc_model_find(s->model, "train.mfu");
    lc_qty *q = lc_model_qty(s->model, (size_t)qi), *mfu = lc_model_qty(s->model, (size_t)mi);
    size_t i;
    for (i = 0; i < nfigs; i++)
        if (strcmp(figs[i].key->str, CAL_METRIC) == 0)
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
        return interval(s, &o, 1, &vr->p5, &vr->p95, err);
    }
}

/* Summary over the runs: coverage, widths, errors, the MFU fit again, and the
 * leave-one-out coverage of the fit. */
typedef struct vcal {
    size_t n, inside;    /* runs with an interval; published inside it */
    double median_width; /* median P95/P5 */
    double max_width;
    double median_abs_error;         /* median |point / published - 1| */
    size_t nfit;                     /* runs with the fitted MFU: the data of the fit */
    double log_mean, log_sd;         /* of ln(implied MFU) over them */
    size_t loo_inside;               /* leave-one-out: inside the refit's 90% interval */
    double cat_log_mean, cat_log_sd; /* the catalog's distribution */
} vcal;

static double median_of(double *x, size_t n)
{
    gsl_sort(x, 1, n);
    return gsl_stats_median_from_sorted_data(x, 1, n);
}

static int summarise(const vresults *r, vcal *c)
{
    double *w = malloc((r->nruns + 1) * sizeof *w), *e = malloc((r->nruns + 1) * sizeof *e);
    double *l = malloc((r->nruns + 1) * sizeof *l), z = gsl_cdf_ugaussian_Pinv(0.95);
    size_t i, j;
    memset(c, 0, sizeof *c);
    if (w == NULL || e == NULL || l == NULL) {
        free(w);
        free(e);
        free(l);
        return LC_ENOMEM;
    }
    c->max_width = NAN;
    for (i = 0; i < r->nruns; i++) {
        const vrun *v = &r->runs[i];
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
static int catalog_fit(vresults *r, lc_error *err)
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

/* Load a scenario from path, or from text already read (standard input). */
static lc_scenario *load(const char *path, const char *text, size_t len, const lc_override *sets,
                         size_t nsets, const char *currency, lc_error *err)
{
    if (text)
        return lc_scenario_load_text("<stdin>", text, len, sets, nsets, currency, err);
    return lc_scenario_load(path, sets, nsets, currency, err);
}

static int validate_one(const lc_cli *cli, const char *path, vresults *r)
{
    lc_error err;
    lc_scenario *s = NULL, *s2 = NULL;
    const lc_yaml_node *conv = NULL, *pub = NULL;
    const char *source = NULL;
    vfigure *figs = NULL;
    lc_override *ov = NULL;
    char *text = NULL;
    size_t len = 0, nov = 0, i, run;
    vrun *vr;
    int rc = LC_OK;

    lc_error_clear(&err);
    if (strcmp(path, "-") == 0 && lc_read_file("-", LC_YAML_MAX_BYTES, &text, &len, &err) != LC_OK)
        return lc_cli_fail(&err);
    s = load(path, text, len, cli->sets, cli->nsets, cli->currency, &err);
    if (s == NULL) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    {
        const lc_yaml_node *p = s->validation ? lc_yaml_get(s->validation, "published") : NULL;
        figs = calloc(p && p->kind == LC_YAML_MAP && p->n ? p->n : 1, sizeof *figs);
    }
    if (figs == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    if (parse_validation(s, &conv, &pub, &source, figs, &err) != LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }

    if (grow((void **)&r->runs, &r->capruns, r->nruns, sizeof *r->runs)) {
        rc = LC_ENOMEM;
        goto done;
    }
    run = r->nruns++;
    vr = &r->runs[run];
    memset(vr, 0, sizeof *vr);
    vr->id = run_id(path);
    vr->name = lc_strdup(s->name);
    vr->file = lc_strdup(s->path);
    vr->source = lc_strdup(source);
    vr->currency = lc_strdup(s->units.display);
    if (!vr->id || !vr->name || !vr->file || !vr->source || !vr->currency) {
        rc = LC_ENOMEM;
        goto done;
    }
    if ((rc = add_rows(r, run, 0, s, figs, pub->n)) != LC_OK)
        goto done;
    if ((rc = calibrate(s, figs, pub->n, vr, &err)) != LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    if (conv == NULL || conv->n == 0)
        goto done; /* no conventions: no second pass */

    /* The conventions pass: the same file with conventions: pinned, then --set. */
    nov = conv->n + cli->nsets;
    ov = calloc(nov, sizeof *ov);
    vr->pins = calloc(conv->n, sizeof *vr->pins);
    if (ov == NULL || vr->pins == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < conv->n; i++) {
        ov[i].name = conv->items[2 * i]->str;
        ov[i].value = conv->items[2 * i + 1]->str;
        if ((vr->pins[i] = lc_aprintf("%s=%s", ov[i].name, ov[i].value)) == NULL) {
            rc = LC_ENOMEM;
            goto done;
        }
        vr->npins++;
    }
    for (i = 0; i < cli->nsets; i++)
        ov[conv->n + i] = cli->sets[i];
    s2 = load(path, text, len, ov, nov, cli->currency, &err);
    if (s2 == NULL) {
        /* Overrides fail at "<command line>": point at the conventions instead. */
        if (strcmp(err.file, "<command line>") == 0 && conv->mark.file) {
            snprintf(err.file, sizeof err.file, "%s", conv->mark.file);
            err.line = conv->mark.line;
            err.col = conv->mark.col;
        }
        rc = lc_cli_fail(&err);
        goto done;
    }
    rc = add_rows(r, run, 1, s2, figs, pub->n);
done:
    free(ov);
    free(figs);
    lc_scenario_free(s2);
    lc_scenario_free(s);
    free(text);
    return rc;
}

/* --- output --------------------------------------------------------------------------- */

static const char *pass_name(const vrow *row)
{
    return row->conventions ? "conventions" : "predicted";
}

static void share_cell(lc_rtable *t, size_t col, double pct)
{
    if (isnan(pct))
        lc_rtable_missing(t, col, "-");
    else
        lc_rtable_num(t, col, pct / 100);
}

/* Numeric facts for JSON and CSV that the section's sentences say for people. */
static void hidden_facts(lc_section *sec, const char *const *keys, const double *vals, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++) {
        lc_section_fact_num(sec, keys[k], vals[k]);
        lc_section_fact_hide(sec);
    }
}

/* Every published figure in both passes. */
static void fill_figures(lc_section *sec, const vresults *r)
{
    lc_rtable *t = lc_section_table(sec, "figures", NULL);
    size_t c_id = lc_rtable_col(t, "id", "id", NULL, LC_COL_TEXT);
    size_t c_run = lc_rtable_col(t, "run", "run", NULL, LC_COL_TEXT);
    size_t c_pass = lc_rtable_col(t, "pass", "pass", NULL, LC_COL_TEXT);
    size_t c_metric = lc_rtable_col(t, "metric", "metric", NULL, LC_COL_TEXT);
    size_t c_comp = lc_rtable_col(t, "computed", "computed", NULL, LC_COL_QUANTITY);
    size_t c_pub = lc_rtable_col(t, "published", "published", NULL, LC_COL_QUANTITY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t c_err = lc_rtable_col(t, "error", "error", NULL, LC_COL_SHARE);
    size_t c_tol = lc_rtable_col(t, "tolerance", "tolerance", NULL, LC_COL_SHARE);
    size_t c_status = lc_rtable_col(t, "status", "status", NULL, LC_COL_TEXT);
    size_t c_note = lc_rtable_col(t, "note", "note", NULL, LC_COL_TEXT);
    size_t i;
    lc_rtable_detail(t, c_id);
    lc_rtable_detail(t, c_note);
    lc_rtable_unit_col(t, c_comp, c_unit);
    lc_rtable_unit_col(t, c_pub, c_unit);
    for (i = 0; i < r->nrows; i++) {
        const vrow *row = &r->rows[i];
        char *id = lc_aprintf("%s:%s:%s", r->runs[row->run].id, pass_name(row), row->metric);
        if (id == NULL)
            lc_doc_fail(lc_rtable_doc(t));
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, id);
        free(id);
        lc_rtable_text(t, c_run, r->runs[row->run].id);
        lc_rtable_text(t, c_pass, pass_name(row));
        lc_rtable_text(t, c_metric, row->metric);
        if (isnan(row->computed))
            lc_rtable_missing(t, c_comp, "not computed");
        else
            lc_rtable_num(t, c_comp, row->computed);
        lc_rtable_num(t, c_pub, row->published);
        lc_rtable_text(t, c_unit, row->unit);
        share_cell(t, c_err, row->error_pct);
        share_cell(t, c_tol, row->tol_pct);
        lc_rtable_text(t, c_status, status_names[row->status]);
        if (row->note)
            lc_rtable_text(t, c_note, row->note);
    }
}

static void fill_sources(lc_section *sec, const vresults *r)
{
    lc_rtable *t = lc_section_table(sec, "sources", "Sources");
    size_t c_id = lc_rtable_col(t, "id", "run", NULL, LC_COL_TEXT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    size_t c_conv = lc_rtable_col(t, "conventions", "conventions pinned", NULL, LC_COL_TEXT);
    size_t c_name = lc_rtable_col(t, "scenario", "scenario", NULL, LC_COL_TEXT);
    size_t c_file = lc_rtable_col(t, "file", "file", NULL, LC_COL_TEXT);
    size_t c_cur = lc_rtable_col(t, "currency", "currency", NULL, LC_COL_TEXT);
    size_t i, j;
    lc_rtable_detail(t, c_name);
    lc_rtable_detail(t, c_file);
    lc_rtable_detail(t, c_cur);
    for (i = 0; i < r->nruns; i++) {
        lc_sbuf pins = {0};
        char *text;
        for (j = 0; j < r->runs[i].npins; j++)
            lc_sb_printf(&pins, "%s%s", j ? " " : "", r->runs[i].pins[j]);
        if ((text = lc_sb_take(&pins)) == NULL)
            lc_doc_fail(lc_rtable_doc(t));
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, r->runs[i].id);
        lc_rtable_text(t, c_src, r->runs[i].source);
        lc_rtable_text(t, c_conv, text);
        free(text);
        lc_rtable_text(t, c_name, r->runs[i].name);
        lc_rtable_text(t, c_file, r->runs[i].file);
        lc_rtable_text(t, c_cur, r->runs[i].currency);
    }
}

/* The calibration of the predicted GPU-hours, per run and over all runs. */
static void fill_calibration(lc_section *sec, const vresults *r, const vcal *c)
{
    lc_rtable *t = lc_section_table(sec, "calibration",
                                    "Calibration of the predicted GPU-hours (" CAL_METRIC
                                    "; 90% interval by Monte Carlo, 20,000 samples, seed 1)");
    size_t c_id = lc_rtable_col(t, "id", "run", NULL, LC_COL_TEXT);
    size_t c_pub = lc_rtable_col(t, "published", "published", "GPU-hour", LC_COL_QUANTITY);
    size_t c_p5 = lc_rtable_col(t, "p5", "P5", "GPU-hour", LC_COL_QUANTITY);
    size_t c_point = lc_rtable_col(t, "point", "point", "GPU-hour", LC_COL_QUANTITY);
    size_t c_p95 = lc_rtable_col(t, "p95", "P95", "GPU-hour", LC_COL_QUANTITY);
    size_t c_w = lc_rtable_col(t, "width", "P95/P5", NULL, LC_COL_QUANTITY);
    size_t c_err = lc_rtable_col(t, "error", "error", NULL, LC_COL_SHARE);
    size_t c_mfu = lc_rtable_col(t, "mfu_implied", "MFU implied", NULL, LC_COL_SHARE);
    size_t c_in = lc_rtable_col(t, "inside", "inside", NULL, LC_COL_TEXT);
    size_t i;
    for (i = 0; i < r->nruns; i++) {
        const vrun *v = &r->runs[i];
        if (!v->has_cal)
            continue;
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, v->id);
        lc_rtable_num(t, c_pub, v->published / 3600);
        lc_rtable_num(t, c_p5, v->p5 / 3600);
        lc_rtable_num(t, c_point, v->point / 3600);
        lc_rtable_num(t, c_p95, v->p95 / 3600);
        lc_rtable_num(t, c_w, v->p95 / v->p5);
        lc_rtable_num(t, c_err, v->point / v->published - 1);
        lc_rtable_num(t, c_mfu, v->mfu_implied);
        lc_rtable_text(t, c_in, v->p5 <= v->published && v->published <= v->p95 ? "yes" : "no");
    }
    if (c->n == 0)
        return;
    {
        const char *const keys[] = {"covered",          "runs_with_interval", "median_width",
                                    "median_abs_error", "fit_runs",           "log_mean",
                                    "log_sd",           "catalog_log_mean",   "catalog_log_sd",
                                    "loo_covered"};
        const double vals[] = {
            (double)c->inside, (double)c->n,         c->median_width, c->median_abs_error,
            (double)c->nfit,   c->log_mean,          c->log_sd,       c->cat_log_mean,
            c->cat_log_sd,     (double)c->loo_inside};
        hidden_facts(sec, keys, vals, sizeof keys / sizeof keys[0]);
    }
    lc_section_text(sec,
                    "Coverage %zu of %zu (%.0f%%, target >= 80%%); P95/P5 median %.2f, largest "
                    "%.2f (target <= 3); point error median %.1f%% (target <= 15%%).",
                    c->inside, c->n, 100.0 * (double)c->inside / (double)c->n, c->median_width,
                    c->max_width, 100 * c->median_abs_error);
    if (c->nfit > 1)
        lc_section_text(
            sec,
            "MFU fit over the %zu runs with the fitted default (MFU while running = MFU implied "
            "by the published GPU-hours / goodput): ln MFU mean %.3f, sd %.3f (median %.1f%%); "
            "catalog: mean %.3f, sd %.3f%s.",
            c->nfit, c->log_mean, c->log_sd, 100 * exp(c->log_mean), c->cat_log_mean, c->cat_log_sd,
            fabs(c->log_mean - c->cat_log_mean) < 0.005 && fabs(c->log_sd - c->cat_log_sd) < 0.005
                ? " (matches)"
                : " (DIFFERS: refit the catalog's training: mfu)");
    if (c->nfit > 2)
        lc_section_text(sec, "Leave-one-out coverage of the MFU fit: %zu of %zu (%.0f%%).",
                        c->loo_inside, c->nfit, 100.0 * (double)c->loo_inside / (double)c->nfit);
}

static int emit(const lc_cli *cli, const vresults *r, const vcal *c)
{
    lc_doc *doc = lc_doc_alloc("validate");
    lc_section *sec;
    int rc;
    if (doc == NULL)
        return LC_ENOMEM;
    sec = lc_doc_section(doc, 1, "validate", "Validation against published runs");
    lc_section_text(sec, "predicted: the scenario as written; conventions: the paper's own "
                         "figures pinned.");
    fill_figures(sec, r);
    fill_sources(sec, r);
    fill_calibration(sec, r, c);
    {
        const char *const keys[] = {"checked", "within", "off"};
        const double vals[] = {(double)r->checked, (double)r->within, (double)r->off};
        hidden_facts(sec, keys, vals, 3);
    }
    lc_section_text(sec, "%zu figure%s checked: %zu within tolerance, %zu off.", r->checked,
                    r->checked == 1 ? "" : "s", r->within, r->off);
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    return rc;
}

/* One line on stderr: how many checked figures are off, and which. */
static void print_off(const vresults *r, FILE *err)
{
    size_t i, shown = 0;
    fprintf(err, "llmcost validate: %zu of %zu checked figures off their tolerance:", r->off,
            r->checked);
    for (i = 0; i < r->nrows; i++) {
        const vrow *row = &r->rows[i];
        if (row->status != ST_OFF && row->status != ST_MISSING)
            continue;
        if (shown == 8) {
            fputs(", ...", err);
            break;
        }
        fprintf(err, "%s %s %s %s", shown ? "," : "", r->runs[row->run].id, pass_name(row),
                row->metric);
        if (row->status == ST_MISSING)
            fputs(" (not computed)", err);
        else
            fprintf(err, " (%+.2f%%, tolerance %g%%)", row->error_pct, row->tol_pct);
        shown++;
    }
    fputc('\n', err);
}

int lc_cmd_validate(lc_cli *cli)
{
    vresults r;
    char **found = NULL;
    size_t nfound = 0, i;
    const char *const *files;
    size_t nfiles;
    int rc = LC_OK, stdin_used = 0;

    memset(&r, 0, sizeof r);
    if (cli->nargs > 0) {
        fprintf(stderr,
                "llmcost validate: '%s' is not a scenario file (names end in .yaml or .yml); "
                "see llmcost validate --help\n",
                cli->args[0]);
        return LC_EUSAGE;
    }
    if (cli->nfiles == 0) {
        if ((rc = list_dir(&found, &nfound)) != LC_OK)
            return rc;
        files = (const char *const *)found;
        nfiles = nfound;
    } else {
        files = cli->files;
        nfiles = cli->nfiles;
    }
    for (i = 0; i < nfiles && rc == LC_OK; i++) {
        if (strcmp(files[i], "-") == 0 && stdin_used++) {
            fputs("llmcost validate: standard input (-) can be read only once\n", stderr);
            rc = LC_EUSAGE;
            break;
        }
        rc = validate_one(cli, files[i], &r);
    }
    if (rc == LC_OK) {
        vcal cal;
        lc_error err;
        lc_error_clear(&err);
        if (catalog_fit(&r, &err) != LC_OK)
            rc = lc_cli_fail(&err);
        else if (summarise(&r, &cal) != LC_OK)
            rc = LC_ENOMEM;
        else
            rc = emit(cli, &r, &cal);
    }
    if (rc == LC_OK && cli->nfiles == 0 && cli->format != LC_FORMAT_JSON)
        rc = lc_cli_validate_serving(cli);
    if (rc == LC_OK && r.off > 0) {
        fflush(stdout);
        print_off(&r, stderr);
        rc = LC_ENUMERIC;
    }
    results_free(&r);
    lc_cli_free_list(found, nfound);
    return rc;
}

/* The command's entry for main.c's table (declare it in cli.h as
 * extern const lc_command lc_cmd_validate_def; to list it). */
const lc_command lc_cmd_validate_def = {
    "validate",
    lc_cmd_validate,
    "check the model against published training runs",
    "[FILE...] [options]",
    "Check the model against published training runs.  Each FILE is a scenario\n"
    "with a validation: mapping (default: every .yaml file in scenarios/validation/\n"
    "under the current directory, in name order).  Each run is computed twice:\n"
    "  predicted    the scenario as written (e.g. GPU-hours from 6ND, the catalog\n"
    "               peak and the default MFU)\n"
    "  conventions  the same scenario with validation: conventions: pinned (the\n"
    "               paper's own figures, e.g. its GPU-hours)\n"
    "and every published figure is compared with both.  tolerance: applies to the\n"
    "predicted pass, conventions_tolerance: to the conventions pass; a figure\n"
    "without one in a pass is shown but not checked.  --set applies to both passes\n"
    "(after the conventions).  Then the calibration of the predicted GPU-hours:\n"
    "whether each published figure lies in its 90% interval, the interval's\n"
    "P95/P5, coverage and median error over the runs, and the MFU fit again.\n"
    "\n"
    "Exit status: 0 every checked figure within its tolerance, 3 some are off (one\n"
    "line on standard error says which), 1 no files and no scenarios/validation/\n"
    "folder, 2 bad scenario or validation: mapping.\n",
    (const lc_option *const[]){LC_OPTS_COMMON, NULL},
    "validate --format json\n"};
