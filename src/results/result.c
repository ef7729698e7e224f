/* result.c — the document model: sections, tables and charts, owned copies. */
#include "lc_result.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_error.h"
#include "lc_util.h"

typedef struct cell {
    lc_celltype type;
    lc_colkind kind; /* LC_COL_TEXT = the column's kind */
    int has_kind;
    double num;
    char *text; /* text, or a missing cell's reason */
} cell;

typedef struct column {
    char *name, *label, *unit;
    lc_colkind kind;
    size_t unit_col; /* (size_t)-1: none */
    int detail;
} column;

struct lc_rtable {
    lc_doc *doc;
    char *id, *title;
    column *cols;
    size_t ncols, capcols;
    cell *cells; /* nrows * ncols, row by row; fixed once the first row starts */
    size_t nrows, caprows;
};

struct lc_rchart {
    lc_chart spec; /* pointers into the copies below */
    double *data;
    char **col_names, **row_labels;
    lc_plot_marker *markers;
    char *title, *xlabel, *ylabel, *y2label, *zlabel;
    char *stem, *unit, *file;
};

typedef struct fact {
    char *key, *text, *unit;
    double num;
    lc_colkind kind;
    int detail;
} fact;

struct lc_section {
    lc_doc *doc;
    int level;
    char *id, *title;
    fact *facts;
    size_t nfacts, capfacts;
    char **texts, **warnings;
    size_t ntexts, captexts, nwarnings, capwarnings;
    lc_rtable **tables;
    size_t ntables, captables;
    lc_rchart **charts;
    size_t ncharts, capcharts;
};

struct lc_doc {
    char *command, *currency, *title;
    lc_section **sections;
    size_t nsections, capsections;
    int nomem;
};

/* Returned after out-of-memory so that callers need not check; writes to it
 * are ignored because their doc is marked. */
static lc_section dummy_section;
static lc_rtable dummy_table;

static int grow(lc_doc *d, void **arr, size_t *cap, size_t need, size_t elem)
{
    size_t n;
    void *p;
    if (need <= *cap)
        return 0;
    n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    p = realloc(*arr, n * elem);
    if (p == NULL) {
        d->nomem = 1;
        return -1;
    }
    *arr = p;
    *cap = n;
    return 0;
}

static char *dup(lc_doc *d, const char *s)
{
    char *c;
    if (s == NULL)
        return NULL;
    c = lc_strdup(s);
    if (c == NULL)
        d->nomem = 1;
    return c;
}

const char *lc_colkind_name(lc_colkind k)
{
    static const char *names[] = {"text", "money", "share", "count", "quantity", "verdict", "unit"};
    return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "text";
}

/* --- documents ------------------------------------------------------------------ */

lc_doc *lc_doc_alloc(const char *command)
{
    lc_doc *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->command = lc_strdup(command);
    if (d->command == NULL) {
        free(d);
        return NULL;
    }
    return d;
}

static void table_free(lc_rtable *t)
{
    size_t i;
    for (i = 0; i < t->ncols; i++) {
        free(t->cols[i].name);
        free(t->cols[i].label);
        free(t->cols[i].unit);
    }
    for (i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].text);
    free(t->cols);
    free(t->cells);
    free(t->id);
    free(t->title);
    free(t);
}

static void chart_free(lc_rchart *c)
{
    size_t i;
    for (i = 0; c->col_names && i < c->spec.ncols; i++)
        free(c->col_names[i]);
    for (i = 0; c->row_labels && i < c->spec.nrows; i++)
        free(c->row_labels[i]);
    for (i = 0; c->markers && i < c->spec.nmarkers; i++)
        free((char *)c->markers[i].label);
    free(c->col_names);
    free(c->row_labels);
    free(c->markers);
    free(c->data);
    free(c->title);
    free(c->xlabel);
    free(c->ylabel);
    free(c->y2label);
    free(c->zlabel);
    free(c->stem);
    free(c->unit);
    free(c->file);
    free(c);
}

static void section_free(lc_section *s)
{
    size_t i;
    for (i = 0; i < s->nfacts; i++) {
        free(s->facts[i].key);
        free(s->facts[i].text);
        free(s->facts[i].unit);
    }
    for (i = 0; i < s->ntexts; i++)
        free(s->texts[i]);
    for (i = 0; i < s->nwarnings; i++)
        free(s->warnings[i]);
    for (i = 0; i < s->ntables; i++)
        table_free(s->tables[i]);
    for (i = 0; i < s->ncharts; i++)
        chart_free(s->charts[i]);
    free(s->facts);
    free(s->texts);
    free(s->warnings);
    free(s->tables);
    free(s->charts);
    free(s->id);
    free(s->title);
    free(s);
}

