/* validate_serving.c — the serving part of llmcost validate: every run in
 * scenarios/validation/serving/, its error against the published throughput,
 * the median and 90th percentile of the absolute error of each source (the
 * file-name prefix), and the median over all of them (target
 * LC_SERVING_TARGET). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_result.h"
#include "lc_serving.h"

/* Distinct GPU ids among the rows of one set (all rows when set is NULL). */
static size_t gpu_types(const lc_serving_row *rows, size_t n, const char *set)
{
    size_t i, j, k = 0;
    for (i = 0; i < n; i++) {
        if (set != NULL && strcmp(rows[i].set, set) != 0)
            continue;
        for (j = 0; j < i && (strcmp(rows[i].gpu, rows[j].gpu) != 0 ||
                              (set != NULL && strcmp(rows[j].set, set) != 0));
             j++)
            ;
        k += j == i;
    }
    return k;
}

/* One row per source (the file-name prefix), in the order the files come:
 * how many runs, on how many GPU types, the median and 90th percentile of the
 * absolute error, and whether the library's constants were chosen on it. */
static void set_table(lc_section *sec, const lc_serving_row *rows, size_t n)
{
    lc_rtable *t = lc_section_table(sec, "sets", NULL);
    size_t c_set = lc_rtable_col(t, "set", "set", NULL, LC_COL_TEXT);
    size_t c_runs = lc_rtable_col(t, "runs", "runs", NULL, LC_COL_COUNT);
    size_t c_gpus = lc_rtable_col(t, "gpus", "GPU types", NULL, LC_COL_COUNT);
    size_t c_med = lc_rtable_col(t, "median", "median error", NULL, LC_COL_SHARE);
    size_t c_p90 = lc_rtable_col(t, "p90", "P90 error", NULL, LC_COL_SHARE);
    size_t c_held = lc_rtable_col(t, "held_out", "held out", NULL, LC_COL_TEXT);
    size_t i, j, k;
    for (i = 0; i < n; i++) {
        for (j = 0; j < i && strcmp(rows[i].set, rows[j].set) != 0; j++)
            ;
        if (j < i)
            continue; /* already listed */
        lc_rtable_row(t);
        lc_rtable_text(t, c_set, rows[i].set);
        lc_rtable_num(t, c_med, lc_serving_set_abs_error(rows, n, rows[i].set, 0.5, &k));
        lc_rtable_num(t, c_p90, lc_serving_set_abs_error(rows, n, rows[i].set, 0.9, &k));
        lc_rtable_num(t, c_runs, (double)k);
        lc_rtable_num(t, c_gpus, (double)gpu_types(rows, n, rows[i].set));
        lc_rtable_text(t, c_held, strcmp(rows[i].set, LC_SERVING_TUNED_SET) == 0 ? "no" : "yes");
    }
}

/* The runs as a document: one table of runs, one of sets (sources), the
 * median error as facts. */
static int emit(const lc_cli *cli, const lc_serving_row *rows, size_t n)
{
    double median = lc_serving_median_abs_error(rows, n);
    lc_doc *doc = lc_doc_alloc("validate");
    lc_section *sec;
    lc_rtable *t;
    size_t i, c_run, c_gpu, c_metric, c_comp, c_pub, c_err;
    int rc;

    if (doc == NULL)
        return LC_ENOMEM;
    sec = lc_doc_section(doc, 1, "serving", "Serving throughput (" LC_SERVING_DIR "/)");
    t = lc_section_table(sec, "runs", NULL);
    c_run = lc_rtable_col(t, "run", "run", NULL, LC_COL_TEXT);
    c_gpu = lc_rtable_col(t, "gpu", "gpu", NULL, LC_COL_TEXT);
    c_metric = lc_rtable_col(t, "metric", "metric", NULL, LC_COL_TEXT);
    lc_rtable_detail(t, c_metric);
    c_comp = lc_rtable_col(t, "computed", "computed", n ? rows[0].unit : NULL, LC_COL_QUANTITY);
    c_pub = lc_rtable_col(t, "published", "published", n ? rows[0].unit : NULL, LC_COL_QUANTITY);
    c_err = lc_rtable_col(t, "error", "error", NULL, LC_COL_SHARE);
    for (i = 0; i < n; i++) {
        lc_rtable_row(t);
        lc_rtable_text(t, c_run, rows[i].id);
        lc_rtable_text(t, c_gpu, rows[i].gpu);
        lc_rtable_text(t, c_metric, rows[i].metric);
        lc_rtable_num(t, c_comp, rows[i].computed);
        lc_rtable_num(t, c_pub, rows[i].published);
        lc_rtable_num(t, c_err, rows[i].error);
    }
    set_table(sec, rows, n);
    lc_section_fact_num(sec, "configurations", (double)n);
    lc_section_fact_num(sec, "GPU types", (double)gpu_types(rows, n, NULL));
    lc_section_text(sec,
                    "median absolute error %.1f%% over %zu configurations on %zu GPU types "
                    "(target at most %.0f%%)",
                    100 * median, n, gpu_types(rows, n, NULL), 100 * LC_SERVING_TARGET);
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    if (rc == LC_OK && !(median <= LC_SERVING_TARGET)) {
        fprintf(stderr, "llmcost validate: serving median absolute error %.1f%% is above %.0f%%\n",
                100 * median, 100 * LC_SERVING_TARGET);
        rc = LC_ENUMERIC;
    }
    return rc;
}

int lc_cli_validate_serving(const lc_cli *cli)
{
    char **files = NULL;
    size_t nfiles = 0, n = 0, i;
    lc_serving_row *rows;
    lc_error err;
    int rc = LC_OK;

    if ((rc = lc_cli_scenario_dir(LC_SERVING_DIR, &files, &nfiles)) == LC_ENOMEM)
        return LC_ENOMEM;
    if (rc != 0 || nfiles == 0) {
        lc_cli_free_list(files, nfiles);
        return LC_OK; /* no serving runs here: nothing to report */
    }
    if ((rows = calloc(nfiles, sizeof *rows)) == NULL) {
        lc_cli_free_list(files, nfiles);
        fputs("llmcost validate: out of memory\n", stderr);
        return LC_ENOMEM;
    }
    for (i = 0; i < nfiles && rc == LC_OK; i++)
        if ((rc = lc_serving_run(files[i], cli->sets, cli->nsets, &rows[n], &err)) == LC_OK)
            n++;
        else
            lc_cli_fail(&err);
    if (rc == LC_OK)
        rc = emit(cli, rows, n);
    for (i = 0; i < n; i++)
        lc_serving_row_release(&rows[i]);
    free(rows);
    lc_cli_free_list(files, nfiles);
    return rc;
}
