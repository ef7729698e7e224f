/* fuzz_run.c — libFuzzer harness: the input bytes are a scenario file, and
 * everything a user can run on it is run.
 *
 * The bytes are written to a file in a temporary folder; then the commands
 * themselves (src/cli/main.c is included with its main renamed, so this is
 * the program's own code path): run with charts (--plot svg; PATH holds no
 * gnuplot, so charts are data and scripts) in the format chosen by the input's
 * length (table, CSV, JSON, Markdown, HTML), explain, claims, simulate
 * (--samples 20), compare (its variants, or the file against itself) and
 * report, all into that folder, which is emptied after every input.  An input
 * whose analyses ask for much work (more than 2,000 samples or 400 sweep
 * points) runs everything but run and report, so that the fuzzer explores
 * inputs rather than Monte Carlo.  Any crash, sanitizer report or leak is a
 * bug.  Run with -close_fd_mask=3: the commands print to standard output and
 * error. */
int llmcost_main(int argc, char **argv);
#define main llmcost_main
#include "../../src/cli/main.c"
#undef main

#include "lc_analyses.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];    /* the temporary folder */
static char path[128];   /* the scenario file in it */
static char outdir[128]; /* charts and report */

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
    gsl_set_error_handler_off();
    return 0;
}

/* 1 when the scenario's analyses are cheap enough to run as written. */
static int small_work(const lc_cli *cli)
{
    int rc = LC_OK, small = 1;
    lc_scenario *s = lc_cli_load(cli, path, &rc);
    size_t i;

    if (s == NULL)
        return 0;
    for (i = 0; s->analyses && i < s->analyses->n && small; i++) {
        lc_analysis a;
        lc_error err;
        lc_error_clear(&err);
        if (lc_analysis_parse(s, s->analyses->items[i], &a, &err) == LC_OK)
            small = a.samples <= 2000 && a.steps * (a.has_input2 ? a.steps2 : 1) <= 400;
    }
    lc_scenario_free(s);
    return small;
}

static void command(lc_cli *cli, const char *name, int (*run)(lc_cli *))
{
    lc_error err;
    cli->cmd = name;
    run(cli);
    lc_error_clear(&err);
    lc_plot_pending(&err); /* forget charts left undrawn */
    lc_plot_new_run();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const lc_format formats[] = {LC_FORMAT_TABLE, LC_FORMAT_CSV, LC_FORMAT_JSON,
                                        LC_FORMAT_MARKDOWN, LC_FORMAT_HTML};
    lc_cli cli;
    FILE *fp = fopen(path, "wb");
    int small;

    if (fp == NULL || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
    memset(&cli, 0, sizeof cli);
    cli.format = formats[size % 5];
    cli.files[0] = path;
    cli.nfiles = 1;
    cli.outdir = outdir;
    cli.samples = "20";
    cli.threads = "1";
    small = small_work(&cli);
    command(&cli, "explain", cmd_explain);
    command(&cli, "claims", lc_cmd_claims_def.run);
    command(&cli, "simulate", lc_cmd_simulate_def.run);
    if (small) {
        cli.plot = "svg";
        command(&cli, "run", cmd_run);
        command(&cli, "report", lc_cmd_report_def.run);
    }
    cli.plot = NULL;
    cli.files[1] = path; /* a file with variants: compares them; else itself */
    cli.nfiles = 2;
    command(&cli, "compare", lc_cmd_compare_def.run);
    empty_dir(outdir);
    return 0;
}
