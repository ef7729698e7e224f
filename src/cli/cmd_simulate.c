/* cmd_simulate.c — llmcost simulate: an organisation's cash month by month
 * (lc_org), with Monte Carlo over the scenario's uncertain inputs for the
 * probability of lasting investors' 3 and 5 years. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "lc_analyses.h"
#include "lc_claims.h"
#include "lc_dist.h"
#include "lc_mc.h"
#include "lc_org.h"
#include "lc_fill.h"
#include "lc_plot.h"
#include "lc_util.h"

#define MONTH_S         (365.0 * 86400.0 / 12.0)
#define DEFAULT_SAMPLES 1000
#define MAX_SAMPLES     1000000
#define MAX_CELLS       50000000.0 /* samples x months kept for the bands (400 MB) */

int lc_cli_plot_format(const char *cmd, const char *s, int *f)
{
    if (strcmp(s, "png") == 0)
        *f = (int)LC_PLOT_PNG;
    else if (strcmp(s, "svg") == 0)
        *f = (int)LC_PLOT_SVG;
    else if (strcmp(s, "pdf") == 0)
        *f = (int)LC_PLOT_PDF;
    else {
        fprintf(stderr,
                "llmcost %s: --plot takes png, svg or pdf, not %s (see llmcost %s --help)\n", cmd,
                s, cmd);
        return LC_EUSAGE;
    }
    return LC_OK;
}

/* A whole number option in [lo, hi]; LC_EUSAGE with a message otherwise. */
static int num_opt(const char *name, const char *s, double lo, double hi, double *out)
{
    char *end;
    double v;
    if (s == NULL)
        return LC_OK;
    v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= lo) || !(v <= hi) || v != floor(v)) {
        fprintf(stderr,
                "llmcost simulate: %s takes a whole number from %.0f to %.0f, not '%s' (see "
                "llmcost simulate --help)\n",
                name, lo, hi, s);
        return LC_EUSAGE;
    }
    *out = v;
    return LC_OK;
}

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

typedef struct mc_out {
    int ran, rounds;
    size_t n, n_failed, nv, threads;
    uint64_t seed;
    size_t *varied;
    double survival36, survival60, p_breakeven;
    double compute_pct[3];
    double npv_pct[3], p_npv_positive;
    double *band; /* H x 3: P5, P50, P95 of cash */
} mc_out;

