/* sobol.c — Saltelli sampling, Saltelli 2010 first-order and Jansen total
 * estimators, bootstrap intervals, doubling until they are narrow. */
#include "lc_sobol.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#define NOT_KEPT ((size_t)-1)

void lc_sobol_opts_init(lc_sobol_opts *o)
{
    memset(o, 0, sizeof *o);
    o->n = 4096;
    o->seed = 1;
    o->threads = 1;
    o->n_boot = 200;
    o->conf = 0.95;
    o->halfwidth = 0.0;
    o->n_max = LC_SOBOL_N_MAX;
}

/* ---- evaluation ---- */

typedef struct sb_run {
    const lc_evaluator *ev;
    const lc_dist *dists;
    size_t k, n;
    gsl_qrng *q;  /* 2k dimensions, advanced under the job lock */
    size_t *slot; /* n_out: where metric m is kept, or NOT_KEPT */
    /* Outputs: metric j, column c (0 = A, 1 = B, 2 + i = A_B^i), row r at
     * f[(j * (k + 2) + c) * n + r]. */
    double *f;
} sb_run;

typedef struct sb_tls {
    void *ws;
    double *u;       /* 2k x LC_BLOCK, from the sequence */
    double *xa, *xb; /* k x LC_BLOCK each */
    double *scratch; /* n_out x LC_BLOCK */
    double *point;   /* 2k */
    const double **in;
    double **out;
} sb_tls;

static void sb_tls_free(void *user, void *tls)
{
    const sb_run *s = user;
    sb_tls *t = tls;
    if (t == NULL)
        return;
    if (t->ws && s->ev->ws_free)
        s->ev->ws_free(t->ws);
    free(t->u);
    free(t->xa);
    free(t->xb);
    free(t->scratch);
    free(t->point);
    free(t->in);
    free(t->out);
    free(t);
}

static void *sb_tls_alloc(void *user)
{
    const sb_run *s = user;
    size_t k = s->k, n_out = s->ev->n_out;
    sb_tls *t = calloc(1, sizeof *t);

    if (t == NULL)
        return NULL;
    t->u = malloc(2 * k * LC_BLOCK * sizeof *t->u);
    t->xa = malloc(k * LC_BLOCK * sizeof *t->xa);
    t->xb = malloc(k * LC_BLOCK * sizeof *t->xb);
    t->scratch = malloc(n_out * LC_BLOCK * sizeof *t->scratch);
    t->point = malloc(2 * k * sizeof *t->point);
    t->in = malloc(k * sizeof *t->in);
    t->out = malloc(n_out * sizeof *t->out);
    if (s->ev->ws_alloc) {
        t->ws = s->ev->ws_alloc(s->ev->ctx);
        if (t->ws == NULL)
            goto fail;
    }
    if (!t->u || !t->xa || !t->xb || !t->scratch || !t->point || !t->in || !t->out)
        goto fail;
    return t;
fail:
    sb_tls_free(user, t);
    return NULL;
}

static size_t rows_in(const sb_run *s, size_t b)
{
    size_t start = b * LC_BLOCK;
    return s->n - start < LC_BLOCK ? s->n - start : LC_BLOCK;
}

/* Rows of block b, in sequence order (under the job lock). */
static int sb_claim(void *user, void *tls, size_t b, lc_error *err)
{
    sb_run *s = user;
    sb_tls *t = tls;
    size_t n = rows_in(s, b), r, j;

    for (r = 0; r < n; r++) {
        int status = gsl_qrng_get(s->q, t->point);
        if (status != GSL_SUCCESS)
            return lc_error_set(err, LC_ENUMERIC, lc_mark_none(), "Sobol sequence: %s",
                                gsl_strerror(status));
        for (j = 0; j < 2 * s->k; j++)
            t->u[j * LC_BLOCK + r] = t->point[j];
    }
    return LC_OK;
}

