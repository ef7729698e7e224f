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
#include "lc_escape.h"
#include "lc_plot.h"
#include "lc_util.h"

#define MONTH_S         (365.0 * 86400.0 / 12.0)
#define DEFAULT_SAMPLES 1000
#define MAX_SAMPLES     1000000
#define MAX_CELLS       50000000.0 /* samples x months kept for the bands (400 MB) */

void lc_cli_chart_dir(const char *path, char *buf, size_t size)
{
    char stem[128];
    const char *base = strrchr(path, '/');
    char *dot;
    base = base ? base + 1 : path;
    if (strcmp(base, "-") == 0)
        base = "stdin";
    lc_plot_stem(base, stem, sizeof stem);
    dot = strstr(stem, ".yaml");
    if (dot == NULL)
        dot = strstr(stem, ".yml");
    if (dot && dot != stem)
        *dot = '\0';
    snprintf(buf, size, "%s-charts", stem);
}

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

/* Name of the column of generation g's GPUs. */
static void gen_col(const lc_org_timeline *t, size_t g, char *buf, size_t size)
{
    snprintf(buf, size, "gpus_%s", t->gen_names[g]);
}

static double money(const lc_scenario *s, double v)
{
    return lc_units_to(&s->units, v, "CUR");
}

static lc_table *month_table(const lc_scenario *s, const lc_org_timeline *t, const mc_out *mc,
                             int terminal)
{
    const char *names[MAXCOLS + 4];
    char hdr[MAXCOLS + 4][48];
    size_t nc = 0, i, m, c, g0, ng = t->ngens > 1 ? t->ngens : 0;
    lc_table *tb;
    size_t map[NCOLS];
    const char *cur = s->units.display;

    names[nc++] = "month";
    for (i = 0; i < NCOLS; i++) {
        if (terminal && !in_table(t, cols[i].s))
            continue;
        if (cols[i].money)
            snprintf(hdr[nc], sizeof hdr[nc], "%s (%s)", cols[i].name, cur);
        else
            snprintf(hdr[nc], sizeof hdr[nc], "%s", cols[i].name);
        names[nc] = hdr[nc];
        map[i] = nc++;
    }
    g0 = nc;
    for (i = 0; i < ng; i++) {
        gen_col(t, i, hdr[nc], sizeof hdr[nc]);
        names[nc] = hdr[nc];
        nc++;
    }
    if (mc->ran) {
        static const char *const b[] = {"cash_p5", "cash_p50", "cash_p95"};
        for (i = 0; i < 3; i++) {
            snprintf(hdr[nc], sizeof hdr[nc], "%s (%s)", b[i], cur);
            names[nc] = hdr[nc];
            nc++;
        }
    }
    tb = lc_table_alloc(names, nc);
    if (tb == NULL)
        return NULL;
    for (c = 0; c < nc; c++)
        lc_table_set_numeric(tb, c);
    for (m = 0; m < t->months; m++) {
        if (lc_table_row(tb)) {
            lc_table_free(tb);
            return NULL;
        }
        lc_table_num(tb, 0, (double)m);
        for (i = 0; i < NCOLS; i++) {
            double v = t->s[cols[i].s][m];
            if (terminal && !in_table(t, cols[i].s))
                continue;
            lc_table_num(tb, map[i], cols[i].money ? money(s, v) : v);
        }
        for (i = 0; i < ng; i++)
            lc_table_num(tb, g0 + i, t->s[LC_ORG_GEN_FIRST + i][m]);
        if (mc->ran)
            for (i = 0; i < 3; i++)
                lc_table_num(tb, nc - 3 + i, money(s, mc->band[m * 3 + i]));
    }
    return tb;
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

static lc_table *year_table(const lc_scenario *s, const lc_org_timeline *t)
{
    static const char *const base[] = {"spend",     "compute",     "staff",   "training",
                                       "inference", "electricity", "capex",   "other",
                                       "revenue",   "funding",     "cash_end"};
    char hdr[13][48];
    const char *names[13];
    size_t i, y, c;
    lc_table *tb;
    names[0] = "year";
    names[1] = "months";
    for (i = 0; i < 11; i++) {
        snprintf(hdr[i], sizeof hdr[i], "%s (%s)", base[i], s->units.display);
        names[i + 2] = hdr[i];
    }
    tb = lc_table_alloc(names, 13);
    if (tb == NULL)
        return NULL;
    for (c = 0; c < 13; c++)
        lc_table_set_numeric(tb, c);
    for (y = 0; y * 12 < t->months; y++) {
        yearsum ys;
        double v[11];
        year_sums(t, y, &ys);
        v[0] = ys.spend, v[1] = ys.compute, v[2] = ys.staff, v[3] = ys.training;
        v[4] = ys.inference, v[5] = ys.electricity, v[6] = ys.capex, v[7] = ys.other;
        v[8] = ys.revenue, v[9] = ys.funding, v[10] = ys.cash_end;
        if (lc_table_row(tb)) {
            lc_table_free(tb);
            return NULL;
        }
        lc_table_num(tb, 0, (double)(y + 1));
        lc_table_num(tb, 1, (double)ys.months);
        for (i = 0; i < 11; i++)
            lc_table_num(tb, i + 2, money(s, v[i]));
    }
    return tb;
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

static void print_json(const lc_scenario *s, const lc_org_timeline *t, const double *sim,
                       const mc_out *mc, const lc_claim *const *cl, size_t ncl, FILE *out)
{
    size_t m, i, y;
    fputs("{\n  \"scenario\": ", out);
    lc_json_string(out, s->name);
    fputs(",\n  \"file\": ", out);
    lc_json_string(out, s->path);
    fputs(",\n  \"currency\": ", out);
    lc_json_string(out, s->units.display);
    fprintf(out, ",\n  \"horizon_months\": %zu", t->months);
    fputs(",\n  \"runway_month\": ", out);
    if (t->runway >= 0)
        fprintf(out, "%ld", t->runway);
    else
        fputs("null", out);
    fputs(",\n  \"breakeven_month\": ", out);
    if (t->breakeven >= 0)
        fprintf(out, "%ld", t->breakeven);
    else
        fputs("null", out);
    fputs(",\n  \"metrics\": [", out);
    for (i = 0; i < LC_SIM_NMETRICS; i++) {
        char unit[64];
        lc_units_display_name(&s->units, lc_sim_metrics[i].unit, unit, sizeof unit);
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
        lc_json_string(out, lc_sim_metrics[i].name);
        fputs(", \"value\": ", out);
        lc_json_number(out, lc_units_to(&s->units, sim[i], lc_sim_metrics[i].unit));
        fputs(", \"unit\": ", out);
        lc_json_string(out, unit);
        if (isinf(sim[i])) /* censored (sim.breakeven): null, and why */
            fputs(", \"reason\": \"not reached within the horizon\"", out);
        fputs("}", out);
    }
    fputs("\n  ],\n  \"months\": [", out);
    for (m = 0; m < t->months; m++) {
        fprintf(out, "%s\n    {\"month\": %zu", m ? "," : "", m);
        for (i = 0; i < NCOLS; i++) {
            double v = t->s[cols[i].s][m];
            fprintf(out, ", \"%s\": ", cols[i].name);
            lc_json_number(out, cols[i].money ? money(s, v) : v);
        }
        for (i = 0; t->ngens > 1 && i < t->ngens; i++) {
            char name[48];
            gen_col(t, i, name, sizeof name);
            fputs(", ", out);
            lc_json_string(out, name);
            fputs(": ", out);
            lc_json_number(out, t->s[LC_ORG_GEN_FIRST + i][m]);
        }
        if (mc->ran) {
            fputs(", \"cash_p5\": ", out);
            lc_json_number(out, money(s, mc->band[m * 3]));
            fputs(", \"cash_p50\": ", out);
            lc_json_number(out, money(s, mc->band[m * 3 + 1]));
            fputs(", \"cash_p95\": ", out);
            lc_json_number(out, money(s, mc->band[m * 3 + 2]));
        }
        fputs("}", out);
    }
    fputs("\n  ],\n  \"years\": [", out);
    for (y = 0; y * 12 < t->months; y++) {
        yearsum ys;
        year_sums(t, y, &ys);
        fprintf(out, "%s\n    {\"year\": %zu, \"months\": %zu", y ? "," : "", y + 1, ys.months);
#define JF(name, v)                                                                                \
    do {                                                                                           \
        fputs(", \"" name "\": ", out);                                                            \
        lc_json_number(out, money(s, v));                                                          \
    } while (0)
        JF("spend", ys.spend);
        JF("compute", ys.compute);
        JF("staff", ys.staff);
        JF("training", ys.training);
        JF("inference", ys.inference);
        JF("electricity", ys.electricity);
        JF("capex", ys.capex);
        JF("other", ys.other);
        JF("revenue", ys.revenue);
        JF("funding", ys.funding);
        JF("cash_end", ys.cash_end);
#undef JF
        fputs("}", out);
    }
    fputs("\n  ],\n  \"monte_carlo\": ", out);
    if (mc->ran) {
        fprintf(out, "{\"samples\": %zu, \"seed\": %llu, \"threads\": %zu, \"failed\": %zu", mc->n,
                (unsigned long long)mc->seed, mc->threads, mc->n_failed);
        fputs(", \"inputs\": [", out);
        for (i = 0; i < mc->nv; i++) {
            if (i)
                fputs(", ", out);
            lc_json_string(out, lc_model_qty(s->model, mc->varied[i])->name);
        }
        fprintf(out, "], \"uncertain_rounds\": %s", mc->rounds ? "true" : "false");
        fputs(", \"survival_36\": ", out);
        lc_json_number(out, mc->survival36);
        fputs(", \"survival_60\": ", out);
        lc_json_number(out, mc->survival60);
        fputs(", \"breakeven_probability\": ", out);
        lc_json_number(out, mc->p_breakeven);
        fputs(", \"compute_per_year_p5\": ", out);
        lc_json_number(out, lc_units_to(&s->units, mc->compute_pct[0], "CUR/year"));
        fputs(", \"compute_per_year_p50\": ", out);
        lc_json_number(out, lc_units_to(&s->units, mc->compute_pct[1], "CUR/year"));
        fputs(", \"compute_per_year_p95\": ", out);
        lc_json_number(out, lc_units_to(&s->units, mc->compute_pct[2], "CUR/year"));
        fputs(", \"npv_p5\": ", out);
        lc_json_number(out, money(s, mc->npv_pct[0]));
        fputs(", \"npv_p50\": ", out);
        lc_json_number(out, money(s, mc->npv_pct[1]));
        fputs(", \"npv_p95\": ", out);
        lc_json_number(out, money(s, mc->npv_pct[2]));
        fputs(", \"npv_positive_probability\": ", out);
        lc_json_number(out, mc->p_npv_positive);
        fputs("}", out);
    } else
        fputs("null", out);
    fputs(",\n  \"claims\": [", out);
    for (i = 0; i < ncl; i++) {
        lc_verdict v;
        lc_claims_judge(s, cl[i], &v);
        fputs(i ? ",\n    " : "\n    ", out);
        lc_claims_json(s, cl[i], &v, out);
    }
    fputs(ncl ? "\n  ]\n}\n" : "]\n}\n", out);
}

static void pct_text(double p, char *buf, size_t size)
{
    if (isnan(p))
        snprintf(buf, size, "n/a (horizon too short)");
    else
        snprintf(buf, size, "%.1f%%", 100 * p);
}

/* Money over time: NPV at the cost of capital, paybacks, owning against renting. */
static void print_money(const lc_scenario *s, const lc_org_timeline *t, const double *sim,
                        FILE *out)
{
    char a[96], b[96], c[96];
    double irr;
    int roots;
    lc_units_format(&s->units, t->discount_rate, "%/year", a, sizeof a);
    lc_units_format(&s->units, sim[LC_SIM_NPV], "CUR", b, sizeof b);
    lc_units_format(&s->units, sim[LC_SIM_NPV_COMPUTE], "CUR", c, sizeof c);
    fprintf(out,
            "net present value at %s (cost of capital, month 0): cash flow before funding %s, "
            "compute %s\n",
            a, b, c);
    lc_units_format(&s->units, t->inflation, "%/year", a, sizeof a);
    lc_units_format(&s->units, sim[LC_SIM_CASH_END_REAL], "CUR", b, sizeof b);
    fprintf(out, "constant money: cash at the end %s in month %zu's money (prices rising %s)\n", b,
            t->base_month, a);
    if (isnan(sim[LC_SIM_PAYBACK_DISCOUNTED]))
        fprintf(out, "discounted payback: not within the horizon\n");
    else
        fprintf(out, "discounted payback: month %.0f\n", sim[LC_SIM_PAYBACK_DISCOUNTED] / MONTH_S);
    roots = lc_org_own_irr(t, &irr);
    if (roots == -1)
        return;
    lc_units_format(&s->units, sim[LC_SIM_OWN_SAVING_NPV], "CUR", b, sizeof b);
    fprintf(out, "owning instead of renting (unlevered): saves %s in present value; payback ", b);
    if (isnan(sim[LC_SIM_OWN_PAYBACK]))
        fputs("not within the horizon", out);
    else
        fprintf(out, "month %.0f (discounted: %s%.0f)", sim[LC_SIM_OWN_PAYBACK] / MONTH_S,
                isnan(sim[LC_SIM_OWN_PAYBACK_DISCOUNTED]) ? "not within the horizon" : "month ",
                isnan(sim[LC_SIM_OWN_PAYBACK_DISCOUNTED])
                    ? 0.0
                    : sim[LC_SIM_OWN_PAYBACK_DISCOUNTED] / MONTH_S);
    if (roots == 1) {
        size_t m = 0;
        while (m + 1 < t->months && lc_org_own_saving(t, m) == 0)
            m++;
        lc_units_format(&s->units, irr, "%/year", a, sizeof a);
        /* savings first and costs later: the rate is what owning costs */
        fprintf(out, "; IRR %s%s\n", a,
                lc_org_own_saving(t, m) > 0 ? " (savings come first, costs later: this rate is a "
                                              "cost, lower is better)"
                                            : "");
    } else if (roots == 0)
        fputs("; no IRR (the savings never change sign: owning is cheaper or dearer at every "
              "rate)\n",
              out);
    else
        fprintf(out,
                "; no single IRR (the NPV of the savings changes sign %d times: use the NPV)\n",
                roots);
}

static int print_text(const lc_scenario *s, const lc_org_timeline *t, const double *sim,
                      const mc_out *mc, const lc_claim *const *cl, size_t ncl, FILE *out)
{
    lc_table *tb = month_table(s, t, mc, 1), *ty = year_table(s, t);
    char a[96], b[96];
    size_t i;
    if (tb == NULL || ty == NULL) {
        /* Both tables or nothing: never a report with a table missing. */
        lc_table_free(tb);
        lc_table_free(ty);
        return LC_ENOMEM;
    }
    lc_escape_fputs(LC_ESC_TERMINAL, s->name, out); /* user text: controls shown escaped */
    fputs("  (", out);
    lc_escape_fputs(LC_ESC_TERMINAL, s->path, out);
    fprintf(out, ", currency %s, %zu months)\n\n", s->units.display, t->months);
    lc_table_print(tb, LC_FORMAT_TABLE, out);
    lc_table_free(tb);
    fputs("\nper year (sums over the year's months)\n", out);
    lc_table_print(ty, LC_FORMAT_TABLE, out);
    lc_table_free(ty);
    fputc('\n', out);
    if (t->runway >= 0)
        fprintf(out, "runway: cash runs out in month %ld (it lasts %ld month%s)\n", t->runway,
                t->runway, t->runway == 1 ? "" : "s");
    else
        fprintf(out, "runway: the cash lasts the whole horizon (%zu months)\n", t->months);
    if (t->breakeven >= 0)
        fprintf(out, "break-even: month %ld (revenue first covers costs, GPUs depreciated)\n",
                t->breakeven);
    else
        fprintf(out, "break-even: not within the horizon\n");
    lc_units_format(&s->units, sim[LC_SIM_COMPUTE_PER_YEAR], "CUR/year", a, sizeof a);
    lc_units_format(&s->units, sim[LC_SIM_SPEND_PER_YEAR], "CUR/year", b, sizeof b);
    fprintf(out, "compute spend: %s on average (all spend %s)\n", a, b);
    print_money(s, t, sim, out);
    if (mc->ran) {
        pct_text(mc->survival36, a, sizeof a);
        pct_text(mc->survival60, b, sizeof b);
        fprintf(out,
                "survival (Monte Carlo, %zu samples, seed %llu, %zu threads): P(cash lasts 36 "
                "months) = %s, P(60 months) = %s\n",
                mc->n, (unsigned long long)mc->seed, mc->threads, a, b);
        pct_text(mc->p_breakeven, a, sizeof a);
        fprintf(out, "  P(break-even within the horizon) = %s; uncertain:", a);
        for (i = 0; i < mc->nv; i++)
            fprintf(out, "%s %s", i ? "," : "", lc_model_qty(s->model, mc->varied[i])->name);
        fprintf(out, "%s%s\n", mc->nv ? ", " : " ",
                mc->rounds ? "which funding rounds close" : "no funding round");
        {
            char p5[64], p50[64], p95[64];
            lc_units_format(&s->units, mc->npv_pct[0], "CUR", p5, sizeof p5);
            lc_units_format(&s->units, mc->npv_pct[1], "CUR", p50, sizeof p50);
            lc_units_format(&s->units, mc->npv_pct[2], "CUR", p95, sizeof p95);
            pct_text(mc->p_npv_positive, a, sizeof a);
            fprintf(out, "  NPV before funding: P5 %s, P50 %s, P95 %s; P(NPV > 0) = %s\n", p5, p50,
                    p95, a);
        }
        if (mc->n_failed)
            fprintf(out, "  %zu samples gave a non-finite result and are left out\n", mc->n_failed);
    } else {
        pct_text(sim[LC_SIM_SURVIVAL_36], a, sizeof a);
        pct_text(sim[LC_SIM_SURVIVAL_60], b, sizeof b);
        fprintf(out,
                "survival (one run: no uncertain input or funding round): 36 months %s, 60 "
                "months %s\n",
                a, b);
    }
    if (ncl) {
        fputs("\nclaims\n", out);
        for (i = 0; i < ncl; i++) {
            const lc_claim *c = cl[i];
            lc_verdict v;
            char val[128];
            lc_claims_judge(s, c, &v);
            lc_units_format(&s->units, v.computed, lc_model_qty(s->model, c->qi)->unit, val,
                            sizeof val);
            fprintf(out, "  %-4s %s: stated %s%s%s, computed %s: %s\n", c->id, c->metric,
                    c->stated_text, c->stated_hi_text ? " to " : "",
                    c->stated_hi_text ? c->stated_hi_text : "", val, v.text);
        }
    }
    return LC_OK;
}

/* A month-by-month chart of lines: data is months x nc, column 0 the month. */
static int plot_lines(const lc_scenario *s, const lc_org_timeline *t, const double *data, size_t nc,
                      const char *const *names, const char *what, const char *ylabel,
                      const char *dir, const char *stem, lc_plot_format fmt, lc_error *err)
{
    char title[256];
    lc_chart c;
    int rc;
    snprintf(title, sizeof title, "%s: %s", what, s->name);
    memset(&c, 0, sizeof c);
    c.kind = LC_PLOT_TIMELINE;
    c.title = title;
    c.xlabel = "month";
    c.ylabel = ylabel;
    c.nrows = t->months;
    c.ncols = nc;
    c.data = data;
    c.col_names = names;
    rc = lc_plot_render(&c, fmt, dir, stem, NULL, err);
    if (rc == LC_OK)
        fprintf(stderr, "chart: %s/%s.%s\n", dir, stem, lc_plot_format_ext(fmt));
    return rc;
}

/* Money over time: the cumulative cash flow before funding, plain and
 * discounted (and owning's discounted saving over renting); the fleet by
 * generation with the GPUs rented. */
static int plot_money(const lc_scenario *s, const lc_org_timeline *t, const char *dir,
                      lc_plot_format fmt, lc_error *err)
{
    size_t H = t->months, m, g, nc;
    double *data = malloc(H * (LC_ORG_MAX_GENERATIONS + 2) * sizeof *data), plain = 0, save = 0;
    const char *names[LC_ORG_MAX_GENERATIONS + 2];
    char gen_names[LC_ORG_MAX_GENERATIONS][48], ylabel[64];
    int own = !isnan(t->s[LC_ORG_RENT_COMPUTE][0]), rc;
    if (data == NULL)
        return lc_error_nomem(err);
    names[0] = "month";
    names[1] = "cash flow before funding, cumulative";
    names[2] = "the same, discounted to month 0";
    names[3] = "owning's saving over renting, discounted";
    nc = own ? 4 : 3;
    for (m = 0; m < H; m++) {
        double *row = data + m * nc, *const *x = t->s;
        plain +=
            x[LC_ORG_REVENUE][m] + x[LC_ORG_RESALE][m] + x[LC_ORG_BORROWED][m] - x[LC_ORG_SPEND][m];
        if (own)
            save += lc_org_own_saving(t, m) / lc_org_discount_factor(t, m);
        row[0] = (double)m;
        row[1] = money(s, plain);
        row[2] = money(s, x[LC_ORG_DCF_CUM][m]);
        if (own)
            row[3] = money(s, save);
    }
    snprintf(ylabel, sizeof ylabel, "cumulative (%s)", s->units.display);
    rc = plot_lines(s, t, data, nc, names, "Cumulative cash, discounted", ylabel, dir,
                    "simulate-discounted", fmt, err);
    if (rc != LC_OK)
        goto done;
    nc = t->ngens + 2;
    for (g = 0; g < t->ngens; g++) {
        snprintf(gen_names[g], sizeof gen_names[g], "owned: %s", t->gen_names[g]);
        names[g + 1] = gen_names[g];
    }
    names[t->ngens + 1] = "rented";
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)m;
        for (g = 0; g < t->ngens; g++)
            row[g + 1] = t->s[LC_ORG_GEN_FIRST + g][m];
        row[t->ngens + 1] = t->s[LC_ORG_GPUS_RENTED][m];
    }
    rc = plot_lines(s, t, data, nc, names, "GPUs by generation, month by month", "GPUs", dir,
                    "simulate-fleet", fmt, err);
done:
    free(data);
    return rc;
}

