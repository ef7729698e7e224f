/* catalog.c — hardware entries and how a choice sets the model's inputs. */
#include "lc_catalog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

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

int lc_catalog_field(const lc_units *u, const lc_yaml_node *entry, const char *field, double *value,
                     lc_dim *dim, const char **text, const char **source, const char **date,
                     lc_error *err)
{
    const lc_yaml_node *n = lc_yaml_get(entry, field), *vn = n;
    char msg[160];
    size_t at = 0;

    if (n == NULL)
        return 0;
    *source = scalar(lc_yaml_get(entry, "source"));
    *date = NULL;
    if (n->kind == LC_YAML_MAP) {
        vn = lc_yaml_get(n, "value");
        if (scalar(lc_yaml_get(n, "source")))
            *source = scalar(lc_yaml_get(n, "source"));
        *date = scalar(lc_yaml_get(n, "date"));
    }
    if (scalar(vn) == NULL) {
        lc_error_set(err, LC_EINPUT, n->mark, "catalog field '%s' needs a value with a unit",
                     field);
        return -LC_EINPUT;
    }
    if (lc_units_parse_quantity(u, vn->str, value, dim, msg, sizeof msg, &at) != 0) {
        lc_mark m = vn->mark;
        m.col += (int)at;
        lc_error_set(err, LC_EINPUT, m, "catalog field '%s': %s", field, msg);
        return -LC_EINPUT;
    }
    *text = vn->str;
    return 1;
}

/* Set model input `name` from field `field` of entry `id`, unless the
 * scenario or the command line already set it. */
static int fill(const lc_catalog *c, lc_model *m, const lc_yaml_node *entry, const char *id,
                const char *field, const char *name, lc_error *err)
{
    const lc_units *u = lc_model_units(m);
    long i = lc_model_find(m, name);
    lc_qty *q;
    double v;
    lc_dim dim;
    const char *text, *source, *date;
    char *src;
    int found, rc;

    (void)c;
    if (i < 0)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "internal: no input %s", name);
    q = lc_model_qty(m, (size_t)i);
    if (q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND)
        return LC_OK;
    found = lc_catalog_field(u, entry, field, &v, &dim, &text, &source, &date, err);
    if (found < 0)
        return -found;
    if (found == 0)
        return LC_OK;
    if (!lc_dim_eq(dim, q->dim)) {
        char want[64], got[64];
        lc_dim_describe(q->dim, want, sizeof want);
        lc_dim_describe(dim, got, sizeof got);
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(entry, field)->mark,
                            "catalog %s: field '%s' should be %s, not %s", id, field, want, got);
    }
    src = date ? lc_aprintf("catalog %s: %s (%s)", id, source ? source : "no source", date)
               : lc_aprintf("catalog %s: %s", id, source ? source : "no source");
    if (src == NULL)
        return lc_error_nomem(err);
    rc = lc_model_set_value(m, (size_t)i, v, text, LC_FROM_CATALOG, src, err);
    free(src);
    return rc;
}

int lc_catalog_fill(lc_model *m, const lc_yaml_node *entry, const char *id, const char *field,
                    const char *name, lc_error *err)
{
    return fill(NULL, m, entry, id, field, name, err);
}

