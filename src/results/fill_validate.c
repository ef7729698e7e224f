/* fill_validate.c — llmcost validate's results (lc_validate.h) as a section:
 * every published figure in both passes, the sources, the calibration; and
 * the training interval of a scenario's section (llmcost run, report). */
#include <math.h>
#include <stdlib.h>

#include "lc_fill.h"
#include "lc_util.h"

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
static void fill_figures(lc_section *sec, const lc_validate_results *r)
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
        const lc_validate_row *row = &r->rows[i];
        char *id = lc_aprintf("%s:%s:%s", r->runs[row->run].id,
                              lc_validate_pass_name(row->conventions), row->metric);
        if (id == NULL)
            lc_doc_fail(lc_rtable_doc(t));
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, id);
        free(id);
        lc_rtable_text(t, c_run, r->runs[row->run].id);
        lc_rtable_text(t, c_pass, lc_validate_pass_name(row->conventions));
        lc_rtable_text(t, c_metric, row->metric);
        if (isnan(row->computed))
            lc_rtable_missing(t, c_comp, "not computed");
        else
            lc_rtable_num(t, c_comp, row->computed);
        lc_rtable_num(t, c_pub, row->published);
        lc_rtable_text(t, c_unit, row->unit);
        share_cell(t, c_err, row->error_pct);
        share_cell(t, c_tol, row->tol_pct);
        lc_rtable_text(t, c_status, lc_validate_status_name(row->status));
        if (row->note)
            lc_rtable_text(t, c_note, row->note);
    }
}

static void fill_sources(lc_section *sec, const lc_validate_results *r)
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
static void fill_calibration(lc_section *sec, const lc_validate_results *r,
                             const lc_validate_cal *c)
{
    lc_rtable *t =
        lc_section_table(sec, "calibration",
                         "Calibration of the predicted GPU-hours (" LC_VALIDATE_CAL_METRIC
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
        const lc_validate_run *v = &r->runs[i];
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

void lc_fill_validate(lc_section *sec, const lc_validate_results *r, const lc_validate_cal *c)
{
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
}

void lc_fill_training_interval(lc_section *sec, const lc_scenario *s,
                               const lc_validate_training *ti)
{
    size_t i, c_name, c_label, c_p5, c_point, c_p95, c_unit;
    lc_rtable *t;

    if (ti->n == 0)
        return;
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
    for (i = 0; i < ti->n; i++) {
        const lc_qty *q = lc_model_qty(s->model, ti->qi[i]);
        char *unit = lc_fill_unit(s, ti->qi[i]);
        const double v[3] = {ti->p5[i], q->value, ti->p95[i]};
        const size_t col[3] = {c_p5, c_point, c_p95};
        size_t k;
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, q->name);
        lc_rtable_text(t, c_label, q->label);
        for (k = 0; k < 3; k++) {
            lc_rtable_num(t, col[k], lc_fill_value(s, ti->qi[i], v[k]));
            lc_rtable_cell_kind(t, col[k], lc_fill_kind(s, ti->qi[i]));
        }
        lc_rtable_text(t, c_unit, unit); /* NULL (out of memory) fails the document */
        free(unit);
    }
}