void lc_doc_free(lc_doc *d)
{
    size_t i;
    if (d == NULL)
        return;
    for (i = 0; i < d->nsections; i++)
        section_free(d->sections[i]);
    free(d->sections);
    free(d->command);
    free(d->currency);
    free(d->title);
    free(d);
}

int lc_doc_status(const lc_doc *d)
{
    return d == NULL || d->nomem ? LC_ENOMEM : LC_OK;
}

void lc_doc_fail(lc_doc *d)
{
    if (d != NULL) /* NULL: the out-of-memory dummy section's document */
        d->nomem = 1;
}

const char *lc_doc_command(const lc_doc *d)
{
    return d->command;
}

void lc_doc_set_currency(lc_doc *d, const char *code)
{
    free(d->currency);
    d->currency = dup(d, code);
}

void lc_doc_set_title(lc_doc *d, const char *title)
{
    free(d->title);
    d->title = dup(d, title);
}

const char *lc_doc_title(const lc_doc *d)
{
    return d->title;
}

const char *lc_doc_currency(const lc_doc *d)
{
    return d->currency;
}

void lc_doc_take(lc_doc *d, lc_doc *src)
{
    size_t i;
    if (src->nomem)
        d->nomem = 1;
    if (grow(d, (void **)&d->sections, &d->capsections, d->nsections + src->nsections,
             sizeof *d->sections))
        return;
    for (i = 0; i < src->nsections; i++) {
        lc_section *s = src->sections[i];
        size_t k;
        s->doc = d;
        for (k = 0; k < s->ntables; k++)
            s->tables[k]->doc = d;
        d->sections[d->nsections++] = s;
    }
    src->nsections = 0;
}

size_t lc_doc_nsections(const lc_doc *d)
{
    return d->nsections;
}

lc_section *lc_doc_get(const lc_doc *d, size_t i)
{
    return d->sections[i];
}

/* --- sections ------------------------------------------------------------------- */

lc_section *lc_doc_section(lc_doc *d, int level, const char *id, const char *title)
{
    lc_section *s;
    if (d->nomem ||
        grow(d, (void **)&d->sections, &d->capsections, d->nsections + 1, sizeof *d->sections))
        return &dummy_section;
    s = calloc(1, sizeof *s);
    if (s == NULL) {
        d->nomem = 1;
        return &dummy_section;
    }
    s->doc = d;
    s->level = level;
    s->id = dup(d, id ? id : "");
    s->title = dup(d, title ? title : "");
    d->sections[d->nsections++] = s;
    return s;
}

static int dead(const lc_section *s)
{
    return s == &dummy_section || s->doc->nomem;
}

static void add_fact(lc_section *s, const char *key, const char *text, double num, const char *unit,
                     lc_colkind kind)
{
    fact *f;
    if (dead(s) || grow(s->doc, (void **)&s->facts, &s->capfacts, s->nfacts + 1, sizeof *s->facts))
        return;
    f = &s->facts[s->nfacts++];
    f->key = dup(s->doc, key);
    f->text = dup(s->doc, text);
    f->unit = dup(s->doc, unit ? unit : "");
    f->num = num;
    f->kind = kind;
    f->detail = 0;
}

void lc_section_fact(lc_section *s, const char *key, const char *value)
{
    add_fact(s, key, value ? value : "", NAN, NULL, LC_COL_TEXT);
}

void lc_section_fact_detail(lc_section *s, const char *key, const char *value)
{
    add_fact(s, key, value ? value : "", NAN, NULL, LC_COL_TEXT);
    if (!dead(s) && s->nfacts)
        s->facts[s->nfacts - 1].detail = 1;
}

void lc_section_fact_hide(lc_section *s)
{
    if (!dead(s) && s->nfacts)
        s->facts[s->nfacts - 1].detail = 1;
}

int lc_section_fact_is_detail(const lc_section *s, size_t i)
{
    return s->facts[i].detail;
}

