/* validate_serving.c — the serving part of llmcost validate: every run in
 * scenarios/validation/serving/, its error against the published throughput,
 * and the median absolute error over all of them (target LC_SERVING_TARGET). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_serving.h"

/* Distinct GPU ids among rows[0..n). */
static size_t gpu_types(const lc_serving_row *rows, size_t n)
{
    size_t i, j, k = 0;
    for (i = 0; i < n; i++) {
        for (j = 0; j < i && strcmp(rows[i].gpu, rows[j].gpu) != 0; j++)
            ;
        k += j == i;
    }
    return k;
}

int lc_cli_validate_serving(const lc_cli *cli, FILE *out)
{
    char **files = NULL;
    size_t nfiles = 0, n = 0, i;
    lc_serving_row *rows;
    lc_error err;
    double median;
    int rc = LC_OK, csv = cli->format == LC_FORMAT_CSV;

    if (lc_cli_scenario_dir(LC_SERVING_DIR, &files, &nfiles) != 0 || nfiles == 0) {
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
    if (rc == LC_OK) {
        median = lc_serving_median_abs_error(rows, n);
        if (csv)
            fputs("\nrun,gpu,metric,computed,published,unit,error_pct\n", out);
        else
            fprintf(out, "\nserving throughput (%s/)\n\n%-42s %-10s %12s %12s  %-9s %8s\n",
                    LC_SERVING_DIR, "run", "gpu", "computed", "published", "unit", "error");
        for (i = 0; i < n; i++) {
            const lc_serving_row *r = &rows[i];
            if (csv)
                fprintf(out, "%s,%s,%s,%.6g,%.6g,%s,%.2f\n", r->id, r->gpu, r->metric, r->computed,
                        r->published, r->unit, 100 * r->error);
            else
                fprintf(out, "%-42s %-10s %12.0f %12.0f  %-9s %+7.1f%%\n", r->id, r->gpu,
                        r->computed, r->published, r->unit, 100 * r->error);
        }
        fprintf(out, "%smedian absolute error %.1f%% over %zu configurations on %zu GPU types "
                     "(target at most %.0f%%)\n",
                csv ? "# " : "\n", 100 * median, n, gpu_types(rows, n), 100 * LC_SERVING_TARGET);
        if (!(median <= LC_SERVING_TARGET)) {
            fprintf(stderr, "llmcost validate: serving median absolute error %.1f%% is above %.0f%%\n",
                    100 * median, 100 * LC_SERVING_TARGET);
            rc = LC_ENUMERIC;
        }
    }
    for (i = 0; i < n; i++)
        lc_serving_row_release(&rows[i]);
    free(rows);
    lc_cli_free_list(files, nfiles);
    return rc;
}
