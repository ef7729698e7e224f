/* cmd_report.c — llmcost report FILES... -o DIR: one document built from the
 * same results as run and simulate, rendered as HTML and Markdown. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_fill.h"
#include "lc_org.h"
#include "lc_report.h"
#include "lc_util.h"

/* The summary: each scenario's headline metrics. */
static lc_section *summary(lc_doc *d, lc_scenario **s, size_t n)
{
    lc_section *sec = lc_doc_section(d, 1, "summary", "Summary");
    size_t i, j;
    for (i = 0; i < n; i++) {
        size_t *rep = NULL, nr = 0, shown = 0, pick[4];
        lc_error err;
        lc_error_clear(&err);
        if (lc_scenario_report(s[i], &rep, &nr, &err) != LC_OK) {
            lc_doc_fail(d);
            continue;
        }
        /* The scenario's first report metrics that it computes: what it is about. */
        for (j = 0; j < nr && shown < 4; j++)
            if (lc_model_qty(s[i]->model, rep[j])->available)
                pick[shown++] = rep[j];
        lc_fill_metrics_table(sec, "headline", s[i]->name, s[i], pick, shown);
        free(rep);
    }
    return sec;
}

/* How many claims of each scenario hold: those on simulated values (its org:
 * claims and the scenario's on sim.* metrics) as its simulation judged them,
 * the others as run judges them. */
static void summary_claims(lc_section *sec, lc_scenario **s, size_t n, lc_cli_sim_out *const *sims)
{
    lc_rtable *ct = lc_section_table(sec, "verdicts", "Claims");
    size_t c_csc = lc_rtable_col(ct, "scenario", "scenario", NULL, LC_COL_TEXT);
    size_t c_held = lc_rtable_col(ct, "hold", "claims that hold", NULL, LC_COL_COUNT);
    size_t c_tot = lc_rtable_col(ct, "claims", "claims", NULL, LC_COL_COUNT);
    size_t i, j;
    for (i = 0; i < n; i++) {
        size_t held = 0, total = 0;
        if (sims[i]) {
            total = sims[i]->nclaims;
            held = total - sims[i]->nfailed;
        }
        for (j = 0; j < s[i]->nclaims; j++) {
            lc_verdict v;
            if (sims[i] && strncmp(s[i]->claims[j].metric, "sim.", 4) == 0)
                continue; /* counted with the simulation's */
            if (lc_claims_judge(s[i], &s[i]->claims[j], &v) != LC_OK)
                lc_doc_fail(lc_section_doc(sec));
            held += v.holds == 1;
            total++;
            lc_verdict_release(&v);
        }
        if (total == 0)
            continue;
        lc_rtable_row(ct);
        lc_rtable_text(ct, c_csc, s[i]->name);
        lc_rtable_num(ct, c_held, (double)held);
        lc_rtable_num(ct, c_tot, (double)total);
    }
}

/* The base-case timeline of each scenario with org: (NULL for the others). */
static int simulate_orgs(lc_scenario **s, size_t n, lc_org_timeline **tl, lc_error *err)
{
    size_t i;
    for (i = 0; i < n; i++) {
        lc_org *o;
        const size_t *refs;
        size_t nrefs;
        double *vals;
        int rc;
        if (s[i]->org == NULL)
            continue;
        if ((o = lc_org_parse(s[i], s[i]->org, err)) == NULL)
            return err->code;
        lc_org_refs(o, &refs, &nrefs);
        vals = malloc((nrefs ? nrefs : 1) * sizeof *vals);
        tl[i] = calloc(1, sizeof *tl[i]);
        if (vals == NULL || tl[i] == NULL ||
            lc_org_timeline_alloc(tl[i], lc_org_horizon(o)) != LC_OK) {
            free(vals);
            lc_org_free(o);
            return lc_error_nomem(err);
        }
        lc_org_point_refs(o, s[i], vals);
        rc = lc_org_run(o, vals, NULL, tl[i], err);
        free(vals);
        lc_org_free(o);
        if (rc != LC_OK)
            return rc;
    }
    return LC_OK;
}

