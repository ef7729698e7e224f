/* simulate.c — an organisation simulated: the base case, a Monte Carlo over
 * the whole timeline, the sim.* values published and the claims judged on
 * them (lc_simulate.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_dist.h"
#include "lc_mc.h"
#include "lc_simulate.h"

/* --- Monte Carlo over the whole timeline ------------------------------------------- */

typedef struct mc_job {
    const lc_org *o;
    const lc_evaluator *ev; /* NULL: no uncertain input reaches the org */
    const double *point;    /* the refs' point values, without ev */
    const lc_dist *dists;
    size_t nv, nrefs, n, H;
    uint64_t seed;
    double *cash;    /* H x n, month-major: cash[m * n + i] */
    long *runway;    /* n; -2 = the run failed (not finite) */
    long *breakeven; /* n */
    double *compute; /* n: compute spend a year */
    double *npv;     /* n: net present value of the cash flow before funding */
} mc_job;

typedef struct mc_tls {
    gsl_rng *r;
    void *ws;
    double *inbuf, *outbuf, *refs, *draws;
    const double **in;
    double **out;
    lc_org_timeline t;
} mc_tls;

static void tls_free(void *user, void *p)
{
    mc_tls *w = p;
    mc_job *j = user;
    if (w == NULL)
        return;
    if (w->r)
        gsl_rng_free(w->r);
    if (w->ws && j->ev)
        j->ev->ws_free(w->ws);
    free(w->inbuf);
    free(w->outbuf);
    free(w->refs);
    free(w->draws);
    free(w->in);
    free(w->out);
    lc_org_timeline_free(&w->t);
    free(w);
}

static void *tls_alloc(void *user)
{
    mc_job *j = user;
    mc_tls *w = calloc(1, sizeof *w);
    size_t k;
    if (w == NULL)
        return NULL;
    w->r = lc_mc_rng_alloc();
    w->ws = j->ev ? j->ev->ws_alloc(j->ev->ctx) : w;
    w->inbuf = malloc((j->nv ? j->nv : 1) * LC_BLOCK * sizeof(double));
    w->outbuf = malloc((j->nrefs ? j->nrefs : 1) * LC_BLOCK * sizeof(double));
    w->refs = malloc((j->nrefs ? j->nrefs : 1) * sizeof(double));
    w->draws = malloc((lc_org_ndraws(j->o) + 1) * sizeof(double));
    w->in = malloc((j->nv ? j->nv : 1) * sizeof *w->in);
    w->out = malloc((j->nrefs ? j->nrefs : 1) * sizeof *w->out);
    if (w->r == NULL || w->ws == NULL || w->inbuf == NULL || w->outbuf == NULL || w->refs == NULL ||
        w->draws == NULL || w->in == NULL || w->out == NULL ||
        lc_org_timeline_alloc(&w->t, j->H) != LC_OK) {
        tls_free(user, w);
        return NULL;
    }
    for (k = 0; k < j->nv; k++)
        w->in[k] = w->inbuf + k * LC_BLOCK;
    for (k = 0; k < j->nrefs; k++)
        w->out[k] = w->outbuf + k * LC_BLOCK;
    return w;
}

/* Block b: its own random stream, so the result does not depend on threads. */
static int mc_work(void *user, void *tp, size_t b, lc_error *err)
{
    mc_job *j = user;
    mc_tls *w = tp;
    size_t first = b * LC_BLOCK, cnt = j->n - first < LC_BLOCK ? j->n - first : LC_BLOCK, i, k, m;
    size_t nd = lc_org_ndraws(j->o);
    double sim[LC_SIM_NMETRICS];
    lc_error e2;
    (void)err;
    lc_mc_rng_seed(w->r, j->seed, b);
    if (j->ev) {
        for (k = 0; k < j->nv; k++)
            lc_dist_sample(&j->dists[k], w->r, (double *)(uintptr_t)w->in[k], cnt);
        j->ev->eval(j->ev->ctx, w->ws, w->in, w->out, cnt); /* non-finite: caught per run */
    }
    for (i = 0; i < cnt; i++) {
        size_t si = first + i;
        for (k = 0; k < j->nrefs; k++)
            w->refs[k] = j->ev ? w->out[k][i] : j->point[k];
        for (k = 0; k < nd; k++)
            w->draws[k] = gsl_rng_uniform(w->r); /* after the inputs: same stream, fixed order */
        lc_error_clear(&e2);
        if (lc_org_run(j->o, w->refs, w->draws, &w->t, &e2) != LC_OK) {
            if (e2.code == LC_ENOMEM)
                return lc_error_nomem(err);
            j->runway[si] = -2;
            j->breakeven[si] = -1;
            j->compute[si] = NAN;
            j->npv[si] = NAN;
            for (m = 0; m < j->H; m++)
                j->cash[m * j->n + si] = NAN;
            continue;
        }
        lc_org_metrics(&w->t, sim);
        j->runway[si] = w->t.runway;
        j->breakeven[si] = w->t.breakeven;
        j->compute[si] = sim[LC_SIM_COMPUTE_PER_YEAR];
        j->npv[si] = sim[LC_SIM_NPV];
        for (m = 0; m < j->H; m++)
            j->cash[m * j->n + si] = w->t.s[LC_ORG_CASH][m];
    }
    return LC_OK;
}

