/* bench.c — what `llmcost mc` costs, measured as users run it (make bench).
 *
 * Every timed run is a fresh process (fork and exec), so that no run reuses
 * another's heap or page cache of freed memory; its CPU time (user + system)
 * and peak RSS come from wait4's rusage, its wall time from the clock around
 * it.  The machine may be shared: each figure is the median of REPS runs,
 * taken alternately, and CPU time is printed next to wall time because it is
 * what another process's load does not inflate.
 *
 *  1. `llmcost mc` end to end (scenario to JSON, 1 thread) against a C loop
 *     written by hand with GSL on the same formulas and distributions of
 *     tests/bench/chatgpt-2023-roofline.yaml (11 uncertain inputs, 3 metrics), at 1e6
 *     and 1e7 samples.  The loop draws each input with GSL (the same
 *     generator type, xoshiro256**, as mc), keeps the three outputs, sums and
 *     sums of squares on the fly, and finds P5..P95 by gsl_stats_select.
 *     mc does more: a 40-bin histogram, P0.5 and P99.5, compensated moments
 *     and counts of non-finite values.  Target: mc <= 1.05x the loop.
 *  2. The speed-up of mc from 1 to 2 threads at 1e7.  Target >= 1.7x.
 *  3. Memory: peak RSS of mc at 1e7 less that at 1e5, per sample and kept
 *     metric.  Target <= 16 B.  And --stream at 1e5 and 1e7 (constant), and
 *     with BENCH_FULL=1 at 1e9 on 2 threads (a few minutes).  Target < 1 GB.
 *  4. Streaming against exact percentiles at 1e7, same seed: the rank of
 *     each sketched percentile among the exact outputs, against the bound
 *     the summary reports, and its value error against 2^-10.
 *  5. With python3-numpy installed: the same model in NumPy (tests/bench_numpy.py).
 *
 * usage: bench SCENARIO LLMCOST   (bench --cloop SCENARIO N: the C loop alone) */
#define _DEFAULT_SOURCE /* wait4 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "lc_dist.h"
#include "lc_mc.h"
#include "lc_model.h"
#include "lc_scenario.h"

#define REPS 3
#define NIN  11
#define NOUT 3
static const char *in_names[NIN] = {"gpu.rent",
                                    "power.pue",
                                    "electricity.price",
                                    "inf.daily_users",
                                    "inf.queries_per_user",
                                    "inf.input_tokens",
                                    "inf.output_tokens",
                                    "inf.peak_factor",
                                    "inf.utilisation",
                                    "inf.bandwidth_util",
                                    "inf.batch"};
static const lc_dist_kind in_kinds[NIN] = {LC_DIST_LOGNORMAL, LC_DIST_PERT,       LC_DIST_LOGNORMAL,
                                           LC_DIST_NORMAL,    LC_DIST_LOGNORMAL,  LC_DIST_LOGNORMAL,
                                           LC_DIST_LOGNORMAL, LC_DIST_TRIANGULAR, LC_DIST_UNIFORM,
                                           LC_DIST_UNIFORM,   LC_DIST_DISCRETE};
static const char *out_names[NOUT] = {"bench.gpus", "bench.cost_rented_per_day",
                                      "bench.electricity_per_day"};
#define METRICS "bench.gpus,bench.cost_rented_per_day,bench.electricity_per_day"
static const double probs[5] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* The constants the loop needs (base units), read from the model. */
typedef struct consts {
    double params, bytes_per_param, kv_per_token, ctx, mem, mem_util, peak, bw, servers,
        server_power, hours, flop_per_token, day;
} consts;

typedef struct setup {
    lc_scenario *s;
    lc_dist dists[NIN];
    consts k;
    lc_evaluator ev;
} setup;

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[n / 2];
}

static double val(lc_scenario *s, const char *name)
{
    return lc_model_qty(s->model, (size_t)lc_model_find(s->model, name))->value;
}

