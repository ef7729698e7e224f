/* scenario.c — the scenario schema: YAML tree to model, claims and analyses. */
#include "lc_scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_dist.h"
#include "lc_models.h"
#include "lc_util.h"

static const char *const top_keys[] = {"scenario", "description", "claims_from", "currency",
                                       "fx",       "catalog",     "inputs",      "metrics",
                                       "report",   "claims",      "analyses",    "charts",
                                       "variants", "org",         "validation"};

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

int lc_scenario_check_keys(const lc_yaml_node *map, const char *const *keys, size_t nkeys,
                           const char *where, lc_error *err)
{
    size_t i, k;
    for (i = 0; i < map->n; i++) {
        const lc_yaml_node *key = map->items[2 * i];
        int known = 0;
        const char *best;
        for (k = 0; k < nkeys; k++)
            known |= strcmp(key->str, keys[k]) == 0;
        if (known)
            continue;
        best = lc_suggest(key->str, keys, nkeys);
        if (best)
            return lc_error_set(err, LC_EINPUT, key->mark,
                                "unknown key '%s' in %s (did you mean %s?)", key->str, where, best);
        {
            lc_sbuf b = {0};
            char *list;
            int rc;
            for (k = 0; k < nkeys; k++)
                lc_sb_printf(&b, "%s%s", k ? ", " : "", keys[k]);
            if ((list = lc_sb_take(&b)) == NULL)
                return lc_error_nomem(err);
            rc =
                lc_error_set(err, LC_EINPUT, key->mark,
                             "unknown key '%s' in %s (expected one of: %s)", key->str, where, list);
            free(list);
            return rc;
        }
    }
    return LC_OK;
}

static int expect(const lc_yaml_node *n, lc_yaml_kind kind, const char *what, lc_error *err)
{
    if (n->kind == kind)
        return LC_OK;
    return lc_error_set(err, LC_EINPUT, n->mark, "%s must be %s, not %s", what,
                        lc_yaml_kind_name(kind), lc_yaml_kind_name(n->kind));
}

/* Where the text of a scalar starts (after an opening quote). */
static lc_mark text_mark(const lc_yaml_node *n)
{
    lc_mark m = n->mark;
    if (n->quoted && m.line > 0)
        m.col += 1;
    return m;
}

int lc_scenario_quantity(const lc_scenario *s, const lc_yaml_node *node, lc_dim want,
                         const char *what, double *value, lc_error *err)
{
    lc_dim dim;
    char msg[LC_UNITS_MSG_MAX];
    size_t at = 0;
    if (node->kind != LC_YAML_SCALAR)
        return lc_error_set(err, LC_EINPUT, node->mark, "%s must be a number with a unit", what);
    if (lc_units_parse_quantity(&s->units, node->str, value, &dim, msg, sizeof msg, &at) != 0) {
        lc_mark m = text_mark(node);
        m.col += (int)at;
        return lc_error_set(err, LC_EINPUT, m, "%s: %s", what, msg);
    }
    if (!lc_dim_eq(dim, want)) {
        char w[LC_DIM_TEXT_MAX], g[LC_DIM_TEXT_MAX];
        lc_dim_describe(want, w, sizeof w);
        lc_dim_describe(dim, g, sizeof g);
        return lc_error_set(err, LC_EINPUT, text_mark(node), "%s must be %s, but '%s' is %s", what,
                            w, node->str, g);
    }
    return LC_OK;
}

static int set_currency(lc_scenario *s, const char *display, lc_error *err)
{
    const lc_yaml_node *cur = lc_yaml_get(s->tree, "currency");
    const lc_yaml_node *fx = lc_yaml_get(s->tree, "fx");
    const char *code = "USD";
    size_t i;

    if (cur) {
        if (expect(cur, LC_YAML_SCALAR, "currency", err))
            return LC_EINPUT;
        code = cur->str;
    }
    if (lc_units_init(&s->units, code) != 0)
        return lc_error_set(err, LC_EINPUT, cur ? text_mark(cur) : lc_mark_none(),
                            "unknown currency '%s' (known: USD, CNY, EUR, GBP, JPY, HKD)", code);
    if (fx) {
        if (expect(fx, LC_YAML_MAP, "fx", err))
            return LC_EINPUT;
        for (i = 0; i < fx->n; i++) {
            const lc_yaml_node *k = fx->items[2 * i], *v = fx->items[2 * i + 1];
            char *end;
            double rate;
            if (expect(v, LC_YAML_SCALAR, "an exchange rate", err))
                return LC_EINPUT;
            errno = 0;
            rate = strtod(v->str, &end);
            if (end == v->str || *end != '\0' || !isfinite(rate) || !(rate > 0) ||
                !(isdigit((unsigned char)v->str[0]) || v->str[0] == '.'))
                return lc_error_set(err, LC_EINPUT, text_mark(v),
                                    "fx rate must be a positive number (units of %s per 1 %s)",
                                    code, k->str);
            if (lc_units_set_rate(&s->units, k->str, rate) != 0)
                return lc_error_set(err, LC_EINPUT, k->mark,
                                    strcmp(k->str, code) == 0
                                        ? "fx: %s is the scenario currency; its rate is 1"
                                        : "fx: unknown currency '%s'",
                                    k->str);
        }
    }
    if (display && lc_units_set_display(&s->units, display) != 0) {
        lc_mark cmd = {"<command line>", 0, 0};
        return lc_error_set(
            err, LC_EUSAGE, cmd,
            "--currency: unknown currency '%s' (known: USD, CNY, EUR, GBP, JPY, HKD)", display);
    }
    return LC_OK;
}

