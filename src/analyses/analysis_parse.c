/* analysis_parse.c — an entry of a scenario's analyses: list, checked like
 * the rest of the schema (unknown keys, units, ranges). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_analyses.h"
#include "lc_util.h"

static lc_mark text_mark(const lc_yaml_node *n)
{
    lc_mark m = n->mark;
    if (n->quoted && m.line > 0)
        m.col += 1;
    return m;
}

static int find_qty(lc_scenario *s, const lc_yaml_node *n, const char *what, size_t *out,
                    lc_error *err)
{
    long i;
    if (n->kind != LC_YAML_SCALAR)
        return lc_error_set(err, LC_EINPUT, n->mark, "%s must be a name", what);
    i = lc_model_find(s->model, n->str);
    if (i < 0)
        return lc_model_unknown(s->model, what, n->str, text_mark(n), err);
    if (lc_model_qty(s->model, (size_t)i)->kind == LC_Q_CHOICE)
        return lc_error_set(err, LC_EINPUT, text_mark(n), "%s is a choice, not a number", n->str);
    *out = (size_t)i;
    return LC_OK;
}

static int whole(const lc_yaml_node *n, const char *what, size_t lo, size_t hi, size_t *out,
                 lc_error *err)
{
    char *end;
    unsigned long long v;
    double d;
    if (n->kind != LC_YAML_SCALAR)
        return lc_error_set(err, LC_EINPUT, n->mark, "%s must be a whole number", what);
    errno = 0;
    v = strtoull(n->str, &end, 10);
    if (*end != '\0' || n->str[0] == '-' || errno) {
        /* allow 1e6 and 1M style */
        lc_units u;
        lc_dim dim;
        size_t at;
        lc_units_init(&u, "USD");
        if (lc_units_parse_quantity(&u, n->str, &d, &dim, NULL, 0, &at) != 0 ||
            !lc_dim_is_none(dim) || d != floor(d) || d < 0)
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be a whole number, not '%s'",
                                what, n->str);
        v = (unsigned long long)d;
    }
    if (v < lo || v > hi)
        return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be between %zu and %zu", what,
                            lo, hi);
    *out = (size_t)v;
    return LC_OK;
}

static int flag(const lc_yaml_node *n, const char *what, int *out, lc_error *err)
{
    if (n->kind == LC_YAML_SCALAR && (strcmp(n->str, "true") == 0 || strcmp(n->str, "yes") == 0)) {
        *out = 1;
        return LC_OK;
    }
    if (n->kind == LC_YAML_SCALAR && (strcmp(n->str, "false") == 0 || strcmp(n->str, "no") == 0)) {
        *out = 0;
        return LC_OK;
    }
    return lc_error_set(err, LC_EINPUT, n->mark, "%s must be true or false", what);
}

static int metrics(lc_scenario *s, const lc_yaml_node *n, lc_analysis *a, lc_error *err)
{
    size_t i;
    int rc;
    if (n->kind == LC_YAML_SCALAR)
        return find_qty(s, n, "metric", &a->metrics[a->nmetrics++], err);
    if (n->kind != LC_YAML_SEQ)
        return lc_error_set(err, LC_EINPUT, n->mark, "metrics must be a list of names");
    if (n->n > LC_AN_METRICS_MAX)
        return lc_error_set(err, LC_EINPUT, n->mark, "at most %d metrics per analysis",
                            LC_AN_METRICS_MAX);
    for (i = 0; i < n->n; i++)
        if ((rc = find_qty(s, n->items[i], "metric", &a->metrics[a->nmetrics++], err)) != LC_OK)
            return rc;
    return LC_OK;
}

static int range_of(lc_scenario *s, const lc_yaml_node *map, const char *kf, const char *kt,
                    size_t qi, double *from, double *to, int need, lc_error *err)
{
    const lc_yaml_node *f = lc_yaml_get(map, kf), *t = lc_yaml_get(map, kt);
    lc_dim dim = lc_model_qty(s->model, qi)->dim;
    int rc;
    if (f == NULL || t == NULL) {
        if (need || f != NULL || t != NULL)
            return lc_error_set(err, LC_EINPUT,
                                (f   ? f
                                 : t ? t
                                     : map)
                                    ->mark,
                                "give the range: both %s: and %s:", kf, kt);
        return LC_OK;
    }
    if ((rc = lc_scenario_quantity(s, f, dim, kf, from, err)) ||
        (rc = lc_scenario_quantity(s, t, dim, kt, to, err)))
        return rc;
    {
        /* A range stays inside the input's domain: no negative prices. */
        const char *name = lc_model_qty(s->model, qi)->name;
        char *wf = lc_aprintf("%s %s", name, kf), *wt = lc_aprintf("%s %s", name, kt);
        rc = wf == NULL || wt == NULL ? lc_error_nomem(err) : LC_OK;
        if (rc == LC_OK && (rc = lc_model_check_range(s->model, qi, *from, wf, f->str, text_mark(f),
                                                      err)) == LC_OK)
            rc = lc_model_check_range(s->model, qi, *to, wt, t->str, text_mark(t), err);
        free(wf);
        free(wt);
        if (rc != LC_OK)
            return rc;
    }
    if (!(*from != *to))
        return lc_error_set(err, LC_EINPUT, t->mark, "%s must differ from %s", kt, kf);
    return LC_OK;
}

