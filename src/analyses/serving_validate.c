/* serving_validate.c — one serving validation run: the scenario's value of its
 * published metric against the measurement, and the median error of a set. */
#include "lc_serving.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

static char *file_id(const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    return lc_strndup(base, dot ? (size_t)(dot - base) : strlen(base));
}

int lc_serving_run(const char *path, const lc_override *sets, size_t nsets, lc_serving_row *row,
                   lc_error *err)
{
    lc_scenario *s = lc_scenario_load(path, sets, nsets, NULL, err);
    const lc_yaml_node *pub, *fig, *value;
    lc_model *m;
    lc_qty *q, *gpu;
    long i;
    double published;
    int rc = LC_OK;

    memset(row, 0, sizeof *row);
    if (s == NULL)
        return err->code;
    m = s->model;
    pub = lc_yaml_get(s->validation, "published");
    if (pub == NULL || pub->kind != LC_YAML_MAP || pub->n != 1) {
        rc = lc_error_set(err, LC_EINPUT, s->validation ? s->validation->mark : lc_mark_none(),
                          "a serving run needs validation: published: with exactly one metric");
        goto done;
    }
    fig = pub->items[1];
    value = fig->kind == LC_YAML_MAP ? lc_yaml_get(fig, "value") : fig;
    if ((i = lc_model_find(m, pub->items[0]->str)) < 0) {
        rc = lc_model_unknown(m, "metric", pub->items[0]->str, pub->items[0]->mark, err);
        goto done;
    }
    q = lc_model_qty(m, (size_t)i);
    if (value == NULL) {
        rc = lc_error_set(err, LC_EINPUT, fig->mark, "published %s needs value:", q->name);
        goto done;
    }
    if ((rc = lc_scenario_quantity(s, value, q->dim, q->name, &published, err)) != LC_OK)
        goto done;
    if (!q->available || !isfinite(q->value) || published <= 0) {
        rc = lc_error_set(err, LC_ENUMERIC, pub->items[0]->mark,
                          "%s is not computed by this scenario (an input is unset)", q->name);
        goto done;
    }
    gpu = lc_model_qty(m, (size_t)lc_model_find(m, "fleet.gpu"));
    row->id = file_id(path);
    row->set = row->id ? lc_strndup(row->id, strcspn(row->id, "-")) : NULL;
    row->gpu = lc_strdup(gpu->choice ? gpu->choice : "-");
    row->metric = lc_strdup(q->name);
    if (row->id == NULL || row->set == NULL || row->gpu == NULL || row->metric == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    lc_units_display_name(lc_model_units(m), q->unit, row->unit, sizeof row->unit);
    row->computed = lc_units_to(lc_model_units(m), q->value, q->unit);
    row->published = lc_units_to(lc_model_units(m), published, q->unit);
    row->error = q->value / published - 1;
done:
    if (rc != LC_OK)
        lc_serving_row_release(row);
    lc_scenario_free(s);
    return rc;
}

void lc_serving_row_release(lc_serving_row *row)
{
    free(row->id);
    free(row->set);
    free(row->gpu);
    free(row->metric);
    row->id = row->set = row->gpu = row->metric = NULL;
}

double lc_serving_median_abs_error(const lc_serving_row *rows, size_t n)
{
    size_t k;
    return lc_serving_set_abs_error(rows, n, NULL, 0.5, &k);
}

double lc_serving_set_abs_error(const lc_serving_row *rows, size_t n, const char *set, double q,
                                size_t *count)
{
    double *e, value;
    size_t i, k = 0;
    *count = 0;
    if (n == 0 || (e = malloc(n * sizeof *e)) == NULL)
        return NAN;
    for (i = 0; i < n; i++)
        if (set == NULL || (rows[i].set != NULL && strcmp(rows[i].set, set) == 0))
            e[k++] = fabs(rows[i].error);
    *count = k;
    if (k == 0) {
        free(e);
        return NAN;
    }
    gsl_sort(e, 1, k);
    /* The median as GSL defines it (the mean of the middle two for even k). */
    value = q == 0.5 ? gsl_stats_median_from_sorted_data(e, 1, k)
                     : gsl_stats_quantile_from_sorted_data(e, 1, k, q);
    free(e);
    return value;
}
