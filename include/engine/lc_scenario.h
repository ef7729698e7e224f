/* lc_scenario — a scenario file: its YAML tree checked against the schema and
 * turned into a compiled model (inputs, distributions, formulas of its own),
 * claims, the report list and the analyses it asks for.
 *
 * Owns: the tree, the units context, the catalog, the model, the claims.
 * Schema (README, "Scenario files"): scenario, description, claims_from,
 * currency, fx, catalog, inputs, metrics, report, claims, analyses, charts,
 * variants, org, validation.  Unknown keys are errors with a suggestion. */
#ifndef LC_SCENARIO_H
#define LC_SCENARIO_H

#include <stddef.h>

#include "lc_catalog.h"
#include "lc_error.h"
#include "lc_model.h"
#include "lc_units.h"
#include "lc_yaml.h"

typedef enum { LC_CLAIM_ABOUT, LC_CLAIM_AT_LEAST, LC_CLAIM_AT_MOST, LC_CLAIM_RANGE } lc_claim_kind;

typedef struct lc_claim {
    const char *id;        /* claim id (E3, T1, ...): borrowed from the tree */
    const char *text;      /* the claim in words, or NULL */
    const char *metric;    /* the metric it is checked against */
    size_t qi;             /* that metric's index in the model */
    lc_claim_kind kind;
    double stated, stated_hi; /* base units; stated_hi for ranges */
    const char *stated_text;
    const char *stated_hi_text; /* ranges */
    double tolerance;      /* relative (0.05 = 5%), or absolute in base units (tol_absolute) */
    int tol_absolute;      /* tolerance: given with the metric's unit (5 USD/day) */
    const char *tolerance_text; /* as written, or NULL (the default 5%) */
    const char *source;    /* where the claim is made */
    const char *note;      /* what the computation assumes, in words */
    int given;             /* given: true, the scenario only restates the number */
    int has_implied;       /* implied: the input whose value would make the claim exact */
    size_t implied;
    lc_mark mark;
} lc_claim;

/* A --set NAME=VALUE from the command line. */
typedef struct lc_override {
    const char *name;
    const char *value;
} lc_override;

typedef struct lc_scenario {
    char *path;
    const char *name;         /* scenario: (borrowed from tree) */
    const char *description;
    const char *claims_from;
    lc_yaml_node *tree;
    lc_units units;
    lc_catalog catalog;
    lc_model *model;
    lc_claim *claims;
    size_t nclaims;
    const lc_yaml_node *report;   /* report: sequence, or NULL */
    const lc_yaml_node *analyses; /* analyses: sequence, or NULL */
    const lc_yaml_node *charts;
    const lc_yaml_node *variants;
    const lc_yaml_node *org;
    const lc_yaml_node *validation; /* published figures to check against (llmcost validate) */
} lc_scenario;

/* Load, validate and compile.  `currency` (may be NULL) sets the display
 * currency (--currency).  NULL with err on failure. */
lc_scenario *lc_scenario_load(const char *path, const lc_override *sets, size_t nsets,
                              const char *currency, lc_error *err);

/* The same from text in memory (tests, fuzzing). */
lc_scenario *lc_scenario_load_text(const char *name, const char *text, size_t len,
                                   const lc_override *sets, size_t nsets, const char *currency,
                                   lc_error *err);

void lc_scenario_free(lc_scenario *s);

/* Metrics to report, in library order: the report: list if any, else every
 * formula the scenario can compute.  *out is malloc'd. */
int lc_scenario_report(const lc_scenario *s, size_t **out, size_t *n, lc_error *err);

/* Parse a quantity node against an input's dimension, for analyses. */
int lc_scenario_quantity(const lc_scenario *s, const lc_yaml_node *node, lc_dim want,
                         const char *what, double *value, lc_error *err);

/* A claim's tolerance: node (NULL: the default 5%) is a share between 0% and
 * 100% of the stated value, or an amount >= 0 in the unit of the metric
 * (dimension `dim`): 5 USD/day.  Fills c->tolerance and c->tol_absolute. */
int lc_scenario_tolerance(const lc_scenario *s, const lc_yaml_node *node, lc_dim dim, lc_claim *c,
                          lc_error *err);

/* Fail with "unknown key" (and a suggestion) if map has a key not in keys[]. */
int lc_scenario_check_keys(const lc_yaml_node *map, const char *const *keys, size_t nkeys,
                           const char *where, lc_error *err);

#endif