static const char *const input_keys[] = {"value", "source", "note",   "dist", "low",
                                         "mode",  "high",   "mean",   "sd",   "min",
                                         "max",   "values", "weights"};

/* A parameter of input qi's distribution: its unit, and its domain (a
 * share's sd too, where a bare 10 is the classic mistake for 10%). */
static int dist_param(lc_scenario *s, size_t qi, const lc_yaml_node *n, const char *key,
                      double *dst, lc_error *err)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    char *what = lc_aprintf("%s %s", q->name, key);
    int rc;
    if (what == NULL)
        return lc_error_nomem(err);
    if ((rc = lc_scenario_quantity(s, n, q->dim, what, dst, err)) != LC_OK)
        ;
    else if (strcmp(key, "sd") == 0 && q->domain != LC_DOM_SHARE && q->domain != LC_DOM_SHARE_POS)
        ;
    /* A continuous law from 0 (uniform on [0, 1000] tokens) takes 0 with
     * probability 0: a lower bound of 0 is allowed where 0 itself is not. */
    else if (*dst == 0 && (strcmp(key, "low") == 0 || strcmp(key, "min") == 0) &&
             (q->domain == LC_DOM_POSITIVE || q->domain == LC_DOM_SHARE_POS))
        ;
    else
        rc = lc_model_check_domain(s->model, qi, *dst, what, n->str, text_mark(n), err);
    free(what);
    return rc;
}

/* Keep the distribution of input qi inside the input's domain: every number
 * the scenario wrote is in it (dist_param), and a tail that reaches out of it
 * (a normal below 0, a lognormal share above 100%) is cut at the domain's
 * bounds.  A count's distribution gives whole numbers. */
static int keep_in_domain(lc_scenario *s, size_t qi, lc_dist *d, lc_mark at, lc_error *err)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    double lo, hi, slo, shi;
    int rc;
    lc_domain_bounds(q->domain, &lo, &hi);
    lc_dist_support(d, &slo, &shi);
    if ((slo < lo || shi > hi) &&
        (rc = lc_dist_truncate(d, fmax(lo, slo), fmin(hi, shi), at, err)) != LC_OK)
        return rc;
    if (lc_domain_whole(q->domain))
        lc_dist_make_whole(d);
    return LC_OK;
}

