/* test_analysis_parse.c — the analyses: and charts: entries of a scenario: every
 * error of lc_analysis_parse, lc_analysis_run and lc_analysis_scenario_charts
 * with its exact message and position, and the values the accepted spellings
 * give.  Each case is a whole scenario; the message is the one line llmcost
 * prints.  Positions are counted by hand: an analysis entry is on line 4 and
 * starts at column 5 ("  - " is 4 characters), so a token at offset k of the
 * entry text is at column 5 + k. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_analyses.h"
#include "lc_scenario.h"

/* Line 1 name, line 2 inputs (10 DGX A100 servers of 8 GPUs: fleet.gpus = 80), line 3
 * analyses:, line 4 the entry. */
#define INPUTS                                                                                     \
    "scenario: x\n"                                                                                \
    "inputs: {fleet.server: dgx-a100, fleet.servers: 10, power.cooling_ratio: 1, "                 \
    "electricity.price: 0.5 USD/kWh}\n"
#define PRE INPUTS "analyses:\n  - "

typedef struct bad_case {
    const char *text;
    const char *want; /* the whole line llmcost prints, without the newline */
} bad_case;

/* Sixteen names for "at most 16 metrics" and "too many metrics". */
#define M4 "fleet.gpus, fleet.gpus, fleet.gpus, fleet.gpus"
#define M16 M4 ", " M4 ", " M4 ", " M4

