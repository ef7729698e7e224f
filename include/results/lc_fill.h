/* lc_fill — drivers' results into documents (lc_result.h).  Every command and
 * the report build their documents through these, so a table is made in one
 * place whatever renders it.  Borrow the scenarios. */
#ifndef LC_FILL_H
#define LC_FILL_H

#include <stddef.h>

#include "lc_claims.h"
#include "lc_org.h"
#include "lc_quantity.h"
#include "lc_result.h"
#include "lc_scenario.h"
#include "lc_simulate.h"
#include "lc_validate.h"

/* The level-1 section of a scenario: title, file (relative as given), currency. */
lc_section *lc_fill_scenario_section(lc_doc *d, const lc_scenario *s);

/* Metrics qis[0..n) as table "metrics": name, label, value, unit, doc. */
void lc_fill_metrics(lc_section *sec, const lc_scenario *s, const size_t *qis, size_t n);
/* The same as a table with this id and title. */
void lc_fill_metrics_table(lc_section *sec, const char *id, const char *title, const lc_scenario *s,
                           const size_t *qis, size_t n);

/* One row of a claims table. */
typedef struct lc_claim_ref {
    const lc_scenario *s;
    const lc_claim *c;
} lc_claim_ref;

/* Claims as table "claims" with their verdicts; returns how many do not hold
 * or cannot be computed. */
size_t lc_fill_claims(lc_section *sec, const lc_claim_ref *rows, size_t n, int with_scenario);

/* The explanation of metrics qis[0..n): a level-2 section each with the
 * value, formula, numbers put in, source, and table "inputs". */
void lc_fill_explain(lc_doc *d, const lc_scenario *s, const size_t *qis, size_t n);

/* The inputs a scenario sets, with their distributions and sources, as table
 * "assumptions" of sec. */
void lc_fill_assumptions(lc_section *sec, const lc_scenario *s);

/* Organisations side by side into sec: the odds of lasting 36 and 60 months
 * (sim[i], the org's sim.* metrics as lc_simulate_run computes them, or NULL
 * for the base case's yes/no), runway, break-even, NPVs, compute and total
 * spend a year; with plot every organisation's cash and cumulative spend on
 * one chart each, patience marked. */
void lc_fill_orgs_compare(lc_section *sec, const lc_scenario *const *s,
                          const lc_org_timeline *const *t, const double *const *sim, size_t n,
                          int plot);

/* A simulation (lc_simulate_run) into sec, or a new scenario section of d
 * when sec is NULL: tables "outlook", "money" (NPV, paybacks, owning against
 * renting), "monte_carlo" and "uncertain" (when it ran), "metrics" (every
 * sim.*), "years", "months" and "claims" (when there are any); with plot the
 * charts of cash (with its P5-P95 band), cumulative cash discounted and the
 * fleet, named STEM-simulate-....  Returns how many claims do not hold or
 * cannot be computed. */
size_t lc_fill_simulation(lc_doc *d, lc_section *sec, const lc_simulate *r, int plot);

/* llmcost validate's runs into sec: table "figures" (every published figure
 * in both passes, its error and status), "sources" and "calibration" (the runs
 * with an interval), the calibration's and the checked figures' counts as
 * sentences, their numbers as hidden facts for JSON and CSV. */
void lc_fill_validate(lc_section *sec, const lc_validate_results *r, const lc_validate_cal *c);

/* The training metrics' 90% interval (lc_validate_training_interval) as table
 * "training_interval" of a scenario's section; nothing when t->n is 0. */
void lc_fill_training_interval(lc_section *sec, const lc_scenario *s,
                               const lc_validate_training *t);

#endif