/* A distribution from {dist, low, mode, high, mean, sd, min, max, values, weights}. */
static int parse_dist(lc_scenario *s, size_t qi, const lc_yaml_node *map, lc_dist *d, lc_error *err)
{
    lc_qty *q = lc_model_qty(s->model, qi);
    const lc_yaml_node *kind = lc_yaml_get(map, "dist");
    const char *k;
    double lo = 0, mode = 0, hi = 0, mean = 0, sd = 0, tmin = -INFINITY, tmax = INFINITY;
    const char *need[3] = {NULL, NULL, NULL};
    size_t i, nneed = 0;
    int rc;
    const lc_yaml_node *n;

    if (kind) {
        if (expect(kind, LC_YAML_SCALAR, "dist", err))
            return LC_EINPUT;
        k = kind->str;
    } else {
        /* {low, high}: lognormal 90% interval; {low, mode, high}: PERT. */
        k = lc_yaml_get(map, "mode") ? "pert" : "lognormal";
    }
    if (strcmp(k, "uniform") == 0 || strcmp(k, "lognormal") == 0) {
        need[0] = "low", need[1] = "high", nneed = 2;
    } else if (strcmp(k, "triangular") == 0 || strcmp(k, "pert") == 0) {
        need[0] = "low", need[1] = "mode", need[2] = "high", nneed = 3;
    } else if (strcmp(k, "normal") == 0) {
        need[0] = "mean", need[1] = "sd", nneed = 2;
    } else if (strcmp(k, "discrete") != 0) {
        static const char *const kinds[] = {"uniform",    "normal", "lognormal",
                                            "triangular", "pert",   "discrete"};
        const char *best = lc_suggest(k, kinds, NKEYS(kinds));
        return lc_error_set(err, LC_EINPUT, text_mark(kind), "unknown distribution '%s'%s%s%s", k,
                            best ? " (did you mean " : "",
                            best ? best
                                 : " (known: uniform normal lognormal triangular pert discrete)",
                            best ? "?)" : "");
    }
    for (i = 0; i < nneed; i++) {
        double *dst = strcmp(need[i], "low") == 0    ? &lo
                      : strcmp(need[i], "mode") == 0 ? &mode
                      : strcmp(need[i], "high") == 0 ? &hi
                      : strcmp(need[i], "mean") == 0 ? &mean
                                                     : &sd;
        n = lc_yaml_get(map, need[i]);
        if (n == NULL)
            return lc_error_set(err, LC_EINPUT, map->mark, "a %s distribution needs '%s'", k,
                                need[i]);
        if ((rc = dist_param(s, qi, n, need[i], dst, err)) != LC_OK)
            return rc;
    }
    if ((n = lc_yaml_get(map, "min")) && (rc = dist_param(s, qi, n, "min", &tmin, err)) != LC_OK)
        return rc;
    if ((n = lc_yaml_get(map, "max")) && (rc = dist_param(s, qi, n, "max", &tmax, err)) != LC_OK)
        return rc;
    if (strcmp(k, "uniform") == 0)
        rc = lc_dist_uniform(d, lo, hi, map->mark, err);
    else if (strcmp(k, "lognormal") == 0)
        rc = lc_dist_lognormal(d, lo, hi, map->mark, err);
    else if (strcmp(k, "triangular") == 0)
        rc = lc_dist_triangular(d, lo, mode, hi, map->mark, err);
    else if (strcmp(k, "pert") == 0)
        rc = lc_dist_pert(d, lo, mode, hi, map->mark, err);
    else if (strcmp(k, "normal") == 0)
        rc = lc_dist_normal(d, mean, sd, map->mark, err);
    else {
        const lc_yaml_node *vals = lc_yaml_get(map, "values"), *w = lc_yaml_get(map, "weights");
        double *v = NULL, *wt = NULL;
        if (vals == NULL || vals->kind != LC_YAML_SEQ || vals->n == 0)
            return lc_error_set(err, LC_EINPUT, map->mark,
                                "a discrete distribution needs values: [a, b, ...]");
        if (w && (w->kind != LC_YAML_SEQ || w->n != vals->n))
            return lc_error_set(err, LC_EINPUT, w->mark,
                                "weights: must list one number for each of the %zu values",
                                vals->n);
        v = malloc(vals->n * sizeof *v);
        wt = malloc(vals->n * sizeof *wt);
        if (v == NULL || wt == NULL) {
            free(v);
            free(wt);
            return lc_error_nomem(err);
        }
        rc = LC_OK;
        for (i = 0; i < vals->n && rc == LC_OK; i++) {
            rc = dist_param(s, qi, vals->items[i], "values", &v[i], err);
            if (rc == LC_OK && w)
                rc = lc_scenario_quantity(s, w->items[i], lc_dim_none(), "a weight", &wt[i], err);
        }
        if (rc == LC_OK)
            rc = lc_dist_discrete(d, v, w ? wt : NULL, vals->n, map->mark, err);
        free(v);
        free(wt);
    }
    if (rc != LC_OK)
        return rc;
    (void)q;
    if ((!isinf(tmin) || !isinf(tmax)) && (rc = lc_dist_truncate(d, tmin, tmax, map->mark, err)))
        return rc;
    return keep_in_domain(s, qi, d, map->mark, err);
}

/* value: must be a value the distribution can take; the message quotes the
 * distribution as the scenario wrote it. */