static int run_mc(lc_scenario *s, const lc_org *o, const double *point, size_t n, uint64_t seed,
                  unsigned threads, mc_out *r, lc_error *err)
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
    if ((double)n * (double)H > MAX_CELLS) {
        rc = lc_error_set(err, LC_EUSAGE, lc_mark_none(),
                          "--samples %zu over %zu months is too much to keep (at most %.0f "
                          "sample-months)",
                          n, H, MAX_CELLS);
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

/* --- output ---------------------------------------------------------------------------- */

static const struct {
    lc_org_series s;
    const char *name;
    int money;
} cols[] = {
    {LC_ORG_CASH, "cash", 1},
    {LC_ORG_FUNDING, "funding", 1},
    {LC_ORG_REVENUE, "revenue", 1},
    {LC_ORG_SPEND, "spend", 1},
    {LC_ORG_STAFF, "staff", 1},
    {LC_ORG_TRAINING, "training", 1},
    {LC_ORG_INFERENCE, "inference", 1},
    {LC_ORG_ELECTRICITY, "electricity", 1},
    {LC_ORG_CAPEX, "capex", 1},
    {LC_ORG_OTHER, "other", 1},
    {LC_ORG_RESALE, "resale", 1},
    {LC_ORG_DEPRECIATION, "depreciation", 1},
    {LC_ORG_GPUS_OWNED, "gpus_owned", 0},
    {LC_ORG_GPUS_RENTED, "gpus_rented", 0},
    {LC_ORG_GPUS_NEEDED, "gpus_needed", 0},
    {LC_ORG_USERS, "users", 0},
    {LC_ORG_HEADCOUNT, "headcount", 0},
    {LC_ORG_BORROWED, "borrowed", 1},
    {LC_ORG_INTEREST, "interest", 1},
    {LC_ORG_PRINCIPAL, "principal", 1},
    {LC_ORG_LEASE, "lease", 1},
    {LC_ORG_DEBT, "debt", 1},
    {LC_ORG_BOOK_VALUE, "book_value", 1},
    {LC_ORG_DCF_CUM, "discounted_cash_flow_cum", 1},
    {LC_ORG_CASH_REAL, "cash_real", 1},
};
#define NCOLS (sizeof cols / sizeof cols[0])
/* columns of GPUs owned by generation, after cols[] when the fleet has several */
#define MAXCOLS (NCOLS + LC_ORG_MAX_GENERATIONS)

static int all_zero(const lc_org_timeline *t, lc_org_series s)
{
    size_t m;
    for (m = 0; m < t->months; m++)
        if (t->s[s][m] != 0)
            return 0;
    return 1;
}

/* Columns a terminal table shows (the rest is in CSV and JSON): financing
 * lines only when the org uses them. */
static int in_table(const lc_org_timeline *t, lc_org_series s)
{
    if (s == LC_ORG_INTEREST || s == LC_ORG_PRINCIPAL || s == LC_ORG_LEASE)
        return !all_zero(t, s);
    return s != LC_ORG_FUNDING && s != LC_ORG_RESALE && s != LC_ORG_DEPRECIATION &&
           s != LC_ORG_GPUS_NEEDED && s != LC_ORG_HEADCOUNT && s < LC_ORG_BORROWED;
}

static double money(const lc_scenario *s, double v)
{
    return lc_units_to(&s->units, v, "CUR");
}

typedef struct yearsum {
    size_t months;
    double spend, compute, staff, training, inference, electricity, capex, other, revenue, funding,
        cash_end;
} yearsum;

static void year_sums(const lc_org_timeline *t, size_t y, yearsum *ys)
{
    size_t m;
    memset(ys, 0, sizeof *ys);
    for (m = y * 12; m < t->months && m < y * 12 + 12; m++) {
        double *const *s = t->s;
        ys->months++;
        ys->spend += s[LC_ORG_SPEND][m];
        ys->compute += s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
                       s[LC_ORG_CAPEX][m];
        ys->staff += s[LC_ORG_STAFF][m];
        ys->training += s[LC_ORG_TRAINING][m];
        ys->inference += s[LC_ORG_INFERENCE][m];
        ys->electricity += s[LC_ORG_ELECTRICITY][m];
        ys->capex += s[LC_ORG_CAPEX][m];
        ys->other += s[LC_ORG_OTHER][m];
        ys->revenue += s[LC_ORG_REVENUE][m];
        ys->funding += s[LC_ORG_FUNDING][m];
        ys->cash_end = s[LC_ORG_CASH][m];
    }
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

/* A month-by-month chart of lines into sec: data is months x nc, column 0 the
 * month. */
static void line_chart(lc_section *sec, const lc_scenario *s, const lc_org_timeline *t,
                       const double *data, size_t nc, const char *const *names, const char *what,
                       const char *ylabel, const char *stem, const char *unit, int band,
                       const lc_plot_marker *mk, size_t nmk)
{
    char *title = lc_aprintf("%s: %s", what, s->name), *base = lc_path_stem(s->path);
    /* named after the scenario: several share a report's folder */
    char *name = base ? lc_aprintf("%s-%s", base, stem) : NULL;
    lc_chart c;
    memset(&c, 0, sizeof c);
    c.kind = LC_PLOT_TIMELINE;
    c.title = title ? title : what;
    c.xlabel = "months from the start";
    c.ylabel = ylabel;
    c.nrows = t->months;
    c.ncols = nc;
    c.data = data;
    c.col_names = names;
    c.band = band;
    c.markers = mk;
    c.nmarkers = nmk;
    if (name == NULL)
        lc_doc_fail(lc_section_doc(sec));
    else
        lc_section_chart(sec, &c, name, unit);
    free(title);
    free(base);
    free(name);
}

/* Cash with its P5-P95 band, runway, break-even and the investors' 3 and 5
 * years marked; the cumulative cash flow plain and discounted (and owning's
 * discounted saving); the fleet by generation with the GPUs rented. */
static void fill_charts(lc_doc *d, lc_section *sec, const lc_scenario *s,
                        const lc_org_timeline *t, const mc_out *mc)
{
    size_t H = t->months, nc = mc->ran ? 5 : 2, m, g;
    size_t w = LC_ORG_MAX_GENERATIONS + 5;
    double *data = malloc(H * w * sizeof *data), plain = 0, save = 0;
    const char *names5[] = {"month", "cash P5", "cash P50", "cash P95", "cash (base case)"};
    const char *names2[] = {"month", "cash (base case)"};
    const char *names[LC_ORG_MAX_GENERATIONS + 2];
    char *gen_names[LC_ORG_MAX_GENERATIONS] = {NULL};
    char *ylabel = lc_aprintf("cash (%s)", s->units.display);
    char *ylabel2 = lc_aprintf("cumulative (%s)", s->units.display);
    lc_plot_marker mk[4];
    size_t nm = 0;
    int own = !isnan(t->s[LC_ORG_RENT_COMPUTE][0]);
    if (data == NULL || ylabel == NULL || ylabel2 == NULL) {
        lc_doc_fail(d);
        goto done;
    }
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)(m + 1); /* months elapsed: the cash at the end of month m */
        if (mc->ran) {
            row[1] = money(s, mc->band[m * 3]);
            row[2] = money(s, mc->band[m * 3 + 1]);
            row[3] = money(s, mc->band[m * 3 + 2]);
        }
        row[nc - 1] = money(s, t->s[LC_ORG_CASH][m]);
    }
    if (t->runway >= 0)
        mk[nm].x = (double)t->runway, mk[nm++].label = "cash runs out";
    if (t->breakeven >= 0)
        mk[nm].x = (double)t->breakeven, mk[nm++].label = "break-even";
    if (H >= 36)
        mk[nm].x = 36, mk[nm++].label = "3 years";
    if (H >= 60)
        mk[nm].x = 60, mk[nm++].label = "5 years";
    line_chart(sec, s, t, data, nc, mc->ran ? names5 : names2, "Cash month by month", ylabel,
               "simulate-cash", s->units.display, mc->ran, mk, nm);

    nc = own ? 4 : 3;
    names[0] = "month";
    names[1] = "cash flow before funding, cumulative";
    names[2] = "the same, discounted to month 0";
    names[3] = "owning's saving over renting, discounted";
    for (m = 0; m < H; m++) {
        double *row = data + m * nc, *const *x = t->s;
        plain +=
            x[LC_ORG_REVENUE][m] + x[LC_ORG_RESALE][m] + x[LC_ORG_BORROWED][m] - x[LC_ORG_SPEND][m];
        if (own)
            save += lc_org_own_saving(t, m) / lc_org_discount_factor(t, m);
        row[0] = (double)(m + 1);
        row[1] = money(s, plain);
        row[2] = money(s, x[LC_ORG_DCF_CUM][m]);
        if (own)
            row[3] = money(s, save);
    }
    line_chart(sec, s, t, data, nc, names, "Cumulative cash, discounted", ylabel2,
               "simulate-discounted", s->units.display, 0, NULL, 0);

    nc = t->ngens + 2;
    for (g = 0; g < t->ngens; g++) {
        gen_names[g] = lc_aprintf("owned: %s", t->gen_names[g]);
        if (gen_names[g] == NULL)
            lc_doc_fail(d);
        names[g + 1] = gen_names[g] ? gen_names[g] : "owned";
    }
    names[t->ngens + 1] = "rented";
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)(m + 1);
        for (g = 0; g < t->ngens; g++)
            row[g + 1] = t->s[LC_ORG_GEN_FIRST + g][m];
        row[t->ngens + 1] = t->s[LC_ORG_GPUS_RENTED][m];
    }
    line_chart(sec, s, t, data, nc, names, "GPUs by generation, month by month", "GPUs",
               "simulate-fleet", "GPU", 0, NULL, 0);