static int eval_column(sb_run *s, sb_tls *t, size_t col, size_t start, size_t n, lc_error *err)
{
    size_t m;
    int rc;

    for (m = 0; m < s->ev->n_out; m++)
        t->out[m] = s->slot[m] == NOT_KEPT ? t->scratch + m * LC_BLOCK
                                           : s->f + (s->slot[m] * (s->k + 2) + col) * s->n + start;
    rc = s->ev->eval(s->ev->ctx, t->ws, t->in, t->out, n);
    if (rc != LC_OK && rc != LC_ENUMERIC)
        return lc_error_set(err, rc, lc_mark_none(),
                            "the model failed during the Sobol analysis (status %d)", rc);
    return LC_OK;
}

static int sb_work(void *user, void *tls, size_t b, lc_error *err)
{
    sb_run *s = user;
    sb_tls *t = tls;
    size_t n = rows_in(s, b), start = b * LC_BLOCK, k = s->k, i, j, r;
    int rc;

    for (j = 0; j < k; j++) {
        const double *ua = t->u + j * LC_BLOCK, *ub = t->u + (k + j) * LC_BLOCK;
        double *xa = t->xa + j * LC_BLOCK, *xb = t->xb + j * LC_BLOCK;
        for (r = 0; r < n; r++) {
            xa[r] = lc_dist_quantile(&s->dists[j], ua[r]);
            xb[r] = lc_dist_quantile(&s->dists[j], ub[r]);
        }
    }
    for (j = 0; j < k; j++)
        t->in[j] = t->xa + j * LC_BLOCK;
    rc = eval_column(s, t, 0, start, n, err);
    for (j = 0; j < k && rc == LC_OK; j++)
        t->in[j] = t->xb + j * LC_BLOCK;
    if (rc == LC_OK)
        rc = eval_column(s, t, 1, start, n, err);
    /* A_B^i: the columns of A, column i from B (pointers only, no copy). */
    for (i = 0; i < k && rc == LC_OK; i++) {
        for (j = 0; j < k; j++)
            t->in[j] = (j == i ? t->xb : t->xa) + j * LC_BLOCK;
        rc = eval_column(s, t, 2 + i, start, n, err);
    }
    return rc;
}

/* ---- estimators ---- */

/* Estimates from the rows row[0..m) of one metric's outputs f (columns of
 * n).  s1, st: k each.  Returns V, the variance over A and B together.
 * First order, Saltelli et al. 2010 (Table 2, b):
 *   V_i = 1/m sum_r f(B)_r (f(A_B^i)_r - f(A)_r),
 * which is exactly 0 for an input the metric does not depend on (Jansen's
 * first-order form, V - 1/2m sum (f(B) - f(A_B^i))^2, is noise around 0
 * there); total, Jansen 1999 (Table 2, f): 1/2m sum_r (f(A)_r - f(A_B^i)_r)^2. */
static double estimators(const double *f, size_t n, size_t k, const size_t *row, size_t m,
                         double *s1, double *st)
{
    const double *fa = f, *fb = f + n;
    double mean = 0.0, v = 0.0;
    size_t i, r;

    for (r = 0; r < m; r++)
        mean += fa[row[r]] + fb[row[r]];
    mean /= (double)(2 * m);
    for (r = 0; r < m; r++) {
        double da = fa[row[r]] - mean, db = fb[row[r]] - mean;
        v += da * da + db * db;
    }
    v /= (double)(2 * m - 1);
    for (i = 0; i < k; i++) {
        const double *fab = f + (2 + i) * n;
        double first = 0.0, total = 0.0;
        for (r = 0; r < m; r++) {
            double ea = fa[row[r]] - fab[row[r]];
            /* f(B) centred on the mean: still unbiased, as f(A_B^i) and f(A)
             * have the same mean, and no cancellation when the mean is large
             * against the spread */
            first += (fb[row[r]] - mean) * (fab[row[r]] - fa[row[r]]);
            total += ea * ea;
        }
        first /= (double)m;
        total /= (double)(2 * m);
        s1[i] = v > 0.0 ? first / v : NAN;
        st[i] = v > 0.0 ? total / v : NAN;
    }
    return v;
}