static const bad_case cases[] = {
    /* --- the entry itself ------------------------------------------------------------ */
    {PRE "5\n", "a.yaml:4:5: error: an analysis is a mapping that starts with montecarlo:, "
                "sweep:, tornado:, sobol: or solve:"},
    {PRE "{}\n", "a.yaml:4:5: error: an analysis is a mapping that starts with montecarlo:, "
                 "sweep:, tornado:, sobol: or solve:"},
    /* 'sweeep' at offset 2 -> col 7 */
    {PRE "{ sweeep: fleet.servers }\n",
     "a.yaml:4:7: error: unknown analysis 'sweeep' (did you mean sweep?)"},
    /* --- montecarlo ---------------------------------------------------------------------- */
    /* "{ montecarlo: 100, " is 19 characters: 'seeds' at col 24, one deletion from seed */
    {PRE "{ montecarlo: 100, seeds: 1 }\n",
     "a.yaml:4:24: error: unknown key 'seeds' in montecarlo (did you mean seed?)"},
    /* "{ montecarlo: " is 14 characters: the value at col 19 */
    {PRE "{ montecarlo: [1] }\n", "a.yaml:4:19: error: montecarlo (samples) must be a whole number"},
    {PRE "{ montecarlo: abc }\n",
     "a.yaml:4:19: error: montecarlo (samples) must be a whole number, not 'abc'"},
    /* quoted: the text starts one column after the quote */
    {PRE "{ montecarlo: \"abc\" }\n",
     "a.yaml:4:20: error: montecarlo (samples) must be a whole number, not 'abc'"},
    {PRE "{ montecarlo: 1.5 }\n",
     "a.yaml:4:19: error: montecarlo (samples) must be a whole number, not '1.5'"},
    {PRE "{ montecarlo: -5 }\n",
     "a.yaml:4:19: error: montecarlo (samples) must be a whole number, not '-5'"},
    {PRE "{ montecarlo: 0 }\n",
     "a.yaml:4:19: error: montecarlo (samples) must be between 1 and 1000000000"},
    /* 2e9 reads as a number (2,000,000,000) above the limit of 1e9 */
    {PRE "{ montecarlo: 2e9 }\n",
     "a.yaml:4:19: error: montecarlo (samples) must be between 1 and 1000000000"},
    /* "{ montecarlo: 10, method: " is 26 characters: col 31 */
    {PRE "{ montecarlo: 10, method: quasi }\n",
     "a.yaml:4:31: error: method must be random, lhs or sobol"},
    {PRE "{ montecarlo: 10, method: [lhs] }\n",
     "a.yaml:4:31: error: method must be random, lhs or sobol"},
    /* "{ montecarlo: 10, metrics: " is 27 characters: the list at col 32, its first item at 33 */
    {PRE "{ montecarlo: 10, metrics: { a: b } }\n",
     "a.yaml:4:32: error: metrics must be a list of names"},
    {PRE "{ montecarlo: 10, metrics: [zzzz] }\n",
     "a.yaml:4:33: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    {PRE "{ montecarlo: 10, metrics: [[a]] }\n", "a.yaml:4:33: error: metric must be a name"},
    {PRE "{ montecarlo: 10, metrics: [fleet.server] }\n",
     "a.yaml:4:33: error: fleet.server is a choice, not a number"},
    {PRE "{ montecarlo: 10, metrics: [" M16 ", fleet.gpus] }\n",
     "a.yaml:4:32: error: at most 16 metrics per analysis"},
    /* "{ montecarlo: 10, threshold: " is 29 characters: col 34 */
    {PRE "{ montecarlo: 10, threshold: 5 }\n",
     "a.yaml:4:34: error: threshold must map metric names to values"},
    /* "{ montecarlo: 10, threshold: { electricity.cost_per_day: " is 57 characters: col 62 */
    {PRE "{ montecarlo: 10, threshold: { electricity.cost_per_day: 5 kW } }\n",
     "a.yaml:4:62: error: threshold must be money/time, but '5 kW' is energy/time"},
    /* "{ montecarlo: 10, threshold: { " is 31 characters: col 36 */
    {PRE "{ montecarlo: 10, threshold: { zzzz: 5 } }\n",
     "a.yaml:4:36: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    /* 16 metrics listed, the threshold names a 17th: no room (at the threshold mapping, col 237:
     * "{ montecarlo: 10, metrics: [" 28 + 16 names of 10 with 15 ", " 190 + "], threshold: " 14) */
    {PRE "{ montecarlo: 10, metrics: [" M16 "], threshold: { power.pue: 2 } }\n",
     "a.yaml:4:237: error: too many metrics"},
    /* "{ montecarlo: 10, seed: " is 24 characters, "{ montecarlo: 10, threads: " 27 */
    {PRE "{ montecarlo: 10, seed: -1 }\n",
     "a.yaml:4:29: error: seed must be between 0 and 9007199254740992 (a whole number), not '-1'"},
    {PRE "{ montecarlo: 10, threads: 0 }\n",
     "a.yaml:4:32: error: threads must be between 1 and 256"},
    {PRE "{ montecarlo: 10, threads: [1] }\n",
     "a.yaml:4:32: error: threads must be a whole number"},
    /* --- sweep --------------------------------------------------------------------------- */
    /* 'form' is two edits (a swap) from 'from'; "{ sweep: fleet.servers, " is 24 characters */
    {PRE "{ sweep: fleet.servers, form: 1, to: 2 }\n",
     "a.yaml:4:29: error: unknown key 'form' in sweep (did you mean from?)"},
    /* "{ sweep: " is 9 characters: the input at col 14 */
    {PRE "{ sweep: zzzz, from: 1, to: 2 }\n",
     "a.yaml:4:14: error: unknown input 'zzzz' (run 'llmcost params' for the list of names)"},
    {PRE "{ sweep: [a], from: 1, to: 2 }\n", "a.yaml:4:14: error: input must be a name"},
    {PRE "{ sweep: fleet.servers, from: 1 }\n",
     /* the from: value that has no to: beside it: "{ sweep: fleet.servers, from: " is 30
      * characters, col 35 */
     "a.yaml:4:35: error: give the range: both from: and to:"},
    /* "{ sweep: fleet.servers, from: " is 30 characters: col 35 */
    {PRE "{ sweep: fleet.servers, from: 1 kW, to: 2 }\n",
     "a.yaml:4:35: error: from must be dimensionless, but '1 kW' is energy/time"},
    /* "{ sweep: fleet.servers, from: 2, to: " is 37 characters: col 42 */
    {PRE "{ sweep: fleet.servers, from: 2, to: 2 }\n",
     "a.yaml:4:42: error: to must differ from from"},
    /* "{ sweep: fleet.servers, from: 1, to: 2, steps: " is 47 characters: col 52 */
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, steps: 1 }\n",
     "a.yaml:4:52: error: steps must be between 2 and 10000"},
    /* "{ sweep: fleet.servers, from: 1, to: 2, log: " is 45 characters: col 50 */
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, log: maybe }\n",
     "a.yaml:4:50: error: log must be true or false"},
    {PRE "{ sweep: power.cooling_ratio, from: 0, to: 2, log: true }\n",
     "a.yaml:4:5: error: a logarithmic sweep needs a positive range"},
    /* "{ sweep: fleet.servers, from: " is 30 characters: col 35; a count cannot be -1 */
    {PRE "{ sweep: fleet.servers, from: -1, to: 2 }\n",
     "a.yaml:4:35: error: fleet.servers from must be a whole number of servers, 0 or more, not -1"},
    /* "{ sweep: train.mfu, from: 10%, to: " is 35 characters: col 40 */
    {PRE "{ sweep: train.mfu, from: 10%, to: 60 }\n",
     "a.yaml:4:40: error: train.mfu to must be a share between 0% and 100%; 60 would be 6000% "
     "\xe2\x80\x94 write 60%"},
    {PRE "{ sweep: fleet.servers, from: 0, to: 2, log: yes }\n",
     "a.yaml:4:5: error: a logarithmic sweep needs a positive range"},
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, by: power.cooling_ratio, by_from: 1 }\n",
     /* the by_from: value: 74 characters before it, col 79 */
     "a.yaml:4:79: error: give the range: both by_from: and by_to:"},
    /* "{ sweep: fleet.servers, from: 1, to: 2, by: " is 44 characters: col 49 */
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, by: zzzz, by_from: 1, by_to: 2 }\n",
     "a.yaml:4:49: error: unknown input 'zzzz' (run 'llmcost params' for the list of names)"},
    /* "{ sweep: fleet.servers, from: 1, to: 2, by: power.cooling_ratio, by_from: 1, by_to: 2, "
     * is 87 characters; "by_steps: " 10 more: col 102; "by_log: " 8 more: col 100 */
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, by: power.cooling_ratio, by_from: 1, by_to: 2, "
         "by_steps: 10001 }\n",
     "a.yaml:4:102: error: by_steps must be between 2 and 10000"},
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, by: power.cooling_ratio, by_from: 1, by_to: 2, "
         "by_log: 2 }\n",
     "a.yaml:4:100: error: by_log must be true or false"},
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, by: power.cooling_ratio, by_from: 0, by_to: 2, "
         "by_log: yes }\n",
     "a.yaml:4:5: error: a logarithmic sweep needs a positive range"},
    /* "{ sweep: fleet.servers, from: 1, to: 2, metrics: [" is 50 characters: col 55 */
    {PRE "{ sweep: fleet.servers, from: 1, to: 2, metrics: [zzzz] }\n",
     "a.yaml:4:55: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    /* --- tornado ------------------------------------------------------------------------- */
    /* 'delt' is one insertion from 'delta'; "{ tornado: fleet.gpus, " is 23 characters */
    {PRE "{ tornado: fleet.gpus, delt: 5% }\n",
     "a.yaml:4:28: error: unknown key 'delt' in tornado (did you mean delta?)"},
    {PRE "{ tornado: zzzz }\n",
     "a.yaml:4:16: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    {PRE "{ tornado: fleet.gpus, delta: 150% }\n",
     "a.yaml:4:5: error: delta must be between 0% and 100%"},
    {PRE "{ tornado: fleet.gpus, delta: 0% }\n",
     "a.yaml:4:5: error: delta must be between 0% and 100%"},
    /* "{ tornado: fleet.gpus, delta: " is 30 characters: col 35 */
    {PRE "{ tornado: fleet.gpus, delta: 5 h }\n",
     "a.yaml:4:35: error: delta must be dimensionless, but '5 h' is time"},
    /* --- sobol --------------------------------------------------------------------------- */
    /* 'metric' is one deletion from 'metrics'; "{ sobol: 100, " is 14 characters */
    {PRE "{ sobol: 100, metric: fleet.gpus }\n",
     "a.yaml:4:19: error: unknown key 'metric' in sobol (did you mean metrics?)"},
    {PRE "{ sobol: 1 }\n",
     "a.yaml:4:14: error: sobol (base samples) must be between 2 and 16777216"},
    /* "{ sobol: 100, metrics: [" is 24 characters: col 29 */
    {PRE "{ sobol: 100, metrics: [zzzz] }\n",
     "a.yaml:4:29: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    /* --- solve --------------------------------------------------------------------------- */
    {PRE "{ solve: fleet.servers, metric: fleet.gpus }\n",
     "a.yaml:4:5: error: solve needs metric: and target:"},
    {PRE "{ solve: fleet.servers, target: 80 }\n",
     "a.yaml:4:5: error: solve needs metric: and target:"},
    /* "{ solve: fleet.servers, metric: fleet.gpus, target: " is 52 characters: col 57 */
    {PRE "{ solve: fleet.servers, metric: fleet.gpus, target: 5 kW }\n",
     "a.yaml:4:57: error: target must be dimensionless, but '5 kW' is energy/time"},
    /* "{ solve: fleet.servers, metric: fleet.gpus, target: 80, " is 56 characters: col 61 */
    {PRE "{ solve: fleet.servers, metric: fleet.gpus, target: 80, form: 1, to: 20 }\n",
     "a.yaml:4:61: error: unknown key 'form' in solve (did you mean from?)"},
    {PRE "{ solve: zzzz, metric: fleet.gpus, target: 80 }\n",
     "a.yaml:4:14: error: unknown input 'zzzz' (run 'llmcost params' for the list of names)"},
    /* "{ solve: fleet.servers, metric: " is 32 characters: col 37 */
    {PRE "{ solve: fleet.servers, metric: fleet.server, target: 80 }\n",
     "a.yaml:4:37: error: fleet.server is a choice, not a number"},
    {PRE "{ solve: fleet.server, metric: fleet.gpus, target: 80 }\n",
     "a.yaml:4:14: error: fleet.server is a choice, not a number"},
    /* "{ solve: fleet.servers, metric: fleet.gpus, target: 80, from: 1, to: " is 69: col 74 */
    {PRE "{ solve: fleet.servers, metric: fleet.gpus, target: 80, from: 1, to: 1 }\n",
     "a.yaml:4:74: error: to must differ from from"},

    /* --- errors found when the analysis runs -------------------------------------------- */
    /* report: lists only an input, so there is no default metric */
    {"scenario: x\ninputs: {fleet.servers: {low: 5, high: 20}}\nreport: [fleet.servers]\n"
     "analyses:\n  - { montecarlo: 10 }\n",
     "a.yaml:5:5: error: no metric to analyse: name one (metric:)"},
    /* electricity.price is not set: the cost cannot be computed */
    {"scenario: x\ninputs: {fleet.server: dgx-a100, fleet.servers: 10, power.cooling_ratio: 1}\n"
     "analyses:\n  - { montecarlo: 10, metrics: [electricity.cost_per_day] }\n",
     "a.yaml:4:5: error: electricity.cost_per_day cannot be computed: the scenario leaves some of "
     "its inputs unset (see llmcost explain a.yaml electricity.cost_per_day)"},
    {PRE "{ montecarlo: 10, metrics: [fleet.gpus] }\n",
     "a.yaml:4:5: error: no input of a.yaml has a distribution: give some inputs a range, e.g. "
     "electricity.price: { low: 0.5 CNY/kWh, high: 0.8 CNY/kWh }"},
    {"scenario: x\ninputs: {fleet.server: dgx-a100, fleet.servers: {low: 5, high: 20}}\n"
     "analyses:\n  - { sobol: 16, metrics: [fleet.gpus] }\n",
     "a.yaml:4:5: error: Sobol indices need at least two inputs with distributions; a.yaml has 1"},
    /* cooling ratio 0: no default range (a hundredth to a hundred times 0) */
    {"scenario: x\ninputs: {power.cooling_ratio: 0}\n"
     "analyses:\n  - { solve: power.cooling_ratio, metric: power.pue, target: 3 }\n",
     "a.yaml:4:5: error: give the range to search: from: and to: (--from, --to)"},
    /* m rests on electricity.hours alone, a library default the scenario does not set */
    {"scenario: x\nmetrics: { m: electricity.hours * 2 }\n"
     "analyses:\n  - { tornado: m }\n",
     "a.yaml:4:5: error: no input the scenario sets moves m"},
    /* 10 servers x 8 GPUs: fleet.gpus is 8 at 1 server and 16 at 2, never 100 */
    {PRE "{ solve: fleet.servers, metric: fleet.gpus, target: 100, from: 1, to: 2 }\n",
     "a.yaml:4:5: error: no value of fleet.servers between 1 servers and 2 servers makes "
     "fleet.gpus reach 100 GPU: it ranges from 8 GPU to 16 GPU there (widen the range with "
     "from:/to: or --from/--to)"},

    /* --- charts: (checked before the analyses run, even without --plot) ------------------ */
    /* "charts: " is 8 characters: the value at col 9, the first chart at col 10 */
    {INPUTS "charts: 5\n", "a.yaml:3:9: error: charts must be a list"},
    {INPUTS "charts: [5]\n",
     "a.yaml:3:10: error: a chart is { stacked: [metrics] } or { bars: [metrics] }"},
    {INPUTS "charts: [{}]\n",
     "a.yaml:3:10: error: a chart is { stacked: [metrics] } or { bars: [metrics] }"},
    /* 'colour' is far from stacked, bars and title; "charts: [{ bars: [fleet.gpus], " is 31 */
    {INPUTS "charts: [{ bars: [fleet.gpus], colour: red }]\n",
     "a.yaml:3:32: error: unknown key 'colour' in a chart (expected one of: stacked, bars, title)"},
    {INPUTS "charts: [{ title: t }]\n",
     "a.yaml:3:10: error: a chart needs stacked: or bars: with 1 to 16 metric names"},
    {INPUTS "charts: [{ bars: [] }]\n",
     "a.yaml:3:10: error: a chart needs stacked: or bars: with 1 to 16 metric names"},
    {INPUTS "charts: [{ stacked: fleet.gpus }]\n",
     "a.yaml:3:10: error: a chart needs stacked: or bars: with 1 to 16 metric names"},
    /* "charts: [{ bars: [" is 18 characters: the first name at col 19 */
    {INPUTS "charts: [{ bars: [zzzz] }]\n",
     "a.yaml:3:19: error: unknown metric 'zzzz' (run 'llmcost params' for the list of names)"},
    {INPUTS "charts: [{ bars: [[a]] }]\n",
     "a.yaml:3:19: error: unknown metric '?' (run 'llmcost params' for the list of names)"},
    /* "charts: [{ bars: [fleet.gpus, " is 30 characters: the second name at col 31 */
    {INPUTS "charts: [{ bars: [fleet.gpus, electricity.price] }]\n",
     "a.yaml:3:31: error: the metrics of one chart must share a unit: electricity.price is in "
     "USD/kWh, not GPU"},
    /* "charts: [{ stacked: [" is 21 characters: col 22 */
    {"scenario: x\ninputs: {fleet.server: dgx-a100, fleet.servers: 10, power.cooling_ratio: 1}\n"
     "charts: [{ stacked: [electricity.cost_per_day] }]\n",
     "a.yaml:3:22: error: electricity.cost_per_day cannot be computed in this scenario"},
};

/* Load, check charts, parse and run each analysis: the first error, printed as llmcost
 * prints it, or "" when everything passes. */
static void first_error(const char *text, char *buf, size_t size)
{
    lc_error err;
    lc_scenario *s;
    lc_an_output o;
    lc_doc *doc = lc_doc_alloc("test");
    size_t i;
    int rc = LC_OK;

    assert_non_null(doc);
    buf[0] = '\0';
    lc_error_clear(&err);
    s = lc_scenario_load_text("a.yaml", text, strlen(text), NULL, 0, NULL, &err);
    if (s == NULL) {
        snprintf(buf, size, "load failed: %s", err.msg);
        lc_doc_free(doc);
        return;
    }
    memset(&o, 0, sizeof o);
    o.doc = doc;
    rc = lc_analysis_scenario_charts(s, &o, NULL, &err);
    for (i = 0; rc == LC_OK && s->analyses && i < s->analyses->n; i++) {
        lc_analysis a;
        rc = lc_analysis_parse(s, s->analyses->items[i], &a, &err);
        if (rc == LC_OK)
            rc = lc_analysis_run(s, &a, &o, &err);
    }
    if (rc != LC_OK) {
        char *p;
        FILE *m = fmemopen(buf, size, "w");
        assert_non_null(m);
        lc_error_print(&err, m);
        fclose(m);
        if ((p = strchr(buf, '\n')) != NULL)
            *p = '\0';
    }
    lc_scenario_free(s);
    lc_doc_free(doc);
}

static void every_error(void **state)
{
    size_t i, bad = 0;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[1024];
        first_error(cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0) {
            print_error("case %zu:\n  text: %s  want: %s\n  got:  %s\n", i, cases[i].text,
                        cases[i].want, got[0] ? got : "(no error)");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

static lc_scenario *load_ok(const char *text)
{
    lc_error err;
    lc_scenario *s;
    lc_error_clear(&err);
    s = lc_scenario_load_text("a.yaml", text, strlen(text), NULL, 0, NULL, &err);
    if (s == NULL)
        fail_msg("load: %s", err.msg);
    return s;
}

static void parse_one(lc_scenario *s, lc_analysis *a)
{
    lc_error err;
    lc_error_clear(&err);
    assert_non_null(s->analyses);
    if (lc_analysis_parse(s, s->analyses->items[0], a, &err) != LC_OK)
        fail_msg("parse: %s", err.msg);
}

/* The spellings the schema accepts, and the numbers they give. */
static void accepted_spellings(void **state)
{
    lc_scenario *s;
    lc_analysis a;
    (void)state;

    /* 1K samples = 1000; seed 1e3 = 1000; threads 3; metrics as one name (not a list); a
     * threshold on a metric that is not listed adds it (fleet.gpus, then power.pue). */
    s = load_ok(PRE "{ montecarlo: 1K, seed: 1e3, threads: 3, method: lhs, metrics: fleet.gpus, "
                    "threshold: { power.pue: 150% } }\n");
    parse_one(s, &a);
    assert_int_equal(a.kind, LC_AN_MC);
    assert_int_equal(a.samples, 1000);
    assert_int_equal(a.seed, 1000);
    assert_int_equal(a.threads, 3);
    assert_int_equal(a.method, LC_MC_LHS);
    assert_int_equal(a.nmetrics, 2);
    assert_int_equal(a.metrics[0], (size_t)lc_model_find(s->model, "fleet.gpus"));
    assert_int_equal(a.metrics[1], (size_t)lc_model_find(s->model, "power.pue"));
    assert_true(isnan(a.threshold[0]));
    assert_true(fabs(a.threshold[1] - 1.5) < 1e-12); /* 150% = 1.5 */
    lc_scenario_free(s);

    /* log: false and no, by_log: no: linear axes; from/to in the input's unit (servers). */
    s = load_ok(PRE "{ sweep: fleet.servers, from: 2, to: 4, steps: 5, log: false, "
                    "by: power.cooling_ratio, by_from: 50%, by_to: 1.5, by_steps: 2, by_log: no }\n");
    parse_one(s, &a);
    assert_int_equal(a.kind, LC_AN_SWEEP);
    assert_int_equal(a.logx, 0);
    assert_int_equal(a.logy, 0);
    assert_int_equal(a.steps, 5);
    assert_int_equal(a.steps2, 2);
    assert_true(a.has_input2);
    assert_true(fabs(a.from - 2) < 1e-12 && fabs(a.to - 4) < 1e-12);
    assert_true(fabs(a.from2 - 0.5) < 1e-12 && fabs(a.to2 - 1.5) < 1e-12);
    lc_scenario_free(s);

    /* solve without from/to keeps the range unset (NaN: searched around the base value) */
    s = load_ok(PRE "{ solve: fleet.servers, metric: fleet.gpus, target: 80 GPU }\n");
    parse_one(s, &a);
    assert_int_equal(a.kind, LC_AN_SOLVE);
    assert_true(isnan(a.from) && isnan(a.to));
    assert_true(fabs(a.target - 80) < 1e-12);
    lc_scenario_free(s);

    /* sobol with seed and threads */
    s = load_ok(PRE "{ sobol: 64, seed: 9, threads: 1, metrics: [fleet.gpus, power.pue] }\n");
    parse_one(s, &a);
    assert_int_equal(a.kind, LC_AN_SOBOL);
    assert_int_equal(a.samples, 64);
    assert_int_equal(a.seed, 9);
    assert_int_equal(a.threads, 1);
    assert_int_equal(a.nmetrics, 2);
    lc_scenario_free(s);

    /* tornado: delta 25% = 0.25 */
    s = load_ok(PRE "{ tornado: fleet.gpus, delta: 25% }\n");
    parse_one(s, &a);
    assert_int_equal(a.kind, LC_AN_TORNADO);
    assert_true(fabs(a.delta - 0.25) < 1e-12);
    lc_scenario_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_error),
        cmocka_unit_test(accepted_spellings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