done:
    for (g = 0; g < LC_ORG_MAX_GENERATIONS; g++)
        free(gen_names[g]);
    free(data);
    free(ylabel);
    free(ylabel2);
}

/* A month as a cell: a number, or missing with the reason. */
static void month_cell(lc_rtable *t, size_t col, double months, const char *why)
{
    if (isnan(months) || isinf(months))
        lc_rtable_missing(t, col, why);
    else
        lc_rtable_num(t, col, months);
}

/* The simulation as sections of doc: outlook, money over time, Monte Carlo,
 * the sim.* metrics, years, months, claims and, with plot, the charts. */
static size_t fill(lc_doc *d, lc_section *sec, const lc_scenario *s, const lc_org *o,
                   const lc_org_timeline *t, const double *sim, const mc_out *mc,
                   const lc_claim *const *cl, size_t ncl, int plot)
{
    const char *cur = s->units.display;
    if (sec == NULL)
        sec = lc_fill_scenario_section(d, s);
    lc_rtable *tb;
    size_t i, m, y, c, failed = 0;
    char *mcur = lc_aprintf("%s/year", cur);
    if (mcur == NULL)
        lc_doc_fail(d);
    lc_section_fact_num(sec, "horizon_months", (double)t->months);

    /* The answer first: does the cash last, when does revenue cover costs. */
    tb = lc_section_table(sec, "outlook", "Outlook");
    {
        size_t c_run = lc_rtable_col(tb, "runway_month", "base case: cash runs out in month", "month",
                                     LC_COL_COUNT);
        size_t c_be = lc_rtable_col(tb, "breakeven_month", "base case: break-even month", "month",
                                    LC_COL_COUNT);
        size_t c_cpy = lc_rtable_col(tb, "compute_per_year", "compute spend a year", mcur,
                                     LC_COL_MONEY);
        size_t c_spy = lc_rtable_col(tb, "spend_per_year", "all spend a year", mcur, LC_COL_MONEY);
        size_t c_36 = lc_rtable_col(tb, "survival_36", "P(cash lasts 36 months)", NULL,
                                    LC_COL_SHARE);
        size_t c_60 = lc_rtable_col(tb, "survival_60", "P(cash lasts 60 months)", NULL,
                                    LC_COL_SHARE);
        lc_rtable_row(tb);
        month_cell(tb, c_run, t->runway >= 0 ? (double)t->runway : NAN,
                   "the cash lasts the whole horizon");
        month_cell(tb, c_be, t->breakeven >= 0 ? (double)t->breakeven : NAN,
                   "not within the horizon");
        lc_rtable_num(tb, c_cpy, lc_units_to(&s->units, sim[LC_SIM_COMPUTE_PER_YEAR], "CUR/year"));
        lc_rtable_num(tb, c_spy, lc_units_to(&s->units, sim[LC_SIM_SPEND_PER_YEAR], "CUR/year"));
        if (isnan(sim[LC_SIM_SURVIVAL_36]))
            lc_rtable_missing(tb, c_36, "horizon too short");
        else
            lc_rtable_num(tb, c_36, sim[LC_SIM_SURVIVAL_36]);
        if (isnan(sim[LC_SIM_SURVIVAL_60]))
            lc_rtable_missing(tb, c_60, "horizon too short");
        else
            lc_rtable_num(tb, c_60, sim[LC_SIM_SURVIVAL_60]);
    }
    lc_section_text(sec, "%s",
                    mc->ran ? "Survival by Monte Carlo (table monte_carlo); break-even with GPUs "
                              "depreciated."
                            : "Survival from one run: no input has a distribution and no funding "
                              "round is uncertain; break-even with GPUs depreciated.");

    /* Money over time: NPV at the cost of capital, paybacks, owning against renting. */
    {
        double irr = NAN;
        int roots = lc_org_own_irr(t, &irr);
        size_t c_rate, c_npv, c_npvc, c_real, c_pay, c_save, c_op, c_opd, c_irr, c_rd;
        const char *rd_name, *rd_source;
        double rd = lc_org_rent_decline(o, &rd_name, &rd_source); /* 1/s */
        tb = lc_section_table(sec, "money", "Money over time");
        c_rate = lc_rtable_col(tb, "discount_rate", "cost of capital", "%/year",
                               LC_COL_QUANTITY);
        c_rd = lc_rtable_col(tb, "rent_decline", "rent decline", "%/year", LC_COL_QUANTITY);
        c_npv = lc_rtable_col(tb, "npv", "NPV of the cash flow before funding", cur,
                              LC_COL_MONEY);
        c_npvc = lc_rtable_col(tb, "npv_compute", "NPV of compute", cur, LC_COL_MONEY);
        c_real = lc_rtable_col(tb, "cash_end_real", "cash at the end, constant money", cur,
                               LC_COL_MONEY);
        c_pay = lc_rtable_col(tb, "payback_discounted", "discounted payback, month", "month",
                              LC_COL_COUNT);
        c_save = lc_rtable_col(tb, "own_saving_npv", "owning's saving over renting (NPV)", cur,
                               LC_COL_MONEY);
        c_op = lc_rtable_col(tb, "own_payback", "owning's payback, month", "month", LC_COL_COUNT);
        c_opd = lc_rtable_col(tb, "own_payback_discounted", "owning's discounted payback, month",
                              "month", LC_COL_COUNT);
        c_irr = lc_rtable_col(tb, "own_irr", "IRR of owning", "%/year", LC_COL_QUANTITY);
        lc_rtable_row(tb);
        lc_rtable_num(tb, c_rate, lc_units_to(&s->units, t->discount_rate, "%/year"));
        if (isnan(rd))
            lc_rtable_missing(tb, c_rd, rd_source);
        else
            lc_rtable_num(tb, c_rd, lc_units_to(&s->units, rd, "%/year"));
        lc_rtable_num(tb, c_npv, money(s, sim[LC_SIM_NPV]));
        lc_rtable_num(tb, c_npvc, money(s, sim[LC_SIM_NPV_COMPUTE]));
        lc_rtable_num(tb, c_real, money(s, sim[LC_SIM_CASH_END_REAL]));
        month_cell(tb, c_pay, sim[LC_SIM_PAYBACK_DISCOUNTED] / MONTH_S, "not within the horizon");
        if (roots != -1) {
            lc_rtable_num(tb, c_save, money(s, sim[LC_SIM_OWN_SAVING_NPV]));
            month_cell(tb, c_op, sim[LC_SIM_OWN_PAYBACK] / MONTH_S, "not within the horizon");
            month_cell(tb, c_opd, sim[LC_SIM_OWN_PAYBACK_DISCOUNTED] / MONTH_S,
                       "not within the horizon");
            if (roots == 1)
                lc_rtable_num(tb, c_irr, lc_units_to(&s->units, irr, "%/year"));
            else
                lc_rtable_missing(tb, c_irr,
                                  roots == 0 ? "no IRR: the savings never change sign"
                                             : "no single IRR: the NPV of the savings changes "
                                               "sign more than once (use the NPV)");
            if (roots == 1) {
                m = 0;
                while (m + 1 < t->months && lc_org_own_saving(t, m) == 0)
                    m++;
                if (lc_org_own_saving(t, m) > 0)
                    lc_section_text(sec, "Owning's savings come first and its costs later: its "
                                         "IRR is what owning costs, lower is better.");
            }
        } else {
            lc_rtable_missing(tb, c_save, "the organisation owns no GPU");
        }
        /* Issue 15: where the rent's yearly decline comes from, stated. */
        if (!isnan(rd))
            lc_section_text(sec,
                            "Rent decline (rental prices a year from the month a chip is on "
                            "sale; negative: a rise): %s%s%s.",
                            rd_name ? rd_name : "", rd_name ? ", " : "", rd_source);
        lc_section_fact_num(sec, "base_month", (double)t->base_month);
        lc_section_fact_qty(sec, "inflation", lc_units_to(&s->units, t->inflation, "%/year"),
                            "%/year", LC_COL_QUANTITY);
        lc_section_fact_hide(sec);
    }

    if (mc->ran) {
        size_t c_n, c_seed, c_thr, c_fail, c_36, c_60, c_be, k;
        static const char *const q[] = {"p5", "p50", "p95"};
        char seed[32];
        tb = lc_section_table(sec, "monte_carlo", "Monte Carlo");
        c_n = lc_rtable_col(tb, "samples", "samples", NULL, LC_COL_COUNT);
        c_seed = lc_rtable_col(tb, "seed", "seed", NULL, LC_COL_TEXT);
        c_thr = lc_rtable_col(tb, "threads", "threads", NULL, LC_COL_COUNT);
        c_fail = lc_rtable_col(tb, "failed", "not finite", NULL, LC_COL_COUNT);
        c_36 = lc_rtable_col(tb, "survival_36", "P(36 months)", NULL, LC_COL_SHARE);
        c_60 = lc_rtable_col(tb, "survival_60", "P(60 months)", NULL, LC_COL_SHARE);
        c_be = lc_rtable_col(tb, "breakeven_probability", "P(break-even)", NULL, LC_COL_SHARE);
        lc_rtable_detail(tb, c_thr);
        for (k = 0; k < 3; k++) {
            char name[40];
            snprintf(name, sizeof name, "compute_per_year_%s", q[k]);
            lc_rtable_col(tb, name, name, mcur, LC_COL_MONEY);
        }
        for (k = 0; k < 3; k++) {
            char name[16];
            snprintf(name, sizeof name, "npv_%s", q[k]);
            lc_rtable_col(tb, name, name, cur, LC_COL_MONEY);
        }
        c = lc_rtable_col(tb, "npv_positive_probability", "P(NPV > 0)", NULL, LC_COL_SHARE);
        lc_rtable_row(tb);
        lc_rtable_num(tb, c_n, (double)mc->n);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)mc->seed);
        lc_rtable_text(tb, c_seed, seed);
        lc_rtable_num(tb, c_thr, (double)mc->threads);
        lc_rtable_num(tb, c_fail, (double)mc->n_failed);
        lc_rtable_num(tb, c_36, mc->survival36);
        lc_rtable_num(tb, c_60, mc->survival60);
        lc_rtable_num(tb, c_be, mc->p_breakeven);
        for (k = 0; k < 3; k++) {
            lc_rtable_num(tb, c_be + 1 + k,
                          lc_units_to(&s->units, mc->compute_pct[k], "CUR/year"));
            lc_rtable_num(tb, c_be + 4 + k, money(s, mc->npv_pct[k]));
        }
        lc_rtable_num(tb, c, mc->p_npv_positive);
        {
            lc_rtable *ti = lc_section_table(sec, "uncertain", "Uncertain in the Monte Carlo");
            size_t c_name = lc_rtable_col(ti, "name", "input", NULL, LC_COL_TEXT);
            for (k = 0; k < mc->nv; k++) {
                lc_rtable_row(ti);
                lc_rtable_text(ti, c_name, lc_model_qty(s->model, mc->varied[k])->name);
            }
            if (mc->rounds) {
                lc_rtable_row(ti);
                lc_rtable_text(ti, c_name, "which funding rounds close");
            }
        }
        if (mc->n_failed)
            lc_section_warn(sec, "%zu samples gave a non-finite result and are left out",
                            mc->n_failed);
    }

    /* Every sim.* metric, which claims are judged on. */
    tb = lc_section_table(sec, "metrics", "Results as metrics (sim.*)");
    {
        size_t c_name = lc_rtable_col(tb, "name", "name", NULL, LC_COL_TEXT);
        size_t c_label = lc_rtable_col(tb, "label", "metric", NULL, LC_COL_TEXT);
        size_t c_v = lc_rtable_col(tb, "value", "value", NULL, LC_COL_QUANTITY);
        size_t c_u = lc_rtable_col(tb, "unit", "unit", NULL, LC_COL_UNIT);
        size_t c_doc = lc_rtable_col(tb, "doc", "what it is", NULL, LC_COL_TEXT);
        lc_rtable_unit_col(tb, c_v, c_u);
        lc_rtable_detail(tb, c_doc);
        for (i = 0; i < LC_SIM_NMETRICS; i++) {
            const char *unit = lc_sim_metrics[i].unit;
            size_t ul = strlen(unit) * 4 + 16;
            char *du = malloc(ul);
            lc_rtable_row(tb);
            lc_rtable_text(tb, c_name, lc_sim_metrics[i].name);
            lc_rtable_text(tb, c_label, lc_sim_metrics[i].label);
            if (isinf(sim[i])) /* censored (sim.breakeven) */
                lc_rtable_missing(tb, c_v, "not reached within the horizon");
            else {
                lc_rtable_num(tb, c_v, lc_units_to(&s->units, sim[i], unit));
                lc_rtable_cell_kind(tb, c_v,
                                    strstr(unit, "CUR")   ? LC_COL_MONEY
                                    : !strcmp(unit, "%") ? LC_COL_SHARE
                                                         : LC_COL_QUANTITY);
            }
            if (du)
                lc_units_display_name(&s->units, unit, du, ul);
            lc_rtable_text(tb, c_u, du);
            free(du);
            if (i == LC_SIM_RUNWAY && lc_org_runway_censored(t->months, sim[i]))
                lc_rtable_text(tb, c_doc, "at least this: the cash lasts the whole horizon");
            else
                lc_rtable_text(tb, c_doc, lc_sim_metrics[i].doc);
        }
    }

    /* Sums by calendar year of the horizon. */
    tb = lc_section_table(sec, "years", "Per year (sums over the year's months)");
    {
        static const char *const names[] = {"spend",     "compute",     "staff",   "training",
                                            "inference", "electricity", "capex",   "other",
                                            "revenue",   "funding",     "cash_end"};
        size_t c_y = lc_rtable_col(tb, "year", "year", NULL, LC_COL_COUNT);
        size_t c_m = lc_rtable_col(tb, "months", "months", NULL, LC_COL_COUNT);
        size_t c0 = lc_rtable_ncols(tb);
        for (i = 0; i < 11; i++)
            lc_rtable_col(tb, names[i], names[i], cur, LC_COL_MONEY);
        for (y = 0; y * 12 < t->months; y++) {
            yearsum ys;
            double v[11];
            year_sums(t, y, &ys);
            v[0] = ys.spend, v[1] = ys.compute, v[2] = ys.staff, v[3] = ys.training;
            v[4] = ys.inference, v[5] = ys.electricity, v[6] = ys.capex, v[7] = ys.other;
            v[8] = ys.revenue, v[9] = ys.funding, v[10] = ys.cash_end;
            lc_rtable_row(tb);
            lc_rtable_num(tb, c_y, (double)(y + 1));
            lc_rtable_num(tb, c_m, (double)ys.months);
            for (i = 0; i < 11; i++)
                lc_rtable_num(tb, c0 + i, money(s, v[i]));
        }
    }

    /* Month by month: every series; the terminal shows the main ones. */
    tb = lc_section_table(sec, "months", "Month by month");
    {
        size_t c_m = lc_rtable_col(tb, "month", "month", NULL, LC_COL_COUNT), c0, g0, b0 = 0;
        size_t ng = t->ngens > 1 ? t->ngens : 0;
        c0 = lc_rtable_ncols(tb);
        for (i = 0; i < NCOLS; i++) {
            size_t k = lc_rtable_col(tb, cols[i].name, cols[i].name, cols[i].money ? cur : NULL,
                                     cols[i].money ? LC_COL_MONEY : LC_COL_COUNT);
            if (!in_table(t, cols[i].s))
                lc_rtable_detail(tb, k);
        }
        g0 = lc_rtable_ncols(tb);
        for (i = 0; i < ng; i++) {
            char *name = lc_aprintf("gpus_%s", t->gen_names[i]);
            lc_rtable_col(tb, name ? name : "gpus", name ? name : "gpus", NULL, LC_COL_COUNT);
            if (name == NULL)
                lc_doc_fail(d);
            free(name);
        }
        if (mc->ran) {
            b0 = lc_rtable_ncols(tb);
            lc_rtable_col(tb, "cash_p5", "cash P5", cur, LC_COL_MONEY);
            lc_rtable_col(tb, "cash_p50", "cash P50", cur, LC_COL_MONEY);
            lc_rtable_col(tb, "cash_p95", "cash P95", cur, LC_COL_MONEY);
        }
        for (m = 0; m < t->months; m++) {
            lc_rtable_row(tb);
            lc_rtable_num(tb, c_m, (double)m);
            for (i = 0; i < NCOLS; i++) {
                double v = t->s[cols[i].s][m];
                lc_rtable_num(tb, c0 + i, cols[i].money ? money(s, v) : v);
            }
            for (i = 0; i < ng; i++)
                lc_rtable_num(tb, g0 + i, t->s[LC_ORG_GEN_FIRST + i][m]);
            for (i = 0; mc->ran && i < 3; i++)
                lc_rtable_num(tb, b0 + i, money(s, mc->band[m * 3 + i]));
        }
    }

    if (ncl) {
        lc_claim_ref *refs = malloc(ncl * sizeof *refs);
        if (refs == NULL)
            lc_doc_fail(d);
        for (i = 0; refs && i < ncl; i++) {
            refs[i].s = s;
            refs[i].c = cl[i];
        }
        if (refs)
            failed = lc_fill_claims(sec, refs, ncl, 0);
        free(refs);
    }
    if (plot)
        fill_charts(d, sec, s, t, mc);
    free(mcur);
    return failed;
}