static int cmd_report(lc_cli *cli)
{
    lc_scenario **s;
    lc_org_timeline **tl;
    lc_cli_sim_out **sims = NULL;
    lc_section *orgs = NULL, *sum;
    lc_doc *doc = NULL;
    lc_error err;
    size_t i, norg = 0;
    int rc = LC_OK;
    const char *dir = cli->outdir ? cli->outdir : "report";

    lc_error_clear(&err);
    if (cli->nfiles == 0) {
        fputs("llmcost report: give scenario files (see llmcost report --help)\n", stderr);
        return LC_EUSAGE;
    }
    s = calloc(cli->nfiles, sizeof *s);
    tl = calloc(cli->nfiles, sizeof *tl);
    if (s == NULL || tl == NULL || (doc = lc_doc_alloc("report")) == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < cli->nfiles; i++)
        if ((s[i] = lc_cli_load(cli, cli->files[i], &rc)) == NULL ||
            (rc = lc_cli_check_analyses(s[i])) != LC_OK)
            goto done;
    if ((rc = simulate_orgs(s, cli->nfiles, tl, &err)) != LC_OK) {
        lc_cli_fail(&err);
        goto done;
    }
    lc_doc_set_currency(doc, s[0]->units.display);
    lc_doc_set_title(doc, cli->nfiles == 1 ? s[0]->name : "llmcost report");
    for (i = 0; i < cli->nfiles; i++)
        norg += tl[i] != NULL;
    /* "startup or big tech?" first on the page; both sections are filled
     * once the simulations below have run */
    if (norg > 0)
        orgs = lc_doc_section(doc, 1, "organisations", "Organisations side by side");
    sum = summary(doc, s, cli->nfiles);
    sims = calloc(cli->nfiles, sizeof *sims);
    if (sims == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < cli->nfiles && rc == LC_OK; i++) {
        rc = lc_cli_scenario_results(cli, s[i], doc, 1);
        if (rc == LC_OK && s[i]->variants) {
            /* its variants: as llmcost compare FILE shows them (a file read
             * again: standard input cannot be) */
            if (strcmp(cli->files[i], "-") == 0)
                lc_section_warn(lc_doc_get(doc, lc_doc_nsections(doc) - 1),
                                "variants: of standard input are not compared: give a file");
            else
                rc = lc_cli_variants(cli, cli->files[i], doc, 1);
        }
        if (rc == LC_OK) {
            lc_section *a = lc_doc_section(doc, 2, "assumptions", "Assumptions and sources");
            lc_fill_assumptions(a, s[i]);
            if (tl[i]) {
                /* The whole simulation, as llmcost simulate shows it: survival
                 * odds, the cash band, money over time (1,000 samples, seed 1). */
                lc_section *sim = lc_doc_section(doc, 2, "simulation", "Simulation");
                if ((sims[i] = malloc(sizeof *sims[i])) == NULL)
                    rc = LC_ENOMEM;
                else
                    rc = lc_cli_simulation(s[i], doc, sim, LC_SIMULATE_JUDGE_SAMPLES,
                                           LC_SIMULATE_JUDGE_SEED, lc_cli_default_threads(), 1,
                                           sims[i]);
            }
        }
    }
    if (rc != LC_OK)
        goto done;
    summary_claims(sum, s, cli->nfiles, sims);
    if (orgs) {
        const lc_scenario **os = calloc(norg, sizeof *os);
        const lc_org_timeline **ot = calloc(norg, sizeof *ot);
        const double **os_sim = calloc(norg, sizeof *os_sim);
        size_t k = 0;
        if (os == NULL || ot == NULL || os_sim == NULL)
            lc_doc_fail(doc);
        else {
            for (i = 0; i < cli->nfiles; i++)
                if (tl[i]) {
                    os[k] = s[i];
                    ot[k] = tl[i];
                    os_sim[k++] = sims[i]->sim;
                }
            lc_fill_orgs_compare(orgs, (const lc_scenario *const *)os,
                                 (const lc_org_timeline *const *)ot, (const double *const *)os_sim,
                                 norg, 1);
        }
        free(os);
        free(ot);
        free(os_sim);
    }
    if (lc_doc_status(doc) != LC_OK) {
        rc = LC_ENOMEM;
        goto done;
    }
    rc = lc_report_write(doc, dir, &err);
    if (rc != LC_OK)
        lc_cli_fail(&err);
    if (rc == LC_OK || rc == LC_EOUTPUT)
        printf("%s/report.html\n%s/report.md\n", dir, dir);
done:
    for (i = 0; s && i < cli->nfiles; i++) {
        lc_scenario_free(s[i]);
        if (sims)
            free(sims[i]);
        if (tl && tl[i]) {
            lc_org_timeline_free(tl[i]);
            free(tl[i]);
        }
    }
    free(s);
    free(tl);
    free(sims);
    lc_doc_free(doc);
    return rc;
}

const lc_command lc_cmd_report_def = {
    "report",
    cmd_report,
    "an HTML and Markdown report with tables and charts",
    "FILE... [-o DIR] [options]",
    "Write DIR/report.html (self-contained: charts embedded) and DIR/report.md (charts\n"
    "linked).  First, for organisations (org:), the odds of lasting 36 and 60 months\n"
    "(Monte Carlo, 1,000 samples, seed 1), runway, break-even, NPV and compute spend\n"
    "a year, with every organisation's cash on one chart; then a summary: each\n"
    "scenario's headline metrics and claim verdicts.  Then per scenario: metrics, claims,\n"
    "every analysis with its charts, its variants: compared as compare FILE shows\n"
    "them, the assumptions with their sources and, for\n"
    "organisations, the whole simulation as simulate shows it.  Use --currency\n"
    "to put several scenarios in one currency.  Exit status 4 when charts could not\n"
    "be drawn (the report is still written).\n",
    (const lc_option *const[]){
        &(const lc_option){"-o", NULL, "DIR", "the report's folder (default report)"}, &lc_opt_set,
        &lc_opt_currency, NULL},
    "report scenarios/startup.yaml scenarios/bigtech.yaml -o report\n"};
