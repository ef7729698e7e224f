/* mc.c — Monte Carlo driver: per-block random streams, threads, summaries. */
#include "lc_mc.h"

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
        lc_mark at = {p.err.file[0] ? p.err.file : NULL, p.err.line, p.err.col};
        return lc_error_set(err, p.err.code, at, "%s", p.err.msg);
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
        if (isfinite(y[i])) {
            m++;
            above += y[i] > t;
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

/* ---- the run ---- */

#define NOT_KEPT ((size_t)-1)

typedef struct mc_run {
    const lc_evaluator *ev;
    const lc_dist *dists;
    size_t k, n;
    lc_mc_method method;
    uint64_t seed;
    uint32_t *perm; /* LHS: k rows of n */
    gsl_qrng *q;    /* Sobol: advanced under the job lock */
    size_t *slot;   /* n_out: where metric m is kept, or NOT_KEPT */
    double *y;
} mc_run;

typedef struct mc_tls {
    void *ws;
    gsl_rng *r;
    double *in_buf;  /* k x LC_BLOCK */
    double *u;       /* Sobol: k x LC_BLOCK */
    double *scratch; /* n_out x LC_BLOCK, for outputs not kept */
    double *point;   /* k */
    const double **in;
    double **out;
} mc_tls;

static void mc_tls_free(void *user, void *tls)
{
    const mc_run *m = user;
    mc_tls *t = tls;
    if (t == NULL)
        return;
    if (t->ws && m->ev->ws_free)
        m->ev->ws_free(t->ws);
    if (t->r)
        gsl_rng_free(t->r);
    free(t->in_buf);
    free(t->u);
    free(t->scratch);
    free(t->point);
    free(t->in);
    free(t->out);
    free(t);
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
    t->u = malloc(m->k * LC_BLOCK * sizeof *t->u);
    t->scratch = malloc(n_out * LC_BLOCK * sizeof *t->scratch);
    t->point = malloc(m->k * sizeof *t->point);
    t->in = malloc(m->k * sizeof *t->in);
    t->out = malloc(n_out * sizeof *t->out);
    if (m->ev->ws_alloc) {
        t->ws = m->ev->ws_alloc(m->ev->ctx);
        if (t->ws == NULL)
            goto fail;
    }
    if (!t->r || !t->in_buf || !t->u || !t->scratch || !t->point || !t->in || !t->out)
        goto fail;
    for (j = 0; j < m->k; j++)
        t->in[j] = t->in_buf + j * LC_BLOCK;
    return t;
fail:
    mc_tls_free(user, t);
    return NULL;
}

static size_t block_len(const mc_run *m, size_t b)
{
    size_t start = b * LC_BLOCK;
    return m->n - start < LC_BLOCK ? m->n - start : LC_BLOCK;
}

/* Sobol: this block's points, in sequence order (we hold the job lock). */
static int mc_claim(void *user, void *tls, size_t b, lc_error *err)
{
    mc_run *m = user;
    mc_tls *t = tls;
    size_t n = block_len(m, b), i, j;

    for (i = 0; i < n; i++) {
        int status = gsl_qrng_get(m->q, t->point);
        if (status != GSL_SUCCESS)
            return lc_error_set(err, LC_ENUMERIC, lc_mark_none(), "Sobol sequence: %s",
                                gsl_strerror(status));
        for (j = 0; j < m->k; j++)
            t->u[j * LC_BLOCK + i] = t->point[j];
    }
    return LC_OK;
}

static int mc_work(void *user, void *tls, size_t b, lc_error *err)
{
    mc_run *m = user;
    mc_tls *t = tls;
    size_t n = block_len(m, b), start = b * LC_BLOCK, i, j, mm;
    double inv_n = 1.0 / (double)m->n;
    int rc;

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
            const double *u = t->u + j * LC_BLOCK;
            double *x = t->in_buf + j * LC_BLOCK;
            for (i = 0; i < n; i++)
                x[i] = lc_dist_quantile(&m->dists[j], u[i]);
        }
        break;
    }
    for (mm = 0; mm < m->ev->n_out; mm++)
        t->out[mm] = m->slot[mm] == NOT_KEPT ? t->scratch + mm * LC_BLOCK
                                             : m->y + m->slot[mm] * m->n + start;
    rc = m->ev->eval(m->ev->ctx, t->ws, t->in, t->out, n);
    if (rc != LC_OK && rc != LC_ENUMERIC)
        return lc_error_set(err, rc, lc_mark_none(),
                            "the model failed on Monte Carlo sample %zu (status %d)", start, rc);
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