static int load(const char *path, setup *st)
{
    lc_error err;
    size_t idx[NIN], outs[NOUT], j;
    lc_error_clear(&err);
    st->s = lc_scenario_load(path, NULL, 0, NULL, &err);
    if (st->s == NULL) {
        lc_error_print(&err, stderr);
        return 1;
    }
    for (j = 0; j < NIN; j++) {
        long q = lc_model_find(st->s->model, in_names[j]);
        if (q < 0 || lc_model_qty(st->s->model, (size_t)q)->dist == NULL ||
            lc_model_qty(st->s->model, (size_t)q)->dist->kind != in_kinds[j]) {
            fprintf(stderr, "bench: %s in %s is not the distribution the C loop draws\n",
                    in_names[j], path);
            return 1;
        }
        idx[j] = (size_t)q;
        st->dists[j] = *lc_model_qty(st->s->model, idx[j])->dist;
    }
    for (j = 0; j < NOUT; j++)
        outs[j] = (size_t)lc_model_find(st->s->model, out_names[j]);
    if (lc_model_evaluator(st->s->model, idx, NIN, outs, NOUT, &st->ev, &err) != LC_OK) {
        lc_error_print(&err, stderr);
        return 1;
    }
    st->k.params = val(st->s, "model.params");
    st->k.bytes_per_param = val(st->s, "inf.bytes_per_param");
    st->k.kv_per_token = val(st->s, "inf.kv_bytes_per_token");
    st->k.ctx = val(st->s, "inf.context");
    st->k.mem = val(st->s, "gpu.memory");
    st->k.mem_util = val(st->s, "inf.memory_util");
    st->k.peak = val(st->s, "gpu.peak");
    st->k.bw = val(st->s, "gpu.bandwidth");
    st->k.servers = val(st->s, "fleet.servers");
    st->k.server_power = val(st->s, "server.power");
    st->k.hours = val(st->s, "electricity.hours");
    st->k.flop_per_token = 1;
    st->k.day = 86400;
    return 0;
}

/* ---- the hand-written loop (run in its own process) ---- */

static double lognormal(gsl_rng *r, const lc_dist *d)
{
    return exp(d->mu + d->sigma * gsl_ran_gaussian_ziggurat(r, 1.0));
}

static double triangular(gsl_rng *r, const lc_dist *d)
{
    double u = gsl_rng_uniform_pos(r), a = d->lo, c = d->mode, b = d->hi;
    return u < (c - a) / (b - a) ? a + sqrt(u * (b - a) * (c - a))
                                 : b - sqrt((1.0 - u) * (b - a) * (b - c));
}

/* P5..P95 of x[0..n) as gsl_stats_quantile_from_sorted_data, by selection. */
static void select_pct(double *x, size_t n, double *out)
{
    int p;
    for (p = 0; p < 5; p++) {
        double h = (double)(n - 1) * probs[p], f, lo, hi;
        size_t k = (size_t)h, i;
        f = h - (double)k;
        lo = gsl_stats_select(x, 1, n, k);
        hi = lo;
        if (f > 0.0 && k + 1 < n)
            for (hi = x[k + 1], i = k + 2; i < n; i++)
                hi = x[i] < hi ? x[i] : hi;
        out[p] = (1.0 - f) * lo + f * hi;
    }
}

