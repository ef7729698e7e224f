/* lc_claims — verdicts on the source documents' claims: the stated value
 * against the value the scenario computes, with the assumptions behind it.
 * Borrows the scenario. */
#ifndef LC_CLAIMS_H
#define LC_CLAIMS_H

#include <stddef.h>
#include <stdio.h>

#include "lc_scenario.h"

typedef struct lc_verdict {
    double computed;   /* base units; NaN when the metric cannot be computed */
    double deviation;  /* (computed - stated) / |stated| (for ranges: from the nearer end; 0
                          inside); NaN when the stated value is 0 and they differ */
    double difference; /* computed - stated (nearer end), base units; NaN when not computed */
    int holds;         /* 1 holds, 0 does not, -1 cannot be computed or not reached */
    int censored;      /* not reached: the event is beyond the simulated horizon */
    /* malloc'd, never cut; NULL only when out of memory (lc_claims_judge
     * returns LC_ENOMEM); free with lc_verdict_release */
    char *text;        /* "holds (within 5%)", "does not hold: computed is 35% above ..." */
    char *implied;     /* "inf.output_tokens = 492 tokens would give ..." or NULL */
    char *assumptions; /* "fleet.servers = 1000; electricity.price = 0.63 CNY/kWh; ..." */
} lc_verdict;

/* Judge claim c of s into *v: LC_OK, or LC_ENOMEM (v is then still to be
 * released). */
int lc_claims_judge(const lc_scenario *s, const lc_claim *c, lc_verdict *v);
void lc_verdict_release(lc_verdict *v);

/* "about", "at_least", "at_most", "range". */
const char *lc_claims_kind_name(lc_claim_kind kind);


#endif
