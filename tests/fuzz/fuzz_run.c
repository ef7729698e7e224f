/* fuzz_run.c — libFuzzer harness: the input bytes are a scenario file, and
 * everything a user can run on it is run.
 *
 * The bytes are written to a file in a temporary folder; then, as the
 * commands do: load, every entry of analyses: (with its chart, as data and
 * script: PATH holds no gnuplot), the scenario's charts:, simulate (org:),
 * compare (variants:, or the file against itself) and report, all into that
 * folder, which is emptied after every input.  Work is kept small (samples,
 * steps and threads are capped after parsing; simulate runs 20 samples) so
 * that the fuzzer explores inputs rather than Monte Carlo.  Any crash,
 * sanitizer report or leak is a bug; an error status is the expected answer
 * to most inputs, but it must come with a message.  Run with
 * -close_fd_mask=3: the commands print to standard output and error. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "lc_analyses.h"
#include "lc_plot.h"
#include "lc_report.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];    /* the temporary folder */
static char path[128];   /* the scenario file in it */
static char outdir[128]; /* charts and report */
static FILE *devnull;

/* main.c is not in the library: the two helpers the commands call. */
int lc_cli_fail(const lc_error *err)
{
    /* every failure says why */
    if (err->msg[0] == '\0')
        abort();
    return err->code ? err->code : LC_EINPUT;
}

lc_scenario *lc_cli_load(const lc_cli *cli, const char *file, int *rc)
{
    lc_error err;
    lc_scenario *s;
    lc_error_clear(&err);
    s = lc_scenario_load(file, cli->sets, cli->nsets, cli->currency, &err);
    if (s == NULL)
        *rc = lc_cli_fail(&err);
    return s;
}

static void empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    struct stat st;

    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            empty_dir(p);
            rmdir(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char tmpl[] = "/tmp/llmcost-fuzz-XXXXXX";
    (void)argc;
    (void)argv;
    if (mkdtemp(tmpl) == NULL)
        abort();
    snprintf(root, sizeof root, "%s", tmpl);
    snprintf(path, sizeof path, "%s/fuzz.yaml", root);
    snprintf(outdir, sizeof outdir, "%s/out", root);
    setenv("PATH", root, 1); /* no gnuplot: charts are data and scripts */
    devnull = fopen("/dev/null", "w");
    if (devnull == NULL)
        abort();
    return 0;
}

/* Analyses as `llmcost run` does them, with the work capped. */
static void run_analyses(lc_scenario *s, lc_format fmt)
{
    lc_an_output o;
    lc_error err;
    size_t i;

    memset(&o, 0, sizeof o);
    o.format = fmt;
    o.plot = 1;
    o.plot_format = LC_PLOT_SVG;
    o.outdir = outdir;
    lc_error_clear(&err);
    if (lc_analysis_scenario_charts(s, &o, &err) != LC_OK) {
        lc_cli_fail(&err);
        lc_error_clear(&err);
    }
    for (i = 0; s->analyses && i < s->analyses->n; i++) {
        lc_analysis a;
        lc_error_clear(&err);
        if (lc_analysis_parse(s, s->analyses->items[i], &a, &err) != LC_OK) {
            lc_cli_fail(&err);
            continue;
        }
        if (a.samples > 256)
            a.samples = 256;
        if (a.steps > 16)
            a.steps = 16;
        if (a.steps2 > 8)
            a.steps2 = 8;
        a.threads = 1;
        if (lc_analysis_run(s, &a, &o, devnull, &err) != LC_OK)
            lc_cli_fail(&err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lc_cli cli;
    lc_error err;
    lc_scenario *s;
    FILE *fp;
    int rc = LC_OK;
    lc_format fmt = (lc_format)(size % 3); /* table, CSV or JSON */

    fp = fopen(path, "wb");
    if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
    memset(&cli, 0, sizeof cli);
    cli.format = fmt;
    cli.files[0] = path;
    cli.nfiles = 1;
    cli.outdir = outdir;
    cli.plot = "svg";
    cli.samples = "20";
    cli.threads = "1";
    lc_plot_new_run();

    s = lc_cli_load(&cli, path, &rc);
    if (s == NULL)
        return 0;
    run_analyses(s, fmt);
    if (s->org != NULL)
        lc_cmd_simulate_def.run(&cli);
    if (s->variants == NULL) {
        cli.files[1] = path; /* compare the file with itself */
        cli.nfiles = 2;
    }
    lc_cmd_compare_def.run(&cli);
    cli.nfiles = 1;
    /* the report runs analyses uncapped: only when they are all small */
    if (s->analyses == NULL || s->analyses->n <= 2) {
        lc_scenario *one[1];
        int small = 1;
        size_t i;
        for (i = 0; s->analyses && i < s->analyses->n; i++) {
            lc_analysis a;
            lc_error_clear(&err);
            if (lc_analysis_parse(s, s->analyses->items[i], &a, &err) == LC_OK &&
                (a.samples > 2000 || a.steps * (a.has_input2 ? a.steps2 : 1) > 400))
                small = 0;
        }
        one[0] = s;
        lc_error_clear(&err);
        if (small && lc_report_write(one, 1, outdir, &err) != LC_OK)
            lc_cli_fail(&err);
    }
    lc_error_clear(&err);
    lc_plot_pending(&err);
    lc_scenario_free(s);
    empty_dir(outdir);
    return 0;
}