static int cloop(const char *path, size_t n)
{
    setup st;
    const lc_dist *d = st.dists;
    const consts *k = &st.k;
    gsl_rng *r;
    gsl_ran_discrete_t *batch_table;
    double *y[NOUT], sum[NOUT] = {0}, sq[NOUT] = {0}, w[LC_DIST_DISCRETE_MAX];
    size_t i, j;
    double t_sel;

    if (load(path, &st))
        return 1;
    for (i = 0; i < d[10].n; i++) /* the discrete law's weights from its cumulative sums */
        w[i] = d[10].cum[i] - (i ? d[10].cum[i - 1] : 0.0);
    batch_table = gsl_ran_discrete_preproc(d[10].n, w);
    r = lc_mc_rng_alloc();
    lc_mc_rng_seed(r, 1, 0);
    for (j = 0; j < NOUT; j++)
        y[j] = malloc(n * sizeof(double));
    for (i = 0; i < n; i++) {
        double rent = lognormal(r, &d[0]);
        double pue = d[1].lo + (d[1].hi - d[1].lo) * gsl_ran_beta(r, d[1].alpha, d[1].beta);
        double price = lognormal(r, &d[2]);
        double users;
        do
            users = d[3].mean_arg + gsl_ran_gaussian_ziggurat(r, d[3].sd_arg);
        while (users < 0.0);
        double qpu = lognormal(r, &d[4]), tin = lognormal(r, &d[5]), tout = lognormal(r, &d[6]);
        double peak = triangular(r, &d[7]);
        double util = gsl_ran_flat(r, d[8].lo, d[8].hi), bwu = gsl_ran_flat(r, d[9].lo, d[9].hi);
        double batch = d[10].values[gsl_ran_discrete(r, batch_table)];
        /* the formulas of tests/bench/chatgpt-2023-roofline.yaml */
        double qpd = users * qpu;
        double tps = qpd * (tin + tout);
        double weight = k->params * k->bytes_per_param;
        double kvreq = k->kv_per_token * k->ctx;
        double gpr = ceil((weight + batch * kvreq) / (k->mem * k->mem_util));
        double gc = tps * peak * 2 * k->params * k->flop_per_token / (k->peak * util);
        double gb = qpd * tout * peak * (weight / batch + kvreq) / (k->bw * bwu * 1);
        double m = gc > gb ? gc : gb, out[NOUT];
        m = m > gpr ? m : gpr;
        out[0] = ceil(m / gpr) * gpr;
        out[1] = out[0] * rent;
        out[2] = k->server_power * pue * k->hours * price / k->day * k->servers;
        for (j = 0; j < NOUT; j++) {
            y[j][i] = out[j];
            sum[j] += out[j];
            sq[j] += out[j] * out[j];
        }
    }
    t_sel = cpu_now();
    for (j = 0; j < NOUT; j++) {
        double mean = sum[j] / (double)n, pct[5];
        select_pct(y[j], n, pct);
        printf("%.6g %.6g %.6g %.6g %.6g %.6g %.6g ", mean,
               sqrt((sq[j] - (double)n * mean * mean) / (double)(n - 1)), pct[0], pct[1], pct[2],
               pct[3], pct[4]);
        free(y[j]);
    }
    printf("%.6f\n", cpu_now() - t_sel); /* CPU time of the selections */
    gsl_ran_discrete_free(batch_table);
    gsl_rng_free(r);
    return 0;
}

/* ---- fresh processes ---- */

typedef struct run_stat {
    double wall, cpu; /* s */
    double rss;       /* peak resident set, bytes */
    int ok;
} run_stat;

/* Run argv in a fresh process, stdout to `out`; its time and peak memory. */
static run_stat run(char *const argv[], const char *out)
{
    run_stat rs = {0, 0, 0, 0};
    struct rusage ru;
    int status;
    double t0 = now();
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 1) < 0)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid)
        return rs;
    rs.wall = now() - t0;
    rs.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
             (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    rs.rss = (double)ru.ru_maxrss * 1024.0;
    rs.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return rs;
}

static char self[4096], *llmcost, *scenario;

static run_stat run_mc(size_t n, unsigned threads, int stream, const char *out)
{
    char ns[32], ts[16];
    char *argv[] = {llmcost,  "mc",
                    scenario, "--samples",
                    ns,       "--threads",
                    ts,       "--seed",
                    "1",      "--metric",
                    METRICS,  "--format",
                    "json",   stream ? "--stream" : NULL,
                    NULL};
    snprintf(ns, sizeof ns, "%zu", n);
    snprintf(ts, sizeof ts, "%u", threads);
    return run(argv, out);
}

static run_stat run_cloop(size_t n, const char *out)
{
    char ns[32];
    char *argv[] = {self, "--cloop", scenario, ns, NULL};
    snprintf(ns, sizeof ns, "%zu", n);
    return run(argv, out);
}

/* Mean, sd and P5..P95 of each metric, as the loop and bench_numpy.py print
 * them, then (the loop only) the CPU time of its selections into *extra. */
