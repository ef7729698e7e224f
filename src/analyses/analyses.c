/* analyses.c — Monte Carlo, sweeps, tornado, Sobol indices and solve over the
 * model's evaluator, with their tables and charts. */
#include "lc_analyses.h"
#include "lc_quantity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lc_dist.h"
#include "lc_sobol.h"
#include "lc_solve.h"
#include "lc_util.h"

void lc_analysis_init(lc_analysis *a, lc_an_kind kind)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t i;
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->samples = kind == LC_AN_SOBOL ? 0 : 10000; /* Sobol: 0 = doubling from 4096 */
    a->seed = 1;
    a->threads = cpus > 0 ? (unsigned)(cpus > LC_MC_THREADS_MAX ? LC_MC_THREADS_MAX : cpus) : 1;
    a->method = LC_MC_RANDOM;
    a->delta = 0.1;
    a->steps = a->steps2 = 11;
    a->from = a->to = a->from2 = a->to2 = NAN;
    a->target = NAN;
    for (i = 0; i < LC_AN_METRICS_MAX; i++)
        a->threshold[i] = NAN;
}

/* --- helpers ------------------------------------------------------------------ */

static lc_qty *Q(lc_scenario *s, size_t i)
{
    return lc_model_qty(s->model, i);
}

static double disp(lc_scenario *s, size_t qi, double v)
{
    return lc_units_to(&s->units, v, Q(s, qi)->unit);
}

static void unit_of(lc_scenario *s, size_t qi, char *buf, size_t size)
{
    lc_units_display_name(&s->units, Q(s, qi)->unit, buf, size);
}

/* "label (unit)" for axis labels. */
static char *axis_label(lc_scenario *s, size_t qi)
{
    char unit[LC_UNIT_TEXT_MAX];
    unit_of(s, qi, unit, sizeof unit);
    return unit[0] ? lc_aprintf("%s (%s)", Q(s, qi)->label, unit) : lc_strdup(Q(s, qi)->label);
}

/* Columns name, label for the quantity a row is about. */
typedef struct qcols {
    size_t name, label;
} qcols;

static qcols qty_cols(lc_rtable *t, const char *what)
{
    qcols c;
    c.name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c.label = lc_rtable_col(t, "label", what, NULL, LC_COL_TEXT);
    return c;
}

static void qty_row(lc_rtable *t, qcols c, lc_scenario *s, size_t qi)
{
    lc_rtable_text(t, c.name, Q(s, qi)->name);
    lc_rtable_text(t, c.label, Q(s, qi)->label);
}

/* A number of quantity qi (base units) in its display unit and kind. */
static void qty_num(lc_rtable *t, size_t col, lc_scenario *s, size_t qi, double base)
{
    double v = disp(s, qi, base);
    if (isnan(v))
        lc_rtable_missing(t, col, NULL);
    else
        lc_rtable_num(t, col, v);
    lc_rtable_cell_kind(t, col, lc_fill_kind(s, qi));
}

static void unit_text(lc_rtable *t, size_t col, lc_scenario *s, size_t qi)
{
    char *u = lc_fill_unit(s, qi);
    lc_rtable_text(t, col, u);
    free(u);
}

/* The level-2 section of one analysis. */
static lc_section *an_section(lc_doc *d, lc_scenario *s, const char *kind, const char *title,
                              size_t qi)
{
    char *stem = lc_path_stem(s->path);
    char *id = stem ? lc_aprintf("%s:%s:%s", kind, stem, Q(s, qi)->name) : NULL;
    lc_section *sec = lc_doc_section(d, 2, id ? id : kind, title);
    if (id == NULL)
        lc_doc_fail(d);
    free(stem);
    free(id);
    return sec;
}

/* Add a chart to the analysis' section, named SCENARIO-WHAT-SUFFIX; drawn by
 * the command (lc_draw) when it asked for charts. */
static void add_chart(lc_scenario *s, const lc_an_output *o, lc_section *sec, const lc_chart *c,
                      const char *what, const char *suffix, const char *unit)
{
    char *base, *raw;
    if (!o->plot)
        return;
    base = lc_path_stem(s->path);
    raw =
        base ? lc_aprintf("%s-%s%s%s", base, what, suffix ? "-" : "", suffix ? suffix : "") : NULL;
    if (raw == NULL)
        lc_doc_fail(o->doc);
    else
        lc_section_chart(sec, c, raw, unit);
    free(base);
    free(raw);
}

/* Counts (GPUs, servers, users, batch sizes) take whole values only: every
 * analysis steps over whole values of them (issue 11). */
static int is_count(lc_scenario *s, size_t qi)
{
    return lc_domain_whole(Q(s, qi)->domain);
}

/* The smallest whole value a count may take. */
static double count_min(lc_scenario *s, size_t qi)
{
    return Q(s, qi)->domain == LC_DOM_COUNT1 ? 1 : 0;
}

/* The inputs that carry a distribution, in model order. */
static size_t uncertain_inputs(lc_scenario *s, size_t *idx, lc_dist *dists)
{
    size_t i, n = 0;
    for (i = 0; i < lc_model_count(s->model); i++) {
        lc_qty *q = Q(s, i);
        if (q->kind == LC_Q_INPUT && q->dist) {
            idx[n] = i;
            if (dists)
                dists[n] = *q->dist; /* shallow: discrete arrays stay owned by q */
            n++;
        }
    }
    return n;
}

static int check_available(lc_scenario *s, const lc_analysis *a, lc_error *err)
{
    size_t j;
    for (j = 0; j < a->nmetrics; j++)
        if (!Q(s, a->metrics[j])->available)
            return lc_error_set(err, LC_EINPUT, a->mark,
                                "%s cannot be computed: the scenario leaves some of its inputs "
                                "unset (see llmcost explain %s %s)",
                                Q(s, a->metrics[j])->name, s->path, Q(s, a->metrics[j])->name);
    return LC_OK;
}

static void progress_bar(void *user, size_t done, size_t total)
{
    static int last = -1;
    int pct = total ? (int)(100.0 * (double)done / (double)total) : 100;
    (void)user;
    if (pct == last && done < total)
        return;
    last = pct;
    fprintf(stderr, "\r[%-40.*s] %3d%%", pct * 40 / 100, "########################################",
            pct);
    if (done >= total) {
        fputs("\r\033[K", stderr);
        last = -1;
    }
    fflush(stderr);
}

static int want_progress(const lc_an_output *o, size_t work)
{
    return o->progress && isatty(2) && work >= 2000000;
}

/* The uncertain inputs (at least one for Monte Carlo, two for Sobol) and an
 * evaluator from them to the analysis' metrics: what both start from.  On
 * success the caller frees *idx and *dists and releases ev. */
static int uncertain_evaluator(lc_scenario *s, const lc_analysis *a, size_t **idx, lc_dist **dists,
                               size_t *k, lc_evaluator *ev, lc_error *err)
{
    size_t n = lc_model_count(s->model);
    int rc;
    memset(ev, 0, sizeof *ev);
    *idx = malloc(n * sizeof **idx);
    *dists = malloc(n * sizeof **dists);
    if (*idx == NULL || *dists == NULL) {
        rc = lc_error_nomem(err);
        goto fail;
    }
    *k = uncertain_inputs(s, *idx, *dists);
    if (*k == 0 && a->kind == LC_AN_MC) {
        rc = lc_error_set(err, LC_EINPUT, a->mark,
                          "no input of %s has a distribution: give some inputs a range, e.g. "
                          "electricity.price: { low: 0.5 CNY/kWh, high: 0.8 CNY/kWh }",
                          s->path);
        goto fail;
    }
    if (*k < 2 && a->kind == LC_AN_SOBOL) {
        rc = lc_error_set(err, LC_EINPUT, a->mark,
                          "Sobol indices need at least two inputs with distributions; %s has %zu",
                          s->path, *k);
        goto fail;
    }
    if ((rc = lc_model_evaluator(s->model, *idx, *k, a->metrics, a->nmetrics, ev, err)) == LC_OK)
        return LC_OK;
fail:
    free(*idx);
    free(*dists);
    *idx = NULL;
    *dists = NULL;
    return rc;
}