static int unknown_id(const lc_catalog *c, const char *section, const char *id, lc_mark at,
                      lc_error *err)
{
    const lc_yaml_node *s = lc_yaml_get(c->builtin, section);
    const char *names[256];
    size_t n = 0, i;
    char list[600];
    size_t len = 0;
    const char *best;

    for (i = 0; s && i < s->n && n < 256; i++)
        names[n++] = s->items[2 * i]->str;
    best = lc_suggest(id, names, n);
    list[0] = '\0';
    for (i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    if (best)
        return lc_error_set(err, LC_EINPUT, at, "unknown %s '%s' (did you mean %s?)",
                            strcmp(section, "gpus") == 0 ? "GPU" : "server", id, best);
    return lc_error_set(err, LC_EINPUT, at, "unknown %s '%s'; the catalog has: %s",
                        strcmp(section, "gpus") == 0 ? "GPU" : "server", id, list);
}

int lc_catalog_apply(const lc_catalog *c, lc_model *m, lc_error *err)
{
    lc_qty *server = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.server"));
    lc_qty *gpu = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.gpu"));
    lc_qty *prec = lc_model_qty(m, (size_t)lc_model_find(m, "gpu.precision"));
    const char *gpu_id = gpu->choice;
    const lc_yaml_node *e;
    lc_mark gpu_at = gpu->mark;
    int rc;

    if (server->choice) {
        const char *id = server->choice;
        e = lc_catalog_entry(c, "servers", id);
        if (e == NULL)
            return unknown_id(c, "servers", id, server->mark, err);
        if ((rc = fill(c, m, e, id, "gpus", "server.gpus", err)) ||
            (rc = fill(c, m, e, id, "power", "server.power", err)) ||
            (rc = fill(c, m, e, id, "price", "server.price", err)))
            return rc;
        if (gpu_id == NULL) {
            gpu_id = scalar(lc_yaml_get(e, "gpu"));
            gpu_at = server->mark;
        }
    }
    if (gpu_id) {
        const lc_yaml_node *peak;
        char field[32];
        e = lc_catalog_entry(c, "gpus", gpu_id);
        if (e == NULL)
            return unknown_id(c, "gpus", gpu_id, gpu_at, err);
        if ((rc = fill(c, m, e, gpu_id, "memory", "gpu.memory", err)) ||
            (rc = fill(c, m, e, gpu_id, "bandwidth", "gpu.bandwidth", err)) ||
            (rc = fill(c, m, e, gpu_id, "tdp", "gpu.tdp", err)) ||
            (rc = fill(c, m, e, gpu_id, "price", "gpu.price", err)) ||
            (rc = fill(c, m, e, gpu_id, "rent", "gpu.rent", err)))
            return rc;
        peak = lc_yaml_get(e, "peak");
        snprintf(field, sizeof field, "%s", prec->choice ? prec->choice : "bf16");
        /* Chips without bf16 (V100, TPU v3 is bf16-only, V100 fp16-only) fall back. */
        if (lc_yaml_get(peak, field) == NULL && strcmp(field, "bf16") == 0 &&
            prec->origin == LC_FROM_DEFAULT)
            snprintf(field, sizeof field, "fp16");
        if (peak == NULL || lc_yaml_get(peak, field) == NULL)
            return lc_error_set(err, LC_EINPUT,
                                prec->origin == LC_FROM_DEFAULT ? gpu_at : prec->mark,
                                "the catalog gives no %s peak for GPU '%s'; choose another "
                                "gpu.precision or set gpu.peak",
                                field, gpu_id);
        {
            /* Fields of peak: are per precision; reuse fill() on the peak map. */
            lc_qty *pq = lc_model_qty(m, (size_t)lc_model_find(m, "gpu.peak"));
            if (pq->origin != LC_FROM_SCENARIO && pq->origin != LC_FROM_COMMAND) {
                double v;
                lc_dim dim;
                const char *text, *source, *date;
                int found = lc_catalog_field(lc_model_units(m), peak, field, &v, &dim, &text,
                                             &source, &date, err);
                char *src;
                if (found < 0)
                    return -found;
                if (!lc_dim_eq(dim, pq->dim))
                    return lc_error_set(err, LC_EINPUT, lc_yaml_get(peak, field)->mark,
                                        "catalog %s: peak %s should be in FLOP/s", gpu_id, field);
                if (source == NULL)
                    source = scalar(lc_yaml_get(e, "source"));
                src = lc_aprintf("catalog %s: %s peak; %s", gpu_id, field,
                                 source ? source : "no source");
                if (src == NULL)
                    return lc_error_nomem(err);
                rc = lc_model_set_value(m, (size_t)lc_model_find(m, "gpu.peak"), v, text,
                                        LC_FROM_CATALOG, src, err);
                free(src);
                if (rc)
                    return rc;
            }
        }
    }
    return LC_OK;
}

int lc_catalog_check(const lc_catalog *c, const lc_units *u, lc_error *err)
{
    static const char *sections[] = {"gpus", "servers"};
    static const char *skip[] = {"name", "vendor", "source", "released", "gpu", "note", "peak"};
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
