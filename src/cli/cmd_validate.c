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
 * The validation: mapping, the two passes and the calibration are computed
 * by the driver (src/analyses/validate.c, lc_validate.h) and filled into the
 * document by lc_fill_validate (src/results/fill_validate.c); this file parses
 * the command line, calls them, emits the document and says which figures
 * are off.  The serving runs follow (validate_serving.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lc_fill.h"
#include "lc_result.h"
#include "lc_validate.h"

/* --- the files ----------------------------------------------------------------- */

/* Every .yaml file in LC_VALIDATE_DIR, sorted (lc_cli_scenario_dir). */
static int list_dir(char ***out, size_t *n)
{
    int rc = lc_cli_scenario_dir(LC_VALIDATE_DIR, out, n);
    if (rc == LC_ENOMEM)
        return LC_ENOMEM;
    if (rc != 0) {
        fputs("llmcost validate: no " LC_VALIDATE_DIR "/ folder in the current directory and no "
              "files given; run it from the llmcost source tree or name the scenarios (see "
              "llmcost validate --help)\n",
              stderr);
        return LC_EUSAGE;
    }
    if (*n == 0) {
        lc_cli_free_list(*out, 0);
        *out = NULL;
        fputs("llmcost validate: no .yaml files in " LC_VALIDATE_DIR "/ and no files given (see "
              "llmcost validate --help)\n",
              stderr);
        return LC_EUSAGE;
    }
    return LC_OK;
}

/* --- output --------------------------------------------------------------------------- */

static int emit(const lc_cli *cli, const lc_validate_results *r, const lc_validate_cal *c)
{
    lc_doc *doc = lc_doc_alloc("validate");
    int rc;
    if (doc == NULL)
        return LC_ENOMEM;
    lc_fill_validate(lc_doc_section(doc, 1, "validate", "Validation against published runs"), r, c);
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    return rc;
}

/* One line on stderr: how many checked figures are off, and which. */
static void print_off(const lc_validate_results *r, FILE *err)
{
    size_t i, shown = 0;
    fprintf(err, "llmcost validate: %zu of %zu checked figures off their tolerance:", r->off,
            r->checked);
    for (i = 0; i < r->nrows; i++) {
        const lc_validate_row *row = &r->rows[i];
        if (row->status != LC_VALIDATE_OFF && row->status != LC_VALIDATE_MISSING)
            continue;
        if (shown == 8) {
            fputs(", ...", err);
            break;
        }
        fprintf(err, "%s %s %s %s", shown ? "," : "", r->runs[row->run].id,
                lc_validate_pass_name(row->conventions), row->metric);
        if (row->status == LC_VALIDATE_MISSING)
            fputs(" (not computed)", err);
        else
            fprintf(err, " (%+.2f%%, tolerance %g%%)", row->error_pct, row->tol_pct);
        shown++;
    }
    fputc('\n', err);
}

int lc_cmd_validate(lc_cli *cli)
{
    lc_validate_results r;
    lc_error err;
    char **found = NULL;
    size_t nfound = 0, i;
    const char *const *files;
    size_t nfiles;
    int rc = LC_OK, stdin_used = 0;

    memset(&r, 0, sizeof r);
    lc_error_clear(&err);
    if (cli->nargs > 0) {
        return lc_cli_usage(
            "llmcost validate: '%s' is not a scenario file (names end in .yaml or .yml); "
            "see llmcost validate --help",
            cli->args[0]);
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
        if (lc_validate_file(files[i], cli->sets, cli->nsets, cli->currency, &r, &err) != LC_OK)
            rc = lc_cli_fail(&err);
    }
    if (rc == LC_OK) {
        lc_validate_cal cal;
        if (lc_validate_calibrate(&r, &cal, &err) != LC_OK)
            rc = lc_cli_fail(&err);
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
    lc_validate_release(&r);
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
