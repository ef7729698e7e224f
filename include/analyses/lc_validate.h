/* lc_validate — the cost model against published training runs (llmcost
 * validate), and the 90% interval of a training prediction (llmcost run and
 * report).
 *
 * Owns: everything in an lc_validate_results (lc_validate_release).  Borrows:
 * the sets and currency for the call of lc_validate_file (its scenarios are
 * loaded and freed inside); lc_validate_interval and
 * lc_validate_training_interval borrow the scenario, whose quantities stay as
 * they were.  The document tables are lc_fill_validate and
 * lc_fill_training_interval (lc_fill.h); the serving runs are lc_serving.h.
 *
 * Schema: a validation run is a scenario with a validation: mapping (keys
 * checked strictly, errors positioned):
 *
 *   validation:
 *     source: "Patterson et al. 2021, Table 4"           # required
 *     note: "..."                                         # optional
 *     conventions:                  # NAME: VALUE pinned in the second pass, as
 *       train.gpu_hours: 3552000 GPU-hour   # --set NAME=VALUE would take it
 *     published:                    # METRIC: { value, tolerance, ... } or METRIC: VALUE
 *       train.gpu_hours: { value: 3552000 GPU-hour, tolerance: 30% }
 *       train.energy: { value: 1287 MWh, conventions_tolerance: 2% }
 *
 * Conventions name inputs or library formulas (not the scenario's own
 * formulas); a value is a scalar as --set takes it.  Published entries take
 * value (required, not zero), tolerance, conventions_tolerance (needs
 * conventions:), source and note; the metric must be a number.
 *
 * Numbers.  Each run is computed twice: the predicted pass (the scenario as
 * written, then the caller's sets) and, when conventions: pins something, the
 * conventions pass (the conventions, then the sets).  In each pass a figure
 * is: within or off (checked: |error| <= tolerance, relative 1e-12 slack),
 * unchecked (no tolerance for that pass), pinned (the metric is set, not
 * computed, in that pass: nothing to check) or not computed (the scenario
 * leaves an input unset; off when checked).  The error is computed /
 * published - 1 (below 1e-13 in magnitude: 0).
 *
 * Calibration: for every run that publishes LC_VALIDATE_CAL_METRIC and
 * computes it, a Monte Carlo over the scenario's distributions (the catalog's
 * fitted MFU and failure rate; LC_VALIDATE_SAMPLES samples, seed
 * LC_VALIDATE_SEED) gives the 90% interval (P5, P95) of the prediction, and
 * the MFU while running that reproduces the published figure (GPU-hours are
 * inversely proportional to MFU) is implied.  Over the runs: coverage (the
 * published figure inside its interval), the median and largest P95/P5, the
 * median |point / published - 1|, the fit of ln(implied MFU) (mean, sd) over
 * the runs that use the catalog's fitted MFU, with its leave-one-out coverage
 * (the left-out ln MFU within 1.645 sd of the others' mean), and the catalog's
 * own lognormal (from training: mfu: p5, p95) to compare. */
#ifndef LC_VALIDATE_H
#define LC_VALIDATE_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_scenario.h"

#define LC_VALIDATE_DIR "scenarios/validation"
/* The metric whose published value calibrates the predicted interval. */
#define LC_VALIDATE_CAL_METRIC "train.gpu_hours_total"
/* Monte Carlo for each interval: samples and seed (fixed, so that the output
 * is reproducible). */
#define LC_VALIDATE_SAMPLES 20000
#define LC_VALIDATE_SEED    1

typedef enum lc_validate_status {
    LC_VALIDATE_WITHIN,
    LC_VALIDATE_OFF,
    LC_VALIDATE_UNCHECKED,
    LC_VALIDATE_PINNED,
    LC_VALIDATE_MISSING /* not computed */
} lc_validate_status;

/* "within", "off", "unchecked", "pinned", "not computed". */
const char *lc_validate_status_name(lc_validate_status st);
/* "predicted" (conventions 0) or "conventions". */
const char *lc_validate_pass_name(int conventions);