static int read_summary(const char *path, double *v, double *extra)
{
    FILE *f = fopen(path, "r");
    int got = 0;
    if (f == NULL)
        return 0;
    while (got < 7 * NOUT && fscanf(f, "%lf", &v[got]) == 1)
        got++;
    if (extra && fscanf(f, "%lf", extra) != 1)
        got = 0;
    fclose(f);
    return got == 7 * NOUT;
}

/* Two runs of the same law: means within 6 standard errors of each other. */
static int same_means(const char *what, const double *a, const double *b, size_t n)
{
    int j;
    for (j = 0; j < NOUT; j++)
        if (fabs(a[7 * j] - b[7 * j]) > 6.0 * b[7 * j + 1] * sqrt(2.0 / (double)n)) {
            fprintf(stderr, "bench: %s disagree on the mean of %s: %g vs %g\n", what, out_names[j],
                    a[7 * j], b[7 * j]);
            return 0;
        }
    return 1;
}

/* The 1-minute load average; 0 if unknown. */
static double loadavg(void)
{
    double l = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (fscanf(f, "%lf", &l) != 1)
            l = 0;
        fclose(f);
    }
    return l;
}

static const char *verdict(int ok)
{
    return ok ? "ok" : "MISSED";
}

/* 4. Sketched against exact percentiles, in this process; mc's summary
 * (base units) into mc_sum for the other runs to be checked against. */
static int sketch_vs_exact(setup *st, size_t n, double *mc_sum)
{
    size_t keep[NOUT] = {0, 1, 2}, j, p, i;
    lc_mc_opts o;
    lc_mc_result *ex = NULL, *sk = NULL;
    lc_error err;
    double worst_rank = 0, worst_bound = 0, worst_rel = 0;
    int ok = 1;

    lc_error_clear(&err);
    lc_mc_opts_init(&o);
    o.n = n;
    o.threads = 2;
    o.keep = keep;
    o.n_keep = NOUT;
    if (lc_mc_run(&st->ev, st->dists, &o, &ex, &err) != LC_OK) {
        lc_error_print(&err, stderr);
        return 1;
    }
    o.stream = 1;
    if (lc_mc_run(&st->ev, st->dists, &o, &sk, &err) != LC_OK) {
        lc_error_print(&err, stderr);
        return 1;
    }
    for (j = 0; j < NOUT; j++) {
        const double *y = lc_mc_output(ex, j);
        const lc_mc_summary *se = &ex->sum[j], *ss = &sk->sum[j];
        for (p = 0; p < ex->n_probs; p++) {
            /* The sketched value's ranks among the exact outputs, [lt, le). */
            double est = ss->pct[p], want = (double)(se->n_finite - 1) * ex->probs[p], rank;
            size_t lt = 0, le = 0;
            for (i = 0; i < n; i++)
                if (isfinite(y[i])) { /* ranks are among the finite values */
                    lt += y[i] < est;
                    le += y[i] <= est;
                }
            rank = want < (double)lt   ? (double)lt - want
                   : want > (double)le ? want - (double)le
                                       : 0.0;
            rank /= (double)se->n_finite;
            if (rank > ss->pct_rank_err[p] + 1.0 / (double)se->n_finite)
                ok = 0;
            if (fabs(est - se->pct[p]) > LC_MC_SKETCH_REL_ERR * fabs(se->pct[p]))
                ok = 0;
            worst_rank = rank > worst_rank ? rank : worst_rank;
            worst_bound = ss->pct_rank_err[p] > worst_bound ? ss->pct_rank_err[p] : worst_bound;
            if (se->pct[p] != 0 && fabs(est / se->pct[p] - 1) > worst_rel)
                worst_rel = fabs(est / se->pct[p] - 1);
        }
        if (memcmp(&se->mean, &ss->mean, sizeof se->mean) != 0)
            ok = 0; /* the moments are the same computation in both modes */
        mc_sum[7 * j] = se->mean;
        mc_sum[7 * j + 1] = se->sd;
        memcpy(mc_sum + 7 * j + 2, se->pct, 5 * sizeof(double));
    }
    printf("4. --stream vs exact at %.0e samples, P5..P95 of 3 metrics: worst rank error %.4f%% "
           "(reported bound %.4f%%), worst value error %.4f%% (bound %.4f%%); means identical: "
           "%s\n",
           (double)n, worst_rank * 100, worst_bound * 100, worst_rel * 100,
           LC_MC_SKETCH_REL_ERR * 100, verdict(ok));
    lc_mc_result_free(ex);
    lc_mc_result_free(sk);
    return ok ? 0 : 1;
}