void lc_section_fact_num(lc_section *s, const char *key, double value)
{
    add_fact(s, key, NULL, value, NULL, LC_COL_COUNT);
}

void lc_section_fact_qty(lc_section *s, const char *key, double value, const char *unit,
                         lc_colkind kind)
{
    add_fact(s, key, NULL, value, unit, kind);
}

static void add_line(lc_section *s, char ***arr, size_t *n, size_t *cap, const char *fmt,
                     va_list ap)
{
    char *text;
    va_list ap2;
    int len;
    if (dead(s))
        return;
    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0 || grow(s->doc, (void **)arr, cap, *n + 1, sizeof **arr))
        return;
    text = malloc((size_t)len + 1);
    if (text == NULL) {
        s->doc->nomem = 1;
        return;
    }
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    (*arr)[(*n)++] = text;
}

void lc_section_text(lc_section *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(s, &s->texts, &s->ntexts, &s->captexts, fmt, ap);
    va_end(ap);
}

void lc_section_warn(lc_section *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_line(s, &s->warnings, &s->nwarnings, &s->capwarnings, fmt, ap);
    va_end(ap);
}

lc_doc *lc_section_doc(const lc_section *s)
{
    return s->doc;
}

lc_doc *lc_rtable_doc(const lc_rtable *t)
{
    return t->doc;
}

int lc_section_level(const lc_section *s)
{
    return s->level;
}
const char *lc_section_id(const lc_section *s)
{
    return s->id ? s->id : "";
}
const char *lc_section_title(const lc_section *s)
{
    return s->title ? s->title : "";
}
size_t lc_section_nfacts(const lc_section *s)
{
    return s->nfacts;
}
const char *lc_section_fact_key(const lc_section *s, size_t i)
{
    return s->facts[i].key ? s->facts[i].key : "";
}
const char *lc_section_fact_text(const lc_section *s, size_t i)
{
    return s->facts[i].text;
}
double lc_section_fact_value(const lc_section *s, size_t i)
{
    return s->facts[i].num;
}
const char *lc_section_fact_unit(const lc_section *s, size_t i)
{
    return s->facts[i].unit ? s->facts[i].unit : "";
}
lc_colkind lc_section_fact_kind(const lc_section *s, size_t i)
{
    return s->facts[i].kind;
}
const char *lc_section_fact_get(const lc_section *s, const char *key)
{
    size_t i;
    for (i = 0; i < s->nfacts; i++)
        if (s->facts[i].key && strcmp(s->facts[i].key, key) == 0)
            return s->facts[i].text;
    return NULL;
}
size_t lc_section_ntexts(const lc_section *s)
{
    return s->ntexts;
}
const char *lc_section_text_at(const lc_section *s, size_t i)
{
    return s->texts[i];
}
size_t lc_section_nwarnings(const lc_section *s)
{
    return s->nwarnings;
}
const char *lc_section_warning_at(const lc_section *s, size_t i)
{
    return s->warnings[i];
}
size_t lc_section_ntables(const lc_section *s)
{
    return s->ntables;
}
lc_rtable *lc_section_table_at(const lc_section *s, size_t i)
{
    return s->tables[i];
}
size_t lc_section_ncharts(const lc_section *s)
{
    return s->ncharts;
}
lc_rchart *lc_section_chart_at(const lc_section *s, size_t i)
{
    return s->charts[i];
}

/* --- tables --------------------------------------------------------------------- */

lc_rtable *lc_section_table(lc_section *s, const char *id, const char *title)
{
    lc_rtable *t;
    if (dead(s) ||
        grow(s->doc, (void **)&s->tables, &s->captables, s->ntables + 1, sizeof *s->tables))
        return &dummy_table;
    t = calloc(1, sizeof *t);
    if (t == NULL) {
        s->doc->nomem = 1;
        return &dummy_table;
    }
    t->doc = s->doc;
    t->id = dup(s->doc, id ? id : "");
    t->title = dup(s->doc, title);
    s->tables[s->ntables++] = t;
    return t;
}

static int tdead(const lc_rtable *t)
{
    return t == &dummy_table || t->doc->nomem;
}