int lc_analysis_parse(lc_scenario *s, const lc_yaml_node *node, lc_analysis *a, lc_error *err)
{
    static const char *const kinds[] = {"montecarlo", "sweep", "tornado", "sobol", "solve"};
    static const char *const mc_keys[] = {"montecarlo", "seed",      "method", "threads",
                                          "metrics",    "threshold", "stream"};
    static const char *const sweep_keys[] = {"sweep", "from",     "to",    "steps",
                                             "log",   "metrics",  "by",    "by_from",
                                             "by_to", "by_steps", "by_log"};
    static const char *const tornado_keys[] = {"tornado", "delta"};
    static const char *const sobol_keys[] = {"sobol", "seed", "threads", "metrics"};
    static const char *const solve_keys[] = {"solve", "metric", "target", "from", "to"};
    const lc_yaml_node *n, *head;
    size_t k;
    int rc;

    if (node->kind != LC_YAML_MAP || node->n == 0)
        return lc_error_set(err, LC_EINPUT, node->mark,
                            "an analysis is a mapping that starts with montecarlo:, sweep:, "
                            "tornado:, sobol: or solve:");
    head = node->items[0];
    for (k = 0; k < 5; k++)
        if (strcmp(head->str, kinds[k]) == 0)
            break;
    if (k == 5) {
        const char *best = lc_suggest(head->str, kinds, 5);
        if (best)
            return lc_error_set(err, LC_EINPUT, head->mark,
                                "unknown analysis '%s' (did you mean %s?)", head->str, best);
        return lc_error_set(err, LC_EINPUT, head->mark,
                            "unknown analysis '%s' (expected montecarlo, sweep, tornado, sobol "
                            "or solve)",
                            head->str);
    }
    lc_analysis_init(a, (lc_an_kind)k);
    a->mark = node->mark;
    n = node->items[1];
    switch (a->kind) {
    case LC_AN_MC:
        if ((rc = lc_scenario_check_keys(node, mc_keys, 7, "montecarlo", err)) ||
            (rc = whole(n, "montecarlo (samples)", 1, LC_AN_SAMPLES_MAX, &a->samples, err)))
            return rc;
        if ((n = lc_yaml_get(node, "method")) &&
            (n->kind != LC_YAML_SCALAR || lc_mc_method_parse(n->str, &a->method, NULL) != LC_OK))
            return lc_error_set(err, LC_EINPUT, n->mark, "method must be random, lhs or sobol");
        if ((n = lc_yaml_get(node, "metrics")) && (rc = metrics(s, n, a, err)))
            return rc;
        if ((n = lc_yaml_get(node, "stream")) && (rc = flag(n, "stream", &a->stream, err)))
            return rc;
        if ((n = lc_yaml_get(node, "threshold"))) {
            size_t i, j;
            if (n->kind != LC_YAML_MAP)
                return lc_error_set(err, LC_EINPUT, n->mark,
                                    "threshold must map metric names to values");
            if ((rc = lc_analysis_default_metrics(s, a, err)))
                return rc;
            for (i = 0; i < n->n; i++) {
                size_t qi;
                if ((rc = find_qty(s, n->items[2 * i], "metric", &qi, err)))
                    return rc;
                for (j = 0; j < a->nmetrics && a->metrics[j] != qi; j++)
                    ;
                if (j == a->nmetrics) {
                    if (a->nmetrics == LC_AN_METRICS_MAX)
                        return lc_error_set(err, LC_EINPUT, n->mark, "too many metrics");
                    a->metrics[a->nmetrics++] = qi;
                }
                if ((rc = lc_scenario_quantity(s, n->items[2 * i + 1],
                                               lc_model_qty(s->model, qi)->dim, "threshold",
                                               &a->threshold[j], err)))
                    return rc;
            }
        }
        break;
    case LC_AN_SWEEP:
        if ((rc = lc_scenario_check_keys(node, sweep_keys, 11, "sweep", err)) ||
            (rc = find_qty(s, n, "input", &a->input, err)) ||
            (rc = range_of(s, node, "from", "to", a->input, &a->from, &a->to, 1, err)))
            return rc;
        if ((n = lc_yaml_get(node, "steps")) &&
            (rc = whole(n, "steps", 2, LC_AN_STEPS_MAX, &a->steps, err)))
            return rc;
        if ((n = lc_yaml_get(node, "log")) && (rc = flag(n, "log", &a->logx, err)))
            return rc;
        if ((n = lc_yaml_get(node, "by"))) {
            a->has_input2 = 1;
            if ((rc = find_qty(s, n, "input", &a->input2, err)) ||
                (rc = range_of(s, node, "by_from", "by_to", a->input2, &a->from2, &a->to2, 1, err)))
                return rc;
            if ((n = lc_yaml_get(node, "by_steps")) &&
                (rc = whole(n, "by_steps", 2, LC_AN_STEPS_MAX, &a->steps2, err)))
                return rc;
            if ((n = lc_yaml_get(node, "by_log")) && (rc = flag(n, "by_log", &a->logy, err)))
                return rc;
        }
        if ((a->logx && !(a->from > 0 && a->to > 0)) || (a->logy && !(a->from2 > 0 && a->to2 > 0)))
            return lc_error_set(err, LC_EINPUT, node->mark,
                                "a logarithmic sweep needs a positive range");
        if ((n = lc_yaml_get(node, "metrics")) && (rc = metrics(s, n, a, err)))
            return rc;
        break;
    case LC_AN_TORNADO:
        if ((rc = lc_scenario_check_keys(node, tornado_keys, 2, "tornado", err)) ||
            (rc = find_qty(s, n, "metric", &a->metrics[0], err)))
            return rc;
        a->nmetrics = 1;
        if ((n = lc_yaml_get(node, "delta")) &&
            (rc = lc_scenario_quantity(s, n, lc_dim_none(), "delta", &a->delta, err)))
            return rc;
        if (!(a->delta > 0 && a->delta < 1))
            return lc_error_set(err, LC_EINPUT, node->mark, "delta must be between 0%% and 100%%");
        break;
    case LC_AN_SOBOL:
        if ((rc = lc_scenario_check_keys(node, sobol_keys, 4, "sobol", err)) ||
            (rc = whole(n, "sobol (base samples)", 2, LC_AN_SOBOL_MAX, &a->samples, err)))
            return rc;
        if ((n = lc_yaml_get(node, "metrics")) && (rc = metrics(s, n, a, err)))
            return rc;
        break;
    case LC_AN_SOLVE: {
        const lc_yaml_node *m = lc_yaml_get(node, "metric"), *t = lc_yaml_get(node, "target");
        if ((rc = lc_scenario_check_keys(node, solve_keys, 5, "solve", err)) ||
            (rc = find_qty(s, n, "input", &a->input, err)))
            return rc;
        if (m == NULL || t == NULL)
            return lc_error_set(err, LC_EINPUT, node->mark, "solve needs metric: and target:");
        if ((rc = find_qty(s, m, "metric", &a->metrics[0], err)))
            return rc;
        a->nmetrics = 1;
        if ((rc = lc_scenario_quantity(s, t, lc_model_qty(s->model, a->metrics[0])->dim, "target",
                                       &a->target, err)) ||
            (rc = range_of(s, node, "from", "to", a->input, &a->from, &a->to, 0, err)))
            return rc;
        break;
    }
    }
    if ((n = lc_yaml_get(node, "seed"))) {
        unsigned long long seed; /* an integer, exactly: the same seeds as --seed */
        if (n->kind != LC_YAML_SCALAR || lc_parse_whole(n->str, LC_AN_SEED_MAX, &seed) != 0)
            return lc_error_set(err, LC_EINPUT, text_mark(n),
                                "seed must be between 0 and %llu (a whole number), not '%s'",
                                (unsigned long long)LC_AN_SEED_MAX,
                                n->kind == LC_YAML_SCALAR ? n->str : "?");
        a->seed = (uint64_t)seed;
    }
    if ((n = lc_yaml_get(node, "threads"))) {
        size_t th;
        if ((rc = whole(n, "threads", 1, LC_MC_THREADS_MAX, &th, err)))
            return rc;
        a->threads = (unsigned)th;
    }
    if ((rc = lc_analysis_default_metrics(s, a, err)) != LC_OK)
        return rc;
    return lc_analysis_check(s, a, err);
}

