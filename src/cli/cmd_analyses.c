/* cmd_analyses.c — llmcost mc, sweep, tornado, sobol and solve: the analyses
 * of lc_analyses.h driven from the command line. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_analyses.h"
#include "lc_fill.h"
#include "lc_util.h"

static const lc_mark cmdline = {"<command line>", 0, 0};

static int cli_qty(lc_scenario *s, const char *opt, const char *name, size_t *out, lc_error *err)
{
    long i;
    if (name == NULL)
        return lc_error_set(err, LC_EUSAGE, cmdline, "%s is required", opt);
    i = lc_model_find(s->model, name);
    if (i < 0)
        return lc_model_unknown(s->model, "name", name, cmdline, err);
    if (lc_model_qty(s->model, (size_t)i)->kind == LC_Q_CHOICE)
        return lc_error_set(err, LC_EINPUT, cmdline, "%s is a choice, not a number", name);
    *out = (size_t)i;
    return LC_OK;
}

static int cli_value(lc_scenario *s, const char *opt, const char *text, size_t qi, double *v,
                     lc_error *err)
{
    lc_dim dim;
    char msg[LC_UNITS_MSG_MAX];
    size_t at;
    lc_qty *q = lc_model_qty(s->model, qi);
    if (lc_units_parse_quantity(&s->units, text, v, &dim, msg, sizeof msg, &at) != 0)
        return lc_error_set(err, LC_EINPUT, cmdline, "%s %s: %s", opt, text, msg);
    if (!lc_dim_eq(dim, q->dim)) {
        char want[LC_DIM_TEXT_MAX], got[LC_DIM_TEXT_MAX], shown[LC_UNIT_TEXT_MAX];
        lc_dim_describe(q->dim, want, sizeof want);
        lc_dim_describe(dim, got, sizeof got);
        lc_units_display_name(&s->units, q->unit, shown, sizeof shown);
        if (lc_dim_is_none(dim) && shown[0] && !strchr(text, '%')) /* --from 0.3 for a price */
            return lc_error_set(err, LC_EINPUT, cmdline,
                                "%s %s: %s needs %s, not a plain number: write it with its "
                                "unit, e.g. %s '%s %s'",
                                opt, text, q->name, want, opt, text, shown);
        return lc_error_set(err, LC_EINPUT, cmdline, "%s %s: %s needs %s, not %s", opt, text,
                            q->name, want, got);
    }
    return LC_OK;
}

/* A range given for input qi stays inside its domain. */
static int cli_in_domain(lc_scenario *s, size_t qi, const char *opt, const char *text, double v,
                         lc_error *err)
{
    char *what = lc_aprintf("%s (%s)", opt, lc_model_qty(s->model, qi)->name);
    int rc = what ? lc_model_check_range(s->model, qi, v, what, text, cmdline, err)
                  : lc_error_nomem(err);
    free(what);
    return rc;
}

static int cli_count(const char *opt, const char *text, size_t lo, size_t hi, size_t *out,
                     lc_error *err)
{
    lc_units u;
    lc_dim dim;
    double v;
    size_t at;
    lc_units_init(&u, "USD");
    if (lc_units_parse_quantity(&u, text, &v, &dim, NULL, 0, &at) != 0 || !lc_dim_is_none(dim) ||
        v != floor(v) || v < (double)lo || v > (double)hi)
        return lc_error_set(err, LC_EUSAGE, cmdline,
                            "%s takes a whole number from %zu to %zu, not '%s'", opt, lo, hi, text);
    *out = (size_t)v;
    return LC_OK;
}

/* --metric a,b,c */
static int cli_metrics(lc_scenario *s, const char *list, lc_analysis *a, lc_error *err)
{
    char *buf, *p, *save = NULL;
    int rc = LC_OK;
    if (list == NULL)
        return lc_analysis_default_metrics(s, a, err);
    buf = lc_strdup(list); /* a copy of any length: never a cut name */
    if (buf == NULL)
        return lc_error_nomem(err);
    for (p = strtok_r(buf, ",", &save); p && rc == LC_OK; p = strtok_r(NULL, ",", &save)) {
        if (a->nmetrics == LC_AN_METRICS_MAX)
            rc = lc_error_set(err, LC_EUSAGE, cmdline, "at most %d metrics", LC_AN_METRICS_MAX);
        else if ((rc = cli_qty(s, "--metric", p, &a->metrics[a->nmetrics], err)) == LC_OK)
            a->nmetrics++;
    }
    free(buf);
    return rc;
}