size_t lc_rtable_col(lc_rtable *t, const char *name, const char *label, const char *unit,
                     lc_colkind kind)
{
    column *c;
    if (tdead(t) || t->nrows > 0 ||
        grow(t->doc, (void **)&t->cols, &t->capcols, t->ncols + 1, sizeof *t->cols))
        return t->ncols;
    c = &t->cols[t->ncols];
    c->name = dup(t->doc, name);
    c->label = dup(t->doc, label ? label : name);
    c->unit = dup(t->doc, unit ? unit : "");
    c->kind = kind;
    c->unit_col = (size_t)-1;
    c->detail = 0;
    return t->ncols++;
}

void lc_rtable_unit_col(lc_rtable *t, size_t num, size_t unit_col)
{
    if (!tdead(t) && num < t->ncols && unit_col < t->ncols)
        t->cols[num].unit_col = unit_col;
}

void lc_rtable_detail(lc_rtable *t, size_t col)
{
    if (!tdead(t) && col < t->ncols)
        t->cols[col].detail = 1;
}

int lc_rtable_col_is_detail(const lc_rtable *t, size_t c)
{
    return t->cols[c].detail;
}

void lc_rtable_long(lc_rtable *t, size_t col)
{
    if (!tdead(t) && col < t->ncols)
        t->cols[col].detail = 2;
}

int lc_rtable_col_is_long(const lc_rtable *t, size_t c)
{
    return t->cols[c].detail == 2;
}

void lc_rtable_row(lc_rtable *t)
{
    size_t i;
    if (tdead(t) || t->ncols == 0 ||
        grow(t->doc, (void **)&t->cells, &t->caprows, (t->nrows + 1) * t->ncols, sizeof *t->cells))
        return;
    for (i = 0; i < t->ncols; i++)
        memset(&t->cells[t->nrows * t->ncols + i], 0, sizeof(cell));
    t->nrows++;
}

static cell *cur(lc_rtable *t, size_t col)
{
    if (tdead(t) || t->nrows == 0 || col >= t->ncols)
        return NULL;
    return &t->cells[(t->nrows - 1) * t->ncols + col];
}

void lc_rtable_text(lc_rtable *t, size_t col, const char *text)
{
    cell *c = cur(t, col);
    if (c == NULL)
        return;
    if (text == NULL) { /* a caller's allocation failed */
        t->doc->nomem = 1;
        return;
    }
    free(c->text);
    c->text = dup(t->doc, text);
    c->type = LC_CELL_TEXT;
}

void lc_rtable_num(lc_rtable *t, size_t col, double v)
{
    cell *c = cur(t, col);
    if (c == NULL)
        return;
    free(c->text);
    c->text = NULL;
    c->num = v;
    c->type = LC_CELL_NUM;
}

void lc_rtable_missing(lc_rtable *t, size_t col, const char *reason)
{
    cell *c = cur(t, col);
    if (c == NULL)
        return;
    free(c->text);
    c->text = dup(t->doc, reason);
    c->type = LC_CELL_MISSING;
}

void lc_rtable_cell_kind(lc_rtable *t, size_t col, lc_colkind kind)
{
    cell *c = cur(t, col);
    if (c == NULL)
        return;
    c->kind = kind;
    c->has_kind = 1;
}

const char *lc_rtable_id(const lc_rtable *t)
{
    return t->id ? t->id : "";
}
const char *lc_rtable_title(const lc_rtable *t)
{
    return t->title;
}
size_t lc_rtable_ncols(const lc_rtable *t)
{
    return t->ncols;
}
size_t lc_rtable_nrows(const lc_rtable *t)
{
    return t->nrows;
}
const char *lc_rtable_col_name(const lc_rtable *t, size_t c)
{
    return t->cols[c].name ? t->cols[c].name : "";
}
const char *lc_rtable_col_label(const lc_rtable *t, size_t c)
{
    return t->cols[c].label ? t->cols[c].label : lc_rtable_col_name(t, c);
}
const char *lc_rtable_col_unit(const lc_rtable *t, size_t c)
{
    return t->cols[c].unit ? t->cols[c].unit : "";
}
lc_colkind lc_rtable_col_kind(const lc_rtable *t, size_t c)
{
    return t->cols[c].kind;
}
size_t lc_rtable_col_unit_col(const lc_rtable *t, size_t c)
{
    return t->cols[c].unit_col;
}
int lc_rtable_col_is_unit_of_other(const lc_rtable *t, size_t c)
{
    size_t i;
    for (i = 0; i < t->ncols; i++)
        if (t->cols[i].unit_col == c)
            return 1;
    return 0;
}
lc_celltype lc_rtable_cell_type(const lc_rtable *t, size_t r, size_t c)
{
    return t->cells[r * t->ncols + c].type;
}
double lc_rtable_cell_num(const lc_rtable *t, size_t r, size_t c)
{
    const cell *x = &t->cells[r * t->ncols + c];
    return x->type == LC_CELL_NUM ? x->num : NAN;
}
const char *lc_rtable_cell_text(const lc_rtable *t, size_t r, size_t c)
{
    return t->cells[r * t->ncols + c].text;
}
const char *lc_rtable_cell_unit(const lc_rtable *t, size_t r, size_t c)
{
    size_t u = t->cols[c].unit_col;
    if (u != (size_t)-1) {
        const char *s = t->cells[r * t->ncols + u].text;
        return s ? s : "";
    }
    return lc_rtable_col_unit(t, c);
}
lc_colkind lc_rtable_cell_kind_at(const lc_rtable *t, size_t r, size_t c)
{
    const cell *x = &t->cells[r * t->ncols + c];
    return x->has_kind ? x->kind : t->cols[c].kind;
}

