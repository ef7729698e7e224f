/* lc_mc — Monte Carlo over an lc_evaluator: sample the inputs, evaluate in
 * blocks on POSIX threads, keep chosen outputs, summarise them.
 *
 * Borrows the evaluator and the k = ev->n_in input distributions (one per
 * evaluator input, same order) for the duration of lc_mc_run; the result owns
 * everything it points to (lc_mc_result_free).  Call lc_mc_run from one
 * thread; it calls gsl_set_error_handler_off().
 *
 * Reproducibility: results are bit-identical for any thread count with the
 * same seed.  The N points are cut into blocks of LC_BLOCK; block b draws from
 * its own random stream, lc_mc_rng_seed(seed, b) (xoshiro256** seeded through
 * splitmix64 from seed and b), so a block's contents do not depend on which
 * thread runs it or when (given an evaluator that is a pure function of its
 * inputs).
 *
 * Methods:
 *   random  independent draws (lc_dist_sample) from block b's stream.
 *   lhs     Latin hypercube: input j of point i is Q_j((P_j[i] + v) / N), P_j
 *           a random permutation of 0..N-1 drawn up front from stream
 *           2^63 + j, v uniform from block b's stream.  The permutations take
 *           4 N k bytes (32 MB for N = 10^6, k = 8); N <= 2^32 - 1.
 *   sobol   Sobol quasi-random points (gsl_qrng_sobol, first point 0 skipped)
 *           mapped through the quantiles; k <= 40.  Deterministic: the seed
 *           is not used.  Points are drawn from one sequence, in block order,
 *           under the job lock.
 * Random and Sobol hold no N x k input matrix: inputs are made per block.
 *
 * Memory.  Exact mode (the default) keeps every output: 8 bytes per sample
 * per kept metric (lc_mc_output), in one buffer advised for huge pages, plus
 * a few MB of per-thread state and the values of the sketch bins that hold
 * wanted order statistics (at most GATHER_MAX = 65536 each, except a crowded
 * bin of more than 8 distinct values, copied whole: at worst 8 bytes per
 * sample more, never seen on a real scenario).  Streaming mode (opts.stream, or when the
 * kept outputs would take more than opts.max_bytes) keeps none: per metric it
 * holds exact counts, moments, min, max and threshold counts, and a log
 * histogram sketch for the percentiles, in memory that does not grow with N
 * (a few hundred kB per metric and thread).  LHS still needs its 4 N k bytes
 * of permutations in both modes.
 *
 * Summaries.  While a block of outputs is in cache, each kept metric's block
 * is counted (NaN, +Inf, -Inf, above each threshold), its finite values
 * reduced to (count, mean, M2, min, max) by the corrected two-pass formula,
 * and binned into the sketch.  Blocks are merged within fixed chunks of
 * LC_MC_CHUNK samples and chunks pairwise in chunk order (Chan, Golub and
 * LeVeque's update), so the moments do not depend on the thread count.
 *
 * Exact percentiles use the sketch as the first level of a radix selection:
 * the sketch's counts name the bin of every wanted order statistic; one pass
 * over the stored outputs (split across threads by chunk) gathers the few
 * values in those bins, or finds that a bin holds one value only, and a
 * selection inside each gathered bin gives the order statistics.  The
 * percentile is then (1 - f) x[k] + f x[k+1] with h = (m - 1) p, k = floor h,
 * f = h - k over the m finite values sorted ascending: the definition of
 * gsl_stats_quantile_from_sorted_data, bit for bit.
 *
 * The sketch (streaming percentiles).  Bins are the top 22 bits of a monotone
 * integer key of the double (sign, 11 exponent bits, the top 10 mantissa
 * bits): 1024 bins per binade, so a bin [a, b) has b - a <= 2^-10 |a| for
 * normal numbers (|x| >= 2^-1022; below that, an estimate is 0 and off by
 * less than 2^-1022).  The order statistic of rank k lies in the bin whose cumulative
 * count passes k, so an estimate taken inside that bin is within
 * LC_MC_SKETCH_REL_ERR (2^-10, 0.098%) of the exact value, whatever the data
 * (a deterministic bound, not a probabilistic one); the estimate interpolates
 * by rank across the bin and is clamped to the exact [min, max].  Its rank
 * error is at most the bin's count: that bound, as a fraction of the finite
 * count, is reported per percentile (pct_rank_err; for smooth outputs it is
 * well below 0.1%, for an output with few distinct values it may be large while
 * the value error stays within 2^-10).  Counts add, so merging sketches is
 * exact and order-free. */
