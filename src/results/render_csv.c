/* render_csv.c — RFC 4180 CSV at full precision.
 *
 * A document holds several tables with different columns, and RFC 4180 has
 * one header per file, so the default is the long ("tidy") form: one record
 * per cell — section, table, row, column, value, unit — which keeps every
 * number, text, fact, warning and chart file.  --table ID prints one table in
 * wide form for a spreadsheet. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_escape.h"
#include "lc_util.h"

#include "render_internal.h"

static void field(FILE *out, const char *s, int text)
{
    /* A text cell a spreadsheet would evaluate is made plain text, and its
     * controls (an ESC from YAML) shown escaped: CSV goes to terminals too. */
    int formula = text && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
    if (text) {
        lc_escape_fputs(LC_ESC_CSV, s, out);
        return;
    }
    if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void number(FILE *out, double v)
{
    char buf[40];
    if (isnan(v))
        return; /* empty: not a number */
    if (isinf(v)) {
        fputs(v > 0 ? "inf" : "-inf", out);
        return;
    }
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%.17g", v);
    fputs(buf, out);
}

/* The key of row r: its first text cell, else its number from 1. */
static void row_key(const lc_rtable *t, size_t r, char *buf, size_t size, const char **key)
{
    size_t c;
    for (c = 0; c < lc_rtable_ncols(t); c++)
        if (lc_rtable_cell_type(t, r, c) == LC_CELL_TEXT && !lc_rtable_col_is_unit_of_other(t, c)) {
            *key = lc_rtable_cell_text(t, r, c);
            return;
        }
    snprintf(buf, size, "%zu", r + 1);
    *key = buf;
}

static void record(FILE *out, const char *sec, const char *tab, const char *row, const char *col)
{
    field(out, sec, 1);
    fputc(',', out);
    field(out, tab, 1);
    fputc(',', out);
    field(out, row, 1);
    fputc(',', out);
    field(out, col, 1);
    fputc(',', out);
}

static void long_form(const lc_doc *d, FILE *out)
{
    size_t i, k, r, c;
    fputs("section,table,row,column,value,unit\r\n", out);
    for (i = 0; i < lc_doc_nsections(d); i++) {
        const lc_section *s = lc_doc_get(d, i);
        const char *sid = lc_section_id(s);
        char idx[32];
        if (*lc_section_title(s)) {
            record(out, sid, "section", "title", "value");
            field(out, lc_section_title(s), 1);
            fputs(",\r\n", out);
        }
        for (k = 0; k < lc_section_nfacts(s); k++) {
            const char *text = lc_section_fact_text(s, k);
            record(out, sid, "facts", lc_section_fact_key(s, k), "value");
            if (text)
                field(out, text, 1);
            else
                number(out, lc_section_fact_value(s, k));
            fputs(",\r\n", out);
        }
        for (k = 0; k < lc_section_ntexts(s); k++) {
            snprintf(idx, sizeof idx, "%zu", k + 1);
            record(out, sid, "text", idx, "text");
            field(out, lc_section_text_at(s, k), 1);
            fputs(",\r\n", out);
        }
        for (k = 0; k < lc_section_ntables(s); k++) {
            const lc_rtable *t = lc_section_table_at(s, k);
            for (r = 0; r < lc_rtable_nrows(t); r++) {
                const char *key;
                row_key(t, r, idx, sizeof idx, &key);
                for (c = 0; c < lc_rtable_ncols(t); c++) {
                    lc_celltype ct = lc_rtable_cell_type(t, r, c);
                    if (lc_rtable_col_is_unit_of_other(t, c))
                        continue;
                    record(out, sid, lc_rtable_id(t), key, lc_rtable_col_name(t, c));
                    if (ct == LC_CELL_NUM)
                        number(out, lc_rtable_cell_num(t, r, c));
                    else if (ct == LC_CELL_TEXT)
                        field(out, lc_rtable_cell_text(t, r, c), 1);
                    fputc(',', out);
                    if (ct == LC_CELL_NUM)
                        field(out, lc_rtable_cell_unit(t, r, c), 1);
                    fputs("\r\n", out);
                }
            }
        }
        for (k = 0; k < lc_section_nwarnings(s); k++) {
            snprintf(idx, sizeof idx, "%zu", k + 1);
            record(out, sid, "warnings", idx, "text");
            field(out, lc_section_warning_at(s, k), 1);
            fputs(",\r\n", out);
        }
        for (k = 0; k < lc_section_ncharts(s); k++) {
            const lc_rchart *ch = lc_section_chart_at(s, k);
            record(out, sid, "charts", lc_rchart_stem(ch), "file");
            field(out, lc_rchart_file(ch) ? lc_rchart_file(ch) : "", 1);
            fputs(",\r\n", out);
        }
    }
}

