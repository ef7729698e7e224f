/* catalog.c — hardware entries and how a choice sets the model's inputs. */
#include "lc_catalog.h"

#include <gsl/gsl_fit.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_dist.h"
#include "lc_util.h"

/* A year of 365 days (README, "Units"): rates are stored per second. */
#define LC_YEAR_S (365.0 * 86400.0)

int lc_catalog_init(lc_catalog *c, const lc_yaml_node *user, lc_error *err)
{
    const char *text = lc_catalog_text();
    c->user = user;
    c->builtin = lc_yaml_load("<catalog>", text, strlen(text), NULL, err);
    return c->builtin ? LC_OK : err->code;
}

void lc_catalog_release(lc_catalog *c)
{
    lc_yaml_free(c->builtin);
    c->builtin = NULL;
}

const lc_yaml_node *lc_catalog_entry(const lc_catalog *c, const char *section, const char *id)
{
    const lc_yaml_node *e = NULL;
    if (c->user)
        e = lc_yaml_get(lc_yaml_get(c->user, section), id);
    if (e == NULL)
        e = lc_yaml_get(lc_yaml_get(c->builtin, section), id);
    return e && e->kind == LC_YAML_MAP ? e : NULL;
}

static const char *scalar(const lc_yaml_node *n)
{
    return n && n->kind == LC_YAML_SCALAR ? n->str : NULL;
}

/* The quantity of field node n (plain "400 W" or { value, source, date }):
 * *source falls back to `fallback`.  0 or -LC_EINPUT with err. */
static int field_node(const lc_units *u, const lc_yaml_node *n, const char *field,
                      const char *fallback, double *value, lc_dim *dim, const char **text,
                      const char **source, const char **date, lc_error *err)
{
    const lc_yaml_node *vn = n;
    char msg[LC_UNITS_MSG_MAX];
    size_t at = 0;

    *source = fallback;
    *date = NULL;
    if (n->kind == LC_YAML_MAP) {
        vn = lc_yaml_get(n, "value");
        if (scalar(lc_yaml_get(n, "source")))
            *source = scalar(lc_yaml_get(n, "source"));
        *date = scalar(lc_yaml_get(n, "date"));
    }
    if (scalar(vn) == NULL)
        return -lc_error_set(err, LC_EINPUT, n->mark,
                             "catalog field '%s' needs a value with a unit", field);
    if (lc_units_parse_quantity(u, vn->str, value, dim, msg, sizeof msg, &at) != 0) {
        lc_mark m = vn->mark;
        m.col += (int)at;
        return -lc_error_set(err, LC_EINPUT, m, "catalog field '%s': %s", field, msg);
    }
    *text = vn->str;
    return 0;
}

int lc_catalog_field(const lc_units *u, const lc_yaml_node *entry, const char *field, double *value,
                     lc_dim *dim, const char **text, const char **source, const char **date,
                     lc_error *err)
{
    const lc_yaml_node *n = lc_yaml_get(entry, field);
    int rc;
    if (n == NULL)
        return 0;
    rc = field_node(u, n, field, scalar(lc_yaml_get(entry, "source")), value, dim, text, source,
                    date, err);
    return rc < 0 ? rc : 1;
}

static int user_set(const lc_qty *q)
{
    return q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND;
}

/* Set model input `name` from catalog node n (a field of entry `id`), unless
 * the scenario or the command line already set it.  `what` names the field
 * in the source text ("bf16 peak; " or "" for plain fields). */