/* Estimates and bootstrap intervals for kept metric j. */
static int estimate(lc_sobol_result *res, const sb_run *s, size_t j, const lc_sobol_opts *o,
                    lc_error *err)
{
    size_t k = s->k, n = s->n, c, r, i, b, m = 0, nb = o->n_boot;
    const double *f = s->f + j * (k + 2) * n;
    lc_sobol_index *idx = res->idx + j * k;
    size_t *row = malloc(n * sizeof *row), *pick = malloc(n * sizeof *pick);
    double *bs1 = malloc((nb ? nb : 1) * k * sizeof *bs1);
    double *bst = malloc((nb ? nb : 1) * k * sizeof *bst);
    double s1[LC_SOBOL_K_MAX], st[LC_SOBOL_K_MAX];
    gsl_rng *rng = lc_mc_rng_alloc();
    int rc = LC_OK;

    if (!row || !pick || !bs1 || !bst || !rng) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (r = 0; r < n; r++) {
        for (c = 0; c < k + 2; c++)
            if (!isfinite(f[c * n + r]))
                break;
        if (c == k + 2)
            row[m++] = r;
    }
    res->n_used[j] = m;
    for (i = 0; i < k; i++) {
        lc_sobol_index nan_idx = {NAN, NAN, NAN, NAN, NAN, NAN};
        idx[i] = nan_idx;
    }
    res->mean[j] = res->var[j] = NAN;
    if (m < 2)
        goto done;
    res->var[j] = estimators(f, n, k, row, m, s1, st);
    res->mean[j] = 0.0;
    for (r = 0; r < m; r++)
        res->mean[j] += f[row[r]] + f[n + row[r]];
    res->mean[j] /= (double)(2 * m);
    if (!(res->var[j] > 0.0))
        goto done; /* a constant metric has no indices */
    for (i = 0; i < k; i++) {
        idx[i].s1 = s1[i];
        idx[i].st = st[i];
    }
    if (nb == 0)
        goto done;
    /* Stream per metric, so adding a metric does not change the others. */
    lc_mc_rng_seed(rng, o->seed, j);
    for (b = 0; b < nb; b++) {
        for (r = 0; r < m; r++)
            pick[r] = row[gsl_rng_uniform_int(rng, m)];
        estimators(f, n, k, pick, m, s1, st);
        for (i = 0; i < k; i++) {
            bs1[i * nb + b] = s1[i];
            bst[i * nb + b] = st[i];
        }
    }
    for (i = 0; i < k; i++) {
        double *x = bs1 + i * nb, *y = bst + i * nb;
        double plo = 0.5 * (1.0 - o->conf), phi = 0.5 * (1.0 + o->conf);
        gsl_sort(x, 1, nb);
        gsl_sort(y, 1, nb);
        idx[i].s1_lo = gsl_stats_quantile_from_sorted_data(x, 1, nb, plo);
        idx[i].s1_hi = gsl_stats_quantile_from_sorted_data(x, 1, nb, phi);
        idx[i].st_lo = gsl_stats_quantile_from_sorted_data(y, 1, nb, plo);
        idx[i].st_hi = gsl_stats_quantile_from_sorted_data(y, 1, nb, phi);
    }
done:
    if (rng)
        gsl_rng_free(rng);
    free(row);
    free(pick);
    free(bs1);
    free(bst);
    return rc;
}

/* ---- the run ---- */

