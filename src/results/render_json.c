/* render_json.c — the document as JSON through jansson (schema in README,
 * "JSON schema"): numbers as numbers at full precision, units as strings,
 * null for what was not computed, with "<column>_missing" saying why. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"
#include "render_internal.h"

/* jansson refuses NaN and infinities: those are null. */
static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *str(const char *s)
{
    json_t *j = json_string(s ? s : "");
    char *safe;
    if (j != NULL || s == NULL)
        return j;
    /* jansson refuses invalid UTF-8 (a file name from the command line) and
     * fails on out-of-memory.  The terminal form shows bad bytes as \xNN and
     * is valid UTF-8: if that fails too, memory is short (NULL, reported). */
    safe = lc_render_term_text(s);
    if (safe == NULL || strcmp(safe, s) == 0) {
        free(safe);
        return NULL;
    }
    j = json_string(safe);
    free(safe);
    return j;
}

/* json_object_set_new and json_array_append_new take the reference even on
 * failure; `ok` collects whether every step worked. */
static void set(json_t *o, const char *key, json_t *v, int *ok)
{
    if (v == NULL || json_object_set_new(o, key, v) != 0)
        *ok = 0;
}

static void append(json_t *a, json_t *v, int *ok)
{
    if (v == NULL || json_array_append_new(a, v) != 0)
        *ok = 0;
}

static json_t *table(const lc_rtable *t, int *ok)
{
    json_t *jt = json_object(), *cols = json_array(), *rows = json_array();
    size_t r, c;
    if (jt == NULL || cols == NULL || rows == NULL) {
        json_decref(jt);
        json_decref(cols);
        json_decref(rows);
        *ok = 0;
        return NULL;
    }
    set(jt, "id", str(lc_rtable_id(t)), ok);
    set(jt, "title", lc_rtable_title(t) ? str(lc_rtable_title(t)) : json_null(), ok);
    for (c = 0; c < lc_rtable_ncols(t); c++) {
        json_t *col = json_object();
        size_t uc = lc_rtable_col_unit_col(t, c);
        if (col == NULL) {
            *ok = 0;
            break;
        }
        set(col, "name", str(lc_rtable_col_name(t, c)), ok);
        set(col, "label", str(lc_rtable_col_label(t, c)), ok);
        set(col, "unit",
            uc != (size_t)-1 ? str(lc_rtable_col_name(t, uc)) : str(lc_rtable_col_unit(t, c)), ok);
        set(col, "unit_from_column", json_boolean(uc != (size_t)-1), ok);
        set(col, "kind", str(lc_colkind_name(lc_rtable_col_kind(t, c))), ok);
        append(cols, col, ok);
    }
    set(jt, "columns", cols, ok);
    for (r = 0; r < lc_rtable_nrows(t) && *ok; r++) {
        json_t *row = json_object();
        if (row == NULL) {
            *ok = 0;
            break;
        }
        for (c = 0; c < lc_rtable_ncols(t); c++) {
            const char *name = lc_rtable_col_name(t, c);
            switch (lc_rtable_cell_type(t, r, c)) {
            case LC_CELL_NUM:
                set(row, name, num(lc_rtable_cell_num(t, r, c)), ok);
                break;
            case LC_CELL_TEXT:
                set(row, name, str(lc_rtable_cell_text(t, r, c)), ok);
                break;
            default:
                set(row, name, json_null(), ok);
                if (lc_rtable_cell_text(t, r, c)) {
                    char *key = lc_aprintf("%s_missing", name);
                    if (key == NULL)
                        *ok = 0;
                    else
                        set(row, key, str(lc_rtable_cell_text(t, r, c)), ok);
                    free(key);
                }
            }
        }
        append(rows, row, ok);
    }
    set(jt, "rows", rows, ok);
    return jt;
}

static json_t *section(const lc_section *s, int *ok)
{
    json_t *js = json_object(), *facts = json_object(), *text = json_array(), *warn = json_array(),
           *tables = json_array(), *charts = json_array();
    size_t k;
    if (!js || !facts || !text || !warn || !tables || !charts) {
        json_decref(js);
        json_decref(facts);
        json_decref(text);
        json_decref(warn);
        json_decref(tables);
        json_decref(charts);
        *ok = 0;
        return NULL;
    }
    set(js, "id", str(lc_section_id(s)), ok);
    set(js, "level", json_integer(lc_section_level(s)), ok);
    set(js, "title", str(lc_section_title(s)), ok);
    for (k = 0; k < lc_section_nfacts(s); k++) {
        const char *t = lc_section_fact_text(s, k);
        set(facts, lc_section_fact_key(s, k), t ? str(t) : num(lc_section_fact_value(s, k)), ok);
        if (t == NULL && *lc_section_fact_unit(s, k)) {
            char *key = lc_aprintf("%s_unit", lc_section_fact_key(s, k));
            if (key == NULL)
                *ok = 0;
            else
                set(facts, key, str(lc_section_fact_unit(s, k)), ok);
            free(key);
        }
    }
    set(js, "facts", facts, ok);
    for (k = 0; k < lc_section_ntexts(s); k++)
        append(text, str(lc_section_text_at(s, k)), ok);
    set(js, "text", text, ok);
    for (k = 0; k < lc_section_nwarnings(s); k++)
        append(warn, str(lc_section_warning_at(s, k)), ok);
    set(js, "warnings", warn, ok);
    for (k = 0; k < lc_section_ntables(s); k++)
        append(tables, table(lc_section_table_at(s, k), ok), ok);
    set(js, "tables", tables, ok);
    for (k = 0; k < lc_section_ncharts(s); k++) {
        const lc_rchart *c = lc_section_chart_at(s, k);
        const lc_chart *spec = lc_rchart_spec(c);
        json_t *jc = json_object();
        if (jc == NULL) {
            *ok = 0;
            break;
        }
        set(jc, "id", str(lc_rchart_stem(c)), ok);
        set(jc, "kind", str(lc_plot_kind_name(spec->kind)), ok);
        set(jc, "title", str(spec->title), ok);
        set(jc, "unit", str(lc_rchart_unit(c)), ok);
        set(jc, "file", lc_rchart_file(c) ? str(lc_rchart_file(c)) : json_null(), ok);
        append(charts, jc, ok);
    }
    set(js, "charts", charts, ok);
    return js;
}

int lc_render_json(const lc_doc *d, const lc_render_opts *o, FILE *out)
{
    json_t *root = json_object(), *secs = json_array();
    int ok = 1, rc;
    size_t i;
    (void)o;
    if (root == NULL || secs == NULL) {
        json_decref(root);
        json_decref(secs);
        return LC_ENOMEM;
    }
    set(root, "schema", str(LC_RESULT_SCHEMA), &ok);
    set(root, "version", json_integer(LC_RESULT_VERSION), &ok);
    set(root, "command", str(lc_doc_command(d)), &ok);
    set(root, "currency", lc_doc_currency(d) ? str(lc_doc_currency(d)) : json_null(), &ok);
    for (i = 0; i < lc_doc_nsections(d) && ok; i++)
        append(secs, section(lc_doc_get(d, i), &ok), &ok);
    set(root, "sections", secs, &ok);
    if (!ok) {
        json_decref(root);
        return LC_ENOMEM;
    }
    rc = json_dumpf(root, out, JSON_INDENT(1) | JSON_REAL_PRECISION(17) | JSON_ENSURE_ASCII);
    json_decref(root);
    fputc('\n', out);
    return rc == 0 ? LC_OK : LC_EOUTPUT;
}