static int set_from(lc_model *m, const char *id, const char *what, const lc_yaml_node *n,
                    const char *fallback, const char *field, const char *name, lc_error *err)
{
    long i = lc_model_find(m, name);
    lc_qty *q;
    double v;
    lc_dim dim;
    const char *text, *source, *date;
    char *src;
    int rc;

    if (i < 0)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "internal: no input %s", name);
    q = lc_model_qty(m, (size_t)i);
    if (user_set(q))
        return LC_OK;
    if ((rc = field_node(lc_model_units(m), n, field, fallback, &v, &dim, &text, &source, &date,
                         err)) < 0)
        return -rc;
    if (!lc_dim_eq(dim, q->dim)) {
        char want[LC_DIM_TEXT_MAX], got[LC_DIM_TEXT_MAX];
        lc_dim_describe(q->dim, want, sizeof want);
        lc_dim_describe(dim, got, sizeof got);
        if (strncmp(name, "gpu.peak", 8) == 0)
            return lc_error_set(err, LC_EINPUT, n->mark, "catalog %s: peak %s should be in FLOP/s",
                                id, field);
        return lc_error_set(err, LC_EINPUT, n->mark, "catalog %s: field '%s' should be %s, not %s",
                            id, field, want, got);
    }
    {
        /* a catalog entry stays inside the input's domain: no negative TDP */
        const lc_yaml_node *vn =
            n->kind == LC_YAML_MAP && lc_yaml_get(n, "value") ? lc_yaml_get(n, "value") : n;
        if (lc_model_check_domain(m, (size_t)i, v, name, text, vn->mark, err))
            return LC_EINPUT;
    }
    src = date ? lc_aprintf("catalog %s: %s%s (%s)", id, what, source ? source : "no source", date)
               : lc_aprintf("catalog %s: %s%s", id, what, source ? source : "no source");
    if (src == NULL)
        return lc_error_nomem(err);
    rc = lc_model_set_value(m, (size_t)i, v, text, LC_FROM_CATALOG, src, err);
    free(src);
    return rc;
}

static int fill(lc_model *m, const lc_yaml_node *entry, const char *id, const char *field,
                const char *name, lc_error *err)
{
    const lc_yaml_node *n = lc_yaml_get(entry, field);
    if (n == NULL)
        return LC_OK;
    return set_from(m, id, "", n, scalar(lc_yaml_get(entry, "source")), field, name, err);
}

int lc_catalog_fill(lc_model *m, const lc_yaml_node *entry, const char *id, const char *field,
                    const char *name, lc_error *err)
{
    return fill(m, entry, id, field, name, err);
}

static int unknown_id(const lc_catalog *c, const char *section, const char *id, lc_mark at,
                      lc_error *err)
{
    const lc_yaml_node *s = lc_yaml_get(c->builtin, section);
    const char *names[256];
    size_t n = 0, i;
    lc_sbuf b = {0};
    char *list;
    const char *best;
    int rc;

    for (i = 0; s && i < s->n && n < 256; i++)
        names[n++] = s->items[2 * i]->str;
    best = lc_suggest(id, names, n);
    if (best)
        return lc_error_set(err, LC_EINPUT, at, "unknown %s '%s' (did you mean %s?)",
                            strcmp(section, "gpus") == 0 ? "GPU" : "server", id, best);
    for (i = 0; i < n; i++)
        lc_sb_printf(&b, "%s%s", i ? ", " : "", names[i]);
    if ((list = lc_sb_take(&b)) == NULL)
        return lc_error_nomem(err);
    rc = lc_error_set(err, LC_EINPUT, at, "unknown %s '%s'; the catalog has: %s",
                      strcmp(section, "gpus") == 0 ? "GPU" : "server", id, list);
    free(list);
    return rc;
}

static const char *const rent_kinds[] = {"hyperscaler", "reserved", "neocloud", "china-cloud"};
#define NKINDS (sizeof rent_kinds / sizeof rent_kinds[0])

int lc_catalog_rent_kind(const char *kind)
{
    size_t k;
    for (k = 0; kind && k < NKINDS; k++)
        if (strcmp(kind, rent_kinds[k]) == 0)
            return (int)k;
    return -1;
}