static int check_opts(const lc_evaluator *ev, const lc_sobol_opts *o, lc_error *err)
{
    lc_mark none = lc_mark_none();
    size_t j, i;

    if (ev->n_in == 0)
        return lc_error_set(err, LC_EINPUT, none,
                            "Sobol indices need at least one uncertain input");
    if (ev->n_in > LC_SOBOL_K_MAX)
        return lc_error_set(err, LC_EINPUT, none,
                            "Sobol indices support at most %d uncertain inputs (this model has "
                            "%zu): fix the least important ones",
                            LC_SOBOL_K_MAX, ev->n_in);
    if (o->n < 2)
        return lc_error_set(err, LC_EINPUT, none, "Sobol indices need at least 2 base samples");
    /* the bootstrap draws row numbers as 32-bit integers */
    if (o->n > UINT32_MAX ||
        o->n > SIZE_MAX / sizeof(double) / LC_SOBOL_METRICS_MAX / (LC_SOBOL_K_MAX + 2))
        return lc_error_set(err, LC_EINPUT, none, "too many base samples (%zu)", o->n);
    if (o->n_metrics == 0 || o->n_metrics > LC_SOBOL_METRICS_MAX)
        return lc_error_set(err, LC_EINPUT, none, "Sobol indices take 1 to %d metrics (asked %zu)",
                            LC_SOBOL_METRICS_MAX, o->n_metrics);
    for (j = 0; j < o->n_metrics; j++) {
        if (o->metrics[j] >= ev->n_out)
            return lc_error_set(err, LC_EINPUT, none,
                                "metric %zu does not exist (the model has %zu)", o->metrics[j],
                                ev->n_out);
        for (i = 0; i < j; i++)
            if (o->metrics[i] == o->metrics[j])
                return lc_error_set(err, LC_EINPUT, none, "metric %zu is asked twice",
                                    o->metrics[j]);
    }
    if (o->n_boot > LC_SOBOL_BOOT_MAX)
        return lc_error_set(err, LC_EINPUT, none, "at most %d bootstrap resamples (asked %zu)",
                            LC_SOBOL_BOOT_MAX, o->n_boot);
    if (o->halfwidth > 0.0 &&
        (o->n_max < o->n ||
         o->n_max > SIZE_MAX / sizeof(double) / LC_SOBOL_METRICS_MAX / (LC_SOBOL_K_MAX + 2)))
        return lc_error_set(err, LC_EINPUT, none,
                            "the most base samples (%zu) must be at least "
                            "the first size (%zu)",
                            o->n_max, o->n);
    if (o->n_boot > 0 && !(o->conf > 0.0 && o->conf < 1.0))
        return lc_error_set(err, LC_EINPUT, none, "confidence level %g is not in (0, 1)", o->conf);
    return LC_OK;
}

void lc_sobol_result_free(lc_sobol_result *r)
{
    if (r == NULL)
        return;
    free(r->metrics);
    free(r->idx);
    free(r->mean);
    free(r->var);
    free(r->n_used);
    free(r);
}