static int value_in_dist(const lc_qty *q, const lc_yaml_node *map, const lc_yaml_node *value,
                         const lc_dist *d, lc_error *err)
{
    static const char *const keys[] = {"low", "mode", "high", "mean", "sd", "min", "max"};
    lc_sbuf b = {0};
    char *range;
    size_t k;
    int rc;
    const lc_yaml_node *n;
    if (lc_dist_contains(d, q->value))
        return LC_OK;
    for (k = 0; k < NKEYS(keys); k++)
        if ((n = lc_yaml_get(map, keys[k])) && n->kind == LC_YAML_SCALAR)
            lc_sb_printf(&b, "%s%s: %s", b.len ? ", " : "", keys[k], n->str);
    if ((n = lc_yaml_get(map, "values")) && n->kind == LC_YAML_SEQ)
        for (k = 0; k < n->n; k++)
            lc_sb_printf(&b, "%s%s",
                         k       ? ", "
                         : b.len ? "; values: "
                                 : "values: ",
                         n->items[k]->kind == LC_YAML_SCALAR ? n->items[k]->str : "?");
    if ((range = lc_sb_take(&b)) == NULL)
        return lc_error_nomem(err);
    rc = lc_error_set(err, LC_EINPUT, text_mark(value),
                      "%s: value %s is not a value its %s distribution can take (%s)", q->name,
                      value->str, lc_dist_kind_name(d->kind), range);
    free(range);
    return rc;
}

static int set_input(lc_scenario *s, const char *name, const lc_yaml_node *v, lc_error *err)
{
    lc_model *m = s->model;
    long i = lc_model_find(m, name);
    lc_qty *q;
    int rc;

    if (i < 0)
        return lc_model_unknown(m, "input", name, v->mark, err);
    q = lc_model_qty(m, (size_t)i);
    if (q->origin == LC_FROM_USER)
        return lc_error_set(err, LC_EINPUT, v->mark,
                            "%s is a formula of this scenario; change it under metrics:", name);
    if (v->kind == LC_YAML_SCALAR)
        return lc_model_set_text(m, name, v->str, text_mark(v), LC_FROM_SCENARIO, NULL, err);
    if (v->kind != LC_YAML_MAP)
        return lc_error_set(err, LC_EINPUT, v->mark,
                            "the value of %s must be a number with a unit, or a mapping such "
                            "as { value: ..., source: ... } or { low: ..., high: ... }",
                            name);
    if ((rc = lc_scenario_check_keys(v, input_keys, NKEYS(input_keys), name, err)) != LC_OK)
        return rc;
    {
        const lc_yaml_node *value = lc_yaml_get(v, "value"), *src = lc_yaml_get(v, "source");
        int has_dist = lc_yaml_get(v, "dist") || lc_yaml_get(v, "low") || lc_yaml_get(v, "mean") ||
                       lc_yaml_get(v, "values");
        const char *source = NULL;
        if (src) {
            if (expect(src, LC_YAML_SCALAR, "source", err))
                return LC_EINPUT;
            source = src->str;
        }
        if (q->kind == LC_Q_CHOICE) {
            if (value == NULL || has_dist)
                return lc_error_set(err, LC_EINPUT, v->mark,
                                    "%s takes one catalog id or option: { value: id }", name);
            if (expect(value, LC_YAML_SCALAR, "value", err))
                return LC_EINPUT;
            return lc_model_set_choice(m, (size_t)i, value->str, text_mark(value), LC_FROM_SCENARIO,
                                       err);
        }
        if (!value && !has_dist)
            return lc_error_set(err, LC_EINPUT, v->mark, "%s needs value: or a distribution", name);
        if (value) {
            if (expect(value, LC_YAML_SCALAR, "value", err))
                return LC_EINPUT;
            if ((rc = lc_model_set_text(m, name, value->str, text_mark(value), LC_FROM_SCENARIO,
                                        source, err)) != LC_OK)
                return rc;
        }
        if (has_dist) {
            lc_dist *d = calloc(1, sizeof *d);
            char *desc;
            if (d == NULL)
                return lc_error_nomem(err);
            if ((rc = parse_dist(s, (size_t)i, v, d, err)) != LC_OK ||
                (value && (rc = value_in_dist(q, v, value, d, err)) != LC_OK)) {
                lc_dist_free(d);
                free(d);
                return rc;
            }
            lc_dist_free(q->dist);
            free(q->dist);
            q->dist = d;
            if (!value) {
                char buf[LC_UNITS_FORMAT_MAX];
                lc_units_format(&s->units, lc_dist_base(d), q->unit, buf, sizeof buf);
                desc = lc_strdup(buf);
                if (desc == NULL)
                    return lc_error_nomem(err);
                rc = lc_model_set_value(m, (size_t)i, lc_dist_base(d), desc, LC_FROM_SCENARIO,
                                        source, err);
                free(desc);
                q->mark = v->mark;
                if (rc)
                    return rc;
            }
        }
    }
    return LC_OK;
}

static int valid_name(const char *s)
{
    const char *p = s;
    if (!(isalpha((unsigned char)*p) || *p == '_'))
        return 0;
    for (; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '_' ||
              (*p == '.' && (isalpha((unsigned char)p[1]) || p[1] == '_'))))
            return 0;
    return 1;
}