static int is_year(const char *w, size_t n)
{
    size_t i;
    if (n != 4)
        return 0;
    for (i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return 0;
    return 1;
}

/* The rent row of fleet.rent (words joined by @: a provider kind, a year, a
 * GPU id; all must match; the latest date wins) for GPU gpu_id; sets gpu.rent.
 * The GPU it used goes to *id_out (malloc'd), the picked row's kind to
 * *kind_out. */
static int apply_rent(const lc_catalog *c, lc_model *m, const char *gpu_id, char **id_out,
                      const char **kind_out, lc_error *err)
{
    lc_qty *sel = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.rent"));
    const char *p = sel->choice, *kind = NULL, *best_date = "";
    char year[5] = "", *id = lc_strdup(gpu_id ? gpu_id : "");
    const lc_yaml_node *e, *rows, *best = NULL;
    size_t i;
    int rc;

    if (id == NULL)
        return lc_error_nomem(err);
    while (*p) {
        size_t n = strcspn(p, "@");
        int k;
        char *word = lc_strndup(p, n);
        if (word == NULL) {
            free(id);
            return lc_error_nomem(err);
        }
        if (is_year(p, n))
            memcpy(year, p, 5), year[4] = '\0';
        else if ((k = lc_catalog_rent_kind(word)) >= 0)
            kind = rent_kinds[k];
        else if (lc_catalog_entry(c, "gpus", word)) {
            free(id);
            id = word;
            word = NULL;
        } else {
            rc = lc_error_set(err, LC_EINPUT, sel->mark,
                              "fleet.rent: '%s' is not a provider kind (hyperscaler, reserved, "
                              "neocloud, china-cloud), a year or a GPU id of the catalog",
                              word);
            free(word);
            free(id);
            return rc;
        }
        free(word);
        p += n;
        if (*p == '@')
            p++;
    }
    if (id[0] == '\0') {
        free(id);
        return lc_error_set(err, LC_EINPUT, sel->mark,
                            "fleet.rent needs a GPU: set fleet.gpu or name one (h100-sxm@2025)");
    }
    e = lc_catalog_entry(c, "gpus", id);
    rows = lc_yaml_get(e, "rents");
    for (i = 0; rows && rows->kind == LC_YAML_SEQ && i < rows->n; i++) {
        const lc_yaml_node *r = rows->items[i];
        const char *rk = scalar(lc_yaml_get(r, "kind")), *rd = scalar(lc_yaml_get(r, "date"));
        if (rd == NULL || (kind && (rk == NULL || strcmp(rk, kind) != 0)) ||
            (year[0] && strncmp(rd, year, 4) != 0))
            continue;
        if (best == NULL || strcmp(rd, best_date) > 0)
            best = r, best_date = rd;
    }
    if (best == NULL) {
        rc = lc_error_set(err, LC_EINPUT, sel->mark,
                          "fleet.rent: GPU '%s' has no rent row matching '%s' (see llmcost "
                          "catalog %s)",
                          id, sel->choice, id);
        free(id);
        return rc;
    }
    *kind_out = scalar(lc_yaml_get(best, "kind"));
    {
        char what[64];
        snprintf(what, sizeof what, "%s rent; ", scalar(lc_yaml_get(best, "kind")));
        rc = set_from(m, id, what, best, scalar(lc_yaml_get(e, "source")), "rent", "gpu.rent", err);
    }
    if (rc != LC_OK)
        free(id);
    else
        *id_out = id;
    return rc;
}

/* Month index (year x 12 + month - 1) of a rent row's date YYYY-MM, or -1. */
static long date_months(const char *d)
{
    long y, mo;
    size_t i;
    if (d == NULL || strlen(d) != 7 || d[4] != '-')
        return -1;
    for (i = 0; i < 7; i++)
        if (i != 4 && (d[i] < '0' || d[i] > '9'))
            return -1;
    y = strtol(d, NULL, 10);
    mo = strtol(d + 5, NULL, 10);
    return mo >= 1 && mo <= 12 ? y * 12 + mo - 1 : -1;
}

/* gpu.rent_decline from the dated rent rows of GPU `id` (issue 15): rows of
 * one provider kind (`kind`, the kind of the row fleet.rent picked, else the
 * kind with the most rows; a tie goes to the longer span, then to the order
 * hyperscaler, reserved, neocloud, china-cloud), ln(rent in the scenario
 * currency) against the date in years (YYYY-MM: year + (month - 1)/12) by
 * least squares (gsl_fit_linear); the decline a year is 1 - exp(slope), a
 * negative one a rise.  Fewer than 2 rows or a span under 12 months: 0, and
 * the source says why.  Every row of the entry is checked (kind, a date
 * YYYY-MM, a rent above 0) before it is used; the scenario's gpu.rent_decline
 * wins. */
static int rent_trend(const lc_catalog *c, lc_model *m, const char *id, const char *kind,
                      lc_error *err)
{
    long qi = lc_model_find(m, "gpu.rent_decline");
    lc_qty *q;
    const lc_yaml_node *e = lc_catalog_entry(c, "gpus", id), *rows;
    size_t count[NKINDS] = {0}, i, n = 0, k, pick = 0;
    long first[NKINDS], last[NKINDS];
    double *x = NULL, *y = NULL, value = 0;
    char *src = NULL, shown[LC_UNITS_FORMAT_MAX];
    const lc_dim rent_dim = lc_model_qty(m, (size_t)lc_model_find(m, "gpu.rent"))->dim;
    int rc;

    if (qi < 0)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "internal: no input gpu.rent_decline");
    q = lc_model_qty(m, (size_t)qi);
    if (user_set(q) || e == NULL)
        return LC_OK;
    rows = lc_yaml_get(e, "rents");
    if (rows && rows->kind != LC_YAML_SEQ)
        return lc_error_set(err, LC_EINPUT, rows->mark,
                            "catalog %s: rents: must be a list of rows { kind, value, date, "
                            "source }",
                            id);
    for (k = 0; k < NKINDS; k++)
        first[k] = last[k] = -1;
    for (i = 0; rows && i < rows->n; i++) {
        const lc_yaml_node *r = rows->items[i], *dn;
        int rk;
        long mo;
        if (r->kind != LC_YAML_MAP ||
            (rk = lc_catalog_rent_kind(scalar(lc_yaml_get(r, "kind")))) < 0)
            return lc_error_set(err, LC_EINPUT, r->mark,
                                "catalog %s: a rent row needs kind: hyperscaler, reserved, "
                                "neocloud or china-cloud",
                                id);
        dn = lc_yaml_get(r, "date");
        if (dn == NULL)
            return lc_error_set(err, LC_EINPUT, r->mark,
                                "catalog %s: a rent row needs date: YYYY-MM (the month it was "
                                "quoted)",
                                id);
        if ((mo = date_months(scalar(dn))) < 0)
            return lc_error_set(err, LC_EINPUT, dn->mark,
                                "catalog %s: a rent row's date must be YYYY-MM (2024-01), not %s",
                                id, scalar(dn) ? scalar(dn) : lc_yaml_kind_name(dn->kind));
        count[rk]++;
        if (first[rk] < 0 || mo < first[rk])
            first[rk] = mo;
        if (last[rk] < 0 || mo > last[rk])
            last[rk] = mo;
    }
    if (kind)
        pick = (size_t)lc_catalog_rent_kind(kind);
    else
        for (k = 1; k < NKINDS; k++)
            if (count[k] > count[pick] || (count[k] == count[pick] && count[k] > 0 &&
                                           last[k] - first[k] > last[pick] - first[pick]))
                pick = k;
    if (count[pick] < 2 || last[pick] - first[pick] < 12) {
        char why[160];
        if (rows == NULL || rows->n == 0)
            snprintf(why, sizeof why, "no dated rents: rows");
        else if (count[pick] < 2)
            snprintf(why, sizeof why, "%zu %s rent (2 or more needed)", count[pick],
                     rent_kinds[pick]);
        else
            snprintf(why, sizeof why, "%zu %s rents spanning %ld months (12 or more needed)",
                     count[pick], rent_kinds[pick], last[pick] - first[pick]);
        src = lc_aprintf("catalog %s: no trend fitted, %s; 0 %%/year", id, why);
        if (src == NULL)
            return lc_error_nomem(err);
        rc = lc_model_set_value(m, (size_t)qi, 0, "0 %/year", LC_FROM_CATALOG, src, err);
        free(src);
        return rc;
    }
    x = malloc(count[pick] * sizeof *x);
    y = malloc(count[pick] * sizeof *y);
    if (x == NULL || y == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    for (i = 0; i < rows->n; i++) {
        const lc_yaml_node *r = rows->items[i];
        double v;
        lc_dim d;
        const char *t, *s_, *date;
        if ((size_t)lc_catalog_rent_kind(scalar(lc_yaml_get(r, "kind"))) != pick)
            continue;
        if ((rc = field_node(lc_model_units(m), r, "rent", NULL, &v, &d, &t, &s_, &date, err)) <
            0) {
            rc = -rc;
            goto done;
        }
        if (!lc_dim_eq(d, rent_dim) || !(v > 0)) {
            rc = lc_error_set(err, LC_EINPUT, lc_yaml_get(r, "value")->mark,
                              "catalog %s: a rent row's value must be money per GPU-hour above "
                              "0 (its trend is fitted to the logarithm), not %s",
                              id, t);
            goto done;
        }
        x[n] = (double)date_months(date) / 12.0;
        y[n] = log(v);
        n++;
    }
    {
        double c0, c1, cov00, cov01, cov11, sumsq;
        char from[24], to[24];
        gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
        value = (1 - exp(c1)) / LC_YEAR_S; /* per second, as every rate */
        snprintf(from, sizeof from, "%04ld-%02ld", first[pick] / 12, first[pick] % 12 + 1);
        snprintf(to, sizeof to, "%04ld-%02ld", last[pick] / 12, last[pick] % 12 + 1);
        lc_units_format(lc_model_units(m), value, "%/year", shown, sizeof shown);
        if ((rc = lc_model_check_domain(m, (size_t)qi, value, NULL, shown, rows->mark, err)))
            goto done;
        src = lc_aprintf("catalog %s: fitted to %zu %s rents of %s, %s..%s (catalog): least "
                         "squares of ln(rent) on years, 1 - exp(slope)%s",
                         id, n, rent_kinds[pick], id, from, to, value < 0 ? "; a rise" : "");
    }
    if (src == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    rc = lc_model_set_value(m, (size_t)qi, value, shown, LC_FROM_CATALOG, src, err);
done:
    free(src);
    free(x);
    free(y);
    return rc;
}

/* A lognormal from a catalog training: entry { p5, p95, source }. */
static int training_dist(const lc_catalog *c, lc_model *m, const char *key, const char *name,
                         lc_error *err)
{
    const lc_yaml_node *t = lc_yaml_get(lc_yaml_get(c->builtin, "training"), key);
    lc_qty *q = lc_model_qty(m, (size_t)lc_model_find(m, name));
    double lo, hi;
    lc_dim dim;
    const char *text, *source, *date;
    lc_dist *d;
    char *src;
    int rc;

    if (t == NULL || user_set(q) || q->dist)
        return LC_OK;
    if ((rc = field_node(lc_model_units(m), lc_yaml_get(t, "p5"), name, NULL, &lo, &dim, &text,
                         &source, &date, err)) < 0 ||
        (rc = field_node(lc_model_units(m), lc_yaml_get(t, "p95"), name, NULL, &hi, &dim, &text,
                         &source, &date, err)) < 0)
        return -rc;
    if ((d = calloc(1, sizeof *d)) == NULL)
        return lc_error_nomem(err);
    if ((rc = lc_dist_lognormal(d, lo, hi, t->mark, err)) != LC_OK) {
        free(d);
        return rc;
    }
    q->dist = d;
    src = lc_aprintf("catalog training %s: lognormal, 90%% in [%s, %s]; %s", key,
                     scalar(lc_yaml_get(t, "p5")), scalar(lc_yaml_get(t, "p95")),
                     scalar(lc_yaml_get(t, "source")) ? scalar(lc_yaml_get(t, "source"))
                                                      : "no source");
    if (src == NULL)
        return lc_error_nomem(err);
    {
        char shown[LC_UNITS_FORMAT_MAX];
        lc_units_format(lc_model_units(m), lc_dist_median(d), q->unit, shown, sizeof shown);
        rc = lc_model_set_value(m, (size_t)lc_model_find(m, name), lc_dist_median(d), shown,
                                LC_FROM_DEFAULT, src, err);
    }
    free(src);
    return rc;
}

int lc_catalog_apply(const lc_catalog *c, lc_model *m, lc_error *err)
{
    lc_qty *server = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.server"));
    lc_qty *gpu = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.gpu"));
    lc_qty *prec = lc_model_qty(m, (size_t)lc_model_find(m, "gpu.precision"));
    lc_qty *rent = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.rent"));
    lc_qty *tokens = lc_model_qty(m, (size_t)lc_model_find(m, "train.tokens"));
    lc_qty *compute = lc_model_qty(m, (size_t)lc_model_find(m, "train.compute"));
    lc_qty *gpus = lc_model_qty(m, (size_t)lc_model_find(m, "train.gpus"));
    const char *gpu_id = gpu->choice;
    const lc_yaml_node *e;
    lc_mark gpu_at = gpu->mark;
    int rc;

    if (server->choice) {
        const char *id = server->choice;
        e = lc_catalog_entry(c, "servers", id);
        if (e == NULL)
            return unknown_id(c, "servers", id, server->mark, err);
        if ((rc = fill(m, e, id, "gpus", "server.gpus", err)) ||
            (rc = fill(m, e, id, "power", "server.power", err)) ||
            (rc = fill(m, e, id, "price", "server.price", err)))
            return rc;
        if (gpu_id == NULL) {
            gpu_id = scalar(lc_yaml_get(e, "gpu"));
            gpu_at = server->mark;
        }
    }
    if (gpu_id) {
        const lc_yaml_node *peak, *p16;
        const char *field = prec->choice ? prec->choice : "bf16";
        e = lc_catalog_entry(c, "gpus", gpu_id);
        if (e == NULL)
            return unknown_id(c, "gpus", gpu_id, gpu_at, err);
        if ((rc = fill(m, e, gpu_id, "memory", "gpu.memory", err)) ||
            (rc = fill(m, e, gpu_id, "bandwidth", "gpu.bandwidth", err)) ||
            (rc = fill(m, e, gpu_id, "tdp", "gpu.tdp", err)) ||
            (rc = fill(m, e, gpu_id, "price", "gpu.price", err)))
            return rc;
        if (rent->choice == NULL && (rc = fill(m, e, gpu_id, "rent", "gpu.rent", err)))
            return rc;
        peak = lc_yaml_get(e, "peak");
        /* Chips without bf16 (V100 is fp16-only) fall back to fp16. */
        if (lc_yaml_get(peak, field) == NULL && strcmp(field, "bf16") == 0 &&
            prec->origin == LC_FROM_DEFAULT)
            field = "fp16";
        if (peak == NULL || lc_yaml_get(peak, field) == NULL)
            return lc_error_set(err, LC_EINPUT,
                                prec->origin == LC_FROM_DEFAULT ? gpu_at : prec->mark,
                                "the catalog gives no %s peak for GPU '%s'; choose another "
                                "gpu.precision or set gpu.peak",
                                field, gpu_id);
        {
            char what[48]; /* field is a key of the built-in catalog's peak: */
            snprintf(what, sizeof what, "%s peak; ", field);
            if ((rc = set_from(m, gpu_id, what, lc_yaml_get(peak, field),
                               scalar(lc_yaml_get(e, "source")), field, "gpu.peak", err)))
                return rc;
        }
        /* Training MFU is measured against the 16-bit peak whatever the run's
         * precision (FP8 and FP4 training included). */
        p16 = lc_yaml_get(peak, "bf16") ? lc_yaml_get(peak, "bf16") : lc_yaml_get(peak, "fp16");
        if (p16) {
            const char *f16 = lc_yaml_get(peak, "bf16") ? "bf16" : "fp16";
            char what[48];
            snprintf(what, sizeof what, "%s peak; ", f16);
            if ((rc = set_from(m, gpu_id, what, p16, scalar(lc_yaml_get(e, "source")), f16,
                               "gpu.peak_bf16", err)))
                return rc;
        }
    }
    {
        /* the rent's trend: of the GPU fleet.rent names, else the chosen one */
        char *rent_id = NULL;
        const char *kind = NULL;
        if (rent->choice && (rc = apply_rent(c, m, gpu_id, &rent_id, &kind, err)))
            return rc;
        rc = rent_id || (gpu_id && gpu_id[0])
                 ? rent_trend(c, m, rent_id ? rent_id : gpu_id, kind, err)
                 : LC_OK;
        free(rent_id);
        if (rc != LC_OK)
            return rc;
    }
    /* A scenario that describes a training run gets the fitted MFU
     * distribution; one that sets its cluster also the failure rate's. */
    if ((user_set(tokens) || user_set(compute)) &&
        (rc = training_dist(c, m, "mfu", "train.mfu", err)))
        return rc;
    if (user_set(gpus) && (user_set(tokens) || user_set(compute)) &&
        (rc = training_dist(c, m, "failure_rate", "train.failure_rate", err)))
        return rc;
    return LC_OK;
}

/* Every rent row: a known kind, a money-per-time value, a date and a source. */
static int check_rents(const lc_units *u, const lc_yaml_node *rows, lc_error *err)
{
    size_t i;
    if (rows->kind != LC_YAML_SEQ)
        return lc_error_set(err, LC_EINPUT, rows->mark, "catalog rents: must be a list of rows");
    for (i = 0; i < rows->n; i++) {
        const lc_yaml_node *r = rows->items[i];
        double v;
        lc_dim d;
        const char *t, *src, *date;
        int rc;
        if (r->kind != LC_YAML_MAP || lc_catalog_rent_kind(scalar(lc_yaml_get(r, "kind"))) < 0)
            return lc_error_set(err, LC_EINPUT, r->mark,
                                "catalog rent row needs kind: hyperscaler, reserved, neocloud or "
                                "china-cloud");
        if ((rc = field_node(u, r, "rent", NULL, &v, &d, &t, &src, &date, err)) < 0)
            return -rc;
        if (src == NULL || date == NULL)
            return lc_error_set(err, LC_EINPUT, r->mark,
                                "catalog rent row needs source: and date:");
        if (date_months(date) < 0) /* gpu.rent_decline's fit reads the month */
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(r, "date")->mark,
                                "catalog rent row's date must be YYYY-MM, not %s", date);
    }
    return LC_OK;
}

int lc_catalog_check(const lc_catalog *c, const lc_units *u, lc_error *err)
{
    static const char *sections[] = {"gpus", "servers"};
    static const char *skip[] = {"name", "vendor", "source", "released",
                                 "gpu",  "note",   "peak",   "rents"};
    size_t s, i, j, k;
    for (s = 0; s < 2; s++) {
        const lc_yaml_node *sec = lc_yaml_get(c->builtin, sections[s]);
        if (sec == NULL || sec->kind != LC_YAML_MAP)
            return lc_error_set(err, LC_EINPUT, lc_mark_none(), "catalog has no %s", sections[s]);
        for (i = 0; i < sec->n; i++) {
            const lc_yaml_node *e = sec->items[2 * i + 1];
            for (j = 0; j < e->n; j++) {
                const char *f = e->items[2 * j]->str;
                double v;
                lc_dim d;
                const char *t, *src, *date;
                int is_skip = 0;
                for (k = 0; k < sizeof skip / sizeof skip[0]; k++)
                    is_skip |= strcmp(f, skip[k]) == 0;
                if (strcmp(f, "rents") == 0 && check_rents(u, e->items[2 * j + 1], err))
                    return LC_EINPUT;
                if (strcmp(f, "peak") == 0) {
                    const lc_yaml_node *p = e->items[2 * j + 1];
                    for (k = 0; k < p->n; k++)
                        if (lc_catalog_field(u, p, p->items[2 * k]->str, &v, &d, &t, &src, &date,
                                             err) < 0)
                            return LC_EINPUT;
                }
                if (is_skip)
                    continue;
                if (lc_catalog_field(u, e, f, &v, &d, &t, &src, &date, err) < 0)
                    return LC_EINPUT;
                if (src == NULL)
                    return lc_error_set(err, LC_EINPUT, e->items[2 * j]->mark,
                                        "catalog field %s has no source", f);
            }
        }
    }
    return LC_OK;
}