/* --- Monte Carlo ------------------------------------------------------------------ */

static int run_mc(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    size_t k, j, p, *idx = NULL, keep[LC_AN_METRICS_MAX];
    lc_dist *dists = NULL;
    lc_evaluator ev;
    lc_mc_opts opt;
    lc_mc_result *r = NULL;
    lc_mc_threshold th[LC_AN_METRICS_MAX];
    size_t nth = 0;
    int rc;

    if ((rc = uncertain_evaluator(s, a, &idx, &dists, &k, &ev, err)) != LC_OK)
        return rc;
    lc_mc_opts_init(&opt);
    for (j = 0; j < a->nmetrics; j++) {
        keep[j] = j;
        if (!isnan(a->threshold[j])) {
            th[nth].metric = j;
            th[nth].value = a->threshold[j];
            nth++;
        }
    }
    opt.n = a->samples;
    opt.seed = a->seed;
    opt.threads = a->threads;
    opt.method = a->method;
    opt.keep = keep;
    opt.n_keep = a->nmetrics;
    opt.exceed = nth ? th : NULL;
    opt.n_exceed = nth;
    opt.nbins = 40;
    opt.stream = a->stream;
    if (want_progress(o, a->samples * k)) {
        opt.progress = progress_bar;
    }
    if ((rc = lc_mc_run(&ev, dists, &opt, &r, err)) != LC_OK)
        goto done;

    {
        char title[160];
        lc_section *sec;
        lc_rtable *t;
        qcols qc;
        size_t c_dist, c_given, c_p5, c_p50, c_p95, c_unit, c_mean, c_sd, c_pct, c_th, c_pe, c_nf,
            c_px;
        snprintf(title, sizeof title, "Monte Carlo");
        sec = an_section(o->doc, s, "mc", title, a->metrics[0]);
        lc_section_fact_num(sec, "samples", (double)r->n);
        snprintf(title, sizeof title, "%llu", (unsigned long long)r->seed);
        lc_section_fact(sec, "seed", title);
        lc_section_fact(sec, "method", lc_mc_method_name(r->method));
        lc_section_fact_num(sec, "threads", (double)a->threads);
        if (r->streamed) {
            snprintf(title, sizeof title,
                     "sketched (samples not kept): each within %.3g%% of its value; mean, sd "
                     "and P(> threshold) exact",
                     LC_MC_SKETCH_REL_ERR * 100);
            lc_section_fact(sec, "percentiles", title);
        } else
            lc_section_fact(sec, "percentiles", "exact");
        /* The uncertain inputs: their distributions in their own units. */
        t = lc_section_table(sec, "inputs", "Uncertain inputs");
        qc = qty_cols(t, "input");
        c_dist = lc_rtable_col(t, "distribution", "distribution", NULL, LC_COL_TEXT);
        c_given = lc_rtable_col(t, "given", "as given", NULL, LC_COL_TEXT);
        lc_rtable_detail(t, c_given);
        c_p5 = lc_rtable_col(t, "P5", "P5", NULL, LC_COL_QUANTITY);
        c_p50 = lc_rtable_col(t, "P50", "P50", NULL, LC_COL_QUANTITY);
        c_p95 = lc_rtable_col(t, "P95", "P95", NULL, LC_COL_QUANTITY);
        c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
        lc_rtable_unit_col(t, c_p5, c_unit);
        lc_rtable_unit_col(t, c_p50, c_unit);
        lc_rtable_unit_col(t, c_p95, c_unit);
        for (j = 0; j < k; j++) {
            lc_rtable_row(t);
            qty_row(t, qc, s, idx[j]);
            lc_rtable_text(t, c_dist, lc_dist_kind_name(dists[j].kind));
            {
                char unit[LC_UNIT_TEXT_MAX], *given;
                double scale = 1 / lc_units_to(&s->units, 1.0, Q(s, idx[j])->unit);
                unit_of(s, idx[j], unit, sizeof unit);
                if ((given = lc_dist_describe_in(&dists[j], scale, unit)) == NULL)
                    lc_doc_fail(o->doc);
                lc_rtable_text(t, c_given, given ? given : "");
                free(given);
            }
            qty_num(t, c_p5, s, idx[j], lc_dist_quantile(&dists[j], 0.05));
            qty_num(t, c_p50, s, idx[j], lc_dist_quantile(&dists[j], 0.5));
            qty_num(t, c_p95, s, idx[j], lc_dist_quantile(&dists[j], 0.95));
            unit_text(t, c_unit, s, idx[j]);
        }
        t = lc_section_table(sec, "summary", "Distribution of each metric");
        qc = qty_cols(t, "metric");
        c_mean = lc_rtable_col(t, "mean", "mean", NULL, LC_COL_QUANTITY);
        c_sd = lc_rtable_col(t, "sd", "sd", NULL, LC_COL_QUANTITY);
        c_pct = lc_rtable_ncols(t);
        for (p = 0; p < r->n_probs; p++) {
            char pname[32];
            snprintf(pname, sizeof pname, "P%g", r->probs[p] * 100);
            lc_rtable_col(t, pname, pname, NULL, LC_COL_QUANTITY);
        }
        c_th = nth ? lc_rtable_col(t, "threshold", "threshold", NULL, LC_COL_QUANTITY) : (size_t)-1;
        c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
        c_pe =
            nth ? lc_rtable_col(t, "p_exceed", "P(> threshold)", NULL, LC_COL_SHARE) : (size_t)-1;
        c_nf = lc_rtable_col(t, "non_finite", "not finite", "samples", LC_COL_COUNT);
        c_px = lc_rtable_col(t, "percentiles_exact", "percentiles", NULL, LC_COL_TEXT);
        lc_rtable_detail(t, c_px);
        lc_rtable_unit_col(t, c_mean, c_unit);
        lc_rtable_unit_col(t, c_sd, c_unit);
        for (p = 0; p < r->n_probs; p++)
            lc_rtable_unit_col(t, c_pct + p, c_unit);
        if (nth)
            lc_rtable_unit_col(t, c_th, c_unit);
        for (j = 0; j < a->nmetrics; j++) {
            const lc_mc_summary *m = &r->sum[j];
            size_t qi = a->metrics[j], tt;
            lc_rtable_row(t);
            qty_row(t, qc, s, qi);
            qty_num(t, c_mean, s, qi, m->mean);
            qty_num(t, c_sd, s, qi, m->sd);
            for (p = 0; p < r->n_probs; p++)
                qty_num(t, c_pct + p, s, qi, m->pct[p]);
            unit_text(t, c_unit, s, qi);
            for (tt = 0; tt < nth; tt++)
                if (th[tt].metric == j) {
                    qty_num(t, c_th, s, qi, th[tt].value);
                    lc_rtable_num(t, c_pe, r->exceed[tt]);
                }
            lc_rtable_num(t, c_nf, (double)(m->n_nan + m->n_inf));
            {
                size_t n_exact = 0;
                for (p = 0; p < r->n_probs; p++)
                    n_exact += m->pct_exact[p] != 0;
                lc_rtable_text(t, c_px,
                               n_exact == r->n_probs ? "exact"
                               : n_exact == 0        ? "sketched"
                                                     : "sketched (the extremes exact)");
            }
            if (m->n_nan + m->n_inf)
                lc_section_warn(sec,
                                "%s: %zu of %zu samples are not finite numbers (%zu NaN, %zu "
                                "+inf, %zu -inf) and are left out of its statistics; +inf counts "
                                "as above any threshold",
                                Q(s, qi)->name, m->n_nan + m->n_inf, r->n, m->n_nan, m->n_pos_inf,
                                m->n_inf - m->n_pos_inf);
        }
        /* A histogram per metric, with its P5, P50 and P95 marked. */
        for (j = 0; j < a->nmetrics && o->plot; j++) {
            const lc_mc_summary *m = &r->sum[j];
            size_t qi = a->metrics[j];
            /* One empty bin before the first, so that the cumulative curve
             * starts at 0 at the left edge of the histogram. */
            double *data = malloc((r->nbins + 1) * 2 * sizeof *data);
            double w = (m->hist_hi - m->hist_lo) / (double)r->nbins;
            lc_plot_marker mk[4];
            size_t nmk = 0, tt;
            char *ctitle = lc_aprintf("%s: %s (%zu samples)", s->name, Q(s, qi)->label, r->n);
            char *xl = axis_label(s, qi), *unit = lc_fill_unit(s, qi);
            static const char *cn[] = {"value", "samples"};
            lc_chart c;
            if (data == NULL || ctitle == NULL || xl == NULL || unit == NULL) {
                free(data);
                free(ctitle);
                free(xl);
                free(unit);
                rc = lc_error_nomem(err);
                goto done;
            }
            memset(&c, 0, sizeof c);
            /* A long tail reads better on a log axis (or when asked, --log);
             * a log axis needs every bin above 0. */
            c.logx = (a->logx || (m->pct[0] > 0 && m->pct[4] / m->pct[0] > 100)) &&
                     disp(s, qi, m->hist_lo - w * 0.5) > 0;
            data[0] = disp(s, qi, m->hist_lo - w * 0.5);
            data[1] = 0;
            for (p = 0; p < r->nbins; p++) {
                data[2 * (p + 1)] = disp(s, qi, m->hist_lo + w * ((double)p + 0.5));
                data[2 * (p + 1) + 1] = (double)m->hist[p];
            }
            if (r->n_probs >= 5) {
                mk[nmk].x = disp(s, qi, m->pct[0]);
                mk[nmk++].label = "P5";
                mk[nmk].x = disp(s, qi, m->pct[2]);
                mk[nmk++].label = "P50";
                mk[nmk].x = disp(s, qi, m->pct[4]);
                mk[nmk++].label = "P95";
            }
            /* The budget or capacity the run was asked about. */
            for (tt = 0; tt < nth; tt++)
                if (th[tt].metric == j && isfinite(th[tt].value)) {
                    mk[nmk].x = disp(s, qi, th[tt].value);
                    mk[nmk++].label = "threshold";
                }
            c.kind = LC_PLOT_HISTOGRAM;
            c.title = ctitle;
            c.xlabel = xl;
            c.ylabel = "samples";
            c.nrows = r->nbins + 1;
            c.ncols = 2;
            c.data = data;
            c.col_names = cn;
            c.markers = mk;
            c.nmarkers = nmk;
            add_chart(s, o, sec, &c, "mc", Q(s, qi)->name, unit);
            free(data);
            free(ctitle);
            free(xl);
            free(unit);
        }
    }
    rc = LC_OK;
done:
    lc_mc_result_free(r);
    lc_model_evaluator_release(&ev);
    free(idx);
    free(dists);
    return rc;
}

