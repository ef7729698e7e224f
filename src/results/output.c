/* output.c — tables, CSV and JSON. */
#include "lc_output.h"

#include "lc_escape.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_units.h"
#include "lc_util.h"

struct lc_table {
    size_t ncols, nrows, caprows;
    char **cols;
    unsigned char *numeric;
    char **cells; /* nrows * ncols strings (NULL = empty) */
    double *nums; /* nrows * ncols numbers for numeric columns */
};

lc_table *lc_table_alloc(const char *const *cols, size_t ncols)
{
    lc_table *t = calloc(1, sizeof *t);
    size_t i;
    if (t == NULL)
        return NULL;
    t->ncols = ncols;
    t->cols = calloc(ncols, sizeof *t->cols);
    t->numeric = calloc(ncols, 1);
    if (t->cols == NULL || t->numeric == NULL) {
        lc_table_free(t);
        return NULL;
    }
    for (i = 0; i < ncols; i++)
        if ((t->cols[i] = lc_strdup(cols[i])) == NULL) {
            lc_table_free(t);
            return NULL;
        }
    return t;
}

void lc_table_free(lc_table *t)
{
    size_t i;
    if (t == NULL)
        return;
    for (i = 0; i < t->ncols; i++)
        free(t->cols ? t->cols[i] : NULL);
    for (i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cols);
    free(t->numeric);
    free(t->cells);
    free(t->nums);
    free(t);
}

void lc_table_set_numeric(lc_table *t, size_t c)
{
    t->numeric[c] = 1;
}

int lc_table_row(lc_table *t)
{
    size_t i;
    if (t->nrows == t->caprows) {
        size_t cap = t->caprows ? t->caprows * 2 : 16;
        char **nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
        double *nn;
        if (nc == NULL)
            return -1;
        t->cells = nc;
        nn = realloc(t->nums, cap * t->ncols * sizeof *nn);
        if (nn == NULL)
            return -1;
        t->nums = nn;
        t->caprows = cap;
    }
    for (i = 0; i < t->ncols; i++) {
        t->cells[t->nrows * t->ncols + i] = NULL;
        t->nums[t->nrows * t->ncols + i] = NAN;
    }
    t->nrows++;
    return 0;
}

int lc_table_str(lc_table *t, size_t c, const char *s)
{
    char **cell = &t->cells[(t->nrows - 1) * t->ncols + c];
    free(*cell);
    *cell = s ? lc_strdup(s) : NULL;
    return s && *cell == NULL ? -1 : 0;
}

int lc_table_num(lc_table *t, size_t c, double v)
{
    t->nums[(t->nrows - 1) * t->ncols + c] = v;
    return 0;
}

size_t lc_table_rows(const lc_table *t)
{
    return t->nrows;
}

size_t lc_text_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            w++;
            p++;
        } else if ((*p & 0xE0) == 0xC0) {
            w++;
            p += p[1] ? 2 : 1;
        } else if ((*p & 0xF0) == 0xE0) {
            /* Most 3-byte sequences in scenario names are CJK: two columns. */
            w += 2;
            p += (p[1] && p[2]) ? 3 : 1;
        } else {
            w += 2;
            p += (p[1] && p[2] && p[3]) ? 4 : 1;
        }
    }
    return w;
}

/* A number formatted into buf, or the text cell itself: never a cut copy. */
static const char *cell_text(const lc_table *t, size_t r, size_t c, char *buf, size_t size,
                             int exact)
{
    size_t k = r * t->ncols + c;
    if (t->numeric[c]) {
        double v = t->nums[k];
        if (!isfinite(v))
            snprintf(buf, size, "%s", exact ? "" : isnan(v) ? "-" : v > 0 ? "inf" : "-inf");
        else if (exact)
            snprintf(buf, size, "%.17g", v);
        else
            lc_units_format_number(v, buf, size);
        return buf;
    }
    return t->cells[k] ? t->cells[k] : "";
}