static int define_metrics(lc_scenario *s, const lc_yaml_node *metrics, lc_error *err)
{
    static const char *const keys[] = {"formula", "unit", "doc", "label", "domain"};
    static const char *const domains[] = {"real",      "nonneg", "positive", "share",
                                          "share_pos", "count",  "count1",   "ratio1"};
    size_t i;
    int rc;
    if (expect(metrics, LC_YAML_MAP, "metrics", err))
        return LC_EINPUT;
    for (i = 0; i < metrics->n; i++) {
        const lc_yaml_node *k = metrics->items[2 * i], *v = metrics->items[2 * i + 1];
        const lc_yaml_node *f = v, *unit = NULL, *doc = NULL, *label = NULL, *dom = NULL;
        lc_domain domain = LC_DOM_REAL; /* a scenario's metric may be any number */
        if (!valid_name(k->str))
            return lc_error_set(err, LC_EINPUT, k->mark,
                                "'%s' is not a valid metric name (letters, digits, _ and dots)",
                                k->str);
        if (v->kind == LC_YAML_MAP) {
            if ((rc = lc_scenario_check_keys(v, keys, NKEYS(keys), k->str, err)) != LC_OK)
                return rc;
            f = lc_yaml_get(v, "formula");
            unit = lc_yaml_get(v, "unit");
            doc = lc_yaml_get(v, "doc");
            label = lc_yaml_get(v, "label");
            if (f == NULL)
                return lc_error_set(err, LC_EINPUT, v->mark, "metric %s needs formula:", k->str);
            if ((unit && expect(unit, LC_YAML_SCALAR, "unit", err)) ||
                (doc && expect(doc, LC_YAML_SCALAR, "doc", err)) ||
                (label && expect(label, LC_YAML_SCALAR, "label", err)))
                return LC_EINPUT;
            if ((dom = lc_yaml_get(v, "domain")) &&
                (dom->kind != LC_YAML_SCALAR || lc_domain_parse(dom->str, &domain) != 0)) {
                const char *best = dom->kind == LC_YAML_SCALAR
                                       ? lc_suggest(dom->str, domains, NKEYS(domains))
                                       : NULL;
                return lc_error_set(err, LC_EINPUT, text_mark(dom),
                                    "domain of %s must be one of real, nonneg, positive, share, "
                                    "share_pos, count, count1, ratio1%s%s%s",
                                    k->str, best ? " (did you mean " : "", best ? best : "",
                                    best ? "?)" : "");
            }
        }
        if (expect(f, LC_YAML_SCALAR, "a formula", err))
            return LC_EINPUT;
        if ((rc = lc_model_define(s->model, k->str, f->str, unit ? unit->str : NULL,
                                  doc ? doc->str : NULL, text_mark(f), err)) != LC_OK)
            return rc;
        if (label && (rc = lc_model_set_label(s->model, (size_t)lc_model_find(s->model, k->str),
                                              label->str, err)) != LC_OK)
            return rc;
        lc_model_qty(s->model, lc_model_count(s->model) - 1)->domain = domain;
    }
    return LC_OK;
}

/* A stated value lies in its metric's domain: a share of 40 is 4000%. */
static int stated_in_domain(lc_scenario *s, const lc_claim *c, const lc_yaml_node *n, double v,
                            const char *key, lc_error *err)
{
    char *what = lc_aprintf("claim %s: %s (%s)", c->id, key, c->metric);
    int rc = what ? lc_model_check_domain(s->model, c->qi, v, what, n->str, text_mark(n), err)
                  : lc_error_nomem(err);
    free(what);
    return rc;
}

