/* render.c — dispatch to a renderer, and what the human formats share:
 * visible columns, headers, cells, widths and terminal-safe text. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"
#include "render_internal.h"

static int find_col(const lc_rtable *t, const char *name)
{
    size_t c;
    for (c = 0; c < lc_rtable_ncols(t); c++)
        if (strcmp(lc_rtable_col_name(t, c), name) == 0)
            return (int)c;
    return -1;
}

/* A column with no value in any row (the high end of claims that are not
 * ranges) says nothing to a reader. */
static int empty_col(const lc_rtable *t, size_t c)
{
    size_t r;
    for (r = 0; r < lc_rtable_nrows(t); r++)
        if (lc_rtable_cell_type(t, r, c) != LC_CELL_MISSING || lc_rtable_cell_text(t, r, c))
            return 0;
    return lc_rtable_nrows(t) > 0;
}

size_t lc_render_visible(const lc_rtable *t, const lc_render_opts *o, size_t *cols, int terminal)
{
    size_t c, n = 0;
    int name = find_col(t, "name"), label = find_col(t, "label");
    int names = o && o->names;
    for (c = 0; c < lc_rtable_ncols(t); c++) {
        if (lc_rtable_col_is_unit_of_other(t, c) || (terminal && lc_rtable_col_is_detail(t, c)) ||
            lc_rtable_col_is_long(t, c) || empty_col(t, c))
            continue;
        if (name >= 0 && label >= 0 && (int)c == (names ? label : name))
            continue;
        cols[n++] = c;
    }
    return n;
}

const char *lc_render_header(const lc_rtable *t, size_t c, const lc_render_opts *o)
{
    return o && o->names ? lc_rtable_col_name(t, c) : lc_rtable_col_label(t, c);
}

const char *lc_render_cell_key(const lc_rtable *t, size_t r)
{
    size_t c;
    for (c = 0; c < lc_rtable_ncols(t); c++)
        if (lc_rtable_cell_type(t, r, c) == LC_CELL_TEXT && !lc_rtable_col_is_unit_of_other(t, c))
            return lc_rtable_cell_text(t, r, c);
    return "";
}

size_t lc_render_next_note(const lc_rtable *t, size_t r, size_t after)
{
    size_t c;
    for (c = after + 1; c < lc_rtable_ncols(t); c++)
        if (lc_rtable_col_is_long(t, c) && lc_rtable_cell_type(t, r, c) == LC_CELL_TEXT &&
            *lc_rtable_cell_text(t, r, c))
            return c;
    return (size_t)-1;
}

int lc_render_has_notes(const lc_rtable *t, size_t r)
{
    return lc_render_next_note(t, r, (size_t)-1) != (size_t)-1;
}

char *lc_render_fact(const lc_section *s, size_t i, const lc_render_opts *o)
{
    const char *text = lc_section_fact_text(s, i);
    if (text)
        return lc_strdup(text);
    return lc_render_value(lc_section_fact_value(s, i), lc_section_fact_unit(s, i),
                           lc_section_fact_kind(s, i), o);
}

int lc_render_is_num(const lc_rtable *t, size_t r, size_t c)
{
    return lc_rtable_cell_type(t, r, c) == LC_CELL_NUM;
}

char *lc_render_cell(const lc_rtable *t, size_t r, size_t c, const lc_render_opts *o)
{
    switch (lc_rtable_cell_type(t, r, c)) {
    case LC_CELL_NUM:
        return lc_render_value(lc_rtable_cell_num(t, r, c), lc_rtable_cell_unit(t, r, c),
                               lc_rtable_cell_kind_at(t, r, c), o);
    case LC_CELL_TEXT:
        return lc_strdup(lc_rtable_cell_text(t, r, c));
    default: {
        const char *why = lc_rtable_cell_text(t, r, c);
        return lc_strdup(why ? why : "");
    }
    }
}

size_t lc_render_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        size_t len;
        if (*p < 0x80) {
            w++;
            p++;
            continue;
        }
        len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 1;
        if (len == 2)
            cp = *p & 0x1Fu;
        else if (len == 3)
            cp = *p & 0x0Fu;
        else
            cp = *p & 0x07u;
        {
            size_t i;
            for (i = 1; i < len; i++) {
                if ((p[i] & 0xC0) != 0x80) {
                    len = i;
                    break;
                }
                cp = (cp << 6) | (p[i] & 0x3Fu);
            }
        }
        /* Wide: CJK, Hangul, full-width forms and most emoji. */
        w += (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                     (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                     (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
                     (cp >= 0x20000 && cp <= 0x3FFFD)
                 ? 2
                 : 1;
        p += len;
    }
    return w;
}

char *lc_render_term_text(const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)p), o = 0;
    char *out = malloc(n * 4 + 1); /* every byte at most \xNN */
    if (out == NULL)
        return NULL;
    while (*p) {
        size_t len = 1, i;
        int valid = 1;
        if (*p >= 0x80) {
            len = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
            if (len == 0 || *p == 0xC0 || *p == 0xC1 || *p > 0xF4)
                valid = 0;
            for (i = 1; valid && i < len; i++)
                if ((p[i] & 0xC0) != 0x80)
                    valid = 0;
            /* C1 controls (U+0080..U+009F) are terminal commands too. */
            if (valid && len == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
                o += (size_t)sprintf(out + o, "\\x%02x", p[1]);
                p += 2;
                continue;
            }
            if (!valid) {
                o += (size_t)sprintf(out + o, "\\x%02x", *p);
                p++;
                continue;
            }
            memcpy(out + o, p, len);
            o += len;
            p += len;
            continue;
        }
        if (*p < 0x20 || *p == 0x7f) {
            const char *esc = *p == '\n'   ? "\\n"
                              : *p == '\r' ? "\\r"
                              : *p == '\t' ? "\\t"
                              : *p == 0x1b ? "\\e"
                                           : NULL;
            if (esc) {
                memcpy(out + o, esc, 2);
                o += 2;
            } else {
                o += (size_t)sprintf(out + o, "\\x%02x", *p);
            }
        } else {
            out[o++] = (char)*p;
        }
        p++;
    }
    out[o] = '\0';
    return out;
}

int lc_render(const lc_doc *d, lc_format f, const lc_render_opts *o, FILE *out, lc_error *err)
{
    lc_render_opts def;
    int rc;
    if (o == NULL) {
        lc_render_opts_init(&def);
        o = &def;
    }
    if (lc_doc_status(d) != LC_OK)
        return lc_error_nomem(err);
    errno = 0; /* what a failed write sets is the reason given */
    switch (f) {
    case LC_FORMAT_CSV:
        rc = lc_render_csv(d, o, out, err);
        if (rc != LC_OK)
            return rc;
        break;
    case LC_FORMAT_JSON:
        rc = lc_render_json(d, o, out);
        break;
    case LC_FORMAT_MARKDOWN:
        rc = lc_render_markdown(d, o, out);
        break;
    case LC_FORMAT_HTML:
        rc = lc_render_html(d, o, out);
        break;
    default:
        rc = lc_render_text(d, o, out);
    }
    if (rc == LC_ENOMEM)
        return lc_error_nomem(err);
    if (rc != LC_OK || fflush(out) != 0 || ferror(out))
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write the output: %s",
                            errno ? strerror(errno) : "write error");
    return LC_OK;
}