/* A simulation run: the base case, the Monte Carlo, the sim.* values
 * published into the scenario's model, and the claims judged on them. */
struct lc_cli_sim {
    lc_scenario *s;
    lc_org *o;
    lc_org_timeline t;
    mc_out mc;
    double sim[LC_SIM_NMETRICS];
    lc_claim *oc;       /* the org's claims, qi remapped to the model */
    const lc_claim **cl; /* the scenario's claims on sim.*, then the org's */
    size_t ncl;
};

void lc_cli_sim_free(lc_cli_sim *r)
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

lc_cli_sim *lc_cli_sim_run(lc_scenario *s, size_t samples, uint64_t seed, unsigned threads,
                           int *rc)
{
    lc_cli_sim *r = calloc(1, sizeof *r);
    lc_error err;
    double *refs = NULL;
    const size_t *ri;
    size_t nr, noc = 0;

    lc_error_clear(&err);
    *rc = LC_OK;
    if (r == NULL) {
        *rc = LC_ENOMEM;
        return NULL;
    }
    r->s = s;
    if (s->org == NULL) {
        lc_mark at = {s->path, 0, 0};
        lc_error_set(&err, LC_EINPUT, at,
                     "no org: section to simulate (see the org schema in llmcost simulate "
                     "--help)");
        goto fail;
    }
    if ((r->o = lc_org_parse(s, s->org, &err)) == NULL)
        goto fail;
    lc_org_refs(r->o, &ri, &nr);
    refs = malloc((nr ? nr : 1) * sizeof *refs);
    if (refs == NULL || lc_org_timeline_alloc(&r->t, lc_org_horizon(r->o)) != LC_OK) {
        lc_error_nomem(&err);
        goto fail;
    }
    lc_org_point_refs(r->o, s, refs);
    if (lc_org_run(r->o, refs, NULL, &r->t, &err) != LC_OK)
        goto fail;
    lc_org_metrics(&r->t, r->sim);
    if (run_mc(s, r->o, refs, samples, seed, threads, &r->mc, &err) != LC_OK)
        goto fail;
    if (r->mc.ran) {
        r->sim[LC_SIM_SURVIVAL_36] = r->mc.survival36;
        r->sim[LC_SIM_SURVIVAL_60] = r->mc.survival60;
    }
    if (lc_org_publish(r->o, s, r->sim, &r->oc, &err) != LC_OK)
        goto fail;
    {
        const lc_claim *tmp;
        lc_org_claims(r->o, &tmp, &noc);
    }
    if ((r->cl = malloc((s->nclaims + noc + 1) * sizeof *r->cl)) == NULL) {
        lc_error_nomem(&err);
        goto fail;
    }
    r->ncl = collect_claims(s, r->oc, noc, r->cl);
    free(refs);
    return r;
fail:
    free(refs);
    lc_cli_sim_free(r);
    *rc = lc_cli_fail(&err);
    return NULL;
}