static int parse_claims(lc_scenario *s, const lc_yaml_node *claims, lc_error *err)
{
    static const char *const keys[] = {"id",   "claim",     "metric", "stated", "low",     "high",
                                       "kind", "tolerance", "source", "note",   "implied", "given"};
    size_t i;
    int rc;
    if (expect(claims, LC_YAML_SEQ, "claims", err))
        return LC_EINPUT;
    s->claims = calloc(claims->n ? claims->n : 1, sizeof *s->claims);
    if (s->claims == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < claims->n; i++) {
        const lc_yaml_node *c = claims->items[i], *n;
        lc_claim *cl = &s->claims[s->nclaims];
        lc_qty *q;
        long qi;
        if (expect(c, LC_YAML_MAP, "a claim", err))
            return LC_EINPUT;
        if ((rc = lc_scenario_check_keys(c, keys, NKEYS(keys), "a claim", err)) != LC_OK)
            return rc;
        cl->mark = c->mark;
        if ((n = lc_yaml_get(c, "id")) == NULL || n->kind != LC_YAML_SCALAR)
            return lc_error_set(err, LC_EINPUT, c->mark, "a claim needs id: (E3, T1, ...)");
        cl->id = n->str;
        if ((n = lc_yaml_get(c, "metric")) == NULL || n->kind != LC_YAML_SCALAR)
            return lc_error_set(err, LC_EINPUT, c->mark, "claim %s needs metric:", cl->id);
        cl->metric = n->str;
        qi = lc_model_find(s->model, n->str);
        if (qi < 0)
            return lc_model_unknown(s->model, "metric", n->str, text_mark(n), err);
        cl->qi = (size_t)qi;
        q = lc_model_qty(s->model, cl->qi);
        if (q->kind == LC_Q_CHOICE)
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s is not a number", n->str);
        cl->kind = LC_CLAIM_ABOUT;
        if ((n = lc_yaml_get(c, "kind"))) {
            if (n->kind != LC_YAML_SCALAR)
                return lc_error_set(err, LC_EINPUT, n->mark,
                                    "kind: must be about, at_least, at_most or range");
            if (strcmp(n->str, "about") == 0)
                cl->kind = LC_CLAIM_ABOUT;
            else if (strcmp(n->str, "at_least") == 0)
                cl->kind = LC_CLAIM_AT_LEAST;
            else if (strcmp(n->str, "at_most") == 0)
                cl->kind = LC_CLAIM_AT_MOST;
            else if (strcmp(n->str, "range") == 0)
                cl->kind = LC_CLAIM_RANGE;
            else
                return lc_error_set(err, LC_EINPUT, text_mark(n),
                                    "kind: must be about, at_least, at_most or range, not '%s'",
                                    n->str);
        }
        if (cl->kind == LC_CLAIM_RANGE) {
            const lc_yaml_node *lo = lc_yaml_get(c, "low"), *hi = lc_yaml_get(c, "high");
            if (lo == NULL || hi == NULL)
                return lc_error_set(err, LC_EINPUT, c->mark, "a range claim needs low: and high:");
            if ((rc = lc_scenario_quantity(s, lo, q->dim, "low", &cl->stated, err)) ||
                (rc = lc_scenario_quantity(s, hi, q->dim, "high", &cl->stated_hi, err)) ||
                (rc = stated_in_domain(s, cl, lo, cl->stated, "low", err)) ||
                (rc = stated_in_domain(s, cl, hi, cl->stated_hi, "high", err)))
                return rc;
            cl->stated_text = lo->str;
            cl->stated_hi_text = hi->str;
        } else {
            if ((n = lc_yaml_get(c, "stated")) == NULL)
                return lc_error_set(err, LC_EINPUT, c->mark,
                                    "claim %s needs stated: (the value the source gives)", cl->id);
            if ((rc = lc_scenario_quantity(s, n, q->dim, "stated", &cl->stated, err)) != LC_OK ||
                (rc = stated_in_domain(s, cl, n, cl->stated, "stated", err)) != LC_OK)
                return rc;
            cl->stated_text = n->str;
        }
        if ((rc = lc_scenario_tolerance(s, lc_yaml_get(c, "tolerance"), q->dim, cl, err)))
            return rc;
        if ((n = lc_yaml_get(c, "claim")) && n->kind == LC_YAML_SCALAR)
            cl->text = n->str;
        if ((n = lc_yaml_get(c, "source")) && n->kind == LC_YAML_SCALAR)
            cl->source = n->str;
        if ((n = lc_yaml_get(c, "note")) && n->kind == LC_YAML_SCALAR)
            cl->note = n->str;
        if ((n = lc_yaml_get(c, "given"))) {
            if (n->kind != LC_YAML_SCALAR ||
                (strcmp(n->str, "true") != 0 && strcmp(n->str, "false") != 0))
                return lc_error_set(err, LC_EINPUT, n->mark, "given: must be true or false");
            cl->given = strcmp(n->str, "true") == 0;
        }
        if ((n = lc_yaml_get(c, "implied"))) {
            long ii = n->kind == LC_YAML_SCALAR ? lc_model_find(s->model, n->str) : -1;
            if (ii < 0)
                return lc_model_unknown(s->model, "input", n->kind == LC_YAML_SCALAR ? n->str : "?",
                                        text_mark(n), err);
            if (lc_model_qty(s->model, (size_t)ii)->kind != LC_Q_INPUT)
                return lc_error_set(err, LC_EINPUT, text_mark(n),
                                    "implied: must name an input the scenario sets, not %s",
                                    n->str);
            cl->has_implied = 1;
            cl->implied = (size_t)ii;
        }
        s->nclaims++;
    }
    return LC_OK;
}