static int hist_fill(lc_mc_summary *s, const double *y, size_t n, size_t nbins)
{
    gsl_histogram *h;
    double lo = s->hist_lo, hi = s->hist_hi;
    size_t i;
    int status;

    if (nbins == 0 || s->n_finite == 0)
        return LC_OK;
    if (!(hi > lo)) {
        /* A constant output: a narrow range around it. */
        double w = fabs(lo) > 0.0 ? fabs(lo) * 1e-6 : 1e-6;
        lo -= w;
        hi += w;
        s->hist_lo = lo;
        s->hist_hi = hi;
    }
    h = gsl_histogram_alloc(nbins);
    if (h == NULL)
        return LC_ENOMEM;
    status = gsl_histogram_set_ranges_uniform(h, lo, hi);
    if (status != GSL_SUCCESS) {
        gsl_histogram_free(h);
        return LC_ENUMERIC;
    }
    for (i = 0; i < n; i++) {
        double x = y[i];
        if (!isfinite(x))
            continue;
        if (x < lo)
            s->below++;
        else if (x > hi)
            s->above++;
        else if (x == hi || gsl_histogram_increment(h, x) != GSL_SUCCESS)
            h->bin[nbins - 1] += 1.0; /* GSL's bins are half-open; ours end closed */
    }
    for (i = 0; i < nbins; i++)
        s->hist[i] = (size_t)gsl_histogram_get(h, i);
    gsl_histogram_free(h);
    return LC_OK;
}

/* Summaries of kept metric j; x is an n-double work array. */
static int summarize(lc_mc_result *r, size_t j, double *x, lc_error *err)
{
    lc_mc_summary *s = &r->sum[j];
    const double *y = r->y + j * r->n;
    double probs[LC_MC_PROBS_MAX + 2], pct[LC_MC_PROBS_MAX + 2];
    size_t idx[LC_MC_PROBS_MAX + 2];
    size_t i, m = 0, np = r->n_probs;
    int rc;

    for (i = 0; i < r->n; i++) {
        if (isfinite(y[i]))
            x[m++] = y[i];
        else if (isnan(y[i]))
            s->n_nan++;
        else
            s->n_inf++;
    }
    s->n_finite = m;
    s->mean = s->sd = s->min = s->max = NAN;
    if (m > 0) {
        s->mean = gsl_stats_mean(x, 1, m);
        if (m > 1)
            s->sd = gsl_stats_sd_m(x, 1, m, s->mean);
        gsl_stats_minmax(&s->min, &s->max, x, 1, m);
    }
    for (i = 0; i < r->n_exceed; i++)
        if (r->thresholds[i].metric == s->metric)
            r->exceed[i] = lc_mc_exceed_fraction(y, r->n, r->thresholds[i].value);
    /* The histogram range rides along with the requested percentiles. */
    memcpy(probs, r->probs, np * sizeof *probs);
    probs[np] = 0.005;
    probs[np + 1] = 0.995;
    gsl_sort_index(idx, probs, 1, np + 2);
    select_percentiles(x, m, probs, idx, np + 2, pct);
    memcpy(s->pct, pct, np * sizeof *pct);
    s->hist_lo = pct[np];
    s->hist_hi = pct[np + 1];
    rc = hist_fill(s, y, r->n, r->nbins);
    if (rc == LC_ENOMEM)
        return lc_error_nomem(err);
    if (rc != LC_OK)
        return lc_error_set(err, rc, lc_mark_none(), "cannot set the histogram's range [%g, %g]",
                            s->hist_lo, s->hist_hi);
    return LC_OK;
}

/* Summaries run in parallel over the kept metrics, each thread with its own
 * n-double work array. */
