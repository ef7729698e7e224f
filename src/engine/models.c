/* models.c — model architectures and API prices: how model.arch and api.model
 * set the model's inputs from the embedded model catalog. */
#include "lc_models.h"

#include <stdio.h>
#include <string.h>

#include "lc_catalog.h"
#include "lc_util.h"

/* Catalog field -> model input, per section. */
typedef struct {
    const char *field, *input;
} field_map;

static const field_map arch_fields[] = {
    {"params", "model.params"},
    {"active_params", "model.active_params"},
    {"layers", "model.layers"},
    {"heads", "model.heads"},
    {"kv_heads", "model.kv_heads"},
    {"head_dim", "model.head_dim"},
    {"kv_per_layer", "model.kv_per_layer"},
    {"context", "model.context"},
};
static const field_map api_fields[] = {
    {"input", "api.price_input"}, {"output", "api.price_output"}, {"cached", "api.price_cached"}};

lc_yaml_node *lc_models_load(lc_error *err)
{
    const char *text = lc_models_text();
    return lc_yaml_load("<model catalog>", text, strlen(text), NULL, err);
}

static int unknown(const lc_yaml_node *section, const char *what, const char *id, lc_mark at,
                   lc_error *err)
{
    const char *names[128];
    size_t n = 0, i;
    const char *best;
    for (i = 0; section && i < section->n && n < 128; i++)
        names[n++] = section->items[2 * i]->str;
    best = lc_suggest(id, names, n);
    if (best)
        return lc_error_set(err, LC_EINPUT, at, "unknown %s '%s' (did you mean %s?)", what, id,
                            best);
    return lc_error_set(err, LC_EINPUT, at, "unknown %s '%s'; see llmcost catalog models", what,
                        id);
}

/* Fill the inputs of `map` from the entry the choice `choice` names in `section`. */
static int apply_choice(lc_model *m, const lc_yaml_node *root, const char *choice,
                        const char *section, const char *what, const field_map *map, size_t n,
                        lc_error *err)
{
    lc_qty *q = lc_model_qty(m, (size_t)lc_model_find(m, choice));
    const lc_yaml_node *sec = lc_yaml_get(root, section), *e;
    size_t i;
    int rc;

    if (q->choice == NULL)
        return LC_OK;
    e = lc_yaml_get(sec, q->choice);
    if (e == NULL || e->kind != LC_YAML_MAP)
        return unknown(sec, what, q->choice, q->mark, err);
    for (i = 0; i < n; i++)
        if ((rc = lc_catalog_fill(m, e, q->choice, map[i].field, map[i].input, err)) != LC_OK)
            return rc;
    return LC_OK;
}

int lc_models_apply(lc_model *m, lc_error *err)
{
    lc_yaml_node *root;
    int rc;

    if (lc_model_qty(m, (size_t)lc_model_find(m, "model.arch"))->choice == NULL &&
        lc_model_qty(m, (size_t)lc_model_find(m, "api.model"))->choice == NULL)
        return LC_OK;
    if ((root = lc_models_load(err)) == NULL)
        return err->code;
    rc = apply_choice(m, root, "model.arch", "models", "model architecture", arch_fields,
                      sizeof arch_fields / sizeof arch_fields[0], err);
    if (rc == LC_OK)
        rc = apply_choice(m, root, "api.model", "apis", "API price entry", api_fields,
                          sizeof api_fields / sizeof api_fields[0], err);
    lc_yaml_free(root);
    return rc;
}

int lc_models_check(const lc_units *u, lc_error *err)
{
    static const char *sections[] = {"models", "apis"};
    lc_yaml_node *root = lc_models_load(err);
    size_t s, i, j;
    int rc = LC_OK;

    if (root == NULL)
        return err->code;
    for (s = 0; s < 2 && rc == LC_OK; s++) {
        const lc_yaml_node *sec = lc_yaml_get(root, sections[s]);
        if (sec == NULL || sec->kind != LC_YAML_MAP) {
            rc = lc_error_set(err, LC_EINPUT, lc_mark_none(), "model catalog has no %s",
                              sections[s]);
            break;
        }
        for (i = 0; i < sec->n && rc == LC_OK; i++) {
            const lc_yaml_node *e = sec->items[2 * i + 1];
            for (j = 0; j < e->n && rc == LC_OK; j++) {
                const char *f = e->items[2 * j]->str, *t, *src, *date;
                double v;
                lc_dim d;
                if (strcmp(f, "name") == 0 || strcmp(f, "source") == 0)
                    continue;
                if (lc_catalog_field(u, e, f, &v, &d, &t, &src, &date, err) < 0)
                    rc = LC_EINPUT;
                else if (src == NULL)
                    rc = lc_error_set(err, LC_EINPUT, e->items[2 * j]->mark,
                                      "model catalog field %s has no source", f);
                else if (s == 1 && date == NULL)
                    rc = lc_error_set(err, LC_EINPUT, e->items[2 * j]->mark,
                                      "price %s of %s has no date", f, sec->items[2 * i]->str);
            }
        }
    }
    lc_yaml_free(root);
    return rc;
}