/* --- sweeps ---------------------------------------------------------------------- */

static double axis_point(double from, double to, size_t steps, size_t i, int logx)
{
    double t = steps > 1 ? (double)i / (double)(steps - 1) : 0;
    return logx ? from * pow(to / from, t) : from + (to - from) * t;
}

/* The points of one sweep axis into pts (room for steps); returns how many.
 * A count's points are the whole values nearest the even steps inside
 * [from, to], each once: 1 to 3 in 11 steps is 1, 2, 3.  0 when a count has
 * no whole value in the range. */
static size_t axis_points(lc_scenario *s, size_t qi, double from, double to, size_t steps, int logx,
                          double *pts)
{
    size_t i, n = 0;
    if (!is_count(s, qi)) {
        for (i = 0; i < steps; i++)
            pts[i] = axis_point(from, to, steps, i, logx);
        return steps;
    }
    /* whole ends inside the range, in the sweep's direction */
    if (from <= to) {
        from = ceil(from);
        to = floor(to);
        if (from > to)
            return 0;
    } else {
        from = floor(from);
        to = ceil(to);
        if (from < to)
            return 0;
    }
    for (i = 0; i < steps; i++) {
        double x = round(axis_point(from, to, steps, i, logx));
        if (n == 0 || x != pts[n - 1])
            pts[n++] = x;
    }
    return n;
}