static int wide_header(const lc_rtable *t, FILE *out)
{
    size_t c;
    fputs("section", out);
    for (c = 0; c < lc_rtable_ncols(t); c++) {
        const char *unit = lc_rtable_col_unit(t, c);
        char *head = NULL;
        fputc(',', out);
        if (*unit && lc_rtable_col_unit_col(t, c) == (size_t)-1)
            head = lc_aprintf("%s [%s]", lc_rtable_col_name(t, c), unit);
        if (head == NULL && *unit && lc_rtable_col_unit_col(t, c) == (size_t)-1)
            return LC_ENOMEM;
        field(out, head ? head : lc_rtable_col_name(t, c), 1);
        free(head);
    }
    fputs("\r\n", out);
    return LC_OK;
}

static void wide_rows(const char *sid, const lc_rtable *t, FILE *out)
{
    size_t r, c;
    for (r = 0; r < lc_rtable_nrows(t); r++) {
        field(out, sid, 1);
        for (c = 0; c < lc_rtable_ncols(t); c++) {
            fputc(',', out);
            if (lc_rtable_cell_type(t, r, c) == LC_CELL_NUM)
                number(out, lc_rtable_cell_num(t, r, c));
            else if (lc_rtable_cell_type(t, r, c) == LC_CELL_TEXT)
                field(out, lc_rtable_cell_text(t, r, c), 1);
        }
        fputs("\r\n", out);
    }
}

static int same_columns(const lc_rtable *a, const lc_rtable *b)
{
    size_t c;
    if (lc_rtable_ncols(a) != lc_rtable_ncols(b))
        return 0;
    for (c = 0; c < lc_rtable_ncols(a); c++)
        if (strcmp(lc_rtable_col_name(a, c), lc_rtable_col_name(b, c)) != 0 ||
            strcmp(lc_rtable_col_unit(a, c), lc_rtable_col_unit(b, c)) != 0)
            return 0;
    return 1;
}

/* Every table with the id, one block when their columns agree (the metrics
 * of several scenarios); the first column says which section a row is from. */
int lc_render_csv(const lc_doc *d, const lc_render_opts *o, FILE *out, lc_error *err)
{
    const lc_rtable *first = NULL;
    size_t i, k, pass;
    if (o->table == NULL) {
        long_form(d, out);
        return LC_OK;
    }
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < lc_doc_nsections(d); i++)
            for (k = 0; k < lc_section_ntables(lc_doc_get(d, i)); k++) {
                const lc_section *s = lc_doc_get(d, i);
                const lc_rtable *t = lc_section_table_at(s, k);
                if (strcmp(lc_rtable_id(t), o->table) != 0)
                    continue;
                if (first == NULL)
                    first = t;
                if (pass == 0 && !same_columns(first, t))
                    return lc_error_set(err, LC_EUSAGE, lc_mark_none(),
                                        "the tables '%s' of this output have different columns; "
                                        "run one scenario at a time for --table",
                                        o->table);
                if (pass == 1) {
                    if (t == first && wide_header(t, out) != LC_OK)
                        return lc_error_nomem(err);
                    wide_rows(lc_section_id(s), t, out);
                }
            }
    if (first == NULL)
        return lc_error_set(err, LC_EUSAGE, lc_mark_none(),
                            "no table '%s' in this output; the tables are listed in the 'table' "
                            "column of --format csv without --table",
                            o->table);
    return LC_OK;
}
