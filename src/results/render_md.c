/* render_md.c — Markdown: headings, facts, pipe tables, warnings and charts
 * linked by relative path.  All document text passes md_text, so scenario
 * text can neither open markup (links, images, code, HTML) nor break a line
 * or a table cell. */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

/* Text inside a line: a table cell, a heading, a list item. */
static void md_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fputc(' ', out); /* CR, LF and tabs would end a line or a cell */
        else if (*p == '<')
            fputs("&lt;", out);
        else if (*p == '>')
            fputs("&gt;", out);
        else if (*p == '&')
            fputs("&amp;", out);
        else if (strchr("\\`*_{}[]()|~", *p))
            fprintf(out, "\\%c", *p);
        else
            fputc(*p, out);
    }
}

/* Text that starts a line (a paragraph): what would open a heading, a list,
 * a quote or a numbered item there is escaped too. */
static void md_line(FILE *out, const char *s)
{
    const char *p = s ? s : "";
    size_t digits = strspn(p, "0123456789");
    if (*p && strchr("#+-=>", *p))
        fputc('\\', out);
    else if (digits && (p[digits] == '.' || p[digits] == ')')) {
        fwrite(p, 1, digits, out);
        fputc('\\', out);
        p += digits;
    }
    md_text(out, p);
}

/* A chart's path relative to the report's folder, percent-encoded. */
static void md_path(FILE *out, const char *path, const char *base)
{
    size_t bl = base ? strlen(base) : 0;
    const unsigned char *p = (const unsigned char *)path;
    if (bl && strncmp(path, base, bl) == 0 && path[bl] == '/')
        p += bl + 1;
    for (; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            strchr("._~/-", *p))
            fputc(*p, out);
        else
            fprintf(out, "%%%02X", *p);
    }
}

static int table(FILE *out, const lc_rtable *t, const lc_render_opts *o)
{
    size_t nc = lc_rtable_ncols(t), nv, i, r;
    size_t *cols = malloc((nc ? nc : 1) * sizeof *cols);
    if (cols == NULL)
        return LC_ENOMEM;
    nv = lc_render_visible(t, o, cols, 0);
    if (lc_rtable_title(t) && *lc_rtable_title(t)) {
        fputs("**", out);
        md_text(out, lc_rtable_title(t));
        fputs("**\n\n", out);
    }
    for (i = 0; i < nv; i++) {
        fputs("| ", out);
        md_text(out, lc_render_header(t, cols[i], o));
        fputc(' ', out);
    }
    fputs("|\n", out);
    for (i = 0; i < nv; i++) {
        int num = lc_rtable_nrows(t) > 0 && lc_render_is_num(t, 0, cols[i]);
        fputs(num ? "| ---: " : "| --- ", out);
    }
    fputs("|\n", out);
    for (r = 0; r < lc_rtable_nrows(t); r++) {
        for (i = 0; i < nv; i++) {
            char *c = lc_render_cell(t, r, cols[i], o);
            if (c == NULL) {
                free(cols);
                return LC_ENOMEM;
            }
            fputs("| ", out);
            md_text(out, c);
            fputc(' ', out);
            free(c);
        }
        fputs("|\n", out);
    }
    fputc('\n', out);
    /* Long columns: one item per row, after the table. */
    for (r = 0; r < lc_rtable_nrows(t); r++) {
        size_t c;
        if (!lc_render_has_notes(t, r))
            continue;
        fputs("- **", out);
        md_text(out, lc_render_cell_key(t, r));
        fputs("**", out);
        for (c = lc_render_next_note(t, r, (size_t)-1); c != (size_t)-1;
             c = lc_render_next_note(t, r, c)) {
            fputs(" — ", out);
            md_text(out, lc_render_header(t, c, o));
            fputs(": ", out);
            md_text(out, lc_rtable_cell_text(t, r, c));
        }
        fputc('\n', out);
    }
    if (lc_rtable_nrows(t) && nc)
        fputc('\n', out);
    free(cols);
    return LC_OK;
}

int lc_render_markdown(const lc_doc *d, const lc_render_opts *o, FILE *out)
{
    size_t i, k;
    if (lc_doc_title(d)) {
        fputs("# ", out);
        md_text(out, lc_doc_title(d));
        fputs("\n\n", out);
    }
    for (i = 0; i < lc_doc_nsections(d); i++) {
        const lc_section *s = lc_doc_get(d, i);
        int level = lc_section_level(s) + 1;
        if (*lc_section_title(s)) {
            fprintf(out, "%.*s ", level > 6 ? 6 : level, "######");
            md_text(out, lc_section_title(s));
            fputs("\n\n", out);
        }
        for (k = 0; k < lc_section_nfacts(s); k++) {
            char *v = lc_render_fact(s, k, o);
            if (v == NULL)
                return LC_ENOMEM;
            fputs("- ", out);
            md_text(out, lc_section_fact_key(s, k));
            fputs(": ", out);
            md_text(out, v);
            free(v);
            fputc('\n', out);
        }
        if (lc_section_nfacts(s))
            fputc('\n', out);
        for (k = 0; k < lc_section_ntexts(s); k++) {
            md_line(out, lc_section_text_at(s, k));
            fputs("\n\n", out);
        }
        for (k = 0; k < lc_section_ntables(s); k++)
            if (table(out, lc_section_table_at(s, k), o) != LC_OK)
                return LC_ENOMEM;
        for (k = 0; k < lc_section_nwarnings(s); k++) {
            fputs("> **Warning:** ", out);
            md_text(out, lc_section_warning_at(s, k));
            fputs("\n\n", out);
        }
        for (k = 0; k < lc_section_ncharts(s); k++) {
            const lc_rchart *c = lc_section_chart_at(s, k);
            if (lc_rchart_file(c) == NULL)
                continue;
            fputs("![", out);
            md_text(out, lc_rchart_spec(c)->title);
            fputs("](", out);
            md_path(out, lc_rchart_file(c), o->base_dir);
            fputs(")\n\n", out);
        }
    }
    return LC_OK;
}