static int run_sweep(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    size_t nx, ny = 1, npts, i, j;
    size_t varied[2] = {a->input, a->input2};
    size_t ncols = (a->has_input2 ? 2 : 1) + a->nmetrics;
    double *xs = malloc(a->steps * sizeof *xs), *ys = malloc(a->steps2 * sizeof *ys);
    double *table = NULL;
    double *in[2], *outb[LC_AN_METRICS_MAX];
    const char **cols = calloc(ncols, sizeof *cols);
    char **owned = calloc(ncols, sizeof *owned);
    lc_evaluator ev;
    void *ws = NULL;
    lc_rtable *t = NULL;
    lc_section *osec = NULL;
    int rc = LC_OK;

    memset(&ev, 0, sizeof ev);
    in[0] = malloc(LC_BLOCK * sizeof(double));
    in[1] = malloc(LC_BLOCK * sizeof(double));
    for (j = 0; j < a->nmetrics; j++)
        outb[j] = malloc(LC_BLOCK * sizeof(double));
    if (xs == NULL || ys == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    nx = axis_points(s, a->input, a->from, a->to, a->steps, a->logx, xs);
    if (a->has_input2)
        ny = axis_points(s, a->input2, a->from2, a->to2, a->steps2, a->logy, ys);
    else
        ys[0] = 0;
    if (nx == 0 || ny == 0) {
        size_t qi = nx == 0 ? a->input : a->input2;
        rc = lc_error_set(err, LC_EINPUT, a->mark,
                          "%s is a count and no whole value lies in the range of the sweep: "
                          "widen it",
                          Q(s, qi)->name);
        goto done;
    }
    npts = nx * ny;
    table = malloc(npts * ncols * sizeof *table);
    if (table == NULL || cols == NULL || owned == NULL || !in[0] || !in[1]) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (j = 0; j < a->nmetrics; j++)
        if (outb[j] == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
    if ((rc = lc_model_evaluator(s->model, varied, a->has_input2 ? 2 : 1, a->metrics, a->nmetrics,
                                 &ev, err)) != LC_OK)
        goto done;
    ws = ev.ws_alloc(ev.ctx);
    if (ws == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (i = 0; i < npts; i += LC_BLOCK) {
        size_t n = npts - i < LC_BLOCK ? npts - i : LC_BLOCK, b;
        for (b = 0; b < n; b++) {
            size_t p = i + b;
            in[0][b] = xs[p % nx];
            in[1][b] = ys[p / nx];
        }
        /* Non-finite points are shown as empty cells, not an error: a sweep
         * may cross a pole on purpose. */
        ev.eval(ev.ctx, ws, (const double *const *)in, outb, n);
        for (b = 0; b < n; b++) {
            double *row = table + (i + b) * ncols;
            size_t c = 0;
            row[c++] = disp(s, a->input, in[0][b]);
            if (a->has_input2)
                row[c++] = disp(s, a->input2, in[1][b]);
            for (j = 0; j < a->nmetrics; j++)
                row[c++] = disp(s, a->metrics[j], outb[j][b]);
        }
    }
    {
        /* Axis labels "label (unit)" for the charts; the table has its own. */
        size_t c = 0, col;
        size_t qis[2 + LC_AN_METRICS_MAX];
        lc_section *sec = an_section(o->doc, s, "sweep",
                                     a->has_input2 ? "Sweep over two inputs" : "Sweep", a->input);
        qis[c++] = a->input;
        if (a->has_input2)
            qis[c++] = a->input2;
        for (j = 0; j < a->nmetrics; j++)
            qis[c++] = a->metrics[j];
        for (c = 0; c < ncols; c++)
            if ((owned[c] = axis_label(s, qis[c])) == NULL) {
                rc = lc_error_nomem(err);
                goto done;
            } else
                cols[c] = owned[c];
        t = lc_section_table(sec, "points", NULL);
        for (c = 0; c < ncols; c++) {
            char *u = lc_fill_unit(s, qis[c]);
            if (u == NULL)
                lc_doc_fail(o->doc);
            lc_rtable_col(t, Q(s, qis[c])->name, Q(s, qis[c])->label, u ? u : "",
                          lc_fill_kind(s, qis[c]));
            free(u);
        }
        for (i = 0; i < npts; i++) {
            lc_rtable_row(t);
            for (col = 0; col < ncols; col++) {
                double v = table[i * ncols + col];
                if (isnan(v))
                    lc_rtable_missing(t, col, "n/a");
                else
                    lc_rtable_num(t, col, v);
            }
        }
        osec = sec;
    }
    if (o->plot) {
        lc_chart c;
        char *unit0 = NULL;
        memset(&c, 0, sizeof c);
        c.title = s->name;
        c.xlabel = cols[0];
        if (a->has_input2) {
            /* A heat map of the first metric over the grid. */
            double *grid = malloc(npts * 3 * sizeof *grid);
            const char *cn[3] = {cols[0], cols[1], cols[2]};
            if (grid == NULL) {
                rc = lc_error_nomem(err);
                goto done;
            }
            for (i = 0; i < npts; i++) {
                grid[3 * i] = table[i * ncols];
                grid[3 * i + 1] = table[i * ncols + 1];
                grid[3 * i + 2] = table[i * ncols + 2];
            }
            c.kind = LC_PLOT_HEATMAP;
            c.ylabel = cols[1];
            c.zlabel = cols[2];
            c.logx = a->logx;
            c.logy = a->logy;
            c.nrows = npts;
            c.ncols = 3;
            c.data = grid;
            c.col_names = cn;
            unit0 = lc_fill_unit(s, a->metrics[0]);
            add_chart(s, o, osec, &c, "sweep", Q(s, a->metrics[0])->name, unit0);
            free(grid);
            free(unit0);
        } else {
            /* One line chart per display unit, so that every axis has one unit. */
            unsigned char *done_m = calloc(a->nmetrics, 1);
            double *sub = malloc(npts * (a->nmetrics + 1) * sizeof *sub);
            const char **cn = malloc((a->nmetrics + 1) * sizeof *cn);
            if (done_m == NULL || sub == NULL || cn == NULL) {
                free(done_m);
                free(sub);
                free(cn);
                rc = lc_error_nomem(err);
                goto done;
            }
            for (j = 0; j < a->nmetrics && rc == LC_OK; j++) {
                size_t m, nc = 1;
                char unit[LC_UNIT_TEXT_MAX], u2[LC_UNIT_TEXT_MAX], ylabel[LC_UNIT_TEXT_MAX];
                if (done_m[j])
                    continue;
                unit_of(s, a->metrics[j], unit, sizeof unit);
                cn[0] = cols[0];
                for (m = j; m < a->nmetrics; m++) {
                    unit_of(s, a->metrics[m], u2, sizeof u2);
                    if (strcmp(unit, u2) != 0)
                        continue;
                    done_m[m] = 1;
                    cn[nc] = Q(s, a->metrics[m])->label;
                    for (i = 0; i < npts; i++) {
                        sub[i * (a->nmetrics + 1)] = table[i * ncols];
                        sub[i * (a->nmetrics + 1) + nc] = table[i * ncols + 1 + m];
                    }
                    nc++;
                }
                /* compact rows to nc columns */
                for (i = 0; i < npts; i++)
                    memmove(sub + i * nc, sub + i * (a->nmetrics + 1), nc * sizeof *sub);
                snprintf(ylabel, sizeof ylabel, "%s", unit[0] ? unit : "value");
                c.kind = LC_PLOT_LINE;
                c.ylabel = ylabel;
                c.logx = a->logx;
                c.nrows = npts;
                c.ncols = nc;
                c.data = sub;
                c.col_names = cn;
                add_chart(s, o, osec, &c, "sweep", Q(s, a->metrics[j])->name, unit);
            }
            free(done_m);
            free(sub);
            free(cn);
        }
    }
done:
    if (ws)
        ev.ws_free(ws);
    lc_model_evaluator_release(&ev);
    for (j = 0; j < ncols && owned; j++)
        free(owned[j]);
    free(owned);
    free(cols);
    free(table);
    free(xs);
    free(ys);
    free(in[0]);
    free(in[1]);
    for (j = 0; j < a->nmetrics; j++)
        free(outb[j]);
    return rc;
}

/* --- tornado -------------------------------------------------------------------- */

typedef struct swing {
    size_t qi;
    double lo_in, hi_in;   /* base units */
    double lo_out, hi_out; /* base units */
    double size;
} swing;

static int cmp_swing(const void *a, const void *b)
{
    double x = ((const swing *)a)->size, y = ((const swing *)b)->size;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Does metric m depend on quantity qi? */
static int depends(lc_scenario *s, size_t m, size_t qi, unsigned char *seen)
{
    lc_qty *q = Q(s, m);
    size_t j;
    if (m == qi)
        return 1;
    if (seen[m] || q->kind != LC_Q_FORMULA)
        return 0;
    seen[m] = 1;
    for (j = 0; j < lc_expr_nnames(q->expr); j++)
        if (depends(s, q->deps[j], qi, seen))
            return 1;
    return 0;
}

static int run_tornado(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    size_t n = lc_model_count(s->model), i, ns = 0, m = a->metrics[0];
    swing *sw = malloc(n * sizeof *sw);
    unsigned char *seen = malloc(n);
    int any_dist = 0, rc = LC_OK;
    double base = Q(s, m)->value;
    lc_section *sec = NULL;

    if (sw == NULL || seen == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (i = 0; i < n; i++)
        any_dist |= Q(s, i)->kind == LC_Q_INPUT && Q(s, i)->dist != NULL;
    for (i = 0; i < n; i++) {
        lc_qty *q = Q(s, i);
        if (q->kind != LC_Q_INPUT || !q->available || i == m)
            continue;
        /* With distributions: the uncertain inputs at P10 and P90.  Without:
         * every input the scenario chose, moved by +-delta. */
        if (any_dist ? q->dist == NULL
                     : !(q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND ||
                         q->origin == LC_FROM_CATALOG))
            continue;
        memset(seen, 0, n);
        if (!depends(s, m, i, seen))
            continue;
        sw[ns].qi = i;
        if (q->dist) {
            sw[ns].lo_in = lc_dist_quantile(q->dist, 0.1);
            sw[ns].hi_in = lc_dist_quantile(q->dist, 0.9);
        } else {
            sw[ns].lo_in = q->value * (1 - a->delta);
            sw[ns].hi_in = q->value * (1 + a->delta);
        }
        /* Inside the domain: a share stays at or below 100%, a PUE at or above 1. */
        if (q->domain == LC_DOM_SHARE || q->domain == LC_DOM_SHARE_POS)
            sw[ns].hi_in = fmin(sw[ns].hi_in, 1);
        if (q->domain == LC_DOM_RATIO1)
            sw[ns].lo_in = fmax(sw[ns].lo_in, 1);
        if (is_count(s, i)) {
            /* Whole values: the nearest to a distribution's P10 and P90; at
             * least delta away from a fixed count (8 GPUs by 10%: 7 and 9). */
            /* 1e-9 relative: 10 x 0.9 may come out 8.999999999999998 */
            double lo = sw[ns].lo_in, hi = sw[ns].hi_in;
            sw[ns].lo_in = q->dist ? round(lo) : floor(lo + 1e-9 * fabs(lo));
            sw[ns].hi_in = q->dist ? round(hi) : ceil(hi - 1e-9 * fabs(hi));
            sw[ns].lo_in = fmax(sw[ns].lo_in, count_min(s, i));
        }
        sw[ns].lo_out = lc_model_eval_at(s->model, i, sw[ns].lo_in, m);
        sw[ns].hi_out = lc_model_eval_at(s->model, i, sw[ns].hi_in, m);
        sw[ns].size = fabs(sw[ns].hi_out - sw[ns].lo_out);
        if (isnan(sw[ns].size))
            sw[ns].size = -1;
        ns++;
    }
    if (ns == 0) {
        rc = lc_error_set(err, LC_EINPUT, a->mark, "no input the scenario sets moves %s",
                          Q(s, m)->name);
        goto done;
    }
    qsort(sw, ns, sizeof *sw, cmp_swing);
    {
        lc_rtable *t;
        qcols qc;
        size_t c_lo, c_hi, c_u, c_mlo, c_mhi, c_sw, c_mu;
        char *mu = lc_fill_unit(s, m);
        char *title = lc_aprintf("Tornado: what moves %s", Q(s, m)->label);
        if (mu == NULL)
            lc_doc_fail(o->doc);
        sec = an_section(o->doc, s, "tornado", title ? title : "Tornado", m);
        if (title == NULL)
            lc_doc_fail(o->doc);
        free(title);
        lc_section_fact_detail(sec, "metric", Q(s, m)->name);
        lc_section_fact_qty(sec, "base case", disp(s, m, base), mu ? mu : "", lc_fill_kind(s, m));
        lc_section_text(sec, "%s",
                        any_dist ? "Each uncertain input at its P10 and P90, the others at base."
                                 : "Each input moved by the stated +-delta, the others at base.");
        t = lc_section_table(sec, "swings", NULL);
        qc = qty_cols(t, "input");
        c_lo = lc_rtable_col(t, "low", "low", NULL, LC_COL_QUANTITY);
        c_hi = lc_rtable_col(t, "high", "high", NULL, LC_COL_QUANTITY);
        c_u = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
        c_mlo =
            lc_rtable_col(t, "metric_at_low", "metric at low", mu ? mu : "", lc_fill_kind(s, m));
        c_mhi =
            lc_rtable_col(t, "metric_at_high", "metric at high", mu ? mu : "", lc_fill_kind(s, m));
        c_sw = lc_rtable_col(t, "swing", "swing", mu ? mu : "", lc_fill_kind(s, m));
        c_mu = lc_rtable_col(t, "metric_unit", "metric unit", NULL, LC_COL_TEXT);
        lc_rtable_detail(t, c_mu);
        lc_rtable_unit_col(t, c_lo, c_u);
        lc_rtable_unit_col(t, c_hi, c_u);
        for (i = 0; i < ns; i++) {
            lc_rtable_row(t);
            qty_row(t, qc, s, sw[i].qi);
            qty_num(t, c_lo, s, sw[i].qi, sw[i].lo_in);
            qty_num(t, c_hi, s, sw[i].qi, sw[i].hi_in);
            unit_text(t, c_u, s, sw[i].qi);
            lc_rtable_num(t, c_mlo, disp(s, m, sw[i].lo_out));
            lc_rtable_num(t, c_mhi, disp(s, m, sw[i].hi_out));
            lc_rtable_num(t, c_sw, disp(s, m, fabs(sw[i].hi_out - sw[i].lo_out)));
            lc_rtable_text(t, c_mu, mu);
        }
        free(mu);
    }
    if (o->plot) {
        double *data = malloc(ns * 2 * sizeof *data);
        const char **rows = malloc(ns * sizeof *rows);
        static const char *cn[] = {"low", "high"};
        char *title = lc_aprintf("%s: what moves %s", s->name, Q(s, m)->label);
        char *xl = axis_label(s, m), *unit = lc_fill_unit(s, m);
        lc_chart c;
        if (data == NULL || rows == NULL || title == NULL || xl == NULL || unit == NULL) {
            free(title);
            free(xl);
            free(unit);
            free(data);
            free(rows);
            rc = lc_error_nomem(err);
            goto done;
        }
        for (i = 0; i < ns; i++) {
            data[2 * i] = disp(s, m, sw[i].lo_out);
            data[2 * i + 1] = disp(s, m, sw[i].hi_out);
            rows[i] = Q(s, sw[i].qi)->label;
        }
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_TORNADO;
        c.title = title;
        c.xlabel = xl;
        c.nrows = ns;
        c.ncols = 2;
        c.data = data;
        c.col_names = cn;
        c.row_labels = rows;
        c.base = disp(s, m, base);
        add_chart(s, o, sec, &c, "tornado", Q(s, m)->name, unit);
        free(data);
        free(rows);
        free(title);
        free(xl);
        free(unit);
    }
done:
    free(sw);
    free(seen);
    return rc;
}

/* --- Sobol ----------------------------------------------------------------------- */

/* Warn, in the analysis' section, what the indices cannot be trusted for: intervals
 * wider than +-LC_SOBOL_HALFWIDTH, and first-order estimates below 0 (a share
 * of variance cannot be: noise around 0 when the interval reaches 0, too few
 * samples when it does not). */
static void sobol_warnings(lc_scenario *s, const lc_analysis *a, const lc_sobol_result *r,
                           const size_t *idx, int plot, lc_section *sec)
{
    size_t j, i;
    if (r->halfwidth > LC_SOBOL_HALFWIDTH)
        lc_section_warn(sec,
                        "Sobol intervals stay wide at %zu base samples: the largest index is "
                        "known to +-%.2g only (aim: +-%.2g); give more samples (--samples)",
                        r->n, r->halfwidth, LC_SOBOL_HALFWIDTH);
    for (j = 0; j < a->nmetrics; j++)
        for (i = 0; i < r->k; i++) {
            const lc_sobol_index *x = lc_sobol_index_of(r, j, i);
            if (!(x->s1 < 0))
                continue;
            if (!(x->s1_hi < 0))
                lc_section_warn(sec,
                                "first-order index of %s for %s is %.2g, below 0 but within "
                                "its interval (%.2g to %.2g) of 0: read it as 0%s",
                                Q(s, idx[i])->name, Q(s, a->metrics[j])->name, x->s1, x->s1_lo,
                                x->s1_hi, plot ? " (drawn as 0)" : "");
            else
                lc_section_warn(sec,
                                "first-order index of %s for %s is %.2g, below 0 beyond its "
                                "interval (%.2g to %.2g): too few samples to estimate it%s",
                                Q(s, idx[i])->name, Q(s, a->metrics[j])->name, x->s1, x->s1_lo,
                                x->s1_hi, plot ? " (drawn as 0)" : "");
        }
}

static int run_sobol(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    size_t k, i, j, *idx = NULL, mets[LC_AN_METRICS_MAX];
    lc_dist *dists = NULL;
    lc_evaluator ev;
    lc_sobol_opts opt;
    lc_sobol_result *r = NULL;
    lc_section *sec = NULL;
    int rc;

    if ((rc = uncertain_evaluator(s, a, &idx, &dists, &k, &ev, err)) != LC_OK)
        return rc;
    lc_sobol_opts_init(&opt);
    for (j = 0; j < a->nmetrics; j++)
        mets[j] = j;
    opt.n = a->samples;
    if (a->samples == 0) {
        /* No size asked: double from 4096 until the largest index is known to
         * +-0.05, within 256 MiB of outputs (8 bytes x N x (k + 2) x metrics). */
        opt.n = 4096;
        opt.halfwidth = LC_SOBOL_HALFWIDTH;
        while (opt.n_max > opt.n &&
               (double)opt.n_max * 8 * (double)(k + 2) * (double)a->nmetrics > 268435456.0)
            opt.n_max /= 2;
    }
    opt.seed = a->seed;
    opt.threads = a->threads;
    opt.metrics = mets;
    opt.n_metrics = a->nmetrics;
    if (want_progress(o, opt.n * (k + 2) * 4))
        opt.progress = progress_bar;
    if ((rc = lc_sobol_run(&ev, dists, &opt, &r, err)) != LC_OK)
        goto done;
    {
        lc_rtable *t;
        size_t c_m, c_ml, c_in, c_il, c_s1, c_s1l, c_s1h, c_st, c_stl, c_sth;
        char title[64];
        snprintf(title, sizeof title, "Sobol indices");
        sec = an_section(o->doc, s, "sobol", title, a->metrics[0]);
        lc_section_fact_num(sec, "base samples", (double)r->n);
        lc_section_fact_num(sec, "model runs", (double)(r->n * (k + 2)));
        lc_section_fact_num(sec, "bootstrap resamples", (double)r->n_boot);
        lc_section_fact_qty(sec, "interval", r->conf, "", LC_COL_SHARE);
        /* how well the largest index is known: doubling aims at +-0.05 */
        lc_section_fact_num(sec, "largest index +-", r->halfwidth);
        sobol_warnings(s, a, r, idx, o->plot, sec);
        t = lc_section_table(sec, "indices", NULL);
        c_m = lc_rtable_col(t, "metric", "metric (name)", NULL, LC_COL_TEXT);
        c_ml = lc_rtable_col(t, "metric_label", "metric", NULL, LC_COL_TEXT);
        c_in = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
        c_il = lc_rtable_col(t, "label", "input", NULL, LC_COL_TEXT);
        c_s1 = lc_rtable_col(t, "S1", "first order", NULL, LC_COL_QUANTITY);
        c_s1l = lc_rtable_col(t, "S1_low", "low", NULL, LC_COL_QUANTITY);
        c_s1h = lc_rtable_col(t, "S1_high", "high", NULL, LC_COL_QUANTITY);
        c_st = lc_rtable_col(t, "ST", "total", NULL, LC_COL_QUANTITY);
        c_stl = lc_rtable_col(t, "ST_low", "low", NULL, LC_COL_QUANTITY);
        c_sth = lc_rtable_col(t, "ST_high", "high", NULL, LC_COL_QUANTITY);
        (void)c_m;
        for (j = 0; j < a->nmetrics; j++) {
            /* A metric that does not vary has no variance to apportion. */
            int flat = !(r->var[j] > 1e-20 * r->mean[j] * r->mean[j]);
            if (flat)
                lc_section_warn(sec, "%s does not vary with the uncertain inputs: no indices",
                                Q(s, a->metrics[j])->name);
            for (i = 0; i < k; i++) {
                const lc_sobol_index *x = lc_sobol_index_of(r, j, i);
                const double v[6] = {x->s1, x->s1_lo, x->s1_hi, x->st, x->st_lo, x->st_hi};
                const size_t cc[6] = {c_s1, c_s1l, c_s1h, c_st, c_stl, c_sth};
                size_t q;
                lc_rtable_row(t);
                lc_rtable_text(t, c_m, Q(s, a->metrics[j])->name);
                lc_rtable_text(t, c_ml, Q(s, a->metrics[j])->label);
                lc_rtable_text(t, c_in, Q(s, idx[i])->name);
                lc_rtable_text(t, c_il, Q(s, idx[i])->label);
                for (q = 0; q < 6; q++)
                    if (flat)
                        lc_rtable_missing(t, cc[q], "does not vary");
                    else
                        lc_rtable_num(t, cc[q], v[q]);
            }
        }
    }
    for (j = 0; j < a->nmetrics && o->plot && rc == LC_OK; j++) {
        double *data;
        if (!(r->var[j] > 1e-20 * r->mean[j] * r->mean[j])) {
            continue; /* warned above: nothing to apportion */
        }
        data = malloc(k * 6 * sizeof *data);
        const char **rows = malloc(k * sizeof *rows);
        static const char *const cn[] = {"first order", "low", "high", "total", "low", "high"};
        char *title;
        lc_chart c;
        if (data == NULL || rows == NULL) {
            free(data);
            free(rows);
            rc = lc_error_nomem(err);
            break;
        }
        /* Largest total index first: the inputs that matter on the left. */
        {
            size_t *order = malloc(k * sizeof *order), q;
            if (order == NULL) {
                free(data);
                free(rows);
                rc = lc_error_nomem(err);
                break;
            }
            for (i = 0; i < k; i++)
                order[i] = i;
            for (i = 1; i < k; i++)
                for (q = i; q > 0 && lc_sobol_index_of(r, j, order[q])->st >
                                         lc_sobol_index_of(r, j, order[q - 1])->st;
                     q--) {
                    size_t t = order[q];
                    order[q] = order[q - 1];
                    order[q - 1] = t;
                }
            for (i = 0; i < k; i++) {
                const lc_sobol_index *x = lc_sobol_index_of(r, j, order[i]);
                /* No negative bars: a share of variance is >= 0 (sobol_warnings
                 * has said which estimates were below 0). */
                data[6 * i] = fmax(x->s1, 0);
                data[6 * i + 1] = fmax(x->s1_lo, 0);
                data[6 * i + 2] = fmax(x->s1_hi, 0);
                data[6 * i + 3] = x->st;
                data[6 * i + 4] = x->st_lo;
                data[6 * i + 5] = x->st_hi;
                rows[i] = Q(s, idx[order[i]])->label;
            }
            free(order);
        }
        title = lc_aprintf("%s: Sobol indices of %s", s->name, Q(s, a->metrics[j])->label);
        if (title == NULL) {
            free(data);
            free(rows);
            rc = lc_error_nomem(err);
            break;
        }
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_SOBOL;
        c.title = title;
        c.ylabel = "share of variance";
        c.nrows = k;
        c.ncols = 6;
        c.data = data;
        c.col_names = cn;
        c.row_labels = rows;
        add_chart(s, o, sec, &c, "sobol", Q(s, a->metrics[j])->name, "");
        free(title);
        free(data);
        free(rows);
    }
done:
    lc_sobol_result_free(r);
    lc_model_evaluator_release(&ev);
    free(idx);
    free(dists);
    return rc;
}

/* --- solve ------------------------------------------------------------------------ */

typedef struct solve_ctx {
    lc_evaluator *ev;
    void *ws;
} solve_ctx;

static int solve_block_fn(void *user, const double *x, double *y, size_t n, lc_error *err)
{
    solve_ctx *c = user;
    const double *in[1];
    double *outp[1];
    (void)err;
    in[0] = x;
    outp[0] = y;
    c->ev->eval(c->ev->ctx, c->ws, in, outp, n);
    return LC_OK;
}

static int solve_fn(void *user, double x, double *y, lc_error *err)
{
    return solve_block_fn(user, &x, y, 1, err);
}

_Static_assert(LC_SOLVE_WHOLE_BLOCK <= LC_BLOCK, "solve blocks fit the evaluator's");

/* A count over more whole values than lc_solve_whole tries: the continuous
 * roots, each replaced by the whole value reaching the target next to it
 * (the first crossing among the few whole values around it). */
static int whole_near_roots(solve_ctx *c, lc_solve_result *res, double lo, double hi, double target,
                            const char *xn, const char *yn, lc_error *err)
{
    size_t k, n = res->ncross < LC_SOLVE_CROSS_MAX ? res->ncross : LC_SOLVE_CROSS_MAX;
    for (k = 0; k < n; k++) {
        lc_solve_result near;
        double r = res->cross[k];
        int rc = lc_solve_whole(solve_block_fn, c, fmax(lo, floor(r) - 1), fmin(hi, floor(r) + 2),
                                target, xn, yn, &near, err);
        if (rc == LC_ENUMERIC)
            near.x = fmin(floor(hi), ceil(r)); /* touched between whole values */
        else if (rc != LC_OK)
            return rc;
        res->cross[k] = near.x;
        if (k == 0) {
            res->x = near.x;
            solve_fn(c, near.x, &res->y, err);
        }
    }
    return LC_OK;
}

static int run_solve(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    size_t m = a->metrics[0];
    lc_evaluator ev;
    solve_ctx c;
    lc_solve_result res;
    double lo = a->from, hi = a->to, base = Q(s, a->input)->value;
    char ts[LC_UNITS_FORMAT_MAX], los[LC_UNITS_FORMAT_MAX], his[LC_UNITS_FORMAT_MAX];
    const char *xn = Q(s, a->input)->name, *yn = Q(s, m)->name;
    int rc, whole = is_count(s, a->input), wide = 0;
    size_t k;
    lc_error why;

    memset(&ev, 0, sizeof ev);
    if (isnan(lo) || isnan(hi)) {
        /* Without a range: two decades either side of the base value. */
        if (!(base > 0))
            return lc_error_set(err, LC_EINPUT, a->mark,
                                "give the range to search: from: and to: (--from, --to)");
        lc_domain_bounds(Q(s, a->input)->domain, &lo, &hi); /* and inside its domain */
        lo = fmax(lo, base / 100);
        hi = fmin(hi, base * 100);
    }
    if ((rc = lc_model_evaluator(s->model, &a->input, 1, &m, 1, &ev, err)) != LC_OK)
        return rc;
    c.ev = &ev;
    c.ws = ev.ws_alloc(ev.ctx);
    if (c.ws == NULL) {
        lc_model_evaluator_release(&ev);
        return lc_error_nomem(err);
    }
    lc_error_clear(&why);
    if (whole && floor(hi) - ceil(lo) + 1 <= LC_SOLVE_WHOLE_MAX) {
        rc = lc_solve_whole(solve_block_fn, &c, lo, hi, a->target, xn, yn, &res, &why);
    } else {
        whole = 0;
        rc = lc_solve(solve_fn, &c, lo, hi, a->target, xn, yn, &res, &why);
        if (rc == LC_OK && is_count(s, a->input)) {
            whole = wide = 1;
            rc = whole_near_roots(&c, &res, lo, hi, a->target, xn, yn, &why);
        }
    }
    ev.ws_free(c.ws);
    lc_model_evaluator_release(&ev);
    lc_units_format(&s->units, a->target, Q(s, m)->unit, ts, sizeof ts);
    lc_units_format(&s->units, lo, Q(s, a->input)->unit, los, sizeof los);
    lc_units_format(&s->units, hi, Q(s, a->input)->unit, his, sizeof his);
    if (rc != LC_OK && !(rc == LC_ENUMERIC && res.ncross == 0 && !isnan(res.ymin)))
        return lc_error_set(err, rc, a->mark, "%s", why.msg);
    if (rc != LC_OK) {
        char ymin[LC_UNITS_FORMAT_MAX], ymax[LC_UNITS_FORMAT_MAX];
        lc_units_format(&s->units, res.ymin, Q(s, m)->unit, ymin, sizeof ymin);
        lc_units_format(&s->units, res.ymax, Q(s, m)->unit, ymax, sizeof ymax);
        return lc_error_set(err, LC_ENUMERIC, a->mark,
                            "no value of %s between %s and %s makes %s reach %s: it ranges from "
                            "%s to %s there (widen the range with from:/to: or --from/--to)",
                            Q(s, a->input)->name, los, his, Q(s, m)->name, ts, ymin, ymax);
    }
    {
        char *title = lc_aprintf("Solve: %s for %s", Q(s, a->input)->label, Q(s, m)->label);
        lc_section *sec = an_section(o->doc, s, "solve", title ? title : "Solve", m);
        lc_rtable *t = lc_section_table(sec, "solution", NULL);
        qcols qc = qty_cols(t, "input");
        size_t c_v = lc_rtable_col(t, "value", "value", NULL, LC_COL_QUANTITY);
        size_t c_u = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
        size_t c_m = lc_rtable_col(t, "metric", "metric", NULL, LC_COL_TEXT);
        char *mu = lc_fill_unit(s, m);
        size_t c_t = lc_rtable_col(t, "target", "target", mu ? mu : "", lc_fill_kind(s, m));
        size_t c_r = lc_rtable_col(t, "reached", "reached", mu ? mu : "", lc_fill_kind(s, m));
        size_t c_lo = lc_rtable_col(t, "from", "searched from", NULL, LC_COL_QUANTITY);
        size_t c_hi = lc_rtable_col(t, "to", "to", NULL, LC_COL_QUANTITY);
        size_t c_it = lc_rtable_col(t, "iterations", "iterations", NULL, LC_COL_COUNT);
        size_t c_wh = lc_rtable_col(t, "whole", "whole values", NULL, LC_COL_TEXT);
        size_t c_nx = lc_rtable_col(t, "crossings", "crossings", NULL, LC_COL_COUNT);
        if (mu == NULL || title == NULL)
            lc_doc_fail(o->doc);
        free(title);
        free(mu);
        lc_rtable_unit_col(t, c_v, c_u);
        lc_rtable_unit_col(t, c_lo, c_u);
        lc_rtable_unit_col(t, c_hi, c_u);
        lc_rtable_row(t);
        qty_row(t, qc, s, a->input);
        qty_num(t, c_v, s, a->input, res.x);
        unit_text(t, c_u, s, a->input);
        lc_rtable_text(t, c_m, Q(s, m)->name);
        lc_rtable_num(t, c_t, disp(s, m, a->target));
        lc_rtable_num(t, c_r, disp(s, m, res.y));
        qty_num(t, c_lo, s, a->input, lo);
        qty_num(t, c_hi, s, a->input, hi);
        lc_rtable_num(t, c_it, (double)res.iterations);
        lc_rtable_text(t, c_wh, whole ? "yes" : "no");
        lc_rtable_num(t, c_nx, (double)res.ncross);
        if (wide)
            lc_section_text(sec,
                            "%s is a count: the smallest whole value that reaches the target "
                            "next to the first root (too many whole values from %s to %s to try "
                            "each).",
                            xn, los, his);
        else if (whole)
            lc_section_text(sec,
                            "%s is a count: the smallest whole value that reaches the target "
                            "(every whole value from %s to %s tried).",
                            xn, los, his);
        if (res.ncross > 1) {
            /* Every crossing, so that a step function's other answers are seen. */
            lc_rtable *tc = lc_section_table(sec, "crossings", "Crossings of the target");
            size_t c_x = lc_rtable_col(tc, "value", Q(s, a->input)->label, NULL, LC_COL_QUANTITY);
            size_t c_xu = lc_rtable_col(tc, "unit", "unit", NULL, LC_COL_UNIT);
            lc_rtable_unit_col(tc, c_x, c_xu);
            lc_section_warn(sec,
                            "%s crosses the target %zu times between %s and %s: each "
                            "crossing is listed",
                            yn, res.ncross, los, his);
            for (k = 0; k < res.ncross && k < LC_SOLVE_CROSS_MAX; k++) {
                lc_rtable_row(tc);
                qty_num(tc, c_x, s, a->input, res.cross[k]);
                unit_text(tc, c_xu, s, a->input);
            }
        }
    }
    return LC_OK;
}

int lc_analysis_run(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, lc_error *err)
{
    int rc;
    if (a->nmetrics == 0)
        return lc_error_set(err, LC_EINPUT, a->mark, "no metric to analyse: name one (metric:)");
    if ((rc = check_available(s, a, err)) != LC_OK)
        return rc;
    switch (a->kind) {
    case LC_AN_MC:
        return run_mc(s, a, o, err);
    case LC_AN_SWEEP:
        return run_sweep(s, a, o, err);
    case LC_AN_TORNADO:
        return run_tornado(s, a, o, err);
    case LC_AN_SOBOL:
        return run_sobol(s, a, o, err);
    case LC_AN_SOLVE:
        return run_solve(s, a, o, err);
    }
    return LC_OK;
}

/* Does metric m move with any input that has a distribution?  (1 when none
 * has.)  seen is scratch of one byte per quantity. */
static int uncertain(lc_scenario *s, size_t m, unsigned char *seen)
{
    size_t n = lc_model_count(s->model), i, any = 0;
    int r = 0;
    for (i = 0; i < n && !r; i++) {
        if (Q(s, i)->kind != LC_Q_INPUT || Q(s, i)->dist == NULL)
            continue;
        any = 1;
        memset(seen, 0, n);
        r = depends(s, m, i, seen);
    }
    return r || !any;
}

int lc_analysis_default_metrics(lc_scenario *s, lc_analysis *a, lc_error *err)
{
    size_t i, j, *rep = NULL, n = 0;
    unsigned char *seen;
    if (a->nmetrics > 0)
        return LC_OK;
    seen = malloc(lc_model_count(s->model));
    if (seen == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < s->nclaims && a->nmetrics < LC_AN_METRICS_MAX; i++) {
        int dup = 0;
        lc_qty *q = Q(s, s->claims[i].qi);
        if (q->kind != LC_Q_FORMULA || !q->available || !uncertain(s, s->claims[i].qi, seen))
            continue;
        for (j = 0; j < a->nmetrics; j++)
            dup |= a->metrics[j] == s->claims[i].qi;
        if (!dup)
            a->metrics[a->nmetrics++] = s->claims[i].qi;
    }
    if (a->nmetrics == 0 && lc_scenario_report(s, &rep, &n, err) != LC_OK) {
        free(seen);
        return err->code;
    }
    for (i = 0; i < n && a->nmetrics < LC_AN_METRICS_MAX; i++)
        if (Q(s, rep[i])->kind == LC_Q_FORMULA && Q(s, rep[i])->available &&
            uncertain(s, rep[i], seen))
            a->metrics[a->nmetrics++] = rep[i];
    free(rep);
    free(seen);
    return LC_OK;
}

/* --- charts: ------------------------------------------------------------------------ */

/* charts: [ { stacked: [m1, m2, ...], title: ... }, { bars: [m1, ...] } ]:
 * the metrics of one chart share a unit, so that the bars can be compared. */
int lc_analysis_scenario_charts(lc_scenario *s, const lc_an_output *o, lc_section *sec,
                                lc_error *err)
{
    static const char *const keys[] = {"stacked", "bars", "title"};
    const lc_yaml_node *list = s->charts;
    size_t i, j;
    int rc;

    if (list == NULL)
        return LC_OK;
    if (list->kind != LC_YAML_SEQ)
        return lc_error_set(err, LC_EINPUT, list->mark, "charts must be a list");
    for (i = 0; i < list->n; i++) {
        const lc_yaml_node *c = list->items[i], *ms, *title;
        int stacked;
        double data[LC_AN_METRICS_MAX];
        const char *names[LC_AN_METRICS_MAX];
        const char *row[1];
        char unit[LC_UNIT_TEXT_MAX], u2[LC_UNIT_TEXT_MAX];
        lc_chart ch;
        size_t qi[LC_AN_METRICS_MAX];

        if (c->kind != LC_YAML_MAP || c->n == 0)
            return lc_error_set(err, LC_EINPUT, c->mark,
                                "a chart is { stacked: [metrics] } or { bars: [metrics] }");
        if ((rc = lc_scenario_check_keys(c, keys, 3, "a chart", err)) != LC_OK)
            return rc;
        stacked = lc_yaml_get(c, "stacked") != NULL;
        ms = lc_yaml_get(c, stacked ? "stacked" : "bars");
        title = lc_yaml_get(c, "title");
        if (ms == NULL || ms->kind != LC_YAML_SEQ || ms->n == 0 || ms->n > LC_AN_METRICS_MAX)
            return lc_error_set(err, LC_EINPUT, c->mark,
                                "a chart needs stacked: or bars: with 1 to %d metric names",
                                LC_AN_METRICS_MAX);
        for (j = 0; j < ms->n; j++) {
            long k = ms->items[j]->kind == LC_YAML_SCALAR
                         ? lc_model_find(s->model, ms->items[j]->str)
                         : -1;
            if (k < 0)
                return lc_model_unknown(s->model, "metric",
                                        ms->items[j]->kind == LC_YAML_SCALAR ? ms->items[j]->str
                                                                             : "?",
                                        ms->items[j]->mark, err);
            qi[j] = (size_t)k;
            unit_of(s, qi[j], u2, sizeof u2);
            if (j == 0)
                snprintf(unit, sizeof unit, "%s", u2);
            else if (strcmp(unit, u2) != 0)
                return lc_error_set(err, LC_EINPUT, ms->items[j]->mark,
                                    "the metrics of one chart must share a unit: %s is in %s, "
                                    "not %s",
                                    ms->items[j]->str, u2, unit);
            if (!Q(s, qi[j])->available)
                return lc_error_set(err, LC_EINPUT, ms->items[j]->mark,
                                    "%s cannot be computed in this scenario", ms->items[j]->str);
            data[j] = disp(s, qi[j], Q(s, qi[j])->value);
            names[j] = Q(s, qi[j])->label;
        }
        if (!o->plot || sec == NULL)
            continue;
        row[0] = s->name;
        memset(&ch, 0, sizeof ch);
        ch.title = title && title->kind == LC_YAML_SCALAR ? title->str : s->name;
        ch.ylabel = unit;
        if (stacked) {
            /* One bar (this scenario), one segment per metric. */
            ch.kind = LC_PLOT_STACKED;
            ch.nrows = 1;
            ch.ncols = ms->n;
            ch.data = data;
            ch.col_names = names;
            ch.row_labels = row;
        } else {
            /* One group per metric, one bar (this scenario) each. */
            ch.kind = LC_PLOT_BARS;
            ch.nrows = ms->n;
            ch.ncols = 1;
            ch.data = data;
            ch.col_names = row;
            ch.row_labels = names;
        }
        {
            char suffix[24];
            snprintf(suffix, sizeof suffix, "%zu", i + 1);
            add_chart(s, o, sec, &ch, stacked ? "breakdown" : "bars", suffix, unit);
        }
    }
    return LC_OK;
}