int lc_scenario_tolerance(const lc_scenario *s, const lc_yaml_node *node, lc_dim dim, lc_claim *c,
                          lc_error *err)
{
    lc_dim got;
    char msg[LC_UNITS_MSG_MAX], d[LC_DIM_TEXT_MAX];
    size_t at = 0;
    double v;
    c->tolerance = 0.05;
    c->tol_absolute = 0;
    c->tolerance_text = NULL;
    if (node == NULL)
        return LC_OK;
    if (node->kind != LC_YAML_SCALAR)
        return lc_error_set(err, LC_EINPUT, node->mark,
                            "tolerance must be a share (5%%) or an amount in the metric's unit");
    if (lc_units_parse_quantity(&s->units, node->str, &v, &got, msg, sizeof msg, &at) != 0) {
        lc_mark m = text_mark(node);
        m.col += (int)at;
        return lc_error_set(err, LC_EINPUT, m, "tolerance: %s", msg);
    }
    c->tolerance_text = node->str;
    c->tolerance = v;
    if (!(v >= 0))
        return lc_error_set(err, LC_EINPUT, node->mark, "tolerance must not be negative");
    if (lc_dim_is_none(got) && !lc_dim_is_none(dim) && strchr(node->str, '%') == NULL && v > 1 &&
        v <= 100)
        /* tolerance: 5 on a claim in USD/day: 500% or 5 USD/day? */
        return lc_error_set(err, LC_EINPUT, text_mark(node),
                            "tolerance must be a share between 0%% and 100%% or an amount with "
                            "the metric's unit; %s would be %g%% \xe2\x80\x94 write %s%% (or "
                            "give a unit)",
                            node->str, v * 100, node->str);
    if (lc_dim_is_none(got)) {
        if (lc_dim_is_none(dim) && strchr(node->str, '%') == NULL) {
            /* a plain-number metric: a bare tolerance is an amount of it */
            c->tol_absolute = 1;
            return LC_OK;
        }
        if (v > 1)
            return lc_error_set(err, LC_EINPUT, text_mark(node),
                                "tolerance must be a share between 0%% and 100%%, not %s",
                                node->str);
        return LC_OK;
    }
    if (!lc_dim_eq(got, dim)) {
        lc_dim_describe(dim, d, sizeof d);
        return lc_error_set(err, LC_EINPUT, text_mark(node),
                            "tolerance must be a share (5%%) or an amount of %s like the "
                            "metric, not %s",
                            lc_dim_is_none(dim) ? "a plain number" : d, node->str);
    }
    c->tol_absolute = 1;
    return LC_OK;
}

static int check_report(lc_scenario *s, lc_error *err)
{
    size_t i, j;
    const lc_yaml_node *r = s->report;
    if (expect(r, LC_YAML_SEQ, "report", err))
        return LC_EINPUT;
    for (i = 0; i < r->n; i++) {
        const lc_yaml_node *p = r->items[i];
        int any = 0;
        if (expect(p, LC_YAML_SCALAR, "a report entry", err))
            return LC_EINPUT;
        for (j = 0; j < lc_model_count(s->model); j++)
            any |= lc_glob_match(p->str, lc_model_qty(s->model, j)->name);
        if (!any)
            return lc_model_unknown(s->model, "metric", p->str, text_mark(p), err);
    }
    return LC_OK;
}