#ifndef LC_MC_H
#define LC_MC_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "lc_dist.h"
#include "lc_error.h"
#include "lc_eval.h"

#define LC_MC_KEEP_MAX    16
#define LC_MC_PROBS_MAX   32
#define LC_MC_EXCEED_MAX  64
#define LC_MC_SOBOL_MAX   40 /* inputs gsl_qrng_sobol supports */
#define LC_MC_THREADS_MAX 256
/* Samples per chunk: the unit of work of a thread and of the moments' merge. */
#define LC_MC_CHUNK (64 * LC_BLOCK)
/* Exact mode is used while the kept outputs take at most this (4 GiB). */
#define LC_MC_EXACT_MAX_BYTES ((size_t)4 << 30)
/* Relative value error bound of a sketched percentile (see above). */
#define LC_MC_SKETCH_REL_ERR 0x1p-10

typedef enum lc_mc_method { LC_MC_RANDOM, LC_MC_LHS, LC_MC_SOBOL } lc_mc_method;

/* Called from the calling (main) thread about every 0.1 s and once at the end:
 * done of total units (points for Monte Carlo, evaluations for Sobol indices). */
typedef void (*lc_progress_fn)(void *user, size_t done, size_t total);

/* P(metric > value) is reported for each of these. */
typedef struct lc_mc_threshold {
    size_t metric; /* evaluator output index; must be kept */
    double value;  /* in the metric's base unit */
} lc_mc_threshold;

typedef struct lc_mc_opts {
    size_t n;         /* samples, >= 1 */
    uint64_t seed;    /* random and lhs */
    unsigned threads; /* 0 or 1 = one worker; at most LC_MC_THREADS_MAX */
    lc_mc_method method;
    const size_t *keep;            /* evaluator output indices to store and summarise, */
    size_t n_keep;                 /* 1..LC_MC_KEEP_MAX, no repeats */
    const double *probs;           /* percentiles as probabilities in [0, 1]; NULL = */
    size_t n_probs;                /* 0.05 0.25 0.5 0.75 0.95 */
    const lc_mc_threshold *exceed; /* may be NULL */
    size_t n_exceed;
    size_t nbins;            /* histogram bins per kept metric; 0 = none */
    int stream;              /* 1: constant memory, sketched percentiles, no outputs kept */
    size_t max_bytes;        /* stream anyway when n_keep * n * 8 exceeds it; 0 = */
                             /* LC_MC_EXACT_MAX_BYTES */
    lc_progress_fn progress; /* may be NULL */
    void *progress_user;
} lc_mc_opts;

/* Summary of one kept metric.  NaN and +-Inf are counted and left out of
 * the moments and percentiles; the caller reports the counts.  P(> threshold)
 * counts +Inf as above and -Inf as below every threshold (NaN left out). */
typedef struct lc_mc_summary {
    size_t metric;       /* evaluator output index */
    size_t n_finite;     /* mean/sd/... are over these */
    size_t n_nan, n_inf; /* n_nan + n_inf samples were not finite */
    size_t n_pos_inf;    /* of n_inf, +Inf */
    double mean, sd;     /* sd with the N-1 denominator; NaN if n_finite < 2 */
    double min, max;
    double *pct;          /* n_probs percentiles (linear interpolation between order
                           * statistics, as gsl_stats_quantile_from_sorted_data) */
    int *pct_exact;       /* n_probs: 1 = exact, 0 = from the sketch */
    double *pct_rank_err; /* n_probs: 0 when exact; else a bound on the rank
                           * error as a fraction of n_finite */
    /* Histogram over [hist_lo, hist_hi] = [P0.5, P99.5] of the finite outputs,
     * so that a long tail does not squeeze the bulk into one bin; the ~1%
     * outside is counted in below/above.  nbins equal bins (the last one
     * closed).  A constant output gets a narrow range around its value.  When
     * streaming, each sketch bin is counted where its middle falls. */
    size_t *hist;
    double hist_lo, hist_hi;
    size_t below, above;
} lc_mc_summary;

