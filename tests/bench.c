/* bench.c — speed figures of llmcost, as ratios measured in one run (make bench).
 *
 *  1. The block evaluator against the same formulas written as a plain C loop
 *     (the chatgpt-2023 serving chain), over the same inputs: the issue asks
 *     for at least half the speed of the C loop.  The inputs are 32 blocks
 *     drawn once and used over and over, as a sampler hands blocks to the
 *     evaluator: the figure is the cost of the formulas, not of reading
 *     90 MB of inputs from memory.
 *  2. Monte Carlo of scenarios/chatgpt-2023.yaml (11 uncertain inputs) at
 *     1,000,000 samples on 1 and on all threads: target under 0.25 s.
 *  3. Time per sample from 1e5 to 1e7 samples (1e8 with BENCH_FULL=1): linear
 *     means a constant time per sample; and the peak memory per sample.
 * Times are wall-clock medians of a few runs; the ratios are what to compare. */
#define _GNU_SOURCE /* malloc_trim */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "lc_dist.h"
#include "lc_mc.h"
#include "lc_model.h"
#include "lc_scenario.h"

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

#define NIN 11
static const char *in_names[NIN] = {"gpu.rent", "power.pue", "electricity.price",
                                    "inf.daily_users", "inf.queries_per_user", "inf.input_tokens",
                                    "inf.output_tokens", "inf.peak_factor", "inf.utilisation",
                                    "inf.bandwidth_util", "inf.batch"};
static const char *out_names[3] = {"inf.gpus", "inf.cost_rented_per_day",
                                   "electricity.cost_per_day"};

/* The constants the plain loop needs (base units), read from the model. */
typedef struct consts {
    double params, bytes_per_param, kv_per_token, ctx, mem, mem_util, peak, bw, servers,
        server_power, hours, flop_per_token, day;
} consts;

/* The same formulas as src/library.c, by hand. */
static void plain(const consts *k, double *const *in, double *const *out, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        double rent = in[0][i], pue = in[1][i], price = in[2][i], users = in[3][i],
               qpu = in[4][i], tin = in[5][i], tout = in[6][i], peak = in[7][i], util = in[8][i],
               bwu = in[9][i], batch = in[10][i];
        double qpd = users * qpu;
        double tps = qpd * (tin + tout);
        double weight = k->params * k->bytes_per_param;
        double kvreq = k->kv_per_token * k->ctx;
        double gpr = ceil((weight + batch * kvreq) / (k->mem * k->mem_util));
        double gc = tps * peak * 2 * k->params * k->flop_per_token / (k->peak * util);
        double gb = qpd * tout * peak * (weight / batch + kvreq) / (k->bw * bwu * 1);
        double m = gc > gb ? gc : gb;
        double gpus;
        m = m > gpr ? m : gpr;
        gpus = ceil(m / gpr) * gpr;
        out[0][i] = gpus;
        out[1][i] = gpus * rent;
        out[2][i] = k->server_power * pue * k->hours * price / k->day * k->servers;
    }
}

/* A line of /proc/self/status in kB ("VmRSS", "VmHWM"); -1 when unknown. */
static double proc_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    double v = -1;
    size_t n = strlen(key);
    if (f == NULL)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            v = atof(line + n + 1);
    fclose(f);
    return v;
}

