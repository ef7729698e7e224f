/* cmd_simulate.c — llmcost simulate: an organisation's cash month by month,
 * with Monte Carlo over the scenario's uncertain inputs for the probability of
 * lasting investors' 3 and 5 years.  The options and the command; the run is
 * lc_simulate_run (src/analyses/simulate.c), its tables lc_fill_simulation
 * (src/results/fill_simulate.c). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lc_analyses.h"
#include "lc_fill.h"
#include "lc_mc.h"
#include "lc_plot.h"
#include "lc_simulate.h"
#include "lc_util.h"

#define DEFAULT_SAMPLES 1000
#define MAX_SAMPLES     1000000

int lc_cli_plot_format(const char *cmd, const char *s, int *f)
{
    if (strcmp(s, "png") == 0)
        *f = (int)LC_PLOT_PNG;
    else if (strcmp(s, "svg") == 0)
        *f = (int)LC_PLOT_SVG;
    else if (strcmp(s, "pdf") == 0)
        *f = (int)LC_PLOT_PDF;
    else {
        return lc_cli_usage(
            "llmcost %s: --plot takes png, svg or pdf, not %s (see llmcost %s --help)", cmd, s,
            cmd);
    }
    return LC_OK;
}

/* A whole number option in [lo, hi]; LC_EUSAGE with a message otherwise. */
static int num_opt(const char *name, const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    if (s == NULL)
        return LC_OK;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= lo) || !(v <= hi) || v != floor(v)) {
        return lc_cli_usage(
            "llmcost simulate: %s takes a whole number from %.0f to %.0f, not '%s' (see "
            "llmcost simulate --help)",
            name, lo, hi, s);
    }
    *out = v;
    return LC_OK;
}

int lc_cli_simulation(lc_scenario *s, lc_doc *doc, lc_section *sec, size_t samples, uint64_t seed,
                      unsigned threads, int plot, lc_cli_sim_out *out)
{
    lc_error err;
    lc_simulate *r;
    size_t failed;
    lc_error_clear(&err);
    if ((r = lc_simulate_run(s, samples, seed, threads, &err)) == NULL)
        return lc_cli_fail(&err);
    failed = lc_fill_simulation(doc, sec, r, plot);
    if (out) {
        memcpy(out->sim, r->sim, sizeof r->sim);
        out->nclaims = r->ncl;
        out->nfailed = failed;
    }
    lc_simulate_free(r);
    return LC_OK;
}

static int cmd_simulate(lc_cli *cli)
{
    lc_scenario *s = NULL;
    double samples = DEFAULT_SAMPLES, threads = 0;
    unsigned long long seed = 1; /* exact, as --seed of mc and seed: in a scenario */
    int fmt = (int)LC_PLOT_PNG;
    int rc = LC_OK;
    lc_doc *doc = NULL;

    if (cli->nfiles != 1 || cli->nargs > 0) {
        fputs("llmcost simulate: give one scenario file with an org: section; see llmcost "
              "simulate --help\n",
              stderr);
        return LC_EUSAGE;
    }
    if (num_opt("--samples", cli->samples, 0, MAX_SAMPLES, &samples) ||
        num_opt("--threads", cli->threads, 1, LC_MC_THREADS_MAX, &threads))
        return LC_EUSAGE;
    if (cli->seed && lc_parse_whole(cli->seed, LC_AN_SEED_MAX, &seed) != 0) {
        return lc_cli_usage(
            "llmcost simulate: --seed takes a whole number from 0 to %llu, not '%s' (see "
            "llmcost simulate --help)",
            (unsigned long long)LC_AN_SEED_MAX, cli->seed);
    }
    if (cli->plot && lc_cli_plot_format("simulate", cli->plot, &fmt))
        return LC_EUSAGE;
    if (threads == 0)
        threads = lc_cli_default_threads();
    if ((s = lc_cli_load(cli, cli->files[0], &rc)) == NULL)
        return rc;
    if ((doc = lc_doc_alloc("simulate")) == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    lc_doc_set_currency(doc, s->units.display);
    rc = lc_cli_simulation(s, doc, NULL, (size_t)samples, (uint64_t)seed, (unsigned)threads,
                           cli->plot != NULL, NULL);
    if (rc == LC_OK)
        rc = lc_cli_emit(cli, doc);
done:
    lc_doc_free(doc);
    lc_scenario_free(s);
    return rc;
}

unsigned lc_cli_default_threads(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
}

const lc_command lc_cmd_simulate_def = {
    "simulate",
    cmd_simulate,
    "an organisation's cash month by month: runway, break-even, survival",
    "FILE [options]",
    "Simulate the scenario's org: (cash, funding rounds, staff, compute rented or\n"
    "owned, training runs, users and revenue) month by month over its horizon\n"
    "(default 60 months): cash, revenue and spend split into staff, training,\n"
    "inference, electricity, capex and other; GPUs owned and rented; the month the\n"
    "cash runs out (runway), the month revenue first covers costs (break-even) and\n"
    "the spend of each year.  When the scenario's inputs have distributions, a Monte\n"
    "Carlo over the whole timeline gives the probability that the cash lasts 36 and\n"
    "60 months (investors' 3 to 5 years) and P5/P50/P95 bands of cash.  Claims under\n"
    "org: claims: (and top-level claims on sim.* metrics) are judged on the results.\n"
    "Money over time: NPV at the cost of capital (org: finance: discount_rate,\n"
    "default 7 %/year), discounted payback, owning against renting (saving, payback,\n"
    "IRR), loans and leases, depreciation, falling prices, chip generations and\n"
    "constant money (README, \"Money over time\").  Rents fall by compute:\n"
    "rent_decline, by default gpu.rent_decline: the catalog's dated rents of the\n"
    "chosen GPU fitted by least squares (0 without a fit; the output says which).\n"
    "The org schema is documented in include/analyses/lc_org.h and the README.\n",
    (const lc_option *const[]){
        &(const lc_option){"--samples", "-n", "N", "Monte Carlo samples (default 1000; 0 = none)"},
        &(const lc_option){"--seed", NULL, "S",
                           "random seed (default 1; printed with the results)"},
        &(const lc_option){"--threads", NULL, "T",
                           "worker threads (default: CPUs, at most 8); results are the same for "
                           "any T"},
        &(const lc_option){"--plot", NULL, "png|svg|pdf",
                           "draw the cash timeline (with the P5-P95 band), the cumulative cash "
                           "flow discounted (simulate-discounted) and the GPUs by generation "
                           "(simulate-fleet)"},
        &(const lc_option){"-o", NULL, "DIR",
                           "chart folder (default: NAME-charts/, NAME being the file's name "
                           "without .yaml)"},
        LC_OPTS_COMMON, NULL},
    "simulate scenarios/startup.yaml --samples 2000 --seed 7\n"};