const lc_claim *const *lc_cli_sim_claims(const lc_cli_sim *r, size_t *n)
{
    *n = r->ncl;
    return r->cl;
}

int lc_cli_simulation(lc_scenario *s, lc_doc *doc, lc_section *sec, size_t samples,
                      uint64_t seed, unsigned threads, int plot, lc_cli_sim_out *out)
{
    int rc;
    lc_cli_sim *r = lc_cli_sim_run(s, samples, seed, threads, &rc);
    size_t failed;
    if (r == NULL)
        return rc;
    failed = fill(doc, sec, s, r->o, &r->t, r->sim, &r->mc, r->cl, r->ncl, plot);
    if (out) {
        memcpy(out->sim, r->sim, sizeof r->sim);
        out->nclaims = r->ncl;
        out->nfailed = failed;
    }
    lc_cli_sim_free(r);
    return LC_OK;
}

static int cmd_simulate(lc_cli *cli)
{
    lc_scenario *s = NULL;
    double samples = DEFAULT_SAMPLES, threads = 0;
    unsigned long long seed = 1; /* exact, as --seed of mc and seed: in a scenario */
    int fmt = (int)LC_PLOT_PNG;
    int rc = LC_OK;
    lc_doc *doc = NULL;

    if (cli->nfiles != 1 || cli->nargs > 0) {
        fputs("llmcost simulate: give one scenario file with an org: section; see llmcost "
              "simulate --help\n",
              stderr);
        return LC_EUSAGE;
    }
    if (num_opt("--samples", cli->samples, 0, MAX_SAMPLES, &samples) ||
        num_opt("--threads", cli->threads, 1, LC_MC_THREADS_MAX, &threads))
        return LC_EUSAGE;
    if (cli->seed && lc_parse_whole(cli->seed, LC_AN_SEED_MAX, &seed) != 0) {
        fprintf(stderr,
                "llmcost simulate: --seed takes a whole number from 0 to %llu, not '%s' (see "
                "llmcost simulate --help)\n",
                (unsigned long long)LC_AN_SEED_MAX, cli->seed);
        return LC_EUSAGE;
    }
    if (cli->plot && lc_cli_plot_format("simulate", cli->plot, &fmt))
        return LC_EUSAGE;
    if (threads == 0)
        threads = lc_cli_default_threads();
    if ((s = lc_cli_load(cli, cli->files[0], &rc)) == NULL)
        return rc;
    if ((doc = lc_doc_alloc("simulate")) == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    lc_doc_set_currency(doc, s->units.display);
    rc = lc_cli_simulation(s, doc, NULL, (size_t)samples, (uint64_t)seed, (unsigned)threads,
                           cli->plot != NULL, NULL);
    if (rc == LC_OK)
        rc = lc_cli_emit(cli, doc);
done:
    lc_doc_free(doc);
    lc_scenario_free(s);
    return rc;
}

unsigned lc_cli_default_threads(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus < 1 ? 1 : cpus > 8 ? 8 : (unsigned)cpus;
}

const lc_command lc_cmd_simulate_def = {
    "simulate",
    cmd_simulate,
    "an organisation's cash month by month: runway, break-even, survival",
    "FILE [options]",
    "Simulate the scenario's org: (cash, funding rounds, staff, compute rented or\n"
    "owned, training runs, users and revenue) month by month over its horizon\n"
    "(default 60 months): cash, revenue and spend split into staff, training,\n"
    "inference, electricity, capex and other; GPUs owned and rented; the month the\n"
    "cash runs out (runway), the month revenue first covers costs (break-even) and\n"
    "the spend of each year.  When the scenario's inputs have distributions, a Monte\n"
    "Carlo over the whole timeline gives the probability that the cash lasts 36 and\n"
    "60 months (investors' 3 to 5 years) and P5/P50/P95 bands of cash.  Claims under\n"
    "org: claims: (and top-level claims on sim.* metrics) are judged on the results.\n"
    "Money over time: NPV at the cost of capital (org: finance: discount_rate,\n"
    "default 7 %/year), discounted payback, owning against renting (saving, payback,\n"
    "IRR), loans and leases, depreciation, falling prices, chip generations and\n"
    "constant money (README, \"Money over time\").  Rents fall by compute:\n"
    "rent_decline, by default gpu.rent_decline: the catalog's dated rents of the\n"
    "chosen GPU fitted by least squares (0 without a fit; the output says which).\n"
    "The org schema is documented in include/analyses/lc_org.h and the README.\n",
    (const lc_option *const[]){
        &(const lc_option){"--samples", "-n", "N", "Monte Carlo samples (default 1000; 0 = none)"},
        &(const lc_option){"--seed", NULL, "S",
                           "random seed (default 1; printed with the results)"},
        &(const lc_option){"--threads", NULL, "T",
                           "worker threads (default: CPUs, at most 8); results are the same for "
                           "any T"},
        &(const lc_option){"--plot", NULL, "png|svg|pdf",
                           "draw the cash timeline (with the P5-P95 band), the cumulative cash "
                           "flow discounted (simulate-discounted) and the GPUs by generation "
                           "(simulate-fleet)"},
        &(const lc_option){"-o", NULL, "DIR",
                           "chart folder (default: NAME-charts/, NAME being the file's name "
                           "without .yaml)"},
        LC_OPTS_COMMON, NULL},
    "simulate scenarios/startup.yaml --samples 2000 --seed 7\n"};