/* Reset the peak-RSS mark, so that VmHWM measures this run only. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    int ok;
    if (f == NULL)
        return 0;
    ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static double val(lc_scenario *s, const char *name)
{
    return lc_model_qty(s->model, (size_t)lc_model_find(s->model, name))->value;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "scenarios/chatgpt-2023.yaml";
    lc_error err;
    lc_scenario *s;
    size_t idx[NIN], outs[3], i, j, b;
    lc_dist dists[NIN];
    lc_evaluator ev;
    void *ws;
    consts k;
    enum { N = 1 << 20, POOL = 32 * LC_BLOCK };
    double *cols[NIN], *o1[3], *o2[3];
    double te[5], tp[5];
    int r;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);

    gsl_set_error_handler_off();
    lc_error_clear(&err);
    s = lc_scenario_load(path, NULL, 0, NULL, &err);
    if (s == NULL) {
        lc_error_print(&err, stderr);
        return 1;
    }
    for (j = 0; j < NIN; j++) {
        idx[j] = (size_t)lc_model_find(s->model, in_names[j]);
        dists[j] = *lc_model_qty(s->model, idx[j])->dist;
    }
    for (j = 0; j < 3; j++)
        outs[j] = (size_t)lc_model_find(s->model, out_names[j]);
    if (lc_model_evaluator(s->model, idx, NIN, outs, 3, &ev, &err) != LC_OK) {
        lc_error_print(&err, stderr);
        return 1;
    }
    k.params = val(s, "model.params");
    k.bytes_per_param = val(s, "inf.bytes_per_param");
    k.kv_per_token = val(s, "inf.kv_bytes_per_token");
    k.ctx = val(s, "inf.context");
    k.mem = val(s, "gpu.memory");
    k.mem_util = val(s, "inf.memory_util");
    k.peak = val(s, "gpu.peak");
    k.bw = val(s, "gpu.bandwidth");
    k.servers = val(s, "fleet.servers");
    k.server_power = val(s, "server.power");
    k.hours = val(s, "electricity.hours");
    k.flop_per_token = 1;
    k.day = 86400;

    /* Inputs drawn once from the scenario's own distributions. */
    {
        gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
        for (j = 0; j < NIN; j++) {
            cols[j] = malloc(POOL * sizeof(double));
            lc_dist_sample(&dists[j], rng, cols[j], POOL);
        }
        gsl_rng_free(rng);
    }
    for (j = 0; j < 3; j++) {
        o1[j] = malloc(N * sizeof(double));
        o2[j] = malloc(N * sizeof(double));
    }
    ws = ev.ws_alloc(ev.ctx);
    for (r = 0; r < 5; r++) {
        double t0 = now();
        for (b = 0; b < N; b += LC_BLOCK) {
            const double *in[NIN];
            double *out[3];
            for (j = 0; j < NIN; j++)
                in[j] = cols[j] + b % POOL;
            for (j = 0; j < 3; j++)
                out[j] = o1[j] + b;
            ev.eval(ev.ctx, ws, in, out, LC_BLOCK);
        }
        te[r] = now() - t0;
        t0 = now();
        for (b = 0; b < N; b += LC_BLOCK) {
            double *in[NIN], *out[3];
            for (j = 0; j < NIN; j++)
                in[j] = cols[j] + b % POOL;
            for (j = 0; j < 3; j++)
                out[j] = o2[j] + b;
            plain(&k, in, out, LC_BLOCK);
        }
        tp[r] = now() - t0;
    }
    for (j = 0; j < 3; j++)
        for (i = 0; i < N; i++)
            if (fabs(o1[j][i] - o2[j][i]) > 1e-9 * fabs(o2[j][i])) {
                fprintf(stderr, "bench: the C loop and the evaluator disagree on %s: %g vs %g\n",
                        out_names[j], o1[j][i], o2[j][i]);
                return 1;
            }
    {
        double e = median(te, 5), p = median(tp, 5);
        printf("1. block evaluator vs plain C loop (%d points, 11 inputs, 3 metrics, results equal)\n",
               N);
        printf("   evaluator %.1f ns/point, C loop %.1f ns/point: evaluator at %.2f of C speed "
               "(target >= 0.50) %s\n",
               e / N * 1e9, p / N * 1e9, p / e, p / e >= 0.5 ? "ok" : "BELOW TARGET");
    }
    ev.ws_free(ws);
    for (j = 0; j < 3; j++) {
        free(o1[j]);
        free(o2[j]);
        o1[j] = o2[j] = NULL;
    }

    /* 2 and 3: Monte Carlo through lc_mc_run. */
    {
        size_t keep[3] = {0, 1, 2};
        size_t sizes[4] = {100000, 1000000, 10000000, 100000000};
        int nsizes = getenv("BENCH_FULL") ? 4 : 3, t;
        unsigned threads[2] = {1, (unsigned)(cpus > 0 ? cpus : 1)};
        double per[4];
        for (t = 0; t < 2; t++) {
            double times[3];
            lc_mc_opts o;
            for (r = 0; r < 3; r++) {
                lc_mc_result *res = NULL;
                double t0;
                lc_mc_opts_init(&o);
                o.n = 1000000;
                o.seed = 1;
                o.threads = threads[t];
                o.keep = keep;
                o.n_keep = 3;
                t0 = now();
                if (lc_mc_run(&ev, dists, &o, &res, &err) != LC_OK) {
                    lc_error_print(&err, stderr);
                    return 1;
                }
                times[r] = now() - t0;
                lc_mc_result_free(res);
            }
            printf("%s Monte Carlo, 1,000,000 samples of %s, 11 uncertain inputs, 3 metrics "
                   "summarised, %u thread%s: %.3f s (target < 0.25 s on 2 cores)%s\n",
                   t == 0 ? "2." : "  ", path, threads[t], threads[t] == 1 ? "" : "s",
                   median(times, 3), t == 1 ? (median(times, 3) < 0.25 ? " ok" : " ABOVE TARGET") : "");
        }
        for (t = 0; t < nsizes; t++) {
            /* Each size in a child process, so that its peak memory is its own. */
            int fd[2];
            pid_t pid;
            double got[2] = {0, 0};
            if (pipe(fd) != 0)
                return 1;
            fflush(stdout);
            pid = fork();
            if (pid == 0) {
                lc_mc_opts o;
                lc_mc_result *res = NULL;
                size_t one = 0;
                double t0, out2[2], rss0;
                int reset;
                close(fd[0]);
                malloc_trim(0); /* memory the parent freed must not hide this run's */
                rss0 = proc_kb("VmRSS");
                reset = reset_peak();
                lc_mc_opts_init(&o);
                o.n = sizes[t];
                o.seed = 1;
                o.threads = threads[1];
                o.keep = &one;
                o.n_keep = 1;
                t0 = now();
                if (lc_mc_run(&ev, dists, &o, &res, &err) != LC_OK)
                    _exit(1);
                out2[0] = (now() - t0) / (double)sizes[t];
                out2[1] = reset && rss0 >= 0
                              ? (proc_kb("VmHWM") - rss0) * 1024.0 / (double)sizes[t]
                              : NAN;
                lc_mc_result_free(res);
                if (write(fd[1], out2, sizeof out2) != (ssize_t)sizeof out2)
                    _exit(1);
                _exit(0);
            }
            close(fd[1]);
            if (pid < 0 || read(fd[0], got, sizeof got) != (ssize_t)sizeof got) {
                fprintf(stderr, "bench: the %zu-sample run failed\n", sizes[t]);
                return 1;
            }
            close(fd[0]);
            waitpid(pid, NULL, 0);
            per[t] = got[0];
            printf("%s %9zu samples, 1 metric kept: %.1f ns/sample (ratio to 1e5: %.2f); memory "
                   "%.1f bytes/sample (limit 16 per metric kept)\n",
                   t == 0 ? "3." : "  ", sizes[t], per[t] * 1e9, per[t] / per[0], got[1]);
        }
    }
    for (j = 0; j < NIN; j++)
        free(cols[j]);
    lc_model_evaluator_release(&ev);
    lc_scenario_free(s);
    return 0;
}
