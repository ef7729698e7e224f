/* lc_simulate — an organisation simulated (llmcost simulate, report, claims):
 * the base case month by month (lc_org_run at the inputs' point values), a
 * Monte Carlo of the whole timeline over the scenario's uncertain inputs and
 * the funding rounds' odds, the sim.* metrics published into the scenario's
 * model, and the claims judged on them.  One function, so a claim has one
 * verdict wherever it is shown.
 *
 * Monte Carlo: every input with a distribution that reaches the org is
 * sampled (lc_dist_sample), the org's references evaluated over blocks of
 * LC_BLOCK samples, each funding round drawn as closing or not; block b uses
 * its own lc_mc_rng stream (seed, b), so results do not depend on the thread
 * count.  It gives the share of samples whose cash lasts 36 and 60 months
 * (NaN when the horizon is shorter), the share reaching break-even, P5/P50/P95
 * of compute spend a year, of the NPV and of the cash each month, and
 * P(NPV > 0).  Samples whose run is not finite are counted and left out.  No
 * Monte Carlo runs (mc.ran 0) with 0 samples, or when nothing the org reads
 * varies and no round is uncertain.  samples x months is at most
 * LC_SIMULATE_MAX_CELLS (the cash of every sample is kept for the bands).
 *
 * Owns: the run (lc_simulate_free): the parsed org, the base-case timeline,
 * the Monte Carlo's arrays, the org's claims and the list of claims judged.
 * Borrows the scenario, which must outlive the run; lc_simulate_run writes the
 * sim.* values into its model (lc_org_publish).  Never prints or draws. */
#ifndef LC_SIMULATE_H
#define LC_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "lc_claims.h"
#include "lc_error.h"
#include "lc_org.h"
#include "lc_scenario.h"

#define LC_SIMULATE_MAX_CELLS 50000000.0 /* samples x months kept for the bands (400 MB) */

/* The Monte Carlo that claims and report judge an organisation on, the same in
 * both so that a claim has one verdict wherever it is shown.  (The fuzz build
 * sets fewer samples: under ASan 1,000 take seconds an input.) */
#ifndef LC_SIMULATE_JUDGE_SAMPLES
#define LC_SIMULATE_JUDGE_SAMPLES 1000
#endif
#define LC_SIMULATE_JUDGE_SEED 1

/* The Monte Carlo's results (all zero when it did not run). */
typedef struct lc_simulate_mc {
    int ran;                     /* 1 when it ran */
    int rounds;                  /* 1 when funding rounds were drawn */
    size_t n, n_failed;          /* samples; of them not finite (left out) */
    size_t nv;                   /* inputs varied ... */
    size_t *varied;              /* ... their model indices, nv of them */
    size_t threads;
    uint64_t seed;
    double survival36, survival60, p_breakeven; /* shares of the finite samples */
    double compute_pct[3];       /* P5, P50, P95 of compute spend a year (CUR/s) */
    double npv_pct[3];           /* P5, P50, P95 of the NPV */
    double p_npv_positive;
    double *band;                /* months x 3: P5, P50, P95 of cash, month-major */
} lc_simulate_mc;

/* A simulation run; read-only for its users. */
typedef struct lc_simulate {
    lc_scenario *s;              /* borrowed */
    lc_org *o;
    lc_org_timeline t;           /* the base case */
    lc_simulate_mc mc;
    double sim[LC_SIM_NMETRICS]; /* the sim.* values: the base case's, survival from mc */
    lc_claim *oc;                /* the org's claims, qi remapped to the model */
    const lc_claim **cl;         /* the claims judged: the scenario's on sim.*, then the org's */
    size_t ncl;
} lc_simulate;

/* Simulate s's org: with a Monte Carlo of samples (0: none) on threads
 * threads.  NULL with err set when s has no org:, the org or a run fails, or
 * memory runs out. */
lc_simulate *lc_simulate_run(lc_scenario *s, size_t samples, uint64_t seed, unsigned threads,
                             lc_error *err);
/* The claims the simulation judges (r->cl, r->ncl); valid until lc_simulate_free. */
const lc_claim *const *lc_simulate_claims(const lc_simulate *r, size_t *n);
void lc_simulate_free(lc_simulate *r);

#endif