static int output_opts(const lc_cli *cli, lc_an_output *o, lc_doc *doc, lc_error *err)
{
    memset(o, 0, sizeof *o);
    o->doc = doc;
    o->progress = 1;
    if (cli->plot) {
        if (strcmp(cli->plot, "png") && strcmp(cli->plot, "svg") && strcmp(cli->plot, "pdf"))
            return lc_error_set(err, LC_EUSAGE, cmdline, "--plot takes png, svg or pdf, not '%s'",
                                cli->plot);
        o->plot = 1;
    }
    return LC_OK;
}

static int build(const lc_cli *cli, lc_scenario *s, lc_an_kind kind, lc_analysis *a, lc_error *err)
{
    int rc;
    lc_analysis_init(a, kind);
    a->mark = cmdline;
    if (cli->samples && (rc = cli_count("--samples", cli->samples, kind == LC_AN_SOBOL ? 2 : 1,
                                        kind == LC_AN_SOBOL ? LC_AN_SOBOL_MAX : LC_AN_SAMPLES_MAX,
                                        &a->samples, err)))
        return rc;
    if (cli->seed) {
        unsigned long long seed; /* an integer, exactly: the same seeds as seed: */
        if (lc_parse_whole(cli->seed, LC_AN_SEED_MAX, &seed) != 0)
            return lc_error_set(err, LC_EUSAGE, cmdline,
                                "--seed takes a whole number from 0 to %llu, not '%s'",
                                (unsigned long long)LC_AN_SEED_MAX, cli->seed);
        a->seed = (uint64_t)seed;
    }
    if (cli->threads) {
        size_t t;
        if ((rc = cli_count("--threads", cli->threads, 1, LC_MC_THREADS_MAX, &t, err)))
            return rc;
        a->threads = (unsigned)t;
    }
    if (cli->method && lc_mc_method_parse(cli->method, &a->method, NULL) != LC_OK)
        return lc_error_set(err, LC_EUSAGE, cmdline, "--method takes random, lhs or sobol");
    if (cli->stream)
        a->stream = 1;
    switch (kind) {
    case LC_AN_SWEEP:
        if ((rc = cli_qty(s, "--input", cli->input, &a->input, err)))
            return rc;
        if (cli->from == NULL || cli->to == NULL)
            return lc_error_set(err, LC_EUSAGE, cmdline, "give --from and --to");
        if ((rc = cli_value(s, "--from", cli->from, a->input, &a->from, err)) ||
            (rc = cli_value(s, "--to", cli->to, a->input, &a->to, err)) ||
            (rc = cli_in_domain(s, a->input, "--from", cli->from, a->from, err)) ||
            (rc = cli_in_domain(s, a->input, "--to", cli->to, a->to, err)))
            return rc;
        if (cli->steps &&
            (rc = cli_count("--steps", cli->steps, 2, LC_AN_STEPS_MAX, &a->steps, err)))
            return rc;
        a->logx = cli->log != NULL;
        if (cli->by) {
            a->has_input2 = 1;
            if ((rc = cli_qty(s, "--by", cli->by, &a->input2, err)))
                return rc;
            if (cli->by_from == NULL || cli->by_to == NULL)
                return lc_error_set(err, LC_EUSAGE, cmdline, "give --by-from and --by-to");
            if ((rc = cli_value(s, "--by-from", cli->by_from, a->input2, &a->from2, err)) ||
                (rc = cli_value(s, "--by-to", cli->by_to, a->input2, &a->to2, err)) ||
                (rc = cli_in_domain(s, a->input2, "--by-from", cli->by_from, a->from2, err)) ||
                (rc = cli_in_domain(s, a->input2, "--by-to", cli->by_to, a->to2, err)))
                return rc;
            if (cli->by_steps &&
                (rc = cli_count("--by-steps", cli->by_steps, 2, LC_AN_STEPS_MAX, &a->steps2, err)))
                return rc;
        }
        if (a->logx && !(a->from > 0 && a->to > 0))
            return lc_error_set(err, LC_EUSAGE, cmdline, "--log needs a positive range");
        return cli_metrics(s, cli->metric, a, err);
    case LC_AN_TORNADO:
    case LC_AN_SOLVE:
        if (cli->metric == NULL) {
            if ((rc = lc_analysis_default_metrics(s, a, err)))
                return rc;
            if (a->nmetrics == 0)
                return lc_error_set(err, LC_EUSAGE, cmdline, "give --metric");
            a->nmetrics = 1;
        } else if ((rc = cli_qty(s, "--metric", cli->metric, &a->metrics[0], err))) {
            return rc;
        } else {
            a->nmetrics = 1;
        }
        if (kind == LC_AN_TORNADO) {
            if (cli->delta) {
                lc_dim d;
                size_t at;
                if (lc_units_parse_quantity(&s->units, cli->delta, &a->delta, &d, NULL, 0, &at) !=
                        0 ||
                    !lc_dim_is_none(d) || !(a->delta > 0 && a->delta < 1))
                    return lc_error_set(err, LC_EUSAGE, cmdline,
                                        "--delta takes a share such as 10%%, not '%s'", cli->delta);
            }
            return LC_OK;
        }
        if ((rc = cli_qty(s, "--input", cli->input, &a->input, err)))
            return rc;
        if (cli->target == NULL)
            return lc_error_set(err, LC_EUSAGE, cmdline, "give --target (the value to reach)");
        if ((rc = cli_value(s, "--target", cli->target, a->metrics[0], &a->target, err)))
            return rc;
        if ((cli->from == NULL) != (cli->to == NULL))
            return lc_error_set(err, LC_EUSAGE, cmdline, "give both --from and --to, or neither");
        if (cli->from && ((rc = cli_value(s, "--from", cli->from, a->input, &a->from, err)) ||
                          (rc = cli_value(s, "--to", cli->to, a->input, &a->to, err)) ||
                          (rc = cli_in_domain(s, a->input, "--from", cli->from, a->from, err)) ||
                          (rc = cli_in_domain(s, a->input, "--to", cli->to, a->to, err))))
            return rc;
        return LC_OK;
    case LC_AN_MC:
    case LC_AN_SOBOL:
        if ((rc = cli_metrics(s, cli->metric, a, err)))
            return rc;
        if (kind == LC_AN_MC)
            a->logx = cli->log != NULL; /* the histogram's axis */
        if (kind == LC_AN_MC && cli->threshold) {
            /* --threshold METRIC=VALUE */
            const char *eq = strchr(cli->threshold, '=');
            char *name;
            size_t qi, j;
            if (eq == NULL)
                return lc_error_set(err, LC_EUSAGE, cmdline, "--threshold takes METRIC=VALUE");
            name = lc_strndup(cli->threshold, (size_t)(eq - cli->threshold));
            if (name == NULL)
                return lc_error_nomem(err);
            rc = cli_qty(s, "--threshold", name, &qi, err);
            free(name);
            if (rc)
                return rc;
            for (j = 0; j < a->nmetrics && a->metrics[j] != qi; j++)
                ;
            if (j == a->nmetrics) {
                if (j == LC_AN_METRICS_MAX)
                    return lc_error_set(err, LC_EUSAGE, cmdline, "too many metrics");
                a->metrics[a->nmetrics++] = qi;
            }
            return cli_value(s, "--threshold", eq + 1, qi, &a->threshold[j], err);
        }
        return LC_OK;
    }
    return LC_OK;
}