/* Columns a text takes on a terminal once its controls are shown escaped. */
static size_t shown_width(const char *s)
{
    char esc[4096];
    size_t n;
    if (lc_escape_is_plain(s))
        return lc_text_width(s);
    n = lc_escape_buf(LC_ESC_TERMINAL, s, esc, sizeof esc);
    return n < sizeof esc ? lc_text_width(esc) : n; /* longer: bytes, near enough */
}

void lc_json_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    fputc('"', out);
    for (; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void lc_json_number(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.17g", v);
    else
        fputs("null", out);
}

static void csv_field(FILE *out, const char *s)
{
    lc_escape_fputs(LC_ESC_CSV, s, out);
}

void lc_table_print(const lc_table *t, lc_format f, FILE *out)
{
    size_t r, c;
    char buf[128]; /* a formatted number */

    if (f == LC_FORMAT_JSON) {
        fputs("[", out);
        for (r = 0; r < t->nrows; r++) {
            fputs(r ? ",\n  {" : "\n  {", out);
            for (c = 0; c < t->ncols; c++) {
                if (c)
                    fputs(", ", out);
                lc_json_string(out, t->cols[c]);
                fputs(": ", out);
                if (t->numeric[c])
                    lc_json_number(out, t->nums[r * t->ncols + c]);
                else if (t->cells[r * t->ncols + c] == NULL)
                    fputs("null", out);
                else
                    lc_json_string(out, t->cells[r * t->ncols + c]);
            }
            fputs("}", out);
        }
        fputs(t->nrows ? "\n]" : "]", out);
        return;
    }
    if (f == LC_FORMAT_CSV) {
        for (c = 0; c < t->ncols; c++) {
            if (c)
                fputc(',', out);
            csv_field(out, t->cols[c]);
        }
        fputs("\r\n", out);
        for (r = 0; r < t->nrows; r++) {
            for (c = 0; c < t->ncols; c++) {
                if (c)
                    fputc(',', out);
                if (t->numeric[c])
                    fputs(cell_text(t, r, c, buf, sizeof buf, 1), out);
                else
                    csv_field(out, cell_text(t, r, c, buf, sizeof buf, 1));
            }
            fputs("\r\n", out);
        }
        return;
    }
    {
        /* Column widths on the stack for the usual tables, so that printing
         * cannot fail (and lose the table) when memory is short. */
        size_t wbuf[32];
        size_t *w = t->ncols <= 32 ? wbuf : calloc(t->ncols, sizeof *w);
        if (w == NULL) {
            fputs("(out of memory: table not printed)\n", out);
            return;
        }
        for (c = 0; c < t->ncols; c++)
            w[c] = shown_width(t->cols[c]);
        for (r = 0; r < t->nrows; r++)
            for (c = 0; c < t->ncols; c++) {
                size_t n = shown_width(cell_text(t, r, c, buf, sizeof buf, 0));
                if (n > w[c])
                    w[c] = n;
            }
        for (r = 0; r <= t->nrows; r++) {
            for (c = 0; c < t->ncols; c++) {
                const char *text = r == 0 ? t->cols[c] : cell_text(t, r - 1, c, buf, sizeof buf, 0);
                size_t n = shown_width(text), pad = w[c] - n;
                /* Numbers right-aligned, text left-aligned; no trailing blanks;
                 * controls in user text (an ESC from YAML) shown escaped */
                if (t->numeric[c] && r > 0)
                    fprintf(out, "%*s", (int)pad, "");
                lc_escape_fputs(LC_ESC_TERMINAL, text, out);
                if (!(t->numeric[c] && r > 0) && c + 1 < t->ncols)
                    fprintf(out, "%*s", (int)pad, "");
                if (c + 1 < t->ncols)
                    fputs("  ", out);
            }
            fputc('\n', out);
        }
        if (w != wbuf)
            free(w);
    }
}
