/* lc_analyses — the drivers over the cost model: Monte Carlo, sweeps (1-D and
 * 2-D), tornado, Sobol indices and solve.  Each chooses input vectors, calls
 * the model's evaluator and adds its results to a document (lc_result.h): a
 * section with its tables and, when charts are wanted, their chart data.
 * Drivers never print or draw; the command renders and draws the document.
 *
 * An lc_analysis is plain data (indices into the scenario's model, values in
 * base units); it comes from a scenario's analyses: list or the command line.
 * Borrows the scenario. */
#ifndef LC_ANALYSES_H
#define LC_ANALYSES_H

#include <stdint.h>
#include <stdio.h>

#include "lc_mc.h"
#include "lc_plot.h"
#include "lc_result.h"
#include "lc_scenario.h"

#define LC_AN_METRICS_MAX 16
#define LC_AN_STEPS_MAX   10000        /* points along one sweep axis */
#define LC_AN_SAMPLES_MAX 1000000000   /* Monte Carlo samples */
#define LC_AN_SOBOL_MAX   (1u << 24)   /* Sobol base samples */
#define LC_AN_POINTS_MAX  1000000      /* sweep points (steps x by_steps): chart rows */
#define LC_AN_SEED_MAX    (1ull << 53) /* exact in a JSON number */

typedef enum { LC_AN_MC, LC_AN_SWEEP, LC_AN_TORNADO, LC_AN_SOBOL, LC_AN_SOLVE } lc_an_kind;

typedef struct lc_analysis {
    lc_an_kind kind;
    lc_mark mark;
    size_t metrics[LC_AN_METRICS_MAX]; /* model indices of the outputs */
    size_t nmetrics;
    /* sweep (x, and y for 2-D) and solve (x) */
    size_t input, input2;
    int has_input2;
    double from, to, from2, to2; /* base units */
    size_t steps, steps2;
    int logx, logy;
    /* Monte Carlo and Sobol */
    size_t samples;
    uint64_t seed;
    unsigned threads;
    lc_mc_method method;
    int stream;                          /* Monte Carlo in constant memory (sketched percentiles) */
    double threshold[LC_AN_METRICS_MAX]; /* P(metric > threshold); NaN = none */
    /* tornado: relative move of each input when it has no distribution (0.1 = 10%) */
    double delta;
    /* solve: the value the metric must reach */
    double target;
} lc_analysis;

/* Where drivers put their results. */
typedef struct lc_an_output {
    lc_doc *doc;  /* each analysis adds a level-2 section */
    int plot;     /* add chart data to the sections */
    int progress; /* progress bar on stderr */
} lc_an_output;

/* Defaults: 10,000 samples, seed 1, all cores, random sampling, 10% tornado. */
void lc_analysis_init(lc_analysis *a, lc_an_kind kind);

/* Parse one entry of a scenario's analyses: list. */
int lc_analysis_parse(lc_scenario *s, const lc_yaml_node *node, lc_analysis *a, lc_error *err);

/* The limits every analysis obeys, from a file or the command line alike:
 * samples, seed, threads, steps, at most LC_AN_POINTS_MAX sweep points, a
 * non-empty finite range (solve's from below its to).  Called by
 * lc_analysis_parse and for the command line, before any work or output.
 * LC_EINPUT at a->mark for a file's entry, LC_EUSAGE for the command line
 * (a mark without a line). */
int lc_analysis_check(lc_scenario *s, const lc_analysis *a, lc_error *err);

/* Fill a's metrics with the defaults when it has none: the metrics the
 * scenario's claims check, else its report list (at most LC_AN_METRICS_MAX). */
int lc_analysis_default_metrics(lc_scenario *s, lc_analysis *a, lc_error *err);

/* Run and add the results to o->doc.  Status LC_OK, or an error code with err
 * filled. */
int lc_analysis_run(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err);

/* Check the charts a scenario lists under charts: (stacked cost breakdowns and
 * grouped bars of its own metrics) and, with o->plot and sec, add them to sec. */
int lc_analysis_scenario_charts(lc_scenario *s, const lc_an_output *o, lc_section *sec,
                                lc_error *err);

#endif