static int drive(lc_cli *cli, lc_an_kind kind)
{
    lc_scenario *s;
    lc_analysis a;
    lc_an_output o;
    lc_error err;
    lc_doc *doc;
    int rc = LC_OK;

    lc_error_clear(&err);
    if (cli->nfiles != 1) {
        return lc_cli_usage("llmcost %s: give one scenario file (see llmcost %s --help)", cli->cmd,
                            cli->cmd);
    }
    if ((doc = lc_doc_alloc(cli->cmd)) == NULL)
        return LC_ENOMEM;
    if (output_opts(cli, &o, doc, &err) != LC_OK) {
        lc_doc_free(doc);
        return lc_cli_fail(&err);
    }
    s = lc_cli_load(cli, cli->files[0], &rc);
    if (s == NULL) {
        lc_doc_free(doc);
        return rc;
    }
    lc_doc_set_currency(doc, s->units.display);
    lc_fill_scenario_section(doc, s);
    if ((rc = build(cli, s, kind, &a, &err)) == LC_OK &&
        (rc = lc_analysis_check(s, &a, &err)) == LC_OK)
        rc = lc_analysis_run(s, &a, &o, &err);
    if (rc != LC_OK)
        lc_cli_fail(&err);
    else
        rc = lc_cli_emit(cli, doc);
    lc_scenario_free(s);
    lc_doc_free(doc);
    return rc;
}

