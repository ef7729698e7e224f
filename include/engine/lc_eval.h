/* lc_eval — the one function every analysis drives: a block of input vectors in,
 * a block of metric vectors out.
 *
 * The compiled scenario (lc_model) provides an lc_evaluator; Monte Carlo, Sobol,
 * sweeps, tornado and solve only see this interface.  Values are in base units
 * (see lc_units.h): seconds, joules, the scenario currency, FLOP, bytes, tokens,
 * kg CO2e.  An evaluator is shared read-only between threads; each thread gets
 * its own workspace from ws_alloc. */
#ifndef LC_EVAL_H
#define LC_EVAL_H

#include <stddef.h>

/* Points evaluated per call: small enough that a block of every slot stays in
 * cache, large enough that the per-instruction dispatch is amortised. */
#define LC_BLOCK 256

typedef struct lc_evaluator {
    size_t n_in;  /* uncertain (varied) inputs, in a fixed order */
    size_t n_out; /* metrics computed */
    void *ctx;    /* borrowed by the analysis; owned by whoever built it */
    /* Per-thread scratch; NULL on out-of-memory. */
    void *(*ws_alloc)(void *ctx);
    void (*ws_free)(void *ws);
    /* in[j][i]: input j of point i; out[m][i] receives metric m of point i;
     * 1 <= n <= LC_BLOCK.  Returns 0 (or an error code); a metric that is not
     * finite is left as NaN/Inf in out, for the caller to count. */
    int (*eval)(void *ctx, void *ws, const double *const *in, double *const *out, size_t n);
} lc_evaluator;

#endif