/* One published figure in one pass. */
typedef struct lc_validate_row {
    size_t run;      /* index into the runs */
    int conventions; /* 0 predicted pass, 1 conventions pass */
    char *metric;
    char unit[64];    /* display unit */
    char *note;       /* the published entry's note, or NULL */
    double computed;  /* display unit; NaN when not computed */
    double published; /* display unit */
    double error_pct; /* NaN when not computed */
    double tol_pct;   /* NaN when not checked in this pass */
    lc_validate_status status;
} lc_validate_row;

/* One validated scenario. */
typedef struct lc_validate_run {
    char *id;   /* file name without folder and .yaml ("stdin" for -) */
    char *name; /* scenario: */
    char *file;
    char *source; /* validation: source: */
    char *currency;
    char **pins; /* "NAME=VALUE" of each convention */
    size_t npins;
    /* Calibration of the predicted LC_VALIDATE_CAL_METRIC, base units (s). */
    int has_cal;        /* the run publishes it and the model computes it */
    double published;   /* published GPU-hours */
    double point;       /* point prediction */
    double p5, p95;     /* 90% interval of the Monte Carlo over the uncertain inputs */
    int fitted_mfu;     /* train.mfu is the catalog's fitted distribution */
    double mfu_implied; /* MFU while running that reproduces the published figure */
} lc_validate_run;

/* Every run and row so far; zero it before the first lc_validate_file. */
typedef struct lc_validate_results {
    lc_validate_run *runs;
    size_t nruns, capruns;
    lc_validate_row *rows;
    size_t nrows, caprows;
    size_t checked, within, off; /* checked rows; off counts the not computed */
    double fit_p5, fit_p95;      /* the catalog's MFU distribution (lc_validate_calibrate) */
} lc_validate_results;

/* The calibration over the runs. */
typedef struct lc_validate_cal {
    size_t n, inside;    /* runs with an interval; published inside it */
    double median_width; /* median P95/P5 */
    double max_width;
    double median_abs_error;         /* median |point / published - 1| */
    size_t nfit;                     /* runs with the fitted MFU: the data of the fit */
    double log_mean, log_sd;         /* of ln(implied MFU) over them */
    size_t loo_inside;               /* leave-one-out: inside the refit's 90% interval */
    double cat_log_mean, cat_log_sd; /* the catalog's distribution */
} lc_validate_cal;

/* Validate the scenario in path ("-": standard input, read once for both
 * passes) into r: one run, its rows of both passes and its calibration.
 * LC_OK, or an error code with err (bad file or validation: mapping, a
 * convention that does not apply, out of memory); r is then still to be
 * released. */
int lc_validate_file(const char *path, const lc_override *sets, size_t nsets, const char *currency,
                     lc_validate_results *r, lc_error *err);

/* The catalog's MFU distribution into r->fit_p5, fit_p95, then the
 * calibration over r's runs into *c (c->n is 0 when no run has an interval). */
int lc_validate_calibrate(lc_validate_results *r, lc_validate_cal *c, lc_error *err);

void lc_validate_release(lc_validate_results *r);

/* The 90% interval of metrics out[0..nout) (at most LC_MC_KEEP_MAX) by Monte
 * Carlo over every input with a distribution; p5 = p95 = the point value when
 * nothing is uncertain.  Base units. */
int lc_validate_interval(lc_scenario *s, const size_t *out, size_t nout, double *p5, double *p95,
                         lc_error *err);

/* The training metrics an interval is given for, in this order:
 * train.gpu_hours, gpu_hours_total, days, energy, co2, cost_total, cost_cloud. */
#define LC_VALIDATE_TRAINING_MAX 7

typedef struct lc_validate_training {
    size_t n;                            /* 0: no interval (see below) */
    size_t qi[LC_VALIDATE_TRAINING_MAX]; /* the metrics the scenario computes */
    double p5[LC_VALIDATE_TRAINING_MAX], p95[LC_VALIDATE_TRAINING_MAX]; /* base units */
} lc_validate_training;

/* The 90% interval of the training metrics s computes, when its train.mfu is
 * the catalog's fitted distribution (a scenario that chose its own MFU gets
 * none: n = 0; its analyses: say the rest). */
int lc_validate_training_interval(lc_scenario *s, lc_validate_training *t, lc_error *err);

#endif