typedef struct lc_mc_result {
    size_t n; /* samples */
    size_t k; /* inputs */
    lc_mc_method method;
    uint64_t seed;
    size_t n_keep;
    size_t *metrics; /* n_keep evaluator output indices */
    int streamed;    /* 1: constant-memory mode, y is NULL, percentiles sketched */
    double *y;       /* n_keep * n outputs: metric j, sample i at y[j * n + i] */
    size_t n_probs;
    double *probs;      /* as used (the defaults when none were given) */
    lc_mc_summary *sum; /* n_keep */
    size_t n_exceed;
    lc_mc_threshold *thresholds; /* copies */
    double *exceed; /* n_exceed: P(metric > value) over its non-NaN outputs (+Inf above) */
    size_t nbins;
} lc_mc_result;

/* Defaults: n 10000, seed 1, one thread, random, no metric kept, default
 * percentiles, no thresholds, 40 bins, exact unless over LC_MC_EXACT_MAX_BYTES,
 * no progress. */
void lc_mc_opts_init(lc_mc_opts *o);

/* Run.  LC_EINPUT for bad options (message says which), LC_ENOMEM, or the
 * evaluator's status other than LC_ENUMERIC (non-finite outputs are counted,
 * not errors).  *out is NULL on failure. */
int lc_mc_run(const lc_evaluator *ev, const lc_dist *dists, const lc_mc_opts *o, lc_mc_result **out,
              lc_error *err);
void lc_mc_result_free(lc_mc_result *r);

/* The n stored outputs of evaluator metric `metric`, or NULL if not kept or
 * streamed. */
const double *lc_mc_output(const lc_mc_result *r, size_t metric);
const lc_mc_summary *lc_mc_summary_of(const lc_mc_result *r, size_t metric);

/* Fraction of the non-NaN values of y[0..n) above t, +Inf counted above and
 * -Inf below every t (NaN when all are NaN). */
double lc_mc_exceed_fraction(const double *y, size_t n, double t);

/* Percentiles of the finite values of y[0..n) at probs[0..np) (any order, each
 * in [0, 1]) into out, by selection on a copy; NaN when none is finite. */
int lc_mc_percentiles(const double *y, size_t n, const double *probs, size_t np, double *out,
                      lc_error *err);

const char *lc_mc_method_name(lc_mc_method m);
/* "random", "lhs" (or "latin"), "sobol"; LC_EUSAGE otherwise. */
int lc_mc_method_parse(const char *s, lc_mc_method *m, lc_error *err);

/* ---- deterministic random streams ---- */

/* A gsl_rng of this module's generator (xoshiro256**, 32-bit outputs, 53-bit
 * doubles); NULL on out-of-memory.  Free with gsl_rng_free. */
gsl_rng *lc_mc_rng_alloc(void);
/* Put r (from lc_mc_rng_alloc) at the start of stream `stream` of `seed`:
 * state = four splitmix64 outputs starting from seed ^ mix(stream). */
void lc_mc_rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream);

/* ---- parallel blocks ---- */

/* A loop over blocks 0..n_blocks-1 run by worker threads.  Each thread gets
 * its own state from tls_alloc (NULL = out of memory; tls_alloc may itself be
 * NULL).  claim() runs under the job's lock, strictly in block order: the
 * place for work that must be sequential, such as drawing the block's points
 * from one quasi-random sequence.  work() runs concurrently.  Either returns
 * LC_OK or an error (set in its err); the first error stops the job. */
typedef struct lc_mc_job {
    size_t n_blocks;
    unsigned threads; /* 0 = 1; fewer are used if thread creation fails */
    void *user;
    void *(*tls_alloc)(void *user);
    void (*tls_free)(void *user, void *tls);
    int (*claim)(void *user, void *tls, size_t block, lc_error *err); /* may be NULL */
    int (*work)(void *user, void *tls, size_t block, lc_error *err);
    /* Progress: block b is worth units_per_block units, the last block the
     * rest of units_total. */
    size_t units_total, units_per_block;
    lc_progress_fn progress; /* may be NULL */
    void *progress_user;
} lc_mc_job;

int lc_mc_parallel(const lc_mc_job *job, lc_error *err);

#endif