static int cmd_mc(lc_cli *cli)
{
    return drive(cli, LC_AN_MC);
}
static int cmd_sweep(lc_cli *cli)
{
    return drive(cli, LC_AN_SWEEP);
}
static int cmd_tornado(lc_cli *cli)
{
    return drive(cli, LC_AN_TORNADO);
}
static int cmd_sobol(lc_cli *cli)
{
    return drive(cli, LC_AN_SOBOL);
}
static int cmd_solve(lc_cli *cli)
{
    return drive(cli, LC_AN_SOLVE);
}

/* Check a scenario's analyses: and charts: before anything is computed, so
 * that a bad entry is reported before any work. */
int lc_cli_check_analyses(lc_scenario *s)
{
    lc_an_output o;
    lc_error err;
    size_t i;
    lc_error_clear(&err);
    memset(&o, 0, sizeof o); /* plot off: charts: are checked, not added */
    if (lc_analysis_scenario_charts(s, &o, NULL, &err) != LC_OK)
        return lc_cli_fail(&err);
    for (i = 0; s->analyses && i < s->analyses->n; i++) {
        lc_analysis a;
        if (lc_analysis_parse(s, s->analyses->items[i], &a, &err) != LC_OK)
            return lc_cli_fail(&err);
    }
    return LC_OK;
}

/* The charts and analyses a scenario lists, into sec's document (llmcost run
 * and report). */
int lc_cli_run_analyses(const lc_cli *cli, lc_scenario *s, lc_section *sec, lc_doc *doc, int plot)
{
    lc_an_output o;
    lc_error err;
    size_t i;
    int rc;
    lc_error_clear(&err);
    if (output_opts(cli, &o, doc, &err) != LC_OK)
        return lc_cli_fail(&err);
    o.plot = plot;
    if (lc_analysis_scenario_charts(s, &o, sec, &err) != LC_OK)
        return lc_cli_fail(&err);
    for (i = 0; s->analyses && i < s->analyses->n; i++) {
        lc_analysis a;
        if ((rc = lc_analysis_parse(s, s->analyses->items[i], &a, &err)) != LC_OK)
            return lc_cli_fail(&err);
        if ((rc = lc_analysis_run(s, &a, &o, &err)) != LC_OK)
            return lc_cli_fail(&err);
    }
    return LC_OK;
}

/* Options of the analysis commands that say where the charts go. */
#define PLOT_OPTS &lc_opt_plot, &lc_opt_chart_dir

static const lc_option opt_samples = {"--samples", "-n", "N", "samples (default 10000)"};
static const lc_option opt_seed = {"--seed", NULL, "S",
                                   "random seed (default 1); the same seed gives the same numbers"};
static const lc_option opt_threads = {
    "--threads", NULL, "T",
    "worker threads (default: the number of CPUs); results are the "
    "same for any T"};
static const lc_option opt_metrics = {"--metric", NULL, "M1,M2,...",
                                      "the metrics (default: those the scenario's claims check, "
                                      "else its report: list)"};

const lc_command lc_cmd_mc_def = {
    "mc",
    cmd_mc,
    "Monte Carlo over the inputs that have distributions",
    "FILE [options]",
    "Sample every input that has a distribution, N times (default 10000), and print\n"
    "each metric's mean, standard deviation and P5..P95, and with --threshold the\n"
    "probability of exceeding a value (a budget).  Metrics default to those the\n"
    "scenario's claims check, else its report list.  The same seed gives the same\n"
    "numbers for any --threads.  A progress bar shows on a terminal for long runs.\n",
    (const lc_option *const[]){
        &opt_samples, &opt_seed, &opt_threads,
        &(const lc_option){"--method", NULL, "random|lhs|sobol",
                           "sampling: pseudo-random, Latin hypercube or a Sobol "
                           "sequence (default random)"},
        &opt_metrics,
        &(const lc_option){"--threshold", NULL, "METRIC=VALUE",
                           "also print the probability that METRIC exceeds VALUE (a budget)"},
        &(const lc_option){"--stream", NULL, NULL,
                           "keep no samples: constant memory (1e9 samples in well under 1 GB), "
                           "exact mean, sd and P(>threshold), percentiles from a sketch within "
                           "0.1% of their value; chosen by itself when the samples would take "
                           "over 4 GiB"},
        PLOT_OPTS, LC_OPTS_COMMON, NULL},
    "mc scenarios/chatgpt-2023.yaml --samples 1000000 --metric inf.gpus\n"};