static void *sum_tls_alloc(void *user)
{
    const lc_mc_result *r = user;
    return malloc(r->n * sizeof(double));
}

static void sum_tls_free(void *user, void *tls)
{
    (void)user;
    free(tls);
}

static int sum_work(void *user, void *tls, size_t j, lc_error *err)
{
    return summarize(user, j, tls, err);
}

static lc_mc_result *result_alloc(const lc_evaluator *ev, const lc_mc_opts *o)
{
    lc_mc_result *r = calloc(1, sizeof *r);
    const double *probs = o->probs ? o->probs : default_probs;
    size_t j;

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
    r->metrics = malloc(r->n_keep * sizeof *r->metrics);
    r->y = malloc(r->n_keep * r->n * sizeof *r->y);
    r->probs = malloc((r->n_probs ? r->n_probs : 1) * sizeof *r->probs);
    r->sum = calloc(r->n_keep, sizeof *r->sum);
    r->thresholds = malloc((r->n_exceed ? r->n_exceed : 1) * sizeof *r->thresholds);
    r->exceed = malloc((r->n_exceed ? r->n_exceed : 1) * sizeof *r->exceed);
    if (!r->metrics || !r->y || !r->probs || !r->sum || !r->thresholds || !r->exceed)
        goto fail;
    memcpy(r->metrics, o->keep, r->n_keep * sizeof *r->metrics);
    memcpy(r->probs, probs, r->n_probs * sizeof *r->probs);
    if (r->n_exceed)
        memcpy(r->thresholds, o->exceed, r->n_exceed * sizeof *r->thresholds);
    for (j = 0; j < r->n_exceed; j++)
        r->exceed[j] = NAN;
    for (j = 0; j < r->n_keep; j++) {
        r->sum[j].metric = o->keep[j];
        r->sum[j].pct = malloc((r->n_probs ? r->n_probs : 1) * sizeof *r->sum[j].pct);
        r->sum[j].hist = calloc(r->nbins ? r->nbins : 1, sizeof *r->sum[j].hist);
        if (!r->sum[j].pct || !r->sum[j].hist)
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

int lc_mc_run(const lc_evaluator *ev, const lc_dist *dists, const lc_mc_opts *o, lc_mc_result **out,
              lc_error *err)
{
    mc_run m;
    lc_mc_job job;
    lc_mc_result *r = NULL;
    size_t j;
    int rc;

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
    r = result_alloc(ev, o);
    m.slot = malloc(ev->n_out * sizeof *m.slot);
    if (r == NULL || m.slot == NULL)
        goto nomem;
    m.y = r->y;
    for (j = 0; j < ev->n_out; j++)
        m.slot[j] = NOT_KEPT;
    for (j = 0; j < o->n_keep; j++)
        m.slot[o->keep[j]] = j;

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
    job.n_blocks = (m.n + LC_BLOCK - 1) / LC_BLOCK;
    job.tls_alloc = mc_tls_alloc;
    job.tls_free = mc_tls_free;
    job.work = mc_work;
    job.units_total = m.n;
    job.units_per_block = LC_BLOCK;
    job.progress = o->progress;
    job.progress_user = o->progress_user;
    rc = lc_mc_parallel(&job, err);
    if (rc != LC_OK)
        goto fail;

    memset(&job, 0, sizeof job);
    job.n_blocks = r->n_keep;
    job.threads = o->threads;
    job.user = r;
    job.tls_alloc = sum_tls_alloc;
    job.tls_free = sum_tls_free;
    job.work = sum_work;
    rc = lc_mc_parallel(&job, err);
    if (rc != LC_OK)
        goto fail;
    free(m.perm);
    free(m.slot);
    if (m.q)
        gsl_qrng_free(m.q);
    *out = r;
    return LC_OK;
nomem:
    rc = lc_error_nomem(err);
fail:
    free(m.perm);
    free(m.slot);
    if (m.q)
        gsl_qrng_free(m.q);
    lc_mc_result_free(r);
    return rc;
}

const double *lc_mc_output(const lc_mc_result *r, size_t metric)
{
    size_t j;
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