/* One run at n base samples. */
static int run_n(const lc_evaluator *ev, const lc_dist *dists, const lc_sobol_opts *o, size_t n,
                 lc_sobol_result **out, lc_error *err)
{
    sb_run s;
    lc_mc_job job;
    lc_sobol_result *res = NULL;
    double skip[2 * LC_SOBOL_K_MAX];
    size_t j, nm = o->n_metrics;
    int rc;

    *out = NULL;
    memset(&s, 0, sizeof s);
    s.ev = ev;
    s.dists = dists;
    s.k = ev->n_in;
    s.n = n;
    res = calloc(1, sizeof *res);
    s.slot = malloc(ev->n_out * sizeof *s.slot);
    s.f = malloc(nm * (s.k + 2) * s.n * sizeof *s.f);
    s.q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * s.k));
    if (!res || !s.slot || !s.f || !s.q)
        goto nomem;
    res->k = s.k;
    res->n = s.n;
    res->n_metrics = nm;
    res->n_boot = o->n_boot;
    res->conf = o->conf;
    res->metrics = malloc(nm * sizeof *res->metrics);
    res->idx = malloc(nm * s.k * sizeof *res->idx);
    res->mean = malloc(nm * sizeof *res->mean);
    res->var = malloc(nm * sizeof *res->var);
    res->n_used = malloc(nm * sizeof *res->n_used);
    if (!res->metrics || !res->idx || !res->mean || !res->var || !res->n_used)
        goto nomem;
    memcpy(res->metrics, o->metrics, nm * sizeof *res->metrics);
    for (j = 0; j < ev->n_out; j++)
        s.slot[j] = NOT_KEPT;
    for (j = 0; j < nm; j++)
        s.slot[o->metrics[j]] = j;
    /* Row 0 of the sequence is all zeros: infinite quantiles. */
    if (gsl_qrng_get(s.q, skip) != GSL_SUCCESS) {
        rc = lc_error_set(err, LC_ENUMERIC, lc_mark_none(), "cannot start the Sobol sequence");
        goto fail;
    }

    memset(&job, 0, sizeof job);
    job.n_blocks = (s.n + LC_BLOCK - 1) / LC_BLOCK;
    job.threads = o->threads;
    job.user = &s;
    job.tls_alloc = sb_tls_alloc;
    job.tls_free = sb_tls_free;
    job.claim = sb_claim;
    job.work = sb_work;
    job.units_total = s.n * (s.k + 2);
    job.units_per_block = LC_BLOCK * (s.k + 2);
    job.progress = o->progress;
    job.progress_user = o->progress_user;
    rc = lc_mc_parallel(&job, err);
    if (rc != LC_OK)
        goto fail;
    for (j = 0; j < nm; j++) {
        rc = estimate(res, &s, j, o, err);
        if (rc != LC_OK)
            goto fail;
    }
    free(s.slot);
    free(s.f);
    gsl_qrng_free(s.q);
    *out = res;
    return LC_OK;
nomem:
    rc = lc_error_nomem(err);
fail:
    free(s.slot);
    free(s.f);
    if (s.q)
        gsl_qrng_free(s.q);
    lc_sobol_result_free(res);
    return rc;
}

/* The widest half-interval of the largest index (by ST) of any metric. */
static double widest(const lc_sobol_result *r)
{
    double w = 0.0;
    size_t j, i;
    for (j = 0; j < r->n_metrics; j++) {
        const lc_sobol_index *idx = r->idx + j * r->k, *top = NULL;
        for (i = 0; i < r->k; i++)
            if (!isnan(idx[i].st) && (top == NULL || idx[i].st > top->st))
                top = &idx[i];
        if (top == NULL || isnan(top->s1_lo))
            continue;
        w = fmax(w, fmax(0.5 * (top->s1_hi - top->s1_lo), 0.5 * (top->st_hi - top->st_lo)));
    }
    return w;
}

int lc_sobol_run(const lc_evaluator *ev, const lc_dist *dists, const lc_sobol_opts *o,
                 lc_sobol_result **out, lc_error *err)
{
    size_t n = o->n;
    int rc;

    *out = NULL;
    gsl_set_error_handler_off();
    if ((rc = check_opts(ev, o, err)) != LC_OK)
        return rc;
    for (;;) {
        lc_sobol_result *r;
        if ((rc = run_n(ev, dists, o, n, &r, err)) != LC_OK) {
            lc_sobol_result_free(*out);
            *out = NULL;
            return rc;
        }
        lc_sobol_result_free(*out);
        *out = r;
        r->halfwidth = widest(r);
        r->converged = !(o->halfwidth > 0.0) || r->halfwidth <= o->halfwidth;
        /* Doubling keeps a Sobol sequence's balance (powers of 2); each run
         * starts again from row 1, so the result is that of N alone. */
        if (r->converged || o->n_boot == 0 || n > o->n_max / 2)
            return LC_OK;
        n *= 2;
    }
}

const lc_sobol_index *lc_sobol_index_of(const lc_sobol_result *r, size_t metric, size_t input)
{
    size_t j;
    if (input >= r->k)
        return NULL;
    for (j = 0; j < r->n_metrics; j++)
        if (r->metrics[j] == metric)
            return &r->idx[j * r->k + input];
    return NULL;
}
