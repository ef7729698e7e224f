/* analyses.c — Monte Carlo, sweeps, tornado, Sobol indices and solve over the
 * model's evaluator, with their tables and charts. */
#include "lc_analyses.h"

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
    a->samples = kind == LC_AN_SOBOL ? 4096 : 10000;
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

void lc_analysis_default_dir(const lc_scenario *s, char *buf, size_t size)
{
    char stem[128];
    const char *base = strrchr(s->path, '/');
    base = base ? base + 1 : s->path;
    if (strcmp(base, "-") == 0)
        base = "stdin";
    lc_plot_stem(base, stem, sizeof stem);
    /* "name.yaml" -> "name" */
    {
        char *dot = strstr(stem, ".yaml");
        if (dot && dot != stem)
            *dot = '\0';
    }
    snprintf(buf, size, "%s-charts", stem);
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

/* "name (unit)" for column headers and axis labels. */
static void label_of(lc_scenario *s, size_t qi, char *buf, size_t size)
{
    char unit[64];
    unit_of(s, qi, unit, sizeof unit);
    if (unit[0])
        snprintf(buf, size, "%s (%s)", Q(s, qi)->name, unit);
    else
        snprintf(buf, size, "%s", Q(s, qi)->name);
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

/* A distribution in the input's display unit. */
static void describe(lc_scenario *s, size_t qi, const lc_dist *d, char *buf, size_t size)
{
    char unit[64];
    double scale = 1 / lc_units_to(&s->units, 1.0, Q(s, qi)->unit);
    unit_of(s, qi, unit, sizeof unit);
    lc_dist_describe_in(d, scale, unit, buf, size);
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

static int render(lc_scenario *s, const lc_an_output *o, lc_chart *c, const char *what,
                  const char *suffix, lc_error *err)
{
    char dir[512], stem[256], raw[1024];
    if (!o->plot)
        return LC_OK;
    if (o->outdir)
        snprintf(dir, sizeof dir, "%s", o->outdir);
    else
        lc_analysis_default_dir(s, dir, sizeof dir);
    {
        /* Charts of several scenarios may share a folder: name them after the file. */
        const char *base = strrchr(s->path, '/');
        size_t blen;
        base = base ? base + 1 : s->path;
        blen = strlen(base);
        if (blen > 5 && strcmp(base + blen - 5, ".yaml") == 0)
            blen -= 5;
        if (strcmp(base, "-") == 0)
            base = "stdin", blen = 5;
        snprintf(raw, sizeof raw, "%.*s-%s%s%s", (int)(blen > 100 ? 100 : blen), base, what,
                 suffix ? "-" : "", suffix ? suffix : "");
    }
    lc_plot_stem(raw, stem, sizeof stem);
    if (lc_plot_render(c, o->plot_format, dir, stem, NULL, err) != LC_OK)
        return err->code;
    snprintf(raw, sizeof raw, "%s/%s.%s", dir, stem, lc_plot_format_ext(o->plot_format));
    if (o->on_chart)
        o->on_chart(o->user, raw);
    else
        fprintf(stderr, "chart: %s\n", raw);
    return LC_OK;
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

static int run_mc(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                  lc_error *err)
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
    if (want_progress(o, a->samples * k)) {
        opt.progress = progress_bar;
    }
    if ((rc = lc_mc_run(&ev, dists, &opt, &r, err)) != LC_OK)
        goto done;

    if (o->format == LC_FORMAT_JSON) {
        fputs("{\"analysis\": \"montecarlo\", \"scenario\": ", out);
        lc_json_string(out, s->name);
        fprintf(out, ", \"samples\": %zu, \"seed\": %llu, \"method\": ", r->n,
                (unsigned long long)r->seed);
        lc_json_string(out, lc_mc_method_name(r->method));
        fprintf(out, ", \"threads\": %u, \"inputs\": [", a->threads);
        for (j = 0; j < k; j++) {
            char d[200];
            describe(s, idx[j], &dists[j], d, sizeof d);
            fputs(j ? ", {\"name\": " : "{\"name\": ", out);
            lc_json_string(out, Q(s, idx[j])->name);
            fputs(", \"distribution\": ", out);
            lc_json_string(out, d);
            fputs("}", out);
        }
        fputs("],\n \"metrics\": [", out);
        for (j = 0; j < a->nmetrics; j++) {
            const lc_mc_summary *m = &r->sum[j];
            size_t qi = a->metrics[j], t;
            char unit[64];
            unit_of(s, qi, unit, sizeof unit);
            fputs(j ? ",\n  {\"name\": " : "\n  {\"name\": ", out);
            lc_json_string(out, Q(s, qi)->name);
            fputs(", \"unit\": ", out);
            lc_json_string(out, unit);
            fputs(", \"mean\": ", out);
            lc_json_number(out, disp(s, qi, m->mean));
            fputs(", \"sd\": ", out);
            lc_json_number(out, disp(s, qi, m->sd));
            fputs(", \"min\": ", out);
            lc_json_number(out, disp(s, qi, m->min));
            fputs(", \"max\": ", out);
            lc_json_number(out, disp(s, qi, m->max));
            fputs(", \"percentiles\": {", out);
            for (p = 0; p < r->n_probs; p++) {
                fprintf(out, "%s\"P%g\": ", p ? ", " : "", r->probs[p] * 100);
                lc_json_number(out, disp(s, qi, m->pct[p]));
            }
            fprintf(out, "}, \"non_finite\": %zu", m->n_nan + m->n_inf);
            for (t = 0; t < nth; t++)
                if (th[t].metric == j) {
                    fputs(", \"threshold\": ", out);
                    lc_json_number(out, disp(s, qi, th[t].value));
                    fputs(", \"p_exceed\": ", out);
                    lc_json_number(out, r->exceed[t]);
                }
            fputs(", \"histogram\": {\"lo\": ", out);
            lc_json_number(out, disp(s, qi, m->hist_lo));
            fputs(", \"hi\": ", out);
            lc_json_number(out, disp(s, qi, m->hist_hi));
            fputs(", \"counts\": [", out);
            for (p = 0; p < r->nbins; p++)
                fprintf(out, "%s%zu", p ? ", " : "", m->hist[p]);
            fputs("]}}", out);
        }
        fputs("\n]}\n", out);
    } else {
        static const char *cols[] = {"metric", "unit", "mean", "sd",        "P5",           "P25",
                                     "P50",    "P75",  "P95",  "threshold", "P(>threshold)"};
        lc_table *t = lc_table_alloc(cols, 11);
        if (t == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
        for (j = 2; j < 11; j++)
            lc_table_set_numeric(t, j);
        for (j = 0; j < a->nmetrics; j++) {
            const lc_mc_summary *m = &r->sum[j];
            size_t qi = a->metrics[j], tt;
            char unit[64];
            unit_of(s, qi, unit, sizeof unit);
            if (lc_table_row(t) || lc_table_str(t, 0, Q(s, qi)->name) || lc_table_str(t, 1, unit)) {
                lc_table_free(t);
                rc = lc_error_nomem(err);
                goto done;
            }
            lc_table_num(t, 2, disp(s, qi, m->mean));
            lc_table_num(t, 3, disp(s, qi, m->sd));
            for (p = 0; p < 5 && p < r->n_probs; p++)
                lc_table_num(t, 4 + p, disp(s, qi, m->pct[p]));
            for (tt = 0; tt < nth; tt++)
                if (th[tt].metric == j) {
                    lc_table_num(t, 9, disp(s, qi, th[tt].value));
                    lc_table_num(t, 10, r->exceed[tt]);
                }
        }
        if (o->format == LC_FORMAT_TABLE) {
            fprintf(out,
                    "Monte Carlo: %s\n%zu samples, %s sampling, seed %llu, %u thread%s; %zu "
                    "uncertain inputs:\n",
                    s->name, r->n, lc_mc_method_name(r->method), (unsigned long long)r->seed,
                    a->threads, a->threads == 1 ? "" : "s", k);
            for (j = 0; j < k; j++) {
                char d[200];
                describe(s, idx[j], &dists[j], d, sizeof d);
                fprintf(out, "  %s: %s\n", Q(s, idx[j])->name, d);
            }
            fputc('\n', out);
        }
        lc_table_print(t, o->format, out);
        lc_table_free(t);
    }
    /* A histogram per metric, with its P5, P50 and P95 marked. */
    for (j = 0; j < a->nmetrics && o->plot; j++) {
        const lc_mc_summary *m = &r->sum[j];
        size_t qi = a->metrics[j];
        double *data = malloc(r->nbins * 2 * sizeof *data);
        double w = (m->hist_hi - m->hist_lo) / (double)r->nbins;
        lc_plot_marker mk[3];
        char title[300], xl[200];
        static const char *cn[] = {"value", "samples"};
        lc_chart c;
        if (data == NULL) {
            rc = lc_error_nomem(err);
            goto done;
        }
        for (p = 0; p < r->nbins; p++) {
            data[2 * p] = disp(s, qi, m->hist_lo + w * ((double)p + 0.5));
            data[2 * p + 1] = (double)m->hist[p];
        }
        mk[0].x = disp(s, qi, m->pct[0]);
        mk[0].label = "P5";
        mk[1].x = disp(s, qi, m->pct[2]);
        mk[1].label = "P50";
        mk[2].x = disp(s, qi, m->pct[4]);
        mk[2].label = "P95";
        snprintf(title, sizeof title, "%s: %s (%zu samples)", s->name, Q(s, qi)->name, r->n);
        label_of(s, qi, xl, sizeof xl);
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_HISTOGRAM;
        c.title = title;
        c.xlabel = xl;
        c.ylabel = "samples";
        c.nrows = r->nbins;
        c.ncols = 2;
        c.data = data;
        c.col_names = cn;
        c.markers = mk;
        c.nmarkers = r->n_probs >= 5 ? 3 : 0;
        rc = render(s, o, &c, "mc", Q(s, qi)->name, err);
        free(data);
        if (rc)
            goto done;
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

static int run_sweep(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                     lc_error *err)
{
    size_t nx = a->steps, ny = a->has_input2 ? a->steps2 : 1, npts = nx * ny, i, j;
    size_t varied[2] = {a->input, a->input2};
    size_t ncols = (a->has_input2 ? 2 : 1) + a->nmetrics;
    double *table = malloc(npts * ncols * sizeof *table);
    double *in[2], *outb[LC_AN_METRICS_MAX];
    const char **cols = calloc(ncols, sizeof *cols);
    char **owned = calloc(ncols, sizeof *owned);
    lc_evaluator ev;
    void *ws = NULL;
    lc_table *t = NULL;
    int rc = LC_OK;

    memset(&ev, 0, sizeof ev);
    in[0] = malloc(LC_BLOCK * sizeof(double));
    in[1] = malloc(LC_BLOCK * sizeof(double));
    for (j = 0; j < a->nmetrics; j++)
        outb[j] = malloc(LC_BLOCK * sizeof(double));
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
            in[0][b] = axis_point(a->from, a->to, nx, p % nx, a->logx);
            in[1][b] = a->has_input2 ? axis_point(a->from2, a->to2, ny, p / nx, a->logy) : 0;
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
        size_t c = 0;
        char buf[200];
        label_of(s, a->input, buf, sizeof buf);
        owned[c] = lc_strdup(buf);
        cols[c] = owned[c];
        c++;
        if (a->has_input2) {
            label_of(s, a->input2, buf, sizeof buf);
            owned[c] = lc_strdup(buf);
            cols[c] = owned[c];
            c++;
        }
        for (j = 0; j < a->nmetrics; j++, c++) {
            label_of(s, a->metrics[j], buf, sizeof buf);
            owned[c] = lc_strdup(buf);
            cols[c] = owned[c];
        }
        for (c = 0; c < ncols; c++)
            if (cols[c] == NULL) {
                rc = lc_error_nomem(err);
                goto done;
            }
    }
    t = lc_table_alloc(cols, ncols);
    if (t == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (j = 0; j < ncols; j++)
        lc_table_set_numeric(t, j);
    for (i = 0; i < npts; i++) {
        if (lc_table_row(t)) {
            rc = lc_error_nomem(err);
            goto done;
        }
        for (j = 0; j < ncols; j++)
            lc_table_num(t, j, table[i * ncols + j]);
    }
    if (o->format == LC_FORMAT_TABLE)
        fprintf(out, "Sweep: %s\n\n", s->name);
    lc_table_print(t, o->format, out);
    if (o->format == LC_FORMAT_JSON)
        fputc('\n', out);
    if (o->plot) {
        lc_chart c;
        char title[300];
        memset(&c, 0, sizeof c);
        snprintf(title, sizeof title, "%s", s->name);
        c.title = title;
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
            rc = render(s, o, &c, "sweep", Q(s, a->metrics[0])->name, err);
            free(grid);
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
                char unit[64], u2[64], ylabel[100];
                if (done_m[j])
                    continue;
                unit_of(s, a->metrics[j], unit, sizeof unit);
                cn[0] = cols[0];
                for (m = j; m < a->nmetrics; m++) {
                    unit_of(s, a->metrics[m], u2, sizeof u2);
                    if (strcmp(unit, u2) != 0)
                        continue;
                    done_m[m] = 1;
                    cn[nc] = Q(s, a->metrics[m])->name;
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
                rc = render(s, o, &c, "sweep", Q(s, a->metrics[j])->name, err);
            }
            free(done_m);
            free(sub);
            free(cn);
        }
    }
done:
    lc_table_free(t);
    if (ws)
        ev.ws_free(ws);
    lc_model_evaluator_release(&ev);
    for (j = 0; j < ncols && owned; j++)
        free(owned[j]);
    free(owned);
    free(cols);
    free(table);
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

static int run_tornado(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                       lc_error *err)
{
    size_t n = lc_model_count(s->model), i, ns = 0, m = a->metrics[0];
    swing *sw = malloc(n * sizeof *sw);
    unsigned char *seen = malloc(n);
    int any_dist = 0, rc = LC_OK;
    double base = Q(s, m)->value;
    lc_table *t = NULL;
    static const char *cols[] = {"input",          "low",   "high",       "unit", "metric at low",
                                 "metric at high", "swing", "metric unit"};

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
    t = lc_table_alloc(cols, 8);
    if (t == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    lc_table_set_numeric(t, 1);
    lc_table_set_numeric(t, 2);
    lc_table_set_numeric(t, 4);
    lc_table_set_numeric(t, 5);
    lc_table_set_numeric(t, 6);
    for (i = 0; i < ns; i++) {
        char u[64], mu[64];
        unit_of(s, sw[i].qi, u, sizeof u);
        unit_of(s, m, mu, sizeof mu);
        if (lc_table_row(t) || lc_table_str(t, 0, Q(s, sw[i].qi)->name) || lc_table_str(t, 3, u) ||
            lc_table_str(t, 7, mu)) {
            rc = lc_error_nomem(err);
            goto done;
        }
        lc_table_num(t, 1, disp(s, sw[i].qi, sw[i].lo_in));
        lc_table_num(t, 2, disp(s, sw[i].qi, sw[i].hi_in));
        lc_table_num(t, 4, disp(s, m, sw[i].lo_out));
        lc_table_num(t, 5, disp(s, m, sw[i].hi_out));
        lc_table_num(t, 6, disp(s, m, fabs(sw[i].hi_out - sw[i].lo_out)));
    }
    if (o->format == LC_FORMAT_TABLE) {
        char b[128];
        lc_units_format(&s->units, base, Q(s, m)->unit, b, sizeof b);
        fprintf(out, "Tornado: %s\n%s = %s at the base case; %s\n\n", s->name, Q(s, m)->name, b,
                any_dist ? "each uncertain input at its P10 and P90, the others at base"
                         : "each input moved by the stated +-delta, the others at base");
    }
    lc_table_print(t, o->format, out);
    if (o->format == LC_FORMAT_JSON)
        fputc('\n', out);
    if (o->plot) {
        double *data = malloc(ns * 2 * sizeof *data);
        const char **rows = malloc(ns * sizeof *rows);
        static const char *cn[] = {"low", "high"};
        char title[300], xl[200];
        lc_chart c;
        if (data == NULL || rows == NULL) {
            free(data);
            free(rows);
            rc = lc_error_nomem(err);
            goto done;
        }
        for (i = 0; i < ns; i++) {
            data[2 * i] = disp(s, m, sw[i].lo_out);
            data[2 * i + 1] = disp(s, m, sw[i].hi_out);
            rows[i] = Q(s, sw[i].qi)->name;
        }
        snprintf(title, sizeof title, "%s: what moves %s", s->name, Q(s, m)->name);
        label_of(s, m, xl, sizeof xl);
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
        rc = render(s, o, &c, "tornado", Q(s, m)->name, err);
        free(data);
        free(rows);
    }
done:
    lc_table_free(t);
    free(sw);
    free(seen);
    return rc;
}

/* --- Sobol ----------------------------------------------------------------------- */

static int run_sobol(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                     lc_error *err)
{
    size_t k, i, j, *idx = NULL, mets[LC_AN_METRICS_MAX];
    lc_dist *dists = NULL;
    lc_evaluator ev;
    lc_sobol_opts opt;
    lc_sobol_result *r = NULL;
    lc_table *t = NULL;
    static const char *cols[] = {"metric",  "input", "S1",     "S1 low",
                                 "S1 high", "ST",    "ST low", "ST high"};
    int rc;

    if ((rc = uncertain_evaluator(s, a, &idx, &dists, &k, &ev, err)) != LC_OK)
        return rc;
    lc_sobol_opts_init(&opt);
    for (j = 0; j < a->nmetrics; j++)
        mets[j] = j;
    opt.n = a->samples;
    opt.seed = a->seed;
    opt.threads = a->threads;
    opt.metrics = mets;
    opt.n_metrics = a->nmetrics;
    if (want_progress(o, a->samples * (k + 2) * 4))
        opt.progress = progress_bar;
    if ((rc = lc_sobol_run(&ev, dists, &opt, &r, err)) != LC_OK)
        goto done;
    t = lc_table_alloc(cols, 8);
    if (t == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (j = 2; j < 8; j++)
        lc_table_set_numeric(t, j);
    for (j = 0; j < a->nmetrics; j++)
        for (i = 0; i < k; i++) {
            const lc_sobol_index *x = lc_sobol_index_of(r, j, i);
            if (lc_table_row(t) || lc_table_str(t, 0, Q(s, a->metrics[j])->name) ||
                lc_table_str(t, 1, Q(s, idx[i])->name)) {
                rc = lc_error_nomem(err);
                goto done;
            }
            /* A metric that does not vary has no variance to apportion. */
            int flat = !(r->var[j] > 1e-20 * r->mean[j] * r->mean[j]);
            lc_table_num(t, 2, flat ? NAN : x->s1);
            lc_table_num(t, 3, flat ? NAN : x->s1_lo);
            lc_table_num(t, 4, flat ? NAN : x->s1_hi);
            lc_table_num(t, 5, flat ? NAN : x->st);
            lc_table_num(t, 6, flat ? NAN : x->st_lo);
            lc_table_num(t, 7, flat ? NAN : x->st_hi);
        }
    if (o->format == LC_FORMAT_TABLE)
        fprintf(out,
                "Sobol indices: %s\n%zu base samples (%zu model runs), %zu bootstrap resamples, "
                "%.0f%% intervals\n\n",
                s->name, r->n, r->n * (k + 2), r->n_boot, r->conf * 100);
    lc_table_print(t, o->format, out);
    if (o->format == LC_FORMAT_JSON)
        fputc('\n', out);
    for (j = 0; j < a->nmetrics && o->plot && rc == LC_OK; j++) {
        double *data;
        if (!(r->var[j] > 1e-20 * r->mean[j] * r->mean[j])) {
            /* Nothing to apportion: the metric does not vary with these inputs. */
            fprintf(stderr, "no Sobol chart for %s: it does not vary with the uncertain inputs\n",
                    Q(s, a->metrics[j])->name);
            continue;
        }
        data = malloc(k * 6 * sizeof *data);
        const char **rows = malloc(k * sizeof *rows);
        static const char *const cn[] = {"first order", "low", "high", "total", "low", "high"};
        char title[300];
        lc_chart c;
        if (data == NULL || rows == NULL) {
            free(data);
            free(rows);
            rc = lc_error_nomem(err);
            break;
        }
        for (i = 0; i < k; i++) {
            const lc_sobol_index *x = lc_sobol_index_of(r, j, i);
            data[6 * i] = x->s1;
            data[6 * i + 1] = x->s1_lo;
            data[6 * i + 2] = x->s1_hi;
            data[6 * i + 3] = x->st;
            data[6 * i + 4] = x->st_lo;
            data[6 * i + 5] = x->st_hi;
            rows[i] = Q(s, idx[i])->name;
        }
        snprintf(title, sizeof title, "%s: Sobol indices of %s", s->name,
                 Q(s, a->metrics[j])->name);
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_SOBOL;
        c.title = title;
        c.ylabel = "share of variance";
        c.nrows = k;
        c.ncols = 6;
        c.data = data;
        c.col_names = cn;
        c.row_labels = rows;
        rc = render(s, o, &c, "sobol", Q(s, a->metrics[j])->name, err);
        free(data);
        free(rows);
    }
done:
    lc_table_free(t);
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

static int solve_fn(void *user, double x, double *y, lc_error *err)
{
    solve_ctx *c = user;
    const double *in[1];
    double *outp[1];
    (void)err;
    in[0] = &x;
    outp[0] = y;
    c->ev->eval(c->ev->ctx, c->ws, in, outp, 1);
    return LC_OK;
}

static int run_solve(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                     lc_error *err)
{
    size_t m = a->metrics[0];
    lc_evaluator ev;
    solve_ctx c;
    lc_solve_result res;
    double lo = a->from, hi = a->to, base = Q(s, a->input)->value;
    char xs[96], ys[96], ts[96], los[96], his[96];
    int rc;

    memset(&ev, 0, sizeof ev);
    if (isnan(lo) || isnan(hi)) {
        /* Without a range: two decades either side of the base value. */
        if (!(base > 0))
            return lc_error_set(err, LC_EINPUT, a->mark,
                                "give the range to search: from: and to: (--from, --to)");
        lo = base / 100;
        hi = base * 100;
    }
    if ((rc = lc_model_evaluator(s->model, &a->input, 1, &m, 1, &ev, err)) != LC_OK)
        return rc;
    c.ev = &ev;
    c.ws = ev.ws_alloc(ev.ctx);
    if (c.ws == NULL) {
        lc_model_evaluator_release(&ev);
        return lc_error_nomem(err);
    }
    rc = lc_solve(solve_fn, &c, lo, hi, a->target, Q(s, a->input)->name, Q(s, m)->name, &res, NULL);
    ev.ws_free(c.ws);
    lc_model_evaluator_release(&ev);
    lc_units_format(&s->units, a->target, Q(s, m)->unit, ts, sizeof ts);
    lc_units_format(&s->units, lo, Q(s, a->input)->unit, los, sizeof los);
    lc_units_format(&s->units, hi, Q(s, a->input)->unit, his, sizeof his);
    if (rc != LC_OK) {
        char ymin[96], ymax[96];
        lc_units_format(&s->units, res.ymin, Q(s, m)->unit, ymin, sizeof ymin);
        lc_units_format(&s->units, res.ymax, Q(s, m)->unit, ymax, sizeof ymax);
        return lc_error_set(err, LC_ENUMERIC, a->mark,
                            "no value of %s between %s and %s makes %s reach %s: it ranges from "
                            "%s to %s there (widen the range with from:/to: or --from/--to)",
                            Q(s, a->input)->name, los, his, Q(s, m)->name, ts, ymin, ymax);
    }
    lc_units_format(&s->units, res.x, Q(s, a->input)->unit, xs, sizeof xs);
    lc_units_format(&s->units, res.y, Q(s, m)->unit, ys, sizeof ys);
    if (o->format == LC_FORMAT_JSON) {
        char u[64];
        fputs("{\"analysis\": \"solve\", \"scenario\": ", out);
        lc_json_string(out, s->name);
        fputs(", \"input\": ", out);
        lc_json_string(out, Q(s, a->input)->name);
        fputs(", \"value\": ", out);
        lc_json_number(out, disp(s, a->input, res.x));
        unit_of(s, a->input, u, sizeof u);
        fputs(", \"unit\": ", out);
        lc_json_string(out, u);
        fputs(", \"metric\": ", out);
        lc_json_string(out, Q(s, m)->name);
        fputs(", \"target\": ", out);
        lc_json_number(out, disp(s, m, a->target));
        fputs(", \"reached\": ", out);
        lc_json_number(out, disp(s, m, res.y));
        unit_of(s, m, u, sizeof u);
        fputs(", \"metric_unit\": ", out);
        lc_json_string(out, u);
        fprintf(out, ", \"iterations\": %d}\n", res.iterations);
    } else if (o->format == LC_FORMAT_CSV) {
        char u[64], mu[64];
        unit_of(s, a->input, u, sizeof u);
        unit_of(s, m, mu, sizeof mu);
        fprintf(out,
                "input,value,unit,metric,target,reached,metric "
                "unit\r\n%s,%.17g,%s,%s,%.17g,%.17g,%s\r\n",
                Q(s, a->input)->name, disp(s, a->input, res.x), u, Q(s, m)->name,
                disp(s, m, a->target), disp(s, m, res.y), mu);
    } else {
        fprintf(out,
                "Solve: %s\n%s = %s makes %s = %s (target %s; searched %s to %s, %d iterations)\n",
                s->name, Q(s, a->input)->name, xs, Q(s, m)->name, ys, ts, los, his, res.iterations);
    }
    return LC_OK;
}

int lc_analysis_run(lc_scenario *s, const lc_analysis *a, const lc_an_output *o, FILE *out,
                    lc_error *err)
{
    int rc;
    if (a->nmetrics == 0)
        return lc_error_set(err, LC_EINPUT, a->mark, "no metric to analyse: name one (metric:)");
    if ((rc = check_available(s, a, err)) != LC_OK)
        return rc;
    switch (a->kind) {
    case LC_AN_MC:
        return run_mc(s, a, o, out, err);
    case LC_AN_SWEEP:
        return run_sweep(s, a, o, out, err);
    case LC_AN_TORNADO:
        return run_tornado(s, a, o, out, err);
    case LC_AN_SOBOL:
        return run_sobol(s, a, o, out, err);
    case LC_AN_SOLVE:
        return run_solve(s, a, o, out, err);
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
int lc_analysis_scenario_charts(lc_scenario *s, const lc_an_output *o, lc_error *err)
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
        char unit[64], u2[64], tbuf[300];
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
            names[j] = Q(s, qi[j])->name;
        }
        if (!o->plot)
            continue;
        snprintf(tbuf, sizeof tbuf, "%s",
                 title && title->kind == LC_YAML_SCALAR ? title->str : s->name);
        row[0] = s->name;
        memset(&ch, 0, sizeof ch);
        ch.title = tbuf;
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
            if ((rc = render(s, o, &ch, stacked ? "breakdown" : "bars", suffix, err)) != LC_OK)
                return rc;
        }
    }
    return LC_OK;
}
