/* mc.c — Monte Carlo driver: per-block random streams, threads, summaries. */
#define _DEFAULT_SOURCE /* madvise, MADV_HUGEPAGE */
#include "lc_mc.h"

#include <stdatomic.h>
#include <sys/mman.h>

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* LHS permutation j is drawn from this stream, far from any block index. */
#define PERM_STREAM (UINT64_C(1) << 63)

/* Nanoseconds between progress reports. */
#define PROGRESS_NS 100000000L

static const double default_probs[] = {0.05, 0.25, 0.50, 0.75, 0.95};

/* ---- xoshiro256** as a gsl_rng type ---- */

typedef struct xo_state {
    uint64_t s[4];
} xo_state;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t xo_next(xo_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xo_fill(xo_state *st, uint64_t x)
{
    int i;
    for (i = 0; i < 4; i++)
        st->s[i] = splitmix64(&x);
    if ((st->s[0] | st->s[1] | st->s[2] | st->s[3]) == 0)
        st->s[0] = 1; /* the one state xoshiro cannot leave */
}

static void xo_set(void *state, unsigned long seed)
{
    xo_fill(state, (uint64_t)seed);
}

/* 32-bit outputs (the high half, the best bits) so that max fits any long. */
static unsigned long xo_get(void *state)
{
    return (unsigned long)(xo_next(state) >> 32);
}

static double xo_get_double(void *state)
{
    return (double)(xo_next(state) >> 11) * 0x1p-53;
}

static const gsl_rng_type xo_type = {
    "lc_xoshiro256ss", 0xffffffffUL, 0, sizeof(xo_state), xo_set, xo_get, xo_get_double};

gsl_rng *lc_mc_rng_alloc(void)
{
    return gsl_rng_alloc(&xo_type);
}

void lc_mc_rng_seed(gsl_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t s = stream;
    xo_fill(gsl_rng_state(r), seed ^ splitmix64(&s));
}

/* ---- parallel blocks ---- */

typedef struct par {
    const lc_mc_job *job;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t next;       /* next block to claim */
    size_t done_units; /* of finished blocks */
    unsigned running;  /* workers not yet finished */
    int stop;          /* set by the first error */
    lc_error err;      /* that error */
} par;

static size_t block_units(const lc_mc_job *job, size_t b)
{
    if (job->units_per_block == 0)
        return 1;
    if (b + 1 == job->n_blocks)
        return job->units_total - b * job->units_per_block;
    return job->units_per_block;
}

static void *par_worker(void *arg)
{
    par *p = arg;
    const lc_mc_job *job = p->job;
    void *tls = NULL;
    lc_error err;
    int rc = LC_OK;

    lc_error_clear(&err);
    if (job->tls_alloc) {
        tls = job->tls_alloc(job->user);
        if (tls == NULL)
            rc = lc_error_nomem(&err);
    }
    while (rc == LC_OK) {
        size_t b;
        pthread_mutex_lock(&p->lock);
        if (p->stop || p->next >= job->n_blocks) {
            pthread_mutex_unlock(&p->lock);
            break;
        }
        b = p->next++;
        if (job->claim)
            rc = job->claim(job->user, tls, b, &err);
        pthread_mutex_unlock(&p->lock);
        if (rc != LC_OK)
            break;
        rc = job->work(job->user, tls, b, &err);
        if (rc != LC_OK)
            break;
        pthread_mutex_lock(&p->lock);
        p->done_units += block_units(job, b);
        pthread_mutex_unlock(&p->lock);
    }
    if (job->tls_free && tls)
        job->tls_free(job->user, tls);
    pthread_mutex_lock(&p->lock);
    if (rc != LC_OK) {
        if (p->err.code == LC_OK) {
            p->err = err;
            if (p->err.code == LC_OK) /* the callback forgot to say why */
                lc_error_set(&p->err, rc, lc_mark_none(), "internal error (status %d)", rc);
        }
        p->stop = 1;
    }
    p->running--;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

/* Wait for the workers, reporting progress about every PROGRESS_NS. */
static void par_watch(par *p)
{
    const lc_mc_job *job = p->job;
    size_t total = job->units_per_block ? job->units_total : job->n_blocks;

    pthread_mutex_lock(&p->lock);
    while (p->running > 0) {
        struct timespec ts;
        size_t done;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += PROGRESS_NS;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec += 1;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cond, &p->lock, &ts);
        done = p->done_units;
        if (p->running > 0 && job->progress) {
            pthread_mutex_unlock(&p->lock);
            job->progress(job->progress_user, done, total);
            pthread_mutex_lock(&p->lock);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

int lc_mc_parallel(const lc_mc_job *job, lc_error *err)
{
    par p;
    pthread_t *tid = NULL;
    unsigned nt = job->threads ? job->threads : 1, created = 0, t;
    size_t total = job->units_per_block ? job->units_total : job->n_blocks;

    if (job->n_blocks == 0)
        return LC_OK;
    if (nt > LC_MC_THREADS_MAX)
        nt = LC_MC_THREADS_MAX;
    if (nt > job->n_blocks)
        nt = (unsigned)job->n_blocks;
    memset(&p, 0, sizeof p);
    p.job = job;
    lc_error_clear(&p.err);
    if (pthread_mutex_init(&p.lock, NULL) != 0)
        return lc_error_nomem(err);
    if (pthread_cond_init(&p.cond, NULL) != 0) {
        pthread_mutex_destroy(&p.lock);
        return lc_error_nomem(err);
    }
    p.running = nt;
    tid = malloc(nt * sizeof *tid);
    if (tid != NULL)
        for (created = 0; created < nt; created++)
            if (pthread_create(&tid[created], NULL, par_worker, &p) != 0)
                break;
    if (created < nt) {
        /* Fewer threads: same results, since blocks fix the streams. */
        pthread_mutex_lock(&p.lock);
        p.running -= nt - created;
        pthread_mutex_unlock(&p.lock);
    }
    if (created == 0) {
        p.running = 1;
        par_worker(&p);
    } else {
        par_watch(&p);
        for (t = 0; t < created; t++)
            pthread_join(tid[t], NULL);
    }
    free(tid);
    pthread_cond_destroy(&p.cond);
    pthread_mutex_destroy(&p.lock);
    if (p.err.code != LC_OK) {
        if (err->code == LC_OK) /* as it is: its text is escaped already */
            *err = p.err;
        return p.err.code;
    }
    if (job->progress)
        job->progress(job->progress_user, total, total);
    return LC_OK;
}

/* ---- percentiles and exceedance ---- */

double lc_mc_exceed_fraction(const double *y, size_t n, double t)
{
    size_t i, m = 0, above = 0;
    for (i = 0; i < n; i++)
        if (!isnan(y[i])) {
            m++;
            above += y[i] > t; /* +Inf is above every t, -Inf below */
        }
    return m ? (double)above / (double)m : NAN;
}

/* Percentiles of x[0..m) (finite, reordered in place) at probs visited in the
 * ascending order given by idx.  Each selection partitions x around rank k
 * (gsl_stats_select is quickselect: smaller values before k, larger after),
 * so the next, higher rank is searched only in x[k..m) and rank k + 1 is the
 * minimum of x(k..m). */
static void select_percentiles(double *x, size_t m, const double *probs, const size_t *idx,
                               size_t np, double *out)
{
    size_t base = 0, j;

    for (j = 0; j < np; j++) {
        double p = probs[idx[j]], h, frac, lo, hi;
        size_t k, i;
        if (m == 0) {
            out[idx[j]] = NAN;
            continue;
        }
        h = (double)(m - 1) * p;
        k = (size_t)h;
        if (k > m - 1)
            k = m - 1;
        frac = h - (double)k;
        lo = gsl_stats_select(x + base, 1, m - base, k - base);
        hi = lo;
        if (frac > 0.0 && k + 1 < m) {
            hi = x[k + 1];
            for (i = k + 2; i < m; i++)
                if (x[i] < hi)
                    hi = x[i];
        }
        /* the same arithmetic as gsl_stats_quantile_from_sorted_data */
        out[idx[j]] = (1.0 - frac) * lo + frac * hi;
        base = k;
    }
}

static int check_probs(const double *probs, size_t np, lc_error *err)
{
    size_t j;
    if (np > LC_MC_PROBS_MAX)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "at most %d percentiles (got %zu)",
                            LC_MC_PROBS_MAX, np);
    for (j = 0; j < np; j++)
        if (!(probs[j] >= 0.0 && probs[j] <= 1.0))
            return lc_error_set(err, LC_EINPUT, lc_mark_none(), "percentile %g is outside 0..100",
                                probs[j] * 100.0);
    return LC_OK;
}

int lc_mc_percentiles(const double *y, size_t n, const double *probs, size_t np, double *out,
                      lc_error *err)
{
    double *x;
    size_t idx[LC_MC_PROBS_MAX];
    size_t i, m = 0;
    int rc = check_probs(probs, np, err);

    if (rc != LC_OK)
        return rc;
    x = malloc((n ? n : 1) * sizeof *x);
    if (x == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n; i++)
        if (isfinite(y[i]))
            x[m++] = y[i];
    gsl_sort_index(idx, probs, 1, np);
    select_percentiles(x, m, probs, idx, np, out);
    free(x);
    return LC_OK;
}

/* ---- method names ---- */

const char *lc_mc_method_name(lc_mc_method m)
{
    switch (m) {
    case LC_MC_RANDOM:
        return "random";
    case LC_MC_LHS:
        return "lhs";
    case LC_MC_SOBOL:
        return "sobol";
    }
    return "unknown";
}

int lc_mc_method_parse(const char *s, lc_mc_method *m, lc_error *err)
{
    if (strcmp(s, "random") == 0)
        *m = LC_MC_RANDOM;
    else if (strcmp(s, "lhs") == 0 || strcmp(s, "latin") == 0)
        *m = LC_MC_LHS;
    else if (strcmp(s, "sobol") == 0)
        *m = LC_MC_SOBOL;
    else
        return lc_error_set(err, LC_EUSAGE, lc_mark_none(),
                            "unknown sampling method '%s' (use random, lhs or sobol)", s);
    return LC_OK;
}

void lc_mc_opts_init(lc_mc_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n = 10000;
    o->seed = 1;
    o->threads = 1;
    o->method = LC_MC_RANDOM;
    o->nbins = 40;
}

/* ---- order keys and the log-histogram sketch ---- */

/* x < y if and only if key(x) < key(y), for doubles that are not NaN (-0
 * sorts just below +0): a positive number gets its sign bit set, a negative
 * one all its bits flipped. */
static uint64_t key_of(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return (u >> 63) ? ~u : u | (UINT64_C(1) << 63);
}

static double key_value(uint64_t k)
{
    uint64_t u = (k >> 63) ? k & ~(UINT64_C(1) << 63) : ~k;
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

#define KH_PAGES     4096u /* sign and exponent: a key's top 12 bits */
#define KH_BITS      10    /* mantissa bits below them: 1024 bins per binade */
#define KH_BINS      (1u << KH_BITS)
#define KH_SHIFT     (64 - 12 - KH_BITS) /* key >> KH_SHIFT: the bin's 22-bit prefix */
#define KH_PAGE(key) ((unsigned)((key) >> 52))

/* Counts of finite values per bin.  A page (one binade, 8 kB) is allocated
 * when a value first falls in it: NaN and +-Inf keys fall in pages 0 and
 * 4095, which no finite value reaches. */
typedef struct khist {
    uint64_t *page[KH_PAGES];
    int nomem;
} khist;

static void kh_add(khist *h, uint64_t key)
{
    uint64_t *pg = h->page[KH_PAGE(key)];
    if (pg == NULL) {
        pg = h->page[KH_PAGE(key)] = calloc(KH_BINS, sizeof *pg);
        if (pg == NULL) {
            h->nomem = 1;
            return;
        }
    }
    pg[(key >> KH_SHIFT) & (KH_BINS - 1)]++;
}

static void kh_release(khist *h)
{
    unsigned p;
    for (p = 0; p < KH_PAGES; p++)
        free(h->page[p]);
    memset(h, 0, sizeof *h);
}

/* dst += src: counts add, so the merge is exact and its order does not matter. */
static void kh_merge(khist *dst, const khist *src)
{
    unsigned p, b;
    dst->nomem |= src->nomem;
    for (p = 0; p < KH_PAGES; p++) {
        if (src->page[p] == NULL)
            continue;
        if (dst->page[p] == NULL && (dst->page[p] = calloc(KH_BINS, sizeof(uint64_t))) == NULL) {
            dst->nomem = 1;
            continue;
        }
        for (b = 0; b < KH_BINS; b++)
            dst->page[p][b] += src->page[p][b];
    }
}

/* The bin of the order statistic of each rank (ascending): its prefix, the
 * count of values in lower bins, and its own count. */
typedef struct rank_bin {
    uint32_t prefix;
    size_t below, count;
} rank_bin;

static void kh_locate(const khist *h, const size_t *rank, size_t nr, rank_bin *out)
{
    size_t cum = 0, r = 0;
    unsigned p, b;
    for (p = 0; p < KH_PAGES && r < nr; p++) {
        const uint64_t *pg = h->page[p];
        if (pg == NULL)
            continue;
        for (b = 0; b < KH_BINS && r < nr; b++) {
            size_t c = (size_t)pg[b];
            for (; r < nr && rank[r] < cum + c; r++) {
                out[r].prefix = (uint32_t)(p << KH_BITS | b);
                out[r].below = cum;
                out[r].count = c;
            }
            cum += c;
        }
    }
}

/* The values a bin spans, [lo, hi]. */
static void bin_range(uint32_t prefix, double *lo, double *hi)
{
    uint64_t k = (uint64_t)prefix << KH_SHIFT;
    *lo = key_value(k);
    *hi = key_value(k | ((UINT64_C(1) << KH_SHIFT) - 1));
}

/* ---- moments ---- */

/* Count, mean, sum of squared deviations, min and max of finite values. */
typedef struct moments {
    size_t n;
    double mean, m2, min, max;
} moments;

/* Chan, Golub and LeVeque's pairwise update (1979). */
static moments moments_merge(moments a, moments b)
{
    moments c;
    double d, n;
    if (a.n == 0)
        return b;
    if (b.n == 0)
        return a;
    n = (double)(a.n + b.n);
    d = b.mean - a.mean;
    c.n = a.n + b.n;
    c.mean = a.mean + d * ((double)b.n / n);
    c.m2 = a.m2 + b.m2 + d * d * ((double)a.n * (double)b.n / n);
    c.min = a.min < b.min ? a.min : b.min;
    c.max = a.max > b.max ? a.max : b.max;
    return c;
}

/* rec[lo..hi) merged as a balanced tree, in index order. */
static moments moments_tree(const moments *rec, size_t lo, size_t hi)
{
    size_t mid;
    if (hi - lo == 1)
        return rec[lo];
    mid = lo + (hi - lo) / 2;
    return moments_merge(moments_tree(rec, lo, mid), moments_tree(rec, mid, hi));
}

/* ---- the run ---- */

#define NOT_KEPT   ((size_t)-1)
#define RANKS_MAX  (2 * (LC_MC_PROBS_MAX + 2)) /* order statistics per metric */
#define NO_TARGET  0xffu
#define GATHER_MAX 65536 /* a wanted bin with more values is first checked for one value */
#define STAGE      128   /* values a thread collects before copying them out */
#define FEW        8     /* distinct values a bin's tally tells apart */

/* Non-finite counts and the sketch of one kept metric in one thread. */
typedef struct metric_acc {
    size_t n_nan, n_pos_inf, n_neg_inf;
    khist h;
} metric_acc;

/* The distinct values of a bin and how often each occurs, while there are
 * at most FEW of them: a discrete or nearly constant output fills a crowded
 * bin with a handful of values, and then needs no copy. */
typedef struct tally {
    uint64_t key[FEW];
    size_t count[FEW];
    unsigned n;
    int many; /* more than FEW distinct values */
} tally;

static void tally_add(tally *t, uint64_t key, size_t count)
{
    unsigned q;
    if (t->many)
        return;
    for (q = 0; q < t->n && t->key[q] != key; q++)
        ;
    if (q < t->n)
        t->count[q] += count;
    else if (t->n < FEW) {
        t->key[t->n] = key;
        t->count[t->n++] = count;
    } else
        t->many = 1;
}

static void tally_merge(tally *dst, const tally *src)
{
    unsigned q;
    dst->many |= src->many;
    for (q = 0; q < src->n; q++)
        tally_add(dst, src->key[q], src->count[q]);
}

/* The value of rank r among a complete tally's values. */
static double tally_rank(const tally *t, size_t r)
{
    uint64_t key[FEW];
    size_t count[FEW], cum = 0;
    unsigned q, i;
    memcpy(key, t->key, sizeof key);
    memcpy(count, t->count, sizeof count);
    for (q = 1; q < t->n; q++) /* insertion sort by key: at most FEW */
        for (i = q; i > 0 && key[i - 1] > key[i]; i--) {
            uint64_t kk = key[i];
            size_t cc = count[i];
            key[i] = key[i - 1];
            count[i] = count[i - 1];
            key[i - 1] = kk;
            count[i - 1] = cc;
        }
    for (q = 0; q + 1 < t->n && r >= cum + count[q]; q++)
        cum += count[q];
    return key_value(key[q]);
}

/* A bin that holds wanted order statistics (exact mode). */
typedef struct target {
    uint32_t prefix;
    size_t below, count; /* values in lower bins; in this bin */
    int gather;          /* this pass copies the bin's values into buf */
    int done;            /* its order statistics are known */
    tally few;           /* its values, while few */
    double *buf;         /* count values, when gathered */
    atomic_size_t len;
} target;

/* What the percentiles of one kept metric need. */
typedef struct plan {
    size_t m;                         /* finite values */
    size_t np;                        /* percentiles, the histogram's two included */
    size_t k[LC_MC_PROBS_MAX + 2];    /* lower order statistic of each */
    double frac[LC_MC_PROBS_MAX + 2]; /* weight of the next one */
    size_t rank[RANKS_MAX], nr;       /* distinct ranks wanted, ascending */
    rank_bin bin[RANKS_MAX];          /* where each is */
    double value[RANKS_MAX];          /* its value */
    double rank_err[RANKS_MAX];       /* 0 if exact, else its bin's count / m */
    unsigned char tgt[RANKS_MAX];     /* its target (exact mode) */
    target t[RANKS_MAX];
    size_t nt;
    unsigned char first[KH_PAGES]; /* first active target in a page, or NO_TARGET */
} plan;

typedef enum { PASS_GATHER, PASS_HIST } pass_kind;

typedef struct mc_run {
    const lc_evaluator *ev;
    const lc_dist *dists;
    size_t k, n;
    lc_mc_method method;
    uint64_t seed;
    int stream;
    uint32_t *perm; /* LHS: k rows of n */
    gsl_qrng *q;    /* Sobol: advanced under the job lock */
    size_t *slot;   /* n_out: where metric m is kept, or NOT_KEPT */
    lc_mc_result *r;
    size_t n_blocks, n_chunks;
    moments *rec;                     /* n_keep x n_chunks: each chunk's moments */
    size_t th_slot[LC_MC_EXCEED_MAX]; /* kept index of each threshold's metric */
    /* Totals, merged from the threads under lock. */
    pthread_mutex_t lock;
    metric_acc *acc; /* n_keep */
    size_t above[LC_MC_EXCEED_MAX];
    int nomem;
    /* Summary passes over the stored outputs. */
    pass_kind pass;
    plan *plan;   /* n_keep */
    double *edge; /* n_keep x (nbins + 1): the histogram's bin edges */
} mc_run;

typedef struct mc_tls {
    void *ws;
    gsl_rng *r;
    double *in_buf;  /* k x LC_BLOCK */
    double *u;       /* Sobol: k x LC_MC_CHUNK */
    double *scratch; /* n_out x LC_BLOCK, for outputs not kept (and all when streaming) */
    double *point;   /* k */
    const double **in;
    double **out;
    metric_acc *acc; /* n_keep */
    size_t above[LC_MC_EXCEED_MAX];
} mc_tls;

static void tls_destroy(const mc_run *m, mc_tls *t)
{
    size_t j;
    if (t == NULL)
        return;
    if (t->ws && m->ev->ws_free)
        m->ev->ws_free(t->ws);
    if (t->r)
        gsl_rng_free(t->r);
    if (t->acc)
        for (j = 0; j < m->r->n_keep; j++)
            kh_release(&t->acc[j].h);
    free(t->acc);
    free(t->in_buf);
    free(t->u);
    free(t->scratch);
    free(t->point);
    free(t->in);
    free(t->out);
    free(t);
}

/* A worker's counts join the totals when it finishes. */
static void mc_tls_free(void *user, void *tls)
{
    mc_run *m = user;
    mc_tls *t = tls;
    size_t j;
    pthread_mutex_lock(&m->lock);
    for (j = 0; j < m->r->n_keep; j++) {
        m->acc[j].n_nan += t->acc[j].n_nan;
        m->acc[j].n_pos_inf += t->acc[j].n_pos_inf;
        m->acc[j].n_neg_inf += t->acc[j].n_neg_inf;
        kh_merge(&m->acc[j].h, &t->acc[j].h);
        m->nomem |= m->acc[j].h.nomem;
    }
    for (j = 0; j < m->r->n_exceed; j++)
        m->above[j] += t->above[j];
    pthread_mutex_unlock(&m->lock);
    tls_destroy(m, t);
}

static void *mc_tls_alloc(void *user)
{
    const mc_run *m = user;
    size_t n_out = m->ev->n_out, j;
    mc_tls *t = calloc(1, sizeof *t);

    if (t == NULL)
        return NULL;
    t->r = lc_mc_rng_alloc();
    t->in_buf = malloc(m->k * LC_BLOCK * sizeof *t->in_buf);
    if (m->method == LC_MC_SOBOL)
        t->u = malloc(m->k * LC_MC_CHUNK * sizeof *t->u);
    t->scratch = malloc(n_out * LC_BLOCK * sizeof *t->scratch);
    t->point = malloc(m->k * sizeof *t->point);
    t->in = malloc(m->k * sizeof *t->in);
    t->out = malloc(n_out * sizeof *t->out);
    t->acc = calloc(m->r->n_keep, sizeof *t->acc);
    if (m->ev->ws_alloc) {
        t->ws = m->ev->ws_alloc(m->ev->ctx);
        if (t->ws == NULL)
            goto fail;
    }
    if (!t->r || !t->in_buf || (m->method == LC_MC_SOBOL && !t->u) || !t->scratch || !t->point ||
        !t->in || !t->out || !t->acc)
        goto fail;
    for (j = 0; j < m->k; j++)
        t->in[j] = t->in_buf + j * LC_BLOCK;
    return t;
fail:
    tls_destroy(m, t);
    return NULL;
}

static size_t block_len(const mc_run *m, size_t b)
{
    size_t start = b * LC_BLOCK;
    return m->n - start < LC_BLOCK ? m->n - start : LC_BLOCK;
}

static size_t chunk_len(const mc_run *m, size_t c)
{
    size_t start = c * LC_MC_CHUNK;
    return m->n - start < LC_MC_CHUNK ? m->n - start : LC_MC_CHUNK;
}

/* Sobol: this chunk's points, in sequence order (we hold the job lock). */
static int mc_claim(void *user, void *tls, size_t c, lc_error *err)
{
    mc_run *m = user;
    mc_tls *t = tls;
    size_t n = chunk_len(m, c), i, j;

    for (i = 0; i < n; i++) {
        int status = gsl_qrng_get(m->q, t->point);
        if (status != GSL_SUCCESS)
            return lc_error_set(err, LC_ENUMERIC, lc_mark_none(), "Sobol sequence: %s",
                                gsl_strerror(status));
        for (j = 0; j < m->k; j++)
            t->u[j * LC_MC_CHUNK + i] = t->point[j];
    }
    return LC_OK;
}

/* The inputs of block b (n points from sample start) into t->in_buf. */
static void draw_block(const mc_run *m, mc_tls *t, size_t b, size_t start, size_t n)
{
    double inv_n = 1.0 / (double)m->n;
    size_t i, j;

    switch (m->method) {
    case LC_MC_RANDOM:
        lc_mc_rng_seed(t->r, m->seed, b);
        for (j = 0; j < m->k; j++)
            lc_dist_sample(&m->dists[j], t->r, t->in_buf + j * LC_BLOCK, n);
        break;
    case LC_MC_LHS:
        lc_mc_rng_seed(t->r, m->seed, b);
        for (j = 0; j < m->k; j++) {
            const uint32_t *pj = m->perm + j * m->n + start;
            double *x = t->in_buf + j * LC_BLOCK;
            for (i = 0; i < n; i++)
                x[i] = lc_dist_quantile(&m->dists[j],
                                        ((double)pj[i] + gsl_rng_uniform_pos(t->r)) * inv_n);
        }
        break;
    case LC_MC_SOBOL:
        for (j = 0; j < m->k; j++) {
            const double *u = t->u + j * LC_MC_CHUNK + start % LC_MC_CHUNK;
            double *x = t->in_buf + j * LC_BLOCK;
            for (i = 0; i < n; i++)
                x[i] = lc_dist_quantile(&m->dists[j], u[i]);
        }
        break;
    }
}

/* One block of one metric, while it is in cache: counts, the sketch, and the
 * block's moments by the corrected two-pass formula (Chan, Golub and LeVeque
 * 1983), merged into *acc. */
static void block_stats(const double *x, size_t len, metric_acc *a, moments *acc)
{
    double sum = 0.0, lo = INFINITY, hi = -INFINITY, d1 = 0.0, d2 = 0.0;
    size_t i, cnt = 0;
    moments b;

    for (i = 0; i < len; i++) {
        double v = x[i];
        if (isfinite(v)) {
            sum += v;
            cnt++;
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
            kh_add(&a->h, key_of(v));
        } else if (isnan(v))
            a->n_nan++;
        else if (v > 0)
            a->n_pos_inf++;
        else
            a->n_neg_inf++;
    }
    if (cnt == 0)
        return;
    b.mean = sum / (double)cnt;
    for (i = 0; i < len; i++)
        if (isfinite(x[i])) {
            double d = x[i] - b.mean;
            d1 += d;
            d2 += d * d;
        }
    b.n = cnt;
    b.m2 = d2 - d1 * d1 / (double)cnt;
    if (b.m2 < 0.0)
        b.m2 = 0.0;
    b.mean += d1 / (double)cnt;
    b.min = lo;
    b.max = hi;
    *acc = moments_merge(*acc, b);
}

static int mc_work(void *user, void *tls, size_t c, lc_error *err)
{
    mc_run *m = user;
    mc_tls *t = tls;
    const lc_mc_result *r = m->r;
    moments acc[LC_MC_KEEP_MAX];
    size_t b, b_end = (c + 1) * (LC_MC_CHUNK / LC_BLOCK), j, mm, i;

    memset(acc, 0, sizeof acc);
    if (b_end > m->n_blocks)
        b_end = m->n_blocks;
    for (b = c * (LC_MC_CHUNK / LC_BLOCK); b < b_end; b++) {
        size_t n = block_len(m, b), start = b * LC_BLOCK;
        int rc;
        draw_block(m, t, b, start, n);
        for (mm = 0; mm < m->ev->n_out; mm++)
            t->out[mm] = m->slot[mm] == NOT_KEPT || m->stream ? t->scratch + mm * LC_BLOCK
                                                              : r->y + m->slot[mm] * m->n + start;
        rc = m->ev->eval(m->ev->ctx, t->ws, t->in, t->out, n);
        if (rc != LC_OK && rc != LC_ENUMERIC)
            return lc_error_set(err, rc, lc_mark_none(),
                                "the model failed on Monte Carlo sample %zu (status %d)", start,
                                rc);
        for (j = 0; j < r->n_keep; j++)
            block_stats(t->out[r->metrics[j]], n, &t->acc[j], &acc[j]);
        for (j = 0; j < r->n_exceed; j++) {
            const double *x = t->out[r->thresholds[j].metric];
            double th = r->thresholds[j].value;
            size_t above = 0;
            for (i = 0; i < n; i++)
                above += x[i] > th; /* +Inf above, -Inf and NaN not */
            t->above[j] += above;
        }
    }
    for (j = 0; j < r->n_keep; j++) {
        if (t->acc[j].h.nomem)
            return lc_error_nomem(err);
        m->rec[j * m->n_chunks + c] = acc[j];
    }
    return LC_OK;
}

/* LHS: permutation j of 0..n-1 from its own stream (one block per input). */
static int perm_work(void *user, void *tls, size_t j, lc_error *err)
{
    mc_run *m = user;
    uint32_t *p = m->perm + j * m->n;
    gsl_rng *r = lc_mc_rng_alloc();
    size_t i;

    (void)tls;
    if (r == NULL)
        return lc_error_nomem(err);
    lc_mc_rng_seed(r, m->seed, PERM_STREAM + j);
    for (i = 0; i < m->n; i++)
        p[i] = (uint32_t)i;
    gsl_ran_shuffle(r, p, m->n, sizeof *p);
    gsl_rng_free(r);
    return LC_OK;
}

static int check_opts(const lc_evaluator *ev, const lc_mc_opts *o, lc_error *err)
{
    lc_mark none = lc_mark_none();
    size_t j, i;

    if (ev->n_in == 0)
        return lc_error_set(err, LC_EINPUT, none, "Monte Carlo needs at least one uncertain input");
    if (o->n == 0)
        return lc_error_set(err, LC_EINPUT, none, "the number of samples must be at least 1");
    if (o->n_keep == 0 || o->n_keep > LC_MC_KEEP_MAX)
        return lc_error_set(err, LC_EINPUT, none, "Monte Carlo keeps 1 to %d metrics (asked %zu)",
                            LC_MC_KEEP_MAX, o->n_keep);
    for (j = 0; j < o->n_keep; j++) {
        if (o->keep[j] >= ev->n_out)
            return lc_error_set(err, LC_EINPUT, none,
                                "metric %zu does not exist (the model has %zu)", o->keep[j],
                                ev->n_out);
        for (i = 0; i < j; i++)
            if (o->keep[i] == o->keep[j])
                return lc_error_set(err, LC_EINPUT, none, "metric %zu is kept twice", o->keep[j]);
    }
    if (o->n_exceed > LC_MC_EXCEED_MAX)
        return lc_error_set(err, LC_EINPUT, none, "at most %d thresholds (got %zu)",
                            LC_MC_EXCEED_MAX, o->n_exceed);
    for (j = 0; j < o->n_exceed; j++) {
        for (i = 0; i < o->n_keep; i++)
            if (o->keep[i] == o->exceed[j].metric)
                break;
        if (i == o->n_keep)
            return lc_error_set(err, LC_EINPUT, none,
                                "a threshold is set on metric %zu, which is not kept",
                                o->exceed[j].metric);
        if (isnan(o->exceed[j].value))
            return lc_error_set(err, LC_EINPUT, none, "a threshold is not a number");
    }
    if (o->method == LC_MC_SOBOL && ev->n_in > LC_MC_SOBOL_MAX)
        return lc_error_set(err, LC_EINPUT, none,
                            "Sobol sampling supports at most %d uncertain inputs (this model has "
                            "%zu); use lhs or random",
                            LC_MC_SOBOL_MAX, ev->n_in);
    if (o->method == LC_MC_LHS && o->n > UINT32_MAX)
        return lc_error_set(err, LC_EINPUT, none, "Latin hypercube supports at most %lu samples",
                            (unsigned long)UINT32_MAX);
    if (o->nbins > 100000)
        return lc_error_set(err, LC_EINPUT, none, "at most 100000 histogram bins (asked %zu)",
                            o->nbins);
    if (o->n > SIZE_MAX / sizeof(double) / LC_MC_KEEP_MAX / (ev->n_in + 1))
        return lc_error_set(err, LC_EINPUT, none, "too many samples (%zu)", o->n);
    return check_probs(o->probs ? o->probs : default_probs, o->probs ? o->n_probs : 5, err);
}

/* ---- percentiles ---- */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* The order statistics metric j's percentiles need, and their bins. */
static void plan_ranks(plan *pl, size_t m, const double *probs, size_t np, const khist *h)
{
    size_t i, n = 0;

    pl->m = m;
    pl->np = np;
    pl->nr = 0;
    if (m == 0)
        return;
    for (i = 0; i < np; i++) {
        /* the same arithmetic as gsl_stats_quantile_from_sorted_data */
        double hh = (double)(m - 1) * probs[i];
        size_t k = (size_t)hh;
        if (k > m - 1)
            k = m - 1;
        pl->k[i] = k;
        pl->frac[i] = hh - (double)k;
        pl->rank[n++] = k;
        if (pl->frac[i] > 0.0 && k + 1 < m)
            pl->rank[n++] = k + 1;
    }
    qsort(pl->rank, n, sizeof *pl->rank, cmp_size);
    for (i = 0; i < n; i++)
        if (pl->nr == 0 || pl->rank[pl->nr - 1] != pl->rank[i])
            pl->rank[pl->nr++] = pl->rank[i];
    kh_locate(h, pl->rank, pl->nr, pl->bin);
}

static double rank_value(const plan *pl, size_t rank)
{
    size_t lo = 0, hi = pl->nr;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (pl->rank[mid] <= rank)
            lo = mid;
        else
            hi = mid;
    }
    return pl->value[lo];
}

static double rank_error(const plan *pl, size_t rank)
{
    size_t i;
    for (i = 0; i < pl->nr; i++)
        if (pl->rank[i] == rank)
            return pl->rank_err[i];
    return 0.0;
}

/* Percentile i from the values of its order statistics (x[k], x[k+1]). */
static double plan_percentile(const plan *pl, size_t i, double *rank_err)
{
    double frac = pl->frac[i], lo, hi;
    if (pl->m == 0) {
        *rank_err = 0.0;
        return NAN;
    }
    lo = rank_value(pl, pl->k[i]);
    hi = lo;
    *rank_err = rank_error(pl, pl->k[i]);
    if (frac > 0.0 && pl->k[i] + 1 < pl->m) {
        double e = rank_error(pl, pl->k[i] + 1);
        hi = rank_value(pl, pl->k[i] + 1);
        *rank_err = e > *rank_err ? e : *rank_err;
    }
    return (1.0 - frac) * lo + frac * hi;
}

/* Streaming: each order statistic estimated inside its bin, by its rank,
 * clamped to the exact range; the extremes are the exact min and max. */
static void plan_sketch(plan *pl, double min, double max)
{
    size_t i;
    for (i = 0; i < pl->nr; i++) {
        const rank_bin *b = &pl->bin[i];
        double lo, hi, v;
        pl->rank_err[i] = 0.0;
        if (pl->rank[i] == 0) {
            pl->value[i] = min;
            continue;
        }
        if (pl->rank[i] == pl->m - 1) {
            pl->value[i] = max;
            continue;
        }
        bin_range(b->prefix, &lo, &hi);
        v = lo + (hi - lo) * (((double)(pl->rank[i] - b->below) + 0.5) / (double)b->count);
        if (fabs(lo) < DBL_MIN && fabs(hi) < DBL_MIN)
            v = 0.0; /* a bin of zero and subnormals: most likely an exact 0 */
        pl->value[i] = v < min ? min : v > max ? max : v;
        pl->rank_err[i] = (double)b->count / (double)pl->m;
    }
}

/* Exact mode: the distinct bins of the wanted order statistics. */
static int plan_targets(plan *pl)
{
    size_t i;
    pl->nt = 0;
    for (i = 0; i < pl->nr; i++) {
        if (pl->nt == 0 || pl->t[pl->nt - 1].prefix != pl->bin[i].prefix) {
            target *t = &pl->t[pl->nt++];
            memset(t, 0, sizeof *t);
            t->prefix = pl->bin[i].prefix;
            t->below = pl->bin[i].below;
            t->count = pl->bin[i].count;
            t->gather = t->count <= GATHER_MAX;
            atomic_init(&t->len, 0);
            if (t->gather && (t->buf = malloc(t->count * sizeof *t->buf)) == NULL)
                return LC_ENOMEM;
        }
        pl->tgt[i] = (unsigned char)(pl->nt - 1);
        pl->rank_err[i] = 0.0;
    }
    return LC_OK;
}

/* The page table of the targets still open; 0 when none is. */
static int plan_index(plan *pl)
{
    size_t i;
    int any = 0;
    memset(pl->first, NO_TARGET, sizeof pl->first);
    for (i = pl->nt; i-- > 0;)
        if (!pl->t[i].done) {
            pl->first[pl->t[i].prefix >> KH_BITS] = (unsigned char)i;
            any = 1;
        }
    return any;
}

/* Order statistics of ranks rank[0..nr) (ascending) of x[0..c): each
 * selection leaves smaller values before its rank and larger after
 * (gsl_stats_select is quickselect), so the next, higher rank is searched for
 * only in what follows. */
static void select_ranks(double *x, size_t c, const size_t *rank, size_t nr, double *out)
{
    size_t base = 0, i;
    for (i = 0; i < nr; i++) {
        out[i] = gsl_stats_select(x + base, 1, c - base, rank[i] - base);
        base = rank[i];
    }
}

/* After a gathering pass: a bin of few distinct values is read from its
 * tally; a gathered bin is searched; the rest stay open. */
static void plan_resolve(plan *pl)
{
    size_t ti, i;
    for (ti = 0; ti < pl->nt; ti++) {
        target *t = &pl->t[ti];
        size_t rank[RANKS_MAX], nr = 0, idx[RANKS_MAX];
        double v[RANKS_MAX];
        if (t->done)
            continue;
        for (i = 0; i < pl->nr; i++)
            if (pl->tgt[i] == ti) {
                idx[nr] = i;
                rank[nr++] = pl->rank[i] - t->below;
            }
        if (!t->few.many) {
            for (i = 0; i < nr; i++)
                pl->value[idx[i]] = tally_rank(&t->few, rank[i]);
            t->done = 1;
        } else if (t->gather) {
            select_ranks(t->buf, t->count, rank, nr, v);
            for (i = 0; i < nr; i++)
                pl->value[idx[i]] = v[i];
            t->done = 1;
        }
        free(t->buf);
        t->buf = NULL;
        if (!t->done)
            t->gather = 1; /* next pass */
    }
}

/* ---- passes over the stored outputs, split across threads by chunk ---- */

typedef struct pass_tls {
    tally *few;    /* n_keep x RANKS_MAX */
    size_t *slen;  /* n_keep x RANKS_MAX */
    double *stage; /* n_keep x RANKS_MAX x STAGE */
    size_t *hist;  /* n_keep x (nbins + 2): bins, below, above */
} pass_tls;

static void stage_flush(target *t, const double *stage, size_t *len)
{
    size_t at = atomic_fetch_add(&t->len, *len);
    if (at + *len <= t->count) /* always: the sketch counted the bin */
        memcpy(t->buf + at, stage, *len * sizeof *stage);
    *len = 0;
}

static void pass_tls_free(void *user, void *tls)
{
    mc_run *m = user;
    pass_tls *p = tls;
    lc_mc_result *r = m->r;
    size_t j, i, nb = r->nbins + 2;

    if (p == NULL)
        return;
    pthread_mutex_lock(&m->lock);
    for (j = 0; j < r->n_keep && p->slen; j++) {
        plan *pl = &m->plan[j];
        for (i = 0; i < pl->nt; i++) {
            size_t at = j * RANKS_MAX + i;
            target *t = &pl->t[i];
            if (p->slen[at])
                stage_flush(t, p->stage + at * STAGE, &p->slen[at]);
            tally_merge(&t->few, &p->few[at]);
        }
    }
    for (j = 0; j < r->n_keep && p->hist; j++) {
        lc_mc_summary *s = &r->sum[j];
        for (i = 0; i < r->nbins; i++)
            s->hist[i] += p->hist[j * nb + i];
        s->below += p->hist[j * nb + r->nbins];
        s->above += p->hist[j * nb + r->nbins + 1];
    }
    pthread_mutex_unlock(&m->lock);
    free(p->few);
    free(p->slen);
    free(p->stage);
    free(p->hist);
    free(p);
}

static void *pass_tls_alloc(void *user)
{
    mc_run *m = user;
    size_t nk = m->r->n_keep;
    pass_tls *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    if (m->pass == PASS_GATHER) {
        p->few = calloc(nk * RANKS_MAX, sizeof *p->few);
        p->slen = calloc(nk * RANKS_MAX, sizeof *p->slen);
        p->stage = malloc(nk * RANKS_MAX * STAGE * sizeof *p->stage);
        if (!p->few || !p->slen || !p->stage) {
            free(p->slen);
            p->slen = NULL; /* nothing to merge */
            pass_tls_free(user, p);
            return NULL;
        }
    } else if ((p->hist = calloc(nk * (m->r->nbins + 2), sizeof *p->hist)) == NULL) {
        free(p);
        return NULL;
    }
    return p;
}

/* Values of chunk c that fall in an open target: their tally, and a copy
 * when the target is gathered. */
static void gather_chunk(plan *pl, const double *y, size_t len, size_t j, pass_tls *p)
{
    size_t i;
    for (i = 0; i < len; i++) {
        uint64_t key = key_of(y[i]);
        unsigned ti = pl->first[KH_PAGE(key)];
        uint32_t prefix = (uint32_t)(key >> KH_SHIFT);
        if (ti == NO_TARGET)
            continue;
        for (; ti < pl->nt && pl->t[ti].prefix >> KH_BITS == prefix >> KH_BITS; ti++) {
            target *t = &pl->t[ti];
            size_t at = j * RANKS_MAX + ti;
            if (t->prefix != prefix || t->done)
                continue;
            tally_add(&p->few[at], key, 1);
            if (t->gather) {
                p->stage[at * STAGE + p->slen[at]++] = y[i];
                if (p->slen[at] == STAGE)
                    stage_flush(t, p->stage + at * STAGE, &p->slen[at]);
            }
            break;
        }
    }
}

/* Histogram edges as gsl_histogram_set_ranges_uniform makes them, so that
 * the counts are GSL's. */
static int hist_edges(lc_mc_summary *s, size_t nbins, double *edge)
{
    gsl_histogram *h;
    double lo = s->hist_lo, hi = s->hist_hi;
    int status;

    if (!(hi > lo)) {
        /* A constant output: a narrow range around it. */
        double w = fabs(lo) > 0.0 ? fabs(lo) * 1e-6 : 1e-6;
        s->hist_lo = lo - w;
        s->hist_hi = hi + w;
    }
    h = gsl_histogram_alloc(nbins);
    if (h == NULL)
        return LC_ENOMEM;
    status = gsl_histogram_set_ranges_uniform(h, s->hist_lo, s->hist_hi);
    if (status == GSL_SUCCESS)
        memcpy(edge, h->range, (nbins + 1) * sizeof *edge);
    gsl_histogram_free(h);
    return status == GSL_SUCCESS ? LC_OK : LC_ENUMERIC;
}

/* Bin of x in [edge[0], edge[nb]] (the last bin closed), as gsl_histogram's
 * find: the linear guess, then the bin whose edges hold x. */
static void hist_count(const double *edge, size_t nb, double scale, double x, size_t w,
                       size_t *bins)
{
    size_t i;
    if (!isfinite(x))
        return;
    if (x < edge[0]) {
        bins[nb] += w;
        return;
    }
    if (x > edge[nb]) {
        bins[nb + 1] += w;
        return;
    }
    i = (size_t)((x - edge[0]) * scale); /* a guess: the loops below settle it */
    if (i >= nb)
        i = nb - 1;
    while (i > 0 && x < edge[i])
        i--;
    while (i + 1 < nb && x >= edge[i + 1])
        i++;
    bins[i] += w;
}

static int pass_work(void *user, void *tls, size_t c, lc_error *err)
{
    mc_run *m = user;
    pass_tls *p = tls;
    lc_mc_result *r = m->r;
    size_t len = chunk_len(m, c), j, i, nb = r->nbins;

    (void)err;
    for (j = 0; j < r->n_keep; j++) {
        const double *y = r->y + j * m->n + c * LC_MC_CHUNK;
        if (m->pass == PASS_GATHER) {
            gather_chunk(&m->plan[j], y, len, j, p);
        } else if (r->sum[j].n_finite > 0) {
            const double *edge = m->edge + j * (nb + 1);
            size_t *bins = p->hist + j * (nb + 2);
            double scale = (double)nb / (edge[nb] - edge[0]);
            for (i = 0; i < len; i++)
                hist_count(edge, nb, scale, y[i], 1, bins);
        }
    }
    return LC_OK;
}

static int run_pass(mc_run *m, pass_kind kind, unsigned threads, lc_error *err)
{
    lc_mc_job job;
    memset(&job, 0, sizeof job);
    m->pass = kind;
    job.n_blocks = m->n_chunks;
    job.threads = threads;
    job.user = m;
    job.tls_alloc = pass_tls_alloc;
    job.tls_free = pass_tls_free;
    job.work = pass_work;
    return lc_mc_parallel(&job, err);
}

/* Streaming: each sketch bin counted where its middle falls. */
static void hist_from_sketch(lc_mc_summary *s, const khist *h, const double *edge, size_t nb,
                             size_t *bins)
{
    unsigned p, b;
    for (p = 0; p < KH_PAGES; p++)
        for (b = 0; h->page[p] && b < KH_BINS; b++)
            if (h->page[p][b]) {
                double lo, hi, mid;
                bin_range((uint32_t)(p << KH_BITS | b), &lo, &hi);
                mid = 0.5 * lo + 0.5 * hi;
                mid = mid < s->min ? s->min : mid > s->max ? s->max : mid;
                hist_count(edge, nb, (double)nb / (edge[nb] - edge[0]), mid, (size_t)h->page[p][b],
                           bins);
            }
    for (b = 0; b < nb; b++)
        s->hist[b] = bins[b];
    s->below = bins[nb];
    s->above = bins[nb + 1];
}

/* Moments, counts and the percentile plan of every kept metric. */
static int summarize(mc_run *m, unsigned threads, lc_error *err)
{
    lc_mc_result *r = m->r;
    size_t np = r->n_probs, j, i, any_open = 0;
    double probs[LC_MC_PROBS_MAX + 2];
    int rc;

    memcpy(probs, r->probs, np * sizeof *probs);
    /* The histogram range rides along with the requested percentiles. */
    probs[np] = 0.005;
    probs[np + 1] = 0.995;
    for (j = 0; j < r->n_keep; j++) {
        lc_mc_summary *s = &r->sum[j];
        moments mo = moments_tree(m->rec + j * m->n_chunks, 0, m->n_chunks);
        s->n_finite = mo.n;
        s->n_nan = m->acc[j].n_nan;
        s->n_pos_inf = m->acc[j].n_pos_inf;
        s->n_inf = m->acc[j].n_pos_inf + m->acc[j].n_neg_inf;
        s->mean = s->sd = s->min = s->max = NAN;
        if (mo.n > 0) {
            s->mean = mo.mean;
            s->min = mo.min;
            s->max = mo.max;
            if (mo.n > 1)
                s->sd = sqrt(mo.m2 / (double)(mo.n - 1));
        }
        plan_ranks(&m->plan[j], mo.n, probs, np + 2, &m->acc[j].h);
        if (m->stream)
            plan_sketch(&m->plan[j], s->min, s->max);
        else if (plan_targets(&m->plan[j]) != LC_OK)
            return lc_error_nomem(err);
    }
    for (j = 0; j < r->n_exceed; j++) {
        size_t not_nan = m->n - m->acc[m->th_slot[j]].n_nan;
        r->exceed[j] = not_nan ? (double)m->above[j] / (double)not_nan : NAN;
    }
    /* Exact: at most two gathering passes (the second only for a crowded bin
     * that holds more than one value). */
    for (i = 0; i < 2 && !m->stream; i++) {
        any_open = 0;
        for (j = 0; j < r->n_keep; j++)
            any_open |= (size_t)plan_index(&m->plan[j]);
        if (!any_open)
            break;
        if ((rc = run_pass(m, PASS_GATHER, threads, err)) != LC_OK)
            return rc;
        for (j = 0; j < r->n_keep; j++)
            plan_resolve(&m->plan[j]);
        for (j = 0; j < r->n_keep && i == 0; j++) {
            plan *pl = &m->plan[j];
            size_t t;
            for (t = 0; t < pl->nt; t++)
                if (!pl->t[t].done &&
                    (pl->t[t].buf = malloc(pl->t[t].count * sizeof(double))) == NULL)
                    return lc_error_nomem(err);
        }
    }
    for (j = 0; j < r->n_keep; j++) {
        lc_mc_summary *s = &r->sum[j];
        double rank_err;
        for (i = 0; i < np + 2; i++) {
            double v = plan_percentile(&m->plan[j], i, &rank_err);
            if (i < np) {
                s->pct[i] = v;
                s->pct_exact[i] = rank_err == 0.0;
                s->pct_rank_err[i] = rank_err;
            } else if (i == np)
                s->hist_lo = v;
            else
                s->hist_hi = v;
        }
        if (r->nbins && s->n_finite &&
            (rc = hist_edges(s, r->nbins, m->edge + j * (r->nbins + 1))) != LC_OK)
            return rc == LC_ENOMEM ? lc_error_nomem(err)
                                   : lc_error_set(err, rc, lc_mark_none(),
                                                  "cannot set the histogram's range [%g, %g]",
                                                  s->hist_lo, s->hist_hi);
    }
    if (r->nbins == 0)
        return LC_OK;
    if (!m->stream)
        return run_pass(m, PASS_HIST, threads, err);
    for (j = 0; j < r->n_keep; j++) {
        size_t *bins = calloc(r->nbins + 2, sizeof *bins);
        if (bins == NULL)
            return lc_error_nomem(err);
        if (r->sum[j].n_finite)
            hist_from_sketch(&r->sum[j], &m->acc[j].h, m->edge + j * (r->nbins + 1), r->nbins,
                             bins);
        free(bins);
    }
    return LC_OK;
}

/* ---- results ---- */

/* Large output arrays on 2 MB boundaries, advised for transparent huge
 * pages where the system has them: far fewer page faults. */
static double *outputs_alloc(size_t count)
{
    size_t bytes = count * sizeof(double);
#ifdef MADV_HUGEPAGE
    if (bytes >= ((size_t)2 << 20)) {
        void *p = NULL;
        if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
            return NULL;
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice only: fine if refused */
        return p;
    }
#endif
    return malloc(bytes ? bytes : 1);
}

static lc_mc_result *result_alloc(const lc_evaluator *ev, const lc_mc_opts *o, int stream)
{
    lc_mc_result *r = calloc(1, sizeof *r);
    const double *probs = o->probs ? o->probs : default_probs;
    size_t j, np;

    if (r == NULL)
        return NULL;
    r->n = o->n;
    r->k = ev->n_in;
    r->method = o->method;
    r->seed = o->seed;
    r->n_keep = o->n_keep;
    r->n_probs = o->probs ? o->n_probs : 5;
    r->n_exceed = o->n_exceed;
    r->nbins = o->nbins;
    r->streamed = stream;
    np = r->n_probs ? r->n_probs : 1;
    r->metrics = malloc(r->n_keep * sizeof *r->metrics);
    if (!stream && (r->y = outputs_alloc(r->n_keep * r->n)) == NULL)
        goto fail;
    r->probs = malloc(np * sizeof *r->probs);
    r->sum = calloc(r->n_keep, sizeof *r->sum);
    r->thresholds = malloc((r->n_exceed ? r->n_exceed : 1) * sizeof *r->thresholds);
    r->exceed = malloc((r->n_exceed ? r->n_exceed : 1) * sizeof *r->exceed);
    if (!r->metrics || !r->probs || !r->sum || !r->thresholds || !r->exceed)
        goto fail;
    memcpy(r->metrics, o->keep, r->n_keep * sizeof *r->metrics);
    memcpy(r->probs, probs, r->n_probs * sizeof *r->probs);
    if (r->n_exceed)
        memcpy(r->thresholds, o->exceed, r->n_exceed * sizeof *r->thresholds);
    for (j = 0; j < r->n_exceed; j++)
        r->exceed[j] = NAN;
    for (j = 0; j < r->n_keep; j++) {
        lc_mc_summary *s = &r->sum[j];
        s->metric = o->keep[j];
        s->pct = malloc(np * sizeof *s->pct);
        s->pct_exact = calloc(np, sizeof *s->pct_exact);
        s->pct_rank_err = calloc(np, sizeof *s->pct_rank_err);
        s->hist = calloc(r->nbins ? r->nbins : 1, sizeof *s->hist);
        if (!s->pct || !s->pct_exact || !s->pct_rank_err || !s->hist)
            goto fail;
    }
    return r;
fail:
    lc_mc_result_free(r);
    return NULL;
}

void lc_mc_result_free(lc_mc_result *r)
{
    size_t j;
    if (r == NULL)
        return;
    if (r->sum)
        for (j = 0; j < r->n_keep; j++) {
            free(r->sum[j].pct);
            free(r->sum[j].pct_exact);
            free(r->sum[j].pct_rank_err);
            free(r->sum[j].hist);
        }
    free(r->sum);
    free(r->metrics);
    free(r->y);
    free(r->probs);
    free(r->thresholds);
    free(r->exceed);
    free(r);
}

static void run_release(mc_run *m)
{
    size_t j;
    if (m->acc)
        for (j = 0; j < m->r->n_keep; j++)
            kh_release(&m->acc[j].h);
    if (m->plan)
        for (j = 0; j < m->r->n_keep; j++) {
            size_t t;
            for (t = 0; t < m->plan[j].nt; t++)
                free(m->plan[j].t[t].buf);
        }
    free(m->acc);
    free(m->plan);
    free(m->edge);
    free(m->rec);
    free(m->perm);
    free(m->slot);
    if (m->q)
        gsl_qrng_free(m->q);
}

int lc_mc_run(const lc_evaluator *ev, const lc_dist *dists, const lc_mc_opts *o, lc_mc_result **out,
              lc_error *err)
{
    mc_run m;
    lc_mc_job job;
    lc_mc_result *r = NULL;
    size_t j, i, budget;
    int rc, locked = 0;

    *out = NULL;
    gsl_set_error_handler_off();
    rc = check_opts(ev, o, err);
    if (rc != LC_OK)
        return rc;
    memset(&m, 0, sizeof m);
    m.ev = ev;
    m.dists = dists;
    m.k = ev->n_in;
    m.n = o->n;
    m.method = o->method;
    m.seed = o->seed;
    budget = o->max_bytes ? o->max_bytes : LC_MC_EXACT_MAX_BYTES;
    m.stream = o->stream || o->n > budget / sizeof(double) / o->n_keep;
    m.n_blocks = (m.n + LC_BLOCK - 1) / LC_BLOCK;
    m.n_chunks = (m.n + LC_MC_CHUNK - 1) / LC_MC_CHUNK;
    r = m.r = result_alloc(ev, o, m.stream);
    if (r == NULL)
        return lc_error_nomem(err);
    m.slot = malloc(ev->n_out * sizeof *m.slot);
    m.rec = calloc(r->n_keep * m.n_chunks, sizeof *m.rec);
    m.acc = calloc(r->n_keep, sizeof *m.acc);
    m.plan = calloc(r->n_keep, sizeof *m.plan);
    m.edge = malloc(r->n_keep * (r->nbins + 1) * sizeof *m.edge);
    if (m.slot == NULL || !m.rec || !m.acc || !m.plan || !m.edge)
        goto nomem;
    if (pthread_mutex_init(&m.lock, NULL) != 0)
        goto nomem;
    locked = 1;
    for (j = 0; j < ev->n_out; j++)
        m.slot[j] = NOT_KEPT;
    for (j = 0; j < o->n_keep; j++)
        m.slot[o->keep[j]] = j;
    for (i = 0; i < r->n_exceed; i++)
        m.th_slot[i] = m.slot[r->thresholds[i].metric];

    memset(&job, 0, sizeof job);
    job.threads = o->threads;
    job.user = &m;
    if (m.method == LC_MC_LHS) {
        m.perm = malloc(m.k * m.n * sizeof *m.perm);
        if (m.perm == NULL)
            goto nomem;
        job.n_blocks = m.k;
        job.work = perm_work;
        rc = lc_mc_parallel(&job, err);
        if (rc != LC_OK)
            goto fail;
    } else if (m.method == LC_MC_SOBOL) {
        double skip[LC_MC_SOBOL_MAX];
        m.q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)m.k);
        if (m.q == NULL)
            goto nomem;
        /* The first point is all zeros: a quantile of 0 is an infinite tail. */
        if (gsl_qrng_get(m.q, skip) != GSL_SUCCESS) {
            rc = lc_error_set(err, LC_ENUMERIC, lc_mark_none(), "cannot start the Sobol sequence");
            goto fail;
        }
        job.claim = mc_claim;
    }
    job.n_blocks = m.n_chunks;
    job.tls_alloc = mc_tls_alloc;
    job.tls_free = mc_tls_free;
    job.work = mc_work;
    job.units_total = m.n;
    job.units_per_block = LC_MC_CHUNK;
    job.progress = o->progress;
    job.progress_user = o->progress_user;
    rc = lc_mc_parallel(&job, err);
    if (rc == LC_OK && m.nomem)
        rc = lc_error_nomem(err);
    if (rc == LC_OK)
        rc = summarize(&m, o->threads, err);
    if (rc != LC_OK)
        goto fail;
    run_release(&m);
    pthread_mutex_destroy(&m.lock);
    *out = r;
    return LC_OK;
nomem:
    rc = lc_error_nomem(err);
fail:
    run_release(&m);
    if (locked)
        pthread_mutex_destroy(&m.lock);
    lc_mc_result_free(r);
    return rc;
}

const double *lc_mc_output(const lc_mc_result *r, size_t metric)
{
    size_t j;
    if (r->y == NULL)
        return NULL;
    for (j = 0; j < r->n_keep; j++)
        if (r->metrics[j] == metric)
            return r->y + j * r->n;
    return NULL;
}

const lc_mc_summary *lc_mc_summary_of(const lc_mc_result *r, size_t metric)
{
    size_t j;
    for (j = 0; j < r->n_keep; j++)
        if (r->metrics[j] == metric)
            return &r->sum[j];
    return NULL;
}