static int plot(const lc_cli *cli, const lc_scenario *s, const lc_org_timeline *t, const mc_out *mc,
                lc_plot_format fmt, lc_error *err)
{
    size_t H = t->months, nc = mc->ran ? 5 : 2, m;
    double *data = malloc(H * nc * sizeof *data);
    const char *names5[] = {"month", "cash P5", "cash P50", "cash P95", "cash (base case)"};
    const char *names2[] = {"month", "cash (base case)"};
    lc_plot_marker mk[4];
    size_t nm = 0;
    char defdir[512], title[256], ylabel[64];
    const char *dir = cli->outdir;
    lc_chart c;
    int rc;
    if (data == NULL)
        return lc_error_nomem(err);
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)m;
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
    if (H > 36)
        mk[nm].x = 36, mk[nm++].label = "3 years";
    if (H > 60)
        mk[nm].x = 60, mk[nm++].label = "5 years";
    snprintf(title, sizeof title, "Cash month by month: %s", s->name);
    snprintf(ylabel, sizeof ylabel, "cash (%s)", s->units.display);
    memset(&c, 0, sizeof c);
    c.kind = LC_PLOT_TIMELINE;
    c.title = title;
    c.xlabel = "month";
    c.ylabel = ylabel;
    c.nrows = H;
    c.ncols = nc;
    c.data = data;
    c.col_names = mc->ran ? names5 : names2;
    c.band = mc->ran;
    c.markers = mk;
    c.nmarkers = nm;
    if (dir == NULL) {
        lc_cli_chart_dir(s->path, defdir, sizeof defdir);
        dir = defdir;
    }
    rc = lc_plot_render(&c, fmt, dir, "simulate-cash", NULL, err);
    if (rc == LC_OK && lc_plot_last_path() != NULL)
        fprintf(stderr, "chart: %s\n", lc_plot_last_path());
    free(data);
    if (rc == LC_OK)
        rc = plot_money(s, t, dir, fmt, err);
    return rc;
}