/* The NumPy interpreter, if one has numpy. */
static char *numpy_python(void)
{
    static char *cands[] = {"/usr/bin/python3", "/usr/local/bin/python3"};
    size_t i;
    for (i = 0; i < 2; i++) {
        char *argv[] = {cands[i], "-c", "import numpy", NULL};
        if (access(cands[i], X_OK) == 0 && run(argv, "/dev/null").ok)
            return cands[i];
    }
    return NULL;
}

static void numpy_params(const setup *st, char *buf, size_t size)
{
    static const char *kind[] = {"fixed",      "uniform", "normal",  "lognormal",
                                 "triangular", "pert",    "discrete"};
    const consts *k = &st->k;
    size_t len, j, i;
    len = (size_t)snprintf(
        buf, size,
        "{\"consts\": {\"params\": %.17g, \"bytes_per_param\": %.17g, \"kv_per_token\": %.17g, "
        "\"ctx\": %.17g, \"mem\": %.17g, \"mem_util\": %.17g, \"peak\": %.17g, \"bw\": %.17g, "
        "\"servers\": %.17g, \"server_power\": %.17g, \"hours\": %.17g, \"flop_per_token\": "
        "%.17g, \"day\": %.17g}, \"dists\": [",
        k->params, k->bytes_per_param, k->kv_per_token, k->ctx, k->mem, k->mem_util, k->peak, k->bw,
        k->servers, k->server_power, k->hours, k->flop_per_token, k->day);
    for (j = 0; j < NIN && len < size; j++) {
        const lc_dist *d = &st->dists[j];
        len += (size_t)snprintf(
            buf + len, size - len,
            "%s{\"kind\": \"%s\", \"lo\": %.17g, \"mode\": %.17g, \"hi\": %.17g, \"mu\": %.17g, "
            "\"sigma\": %.17g, \"alpha\": %.17g, \"beta\": %.17g, \"mean\": %.17g, \"sd\": %.17g",
            j ? ", " : "", kind[d->kind], d->lo, d->mode, d->hi, d->mu, d->sigma, d->alpha, d->beta,
            d->mean_arg, d->sd_arg);
        if (d->kind == LC_DIST_DISCRETE) {
            len += (size_t)snprintf(buf + len, size - len, ", \"values\": [");
            for (i = 0; i < d->n; i++)
                len +=
                    (size_t)snprintf(buf + len, size - len, "%s%.17g", i ? ", " : "", d->values[i]);
            len += (size_t)snprintf(buf + len, size - len, "], \"p\": [");
            for (i = 0; i < d->n; i++)
                len += (size_t)snprintf(buf + len, size - len, "%s%.17g", i ? ", " : "",
                                        d->cum[i] - (i ? d->cum[i - 1] : 0.0));
            len += (size_t)snprintf(buf + len, size - len, "]");
        }
        len += (size_t)snprintf(buf + len, size - len, "}");
    }
    snprintf(buf + len, size - len, "]}");
}