/* --- charts --------------------------------------------------------------------- */

static char **dup_list(lc_doc *d, const char *const *src, size_t n)
{
    char **out;
    size_t i;
    if (src == NULL)
        return NULL;
    out = calloc(n ? n : 1, sizeof *out);
    if (out == NULL) {
        d->nomem = 1;
        return NULL;
    }
    for (i = 0; i < n; i++)
        out[i] = dup(d, src[i] ? src[i] : "");
    return out;
}

lc_rchart *lc_section_chart(lc_section *s, const lc_chart *c, const char *stem, const char *unit)
{
    lc_rchart *r;
    lc_doc *d;
    size_t i, cells = c->nrows * c->ncols;
    if (dead(s) ||
        grow(s->doc, (void **)&s->charts, &s->capcharts, s->ncharts + 1, sizeof *s->charts))
        return NULL;
    d = s->doc;
    r = calloc(1, sizeof *r);
    if (r == NULL) {
        d->nomem = 1;
        return NULL;
    }
    r->spec = *c;
    r->title = dup(d, c->title);
    r->xlabel = dup(d, c->xlabel);
    r->ylabel = dup(d, c->ylabel);
    r->y2label = dup(d, c->y2label);
    r->zlabel = dup(d, c->zlabel);
    r->stem = dup(d, stem ? stem : "chart");
    r->unit = dup(d, unit ? unit : "");
    r->data = malloc((cells ? cells : 1) * sizeof *r->data);
    if (r->data == NULL)
        d->nomem = 1;
    else if (cells)
        memcpy(r->data, c->data, cells * sizeof *r->data);
    r->col_names = dup_list(d, c->col_names, c->ncols);
    r->row_labels = dup_list(d, c->row_labels, c->nrows);
    if (c->nmarkers) {
        r->markers = calloc(c->nmarkers, sizeof *r->markers);
        if (r->markers == NULL)
            d->nomem = 1;
        for (i = 0; r->markers && i < c->nmarkers; i++) {
            r->markers[i].x = c->markers[i].x;
            r->markers[i].label = dup(d, c->markers[i].label);
        }
    }
    if (r->markers == NULL)
        r->spec.nmarkers = 0;
    r->spec.title = r->title;
    r->spec.xlabel = r->xlabel;
    r->spec.ylabel = r->ylabel;
    r->spec.y2label = r->y2label;
    r->spec.zlabel = r->zlabel;
    r->spec.data = r->data;
    r->spec.col_names = (const char *const *)r->col_names;
    r->spec.row_labels = (const char *const *)r->row_labels;
    r->spec.markers = r->markers;
    s->charts[s->ncharts++] = r;
    return r;
}

const lc_chart *lc_rchart_spec(const lc_rchart *c)
{
    return &c->spec;
}
const char *lc_rchart_stem(const lc_rchart *c)
{
    return c->stem;
}
const char *lc_rchart_unit(const lc_rchart *c)
{
    return c->unit;
}
const char *lc_rchart_file(const lc_rchart *c)
{
    return c->file;
}
void lc_rchart_set_file(lc_rchart *c, const char *path)
{
    char *p = lc_strdup(path);
    if (p == NULL && path != NULL)
        return; /* keeps the chart as not drawn */
    free(c->file);
    c->file = p;
}