static int cmd_simulate(lc_cli *cli)
{
    lc_scenario *s = NULL;
    lc_org *o = NULL;
    lc_org_timeline t;
    mc_out mc;
    lc_error err;
    double *refs = NULL, sim[LC_SIM_NMETRICS], samples = DEFAULT_SAMPLES, threads = 0;
    unsigned long long seed = 1; /* exact, as --seed of mc and seed: in a scenario */
    const size_t *ri;
    size_t nr, ncl = 0, noc = 0;
    lc_claim *oc = NULL;
    const lc_claim **cl = NULL;
    int fmt = (int)LC_PLOT_PNG;
    int rc = LC_OK;

    memset(&t, 0, sizeof t);
    memset(&mc, 0, sizeof mc);
    lc_error_clear(&err);
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
    if (threads == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (double)cpus;
    }
    if ((s = lc_cli_load(cli, cli->files[0], &rc)) == NULL)
        return rc;
    if (s->org == NULL) {
        lc_mark at = {s->path, 0, 0};
        rc = lc_cli_fail((lc_error_set(&err, LC_EINPUT, at,
                                       "no org: section to simulate (see the org schema in "
                                       "llmcost simulate --help)"),
                          &err));
        goto done;
    }
    if ((o = lc_org_parse(s, s->org, &err)) == NULL) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    lc_org_refs(o, &ri, &nr);
    refs = malloc((nr ? nr : 1) * sizeof *refs);
    if (refs == NULL || lc_org_timeline_alloc(&t, lc_org_horizon(o)) != LC_OK) {
        rc = LC_ENOMEM;
        goto done;
    }
    lc_org_point_refs(o, s, refs);
    if ((rc = lc_org_run(o, refs, NULL, &t, &err)) != LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    lc_org_metrics(&t, sim);
    if ((rc = run_mc(s, o, refs, (size_t)samples, (uint64_t)seed, (unsigned)threads, &mc, &err)) !=
        LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    if (mc.ran) {
        sim[LC_SIM_SURVIVAL_36] = mc.survival36;
        sim[LC_SIM_SURVIVAL_60] = mc.survival60;
    }
    if ((rc = lc_org_publish(o, s, sim, &oc, &err)) != LC_OK) {
        rc = lc_cli_fail(&err);
        goto done;
    }
    {
        const lc_claim *tmp;
        lc_org_claims(o, &tmp, &noc);
    }
    cl = malloc((s->nclaims + noc + 1) * sizeof *cl);
    if (cl == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    ncl = collect_claims(s, oc, noc, cl);
    if (cli->format == LC_FORMAT_JSON)
        print_json(s, &t, sim, &mc, cl, ncl, stdout);
    else if (cli->format == LC_FORMAT_CSV) {
        lc_table *tb = month_table(s, &t, &mc, 0);
        if (tb == NULL) {
            rc = LC_ENOMEM;
            goto done;
        }
        lc_table_print(tb, LC_FORMAT_CSV, stdout);
        lc_table_free(tb);
    } else if (print_text(s, &t, sim, &mc, cl, ncl, stdout) != LC_OK) {
        rc = LC_ENOMEM;
        goto done;
    }
    if (cli->plot) {
        fflush(stdout);
        if (plot(cli, s, &t, &mc, (lc_plot_format)fmt, &err) != LC_OK)
            rc = lc_cli_fail(&err);
    }
done:
    free(cl);
    free(oc);
    free(mc.varied);
    free(mc.band);
    free(refs);
    lc_org_timeline_free(&t);
    lc_org_free(o);
    lc_scenario_free(s);
    return rc;
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
    "constant money (README, \"Money over time\").\n"
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