int main(int argc, char **argv)
{
    static const size_t sizes[2] = {1000000, 10000000};
    const char *mc_out = "build/bench-mc.json", *loop_out = "build/bench-loop.txt";
    setup st;
    double t1_wall = 0, t1_cpu = 0, mc_sum[7 * NOUT], loop_sum[7 * NOUT], np_sum[7 * NOUT];
    int si, r, fails = 0, unmeasured = 0;
    char *py;

    gsl_set_error_handler_off();
    if (argc == 4 && strcmp(argv[1], "--cloop") == 0)
        return cloop(argv[2], (size_t)atof(argv[3]));
    if (argc != 3) {
        fprintf(stderr, "usage: bench SCENARIO LLMCOST\n");
        return 2;
    }
    scenario = argv[1];
    llmcost = argv[2];
    if (realpath("/proc/self/exe", self) == NULL || load(scenario, &st))
        return 1;
    printf("llmcost mc on %s: 11 uncertain inputs, 3 metrics; median of %d fresh processes;\n"
           "CPU = user + system time of the process, wall = elapsed (the machine may be shared)\n",
           scenario, REPS);

    /* 1. mc against the loop, 1 thread. */
    for (si = 0; si < 2; si++) {
        double mw[REPS], mcpu[REPS], lw[REPS], lcpu[REPS], lsel[REPS], m_w, m_c, l_w, l_c, sel;
        for (r = 0; r < REPS; r++) {
            run_stat a = run_cloop(sizes[si], loop_out), b = run_mc(sizes[si], 1, 0, mc_out);
            if (!a.ok || !b.ok) {
                fprintf(stderr, "bench: the %s run failed\n", a.ok ? "mc" : "C loop");
                return 1;
            }
            lw[r] = a.wall, lcpu[r] = a.cpu, mw[r] = b.wall, mcpu[r] = b.cpu;
            if (!read_summary(loop_out, loop_sum, &lsel[r])) {
                fprintf(stderr, "bench: cannot read the C loop's output\n");
                return 1;
            }
        }
        sel = median(lsel, REPS);
        m_w = median(mw, REPS), m_c = median(mcpu, REPS), l_w = median(lw, REPS),
        l_c = median(lcpu, REPS);
        printf("%s %.0e samples, 1 thread: mc %.3f s CPU (%.3f s wall), C loop %.3f s CPU "
               "(%.3f s wall): mc/loop %.3f CPU, %.3f wall (target <= 1.05) %s\n",
               si ? "  " : "1.", (double)sizes[si], m_c, m_w, l_c, l_w, m_c / l_c, m_w / l_w,
               verdict(m_c / l_c <= 1.05));
        printf("   (the loop's selections of P5..P95 take %.3f s of its CPU; without them it "
               "takes %.3f s, mc/that %.3f)\n",
               sel, l_c - sel, m_c / (l_c - sel));
        fails += m_c / l_c > 1.05;
        if (si == 1)
            t1_wall = m_w, t1_cpu = m_c;
        (void)mc_out;
    }

    /* 2. Two threads.  On a busy machine the wall clock cannot show a
     * speed-up; then the figure is also estimated from CPU times (Amdahl):
     * the serial part S is the CPU time of a 1000-sample run (loading,
     * building the evaluator, output), the rest shared by 2 threads. */
    {
        double w[REPS], c[REPS], w2, c2, load0 = loadavg(), load1, serial, est;
        int quiet;
        run_stat tiny;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        for (r = 0; r < REPS; r++) {
            run_stat b = run_mc(sizes[1], 2, 0, mc_out);
            w[r] = b.wall, c[r] = b.cpu;
        }
        load1 = loadavg();
        tiny = run_mc(1000, 1, 0, "/dev/null");
        serial = tiny.cpu;
        w2 = median(w, REPS), c2 = median(c, REPS);
        est = t1_cpu / ((c2 - serial) / 2.0 + serial);
        quiet = load0 < 0.5 * (double)cores && load1 < 0.5 * (double)cores;
        unmeasured += !quiet;
        if (quiet) {
            printf("2. 1e7 samples, 2 threads: %.3f s wall (%.3f s CPU): speed-up %.2fx over 1 "
                   "thread's %.3f s wall (target >= 1.7) %s; from CPU times %.2fx\n",
                   w2, c2, t1_wall / w2, t1_wall, verdict(t1_wall / w2 >= 1.7), est);
            fails += t1_wall / w2 < 1.7;
        } else
            printf("2. 1e7 samples, 2 threads: %.3f s wall (%.3f s CPU), %.2fx over 1 thread's "
                   "%.3f s wall, but the load average was %.1f-%.1f on %ld cores: NOT MEASURED; "
                   "from CPU times (serial part %.3f s) the speed-up would be %.2fx (target "
                   ">= 1.7)\n",
                   w2, c2, t1_wall / w2, t1_wall, load0, load1, cores, serial, est);
    }

    /* 3. Memory in fresh processes. */
    {
        run_stat small = run_mc(100000, 2, 0, "/dev/null"),
                 big = run_mc(sizes[1], 2, 0, "/dev/null");
        run_stat s_small = run_mc(100000, 2, 1, "/dev/null"),
                 s_big = run_mc(sizes[1], 2, 1, "/dev/null");
        double per = (big.rss - small.rss) / (double)(sizes[1] - 100000) / NOUT;
        printf("3. peak RSS: exact %.1f MB at 1e5, %.1f MB at 1e7: %.2f bytes per sample per "
               "kept metric (target <= 16) %s\n",
               small.rss / 1e6, big.rss / 1e6, per, verdict(per <= 16.0));
        printf("   --stream: %.1f MB at 1e5, %.1f MB at 1e7 (%.2f s wall on 2 threads)\n",
               s_small.rss / 1e6, s_big.rss / 1e6, s_big.wall);
        fails += per > 16.0;
        if (getenv("BENCH_FULL")) {
            run_stat s = run_mc(1000000000, 2, 1, mc_out);
            printf("   --stream at 1e9 samples, 2 threads: peak RSS %.1f MB (target < 1000) in "
                   "%.0f s wall, %.0f s CPU %s\n",
                   s.rss / 1e6, s.wall, s.cpu, verdict(s.ok && s.rss < 1e9));
            fails += !(s.ok && s.rss < 1e9);
        } else
            printf("   (BENCH_FULL=1 adds --stream at 1e9 samples: a few minutes)\n");
    }

    /* 4. Sketch against exact. */
    fails += sketch_vs_exact(&st, sizes[1], mc_sum);
    if (!read_summary(loop_out, loop_sum, NULL) ||
        !same_means("mc and the C loop", mc_sum, loop_sum, sizes[1]))
        return 1;

    /* 5. NumPy, last, so that loop_out keeps the loop's 1e7 run until 4. */
    if ((py = numpy_python()) != NULL) {
        static char params[16384];
        char ns[32], *pargv[] = {py, "tests/bench_numpy.py", ns, params, NULL};
        numpy_params(&st, params, sizeof params);
        for (si = 0; si < 2; si++) {
            double nw[REPS], nc[REPS], mw[REPS], mcpu[REPS];
            snprintf(ns, sizeof ns, "%zu", sizes[si]);
            for (r = 0; r < REPS; r++) {
                run_stat a = run(pargv, loop_out), b = run_mc(sizes[si], 1, 0, mc_out);
                if (!a.ok) {
                    fprintf(stderr, "bench: the NumPy run failed\n");
                    return 1;
                }
                nw[r] = a.wall, nc[r] = a.cpu, mw[r] = b.wall, mcpu[r] = b.cpu;
            }
            if (!read_summary(loop_out, np_sum, NULL) ||
                !same_means("mc and NumPy", mc_sum, np_sum, sizes[si]))
                return 1;
            printf("%s NumPy at %.0e samples: %.3f s CPU (%.3f s wall); mc (1 thread) is "
                   "%.2fx faster in CPU, %.2fx in wall time\n",
                   si ? "  " : "5.", (double)sizes[si], median(nc, REPS), median(nw, REPS),
                   median(nc, REPS) / median(mcpu, REPS), median(nw, REPS) / median(mw, REPS));
        }
    } else
        printf("5. NumPy: not installed (apt-get install python3-numpy)\n");
    printf("%d target%s missed, %d not measured\n", fails, fails == 1 ? "" : "s", unmeasured);
    lc_model_evaluator_release(&st.ev);
    lc_scenario_free(st.s);
    return 0;
}