/* The range of input qi as the user wrote it would read: "from 10 kW to 5 kW". */
static void shown(lc_scenario *s, size_t qi, double v, char *buf, size_t size)
{
    const lc_qty *q = lc_model_qty(s->model, qi);
    char unit[LC_UNIT_TEXT_MAX];
    lc_units_display_name(&s->units, q->unit, unit, sizeof unit);
    snprintf(buf, size, "%g%s%s", lc_units_to(&s->units, v, q->unit), unit[0] ? " " : "", unit);
}

int lc_analysis_check(lc_scenario *s, const lc_analysis *a, lc_error *err)
{
    /* the command line (no line number) is a usage error, the file an input error */
    int code = a->mark.line > 0 ? LC_EINPUT : LC_EUSAGE;
    const char *what = a->kind == LC_AN_SOBOL ? "sobol (base samples)" : "montecarlo (samples)";
    char lo[LC_UNITS_FORMAT_MAX], hi[LC_UNITS_FORMAT_MAX]; /* shown(): "%g unit" */

    if (a->kind == LC_AN_MC || a->kind == LC_AN_SOBOL) {
        size_t min = a->kind == LC_AN_SOBOL ? 2 : 1;
        size_t max = a->kind == LC_AN_SOBOL ? LC_AN_SOBOL_MAX : LC_AN_SAMPLES_MAX;
        /* Sobol's 0 is the default: doubling from 4096 (lc_analysis_init) */
        if (!(a->kind == LC_AN_SOBOL && a->samples == 0) && (a->samples < min || a->samples > max))
            return lc_error_set(err, code, a->mark, "%s must be between %zu and %zu, not %zu", what,
                                min, max, a->samples);
    }
    if (a->seed > LC_AN_SEED_MAX)
        return lc_error_set(err, code, a->mark, "seed must be between 0 and %llu (2^53)",
                            (unsigned long long)LC_AN_SEED_MAX);
    if (a->threads > LC_MC_THREADS_MAX)
        return lc_error_set(err, code, a->mark, "threads must be between 1 and %d",
                            LC_MC_THREADS_MAX);
    if (a->kind == LC_AN_SWEEP) {
        size_t n2 = a->has_input2 ? a->steps2 : 1;
        if (!(a->from != a->to) || (a->has_input2 && !(a->from2 != a->to2)))
            return lc_error_set(err, code, a->mark,
                                "a sweep's range must not be empty: to must differ from from");
        if (!isfinite(a->from) || !isfinite(a->to) ||
            (a->has_input2 && (!isfinite(a->from2) || !isfinite(a->to2))))
            return lc_error_set(err, code, a->mark, "a sweep's range must be finite");
        if (a->steps < 2 || a->steps > LC_AN_STEPS_MAX ||
            (a->has_input2 && (a->steps2 < 2 || a->steps2 > LC_AN_STEPS_MAX)))
            return lc_error_set(err, code, a->mark, "steps must be between 2 and %d",
                                LC_AN_STEPS_MAX);
        /* checked before any work: a 10,000 x 10,000 grid would take minutes and
         * gigabytes, and a chart holds at most LC_AN_POINTS_MAX rows */
        if (a->steps * n2 > LC_AN_POINTS_MAX)
            return lc_error_set(err, code, a->mark,
                                "a sweep of %zu x %zu = %zu points is more than %d; use fewer "
                                "steps",
                                a->steps, n2, a->steps * n2, LC_AN_POINTS_MAX);
        if ((a->logx && !(a->from > 0 && a->to > 0)) || (a->logy && !(a->from2 > 0 && a->to2 > 0)))
            return lc_error_set(err, code, a->mark, "a logarithmic sweep needs a positive range");
    }
    if (a->kind == LC_AN_SOLVE && !(isnan(a->from) && isnan(a->to))) {
        if (!isfinite(a->from) || !isfinite(a->to))
            return lc_error_set(err, code, a->mark, "solve's range must be finite");
        if (!(a->from < a->to)) {
            shown(s, a->input, a->from, lo, sizeof lo);
            shown(s, a->input, a->to, hi, sizeof hi);
            return lc_error_set(err, code, a->mark,
                                "solve's range of %s is %s (from %s to %s): give from below to",
                                lc_model_qty(s->model, a->input)->name,
                                a->from == a->to ? "empty" : "reversed", lo, hi);
        }
    }
    return LC_OK;
}