static lc_scenario *load(lc_scenario *s, const lc_override *sets, size_t nsets,
                         const char *currency, lc_error *err)
{
    const lc_yaml_node *root = s->tree, *n;
    size_t i;
    lc_mark cmd = {"<command line>", 0, 0};

    if (root->kind != LC_YAML_MAP) {
        lc_error_set(err, LC_EINPUT, root->mark,
                     "a scenario must be a mapping (scenario:, inputs:, ...), not %s",
                     lc_yaml_kind_name(root->kind));
        goto fail;
    }
    if (lc_scenario_check_keys(root, top_keys, NKEYS(top_keys), "the scenario", err))
        goto fail;
    if ((n = lc_yaml_get(root, "scenario")) == NULL) {
        lc_error_set(err, LC_EINPUT, root->mark, "the scenario needs a name: scenario: ...");
        goto fail;
    }
    if (expect(n, LC_YAML_SCALAR, "scenario", err))
        goto fail;
    s->name = n->str;
    if ((n = lc_yaml_get(root, "description")) && expect(n, LC_YAML_SCALAR, "description", err))
        goto fail;
    s->description = n ? n->str : NULL;
    if ((n = lc_yaml_get(root, "claims_from")) && expect(n, LC_YAML_SCALAR, "claims_from", err))
        goto fail;
    s->claims_from = n ? n->str : NULL;
    if (set_currency(s, currency, err))
        goto fail;
    if ((n = lc_yaml_get(root, "catalog"))) {
        static const char *const ck[] = {"gpus", "servers"};
        if (expect(n, LC_YAML_MAP, "catalog", err) ||
            lc_scenario_check_keys(n, ck, NKEYS(ck), "catalog", err))
            goto fail;
        for (i = 0; i < n->n; i++)
            if (expect(n->items[2 * i + 1], LC_YAML_MAP, n->items[2 * i]->str, err))
                goto fail;
    }
    if (lc_catalog_init(&s->catalog, n, err))
        goto fail;
    s->model = lc_model_alloc(&s->units, err);
    if (s->model == NULL)
        goto fail;
    if ((n = lc_yaml_get(root, "metrics")) && define_metrics(s, n, err))
        goto fail;
    if ((n = lc_yaml_get(root, "inputs"))) {
        if (expect(n, LC_YAML_MAP, "inputs", err))
            goto fail;
        for (i = 0; i < n->n; i++)
            if (set_input(s, n->items[2 * i]->str, n->items[2 * i + 1], err))
                goto fail;
    }
    for (i = 0; i < nsets; i++)
        if (lc_model_set_text(s->model, sets[i].name, sets[i].value, cmd, LC_FROM_COMMAND,
                              "--set on the command line", err))
            goto fail;
    if (lc_catalog_apply(&s->catalog, s->model, err) || lc_models_apply(s->model, err))
        goto fail;
    if (lc_model_compile(s->model, err))
        goto fail;
    if ((n = lc_yaml_get(root, "claims")) && parse_claims(s, n, err))
        goto fail;
    if ((s->report = lc_yaml_get(root, "report")) && check_report(s, err))
        goto fail;
    if ((s->analyses = lc_yaml_get(root, "analyses")) &&
        expect(s->analyses, LC_YAML_SEQ, "analyses", err))
        goto fail;
    s->charts = lc_yaml_get(root, "charts");
    s->variants = lc_yaml_get(root, "variants");
    s->org = lc_yaml_get(root, "org");
    s->validation = lc_yaml_get(root, "validation");
    return s;
fail:
    lc_scenario_free(s);
    return NULL;
}

lc_scenario *lc_scenario_load(const char *path, const lc_override *sets, size_t nsets,
                              const char *currency, lc_error *err)
{
    lc_scenario *s = calloc(1, sizeof *s);
    if (s == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    s->path = lc_strdup(path);
    s->tree = s->path ? lc_yaml_load_file(path, NULL, err) : NULL;
    if (s->tree == NULL) {
        if (s->path == NULL)
            lc_error_nomem(err);
        lc_scenario_free(s);
        return NULL;
    }
    return load(s, sets, nsets, currency, err);
}

lc_scenario *lc_scenario_load_text(const char *name, const char *text, size_t len,
                                   const lc_override *sets, size_t nsets, const char *currency,
                                   lc_error *err)
{
    lc_scenario *s = calloc(1, sizeof *s);
    if (s == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    s->path = lc_strdup(name);
    s->tree = s->path ? lc_yaml_load(name, text, len, NULL, err) : NULL;
    if (s->tree == NULL) {
        if (s->path == NULL)
            lc_error_nomem(err);
        lc_scenario_free(s);
        return NULL;
    }
    return load(s, sets, nsets, currency, err);
}

void lc_scenario_free(lc_scenario *s)
{
    if (s == NULL)
        return;
    lc_model_free(s->model);
    lc_catalog_release(&s->catalog);
    free(s->claims);
    lc_yaml_free(s->tree);
    free(s->path);
    free(s);
}

int lc_scenario_report(const lc_scenario *s, size_t **out, size_t *n, lc_error *err)
{
    size_t count = lc_model_count(s->model), i, j, k = 0;
    size_t *r = malloc((count ? count : 1) * sizeof *r);
    if (r == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < count; i++) {
        lc_qty *q = lc_model_qty(s->model, i);
        int want;
        if (s->report) {
            want = 0;
            for (j = 0; j < s->report->n; j++)
                want |= lc_glob_match(s->report->items[j]->str, q->name);
            want &= q->kind != LC_Q_CHOICE;
        } else {
            want = q->kind == LC_Q_FORMULA && q->available;
        }
        if (want)
            r[k++] = i;
    }
    *out = r;
    *n = k;
    return LC_OK;
}
