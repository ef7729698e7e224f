/* cmd_report.c — llmcost report FILES... -o DIR. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_report.h"

static int cmd_report(lc_cli *cli)
{
    lc_scenario **s;
    lc_error err;
    size_t i;
    int rc = LC_OK;
    const char *dir = cli->outdir ? cli->outdir : "report";

    if (cli->nfiles == 0) {
        fputs("llmcost report: give scenario files (see llmcost report --help)\n", stderr);
        return LC_EUSAGE;
    }
    s = calloc(cli->nfiles, sizeof *s);
    if (s == NULL)
        return LC_ENOMEM;
    for (i = 0; i < cli->nfiles; i++)
        if ((s[i] = lc_cli_load(cli, cli->files[i], &rc)) == NULL)
            goto done;
    lc_error_clear(&err);
    rc = lc_report_write(s, cli->nfiles, dir, &err);
    if (rc != LC_OK)
        lc_cli_fail(&err);
    if (rc == LC_OK || rc == LC_EOUTPUT)
        printf("%s/report.html\n%s/report.md\n", dir, dir);
done:
    for (i = 0; i < cli->nfiles; i++)
        lc_scenario_free(s[i]);
    free(s);
    return rc;
}

const lc_command lc_cmd_report_def = {
    "report", cmd_report, "an HTML and Markdown report with tables and charts",
    "usage: llmcost report FILE... [-o DIR] [--set NAME=VALUE]... [--currency CODE]\n\n"
    "Write DIR/report.html (self-contained: charts embedded) and DIR/report.md (charts\n"
    "linked) with, for each scenario, its assumptions with sources, its key metrics\n"
    "with units, the claims verdicts and the charts of its analyses; with several\n"
    "scenarios, a comparison of the money metrics they share (use --currency to put\n"
    "them in one currency).  DIR defaults to ./report.  Exit status 4 when charts\n"
    "could not be drawn (the report is still written).\n\n" LC_COMMON_OPTS
    "  -o DIR                    the report's folder (default report)\n"
    "\nexample: llmcost report scenarios/*.yaml -o report --currency USD\n"};