const lc_command lc_cmd_sweep_def = {
    "sweep",
    cmd_sweep,
    "one input (or two) over a range; metrics at each point",
    "FILE --input NAME --from A --to B [options]",
    "Evaluate the metrics with the input at N points (default 11) from A to B\n"
    "(evenly, or evenly in log with --log); with --by, over a grid of two inputs.\n",
    (const lc_option *const[]){
        &(const lc_option){"--input", NULL, "NAME", "the input to vary"},
        &(const lc_option){"--from", NULL, "A", "first value, with its unit (0.3CNY/kWh)"},
        &(const lc_option){"--to", NULL, "B", "last value, with its unit"},
        &(const lc_option){"--steps", NULL, "N", "number of points (default 11)"},
        &(const lc_option){"--log", NULL, NULL, "space the points evenly in log (A, B > 0)"},
        &(const lc_option){"--by", NULL, "NAME2", "a second input: a grid of the two"},
        &(const lc_option){"--by-from", NULL, "A", "first value of the second input"},
        &(const lc_option){"--by-to", NULL, "B", "last value of the second input"},
        &(const lc_option){"--by-steps", NULL, "N",
                           "number of points of the second input (default 11)"},
        &(const lc_option){"--metric", NULL, "M1,M2,...",
                           "the metrics (default: the scenario's report: list)"},
        PLOT_OPTS, LC_OPTS_COMMON, NULL},
    "sweep scenarios/dgx-electricity.yaml --input electricity.price \\\n"
    "    --from 0.3CNY/kWh --to 1.2CNY/kWh --steps 10 --metric electricity.cost_per_day\n"};

const lc_command lc_cmd_tornado_def = {
    "tornado",
    cmd_tornado,
    "which input moves a metric most",
    "FILE [options]",
    "Move each uncertain input to its P10 and P90 (or, when no input has a\n"
    "distribution, each input the scenario sets by +-delta) with the others at their\n"
    "base values, and rank the inputs by the swing of the metric.\n",
    (const lc_option *const[]){
        &(const lc_option){"--metric", NULL, "M",
                           "the metric (default: the first the scenario's claims check, else "
                           "its first reported)"},
        &(const lc_option){"--delta", NULL, "SHARE",
                           "how far to move inputs without a distribution (default 10%)"},
        PLOT_OPTS, LC_OPTS_COMMON, NULL},
    "tornado scenarios/chatgpt-2023.yaml --metric inf.gpus --plot png\n"};

const lc_command lc_cmd_sobol_def = {
    "sobol",
    cmd_sobol,
    "first-order and total Sobol indices of the uncertain inputs",
    "FILE [options]",
    "Variance-based sensitivity: Saltelli sampling on a Sobol sequence (N base\n"
    "samples; N (k + 2) model runs), Saltelli 2010 first-order and Jansen total\n"
    "estimators, bootstrap 95% intervals (seeded).  Without --samples, N doubles\n"
    "from 4096 (up to 131072) until the largest index is known to +-0.05; wider\n"
    "intervals and first-order estimates below 0 are warned about.\n",
    (const lc_option *const[]){
        &(const lc_option){"--samples", "-n", "N", "base samples (default: doubling from 4096)"},
        &opt_seed, &opt_threads, &opt_metrics, PLOT_OPTS, LC_OPTS_COMMON, NULL},
    "sobol scenarios/chatgpt-2023.yaml --metric inf.gpus\n"};

const lc_command lc_cmd_solve_def = {
    "solve",
    cmd_solve,
    "the value of an input that makes a metric reach a target",
    "FILE --input NAME --metric M --target VALUE [options]",
    "Find the input value in [A, B] (default: a hundredth to a hundred times its\n"
    "value) at which the metric equals the target, with GSL's Brent solver, and\n"
    "every crossing of the target in the range; for a count (GPUs, users, ...)\n"
    "the smallest whole value that reaches it.  Exit status 3 and the metric's\n"
    "range when no value in the range reaches it.\n",
    (const lc_option *const[]){
        &(const lc_option){"--input", NULL, "NAME", "the input to solve for"},
        &(const lc_option){"--metric", NULL, "M",
                           "the metric to bring to the target (default: the first the "
                           "scenario's claims check)"},
        &(const lc_option){"--target", NULL, "VALUE", "the value to reach, with its unit"},
        &(const lc_option){"--from", NULL, "A", "low end of the range searched, with its unit"},
        &(const lc_option){"--to", NULL, "B", "high end of the range searched"}, LC_OPTS_COMMON,
        NULL},
    "solve scenarios/copilot-1000-devs.yaml --input rev.price \\\n"
    "    --metric rev.margin_per_day --target 0USD/day\n"};