static int run_mc(lc_scenario *s, const lc_org *o, const double *point, size_t n, uint64_t seed,
                  unsigned threads, lc_simulate_mc *r, lc_error *err)
{
    lc_model *m = s->model;
    size_t count = lc_model_count(m), i, H = lc_org_horizon(o), nrefs, ok = 0, s36 = 0, s60 = 0,
           be = 0;
    const size_t *refs;
    lc_dist *dists = NULL;
    lc_evaluator ev;
    mc_job j;
    lc_mc_job job;
    int rc = LC_OK, have_ev = 0;
    static const double probs[3] = {0.05, 0.5, 0.95};

    memset(&j, 0, sizeof j);
    lc_org_refs(o, &refs, &nrefs);
    r->varied = malloc((count ? count : 1) * sizeof *r->varied);
    dists = malloc((count ? count : 1) * sizeof *dists);
    if (r->varied == NULL || dists == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (i = 0; i < count; i++) {
        lc_qty *q = lc_model_qty(m, i);
        if (q->dist && q->kind == LC_Q_INPUT && q->available) {
            r->varied[r->nv] = i;
            dists[r->nv] = *q->dist; /* shallow: read-only while sampling */
            r->nv++;
        }
    }
    if (n == 0 || ((r->nv == 0 || nrefs == 0) && lc_org_ndraws(o) == 0))
        goto done;
    if ((double)n * (double)H > LC_SIMULATE_MAX_CELLS) {
        rc = lc_error_set(err, LC_EUSAGE, lc_mark_none(),
                          "--samples %zu over %zu months is too much to keep (at most %.0f "
                          "sample-months)",
                          n, H, LC_SIMULATE_MAX_CELLS);
        goto done;
    }
    j.point = point;
    if (r->nv > 0 && nrefs > 0) {
        if ((rc = lc_model_evaluator(m, r->varied, r->nv, refs, nrefs, &ev, err)) != LC_OK)
            goto done;
        have_ev = 1;
        j.ev = &ev;
    } else
        r->nv = 0; /* nothing the org reads varies */
    j.o = o;
    j.dists = dists;
    j.nv = r->nv;
    j.nrefs = nrefs;
    j.n = n;
    j.H = H;
    j.seed = seed;
    j.cash = malloc(n * H * sizeof *j.cash);
    j.runway = malloc(n * sizeof *j.runway);
    j.breakeven = malloc(n * sizeof *j.breakeven);
    j.compute = malloc(n * sizeof *j.compute);
    j.npv = malloc(n * sizeof *j.npv);
    r->band = malloc(H * 3 * sizeof *r->band);
    if (j.cash == NULL || j.runway == NULL || j.breakeven == NULL || j.compute == NULL ||
        j.npv == NULL || r->band == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    memset(&job, 0, sizeof job);
    job.n_blocks = (n + LC_BLOCK - 1) / LC_BLOCK;
    job.threads = threads;
    job.user = &j;
    job.tls_alloc = tls_alloc;
    job.tls_free = tls_free;
    job.work = mc_work;
    job.units_total = n;
    job.units_per_block = LC_BLOCK;
    if ((rc = lc_mc_parallel(&job, err)) != LC_OK)
        goto done;
    for (i = 0; i < n; i++) {
        if (j.runway[i] == -2)
            continue;
        ok++;
        s36 += j.runway[i] < 0 || j.runway[i] >= 36;
        s60 += j.runway[i] < 0 || j.runway[i] >= 60;
        be += j.breakeven[i] >= 0;
    }
    r->ran = 1;
    r->rounds = lc_org_ndraws(o) > 0;
    r->n = n;
    r->n_failed = n - ok;
    r->seed = seed;
    r->threads = threads;
    r->survival36 = ok == 0 || H < 36 ? NAN : (double)s36 / (double)ok;
    r->survival60 = ok == 0 || H < 60 ? NAN : (double)s60 / (double)ok;
    r->p_breakeven = ok ? (double)be / (double)ok : NAN;
    for (i = 0; i < H && rc == LC_OK; i++)
        rc = lc_mc_percentiles(j.cash + i * n, n, probs, 3, r->band + i * 3, err);
    if (rc == LC_OK)
        rc = lc_mc_percentiles(j.compute, n, probs, 3, r->compute_pct, err);
    if (rc == LC_OK)
        rc = lc_mc_percentiles(j.npv, n, probs, 3, r->npv_pct, err);
    r->p_npv_positive = lc_mc_exceed_fraction(j.npv, n, 0);
done:
    if (have_ev)
        lc_model_evaluator_release(&ev);
    free(dists);
    free(j.cash);
    free(j.runway);
    free(j.breakeven);
    free(j.compute);
    free(j.npv);
    return rc;
}

/* The claims simulate judges: the org's, and top-level ones on sim.* metrics. */
static size_t collect_claims(const lc_scenario *s, const lc_claim *oc, size_t noc,
                             const lc_claim **out)
{
    size_t i, n = 0;
    for (i = 0; i < s->nclaims; i++)
        if (strncmp(s->claims[i].metric, "sim.", 4) == 0)
            out[n++] = &s->claims[i];
    for (i = 0; i < noc; i++)
        out[n++] = &oc[i];
    return n;
}

/* --- the run ---------------------------------------------------------------------------- */

void lc_simulate_free(lc_simulate *r)
{
    if (r == NULL)
        return;
    free(r->cl);
    free(r->oc);
    free(r->mc.varied);
    free(r->mc.band);
    lc_org_timeline_free(&r->t);
    lc_org_free(r->o);
    free(r);
}

lc_simulate *lc_simulate_run(lc_scenario *s, size_t samples, uint64_t seed, unsigned threads,
                             lc_error *err)
{
    lc_simulate *r = calloc(1, sizeof *r);
    double *refs = NULL;
    const size_t *ri;
    size_t nr, noc = 0;

    if (r == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    r->s = s;
    if (s->org == NULL) {
        lc_mark at = {s->path, 0, 0};
        lc_error_set(err, LC_EINPUT, at,
                     "no org: section to simulate (see the org schema in llmcost simulate "
                     "--help)");
        goto fail;
    }
    if ((r->o = lc_org_parse(s, s->org, err)) == NULL)
        goto fail;
    lc_org_refs(r->o, &ri, &nr);
    refs = malloc((nr ? nr : 1) * sizeof *refs);
    if (refs == NULL || lc_org_timeline_alloc(&r->t, lc_org_horizon(r->o)) != LC_OK) {
        lc_error_nomem(err);
        goto fail;
    }
    lc_org_point_refs(r->o, s, refs);
    if (lc_org_run(r->o, refs, NULL, &r->t, err) != LC_OK)
        goto fail;
    lc_org_metrics(&r->t, r->sim);
    if (run_mc(s, r->o, refs, samples, seed, threads, &r->mc, err) != LC_OK)
        goto fail;
    if (r->mc.ran) {
        r->sim[LC_SIM_SURVIVAL_36] = r->mc.survival36;
        r->sim[LC_SIM_SURVIVAL_60] = r->mc.survival60;
    }
    if (lc_org_publish(r->o, s, r->sim, &r->oc, err) != LC_OK)
        goto fail;
    {
        const lc_claim *tmp;
        lc_org_claims(r->o, &tmp, &noc);
    }
    if ((r->cl = malloc((s->nclaims + noc + 1) * sizeof *r->cl)) == NULL) {
        lc_error_nomem(err);
        goto fail;
    }
    r->ncl = collect_claims(s, r->oc, noc, r->cl);
    free(refs);
    return r;
fail:
    free(refs);
    lc_simulate_free(r);
    return NULL;
}

const lc_claim *const *lc_simulate_claims(const lc_simulate *r, size_t *n)
{
    *n = r->ncl;
    return r->cl;
}
