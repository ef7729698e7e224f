/* render_html.c — one self-contained HTML page: a table of contents, the
 * sections with their facts, tables, warnings and charts (embedded as data:
 * URIs when asked, so the page opens with nothing but a browser).  Every
 * piece of document text is escaped by html_text. */
#include <stdlib.h>
#include <string.h>

#include "lc_io.h"
#include "render_internal.h"

static void html_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (; *p; p++) {
        switch (*p) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*p < 0x20 || *p == 0x7f ? ' ' : *p, out);
        }
    }
}

static void base64(FILE *out, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    for (i = 0; i + 2 < n; i += 3) {
        fputc(tab[p[i] >> 2], out);
        fputc(tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)], out);
        fputc(tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)], out);
        fputc(tab[p[i + 2] & 63], out);
    }
    if (i < n) {
        fputc(tab[p[i] >> 2], out);
        if (i + 1 < n) {
            fputc(tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)], out);
            fputc(tab[(p[i + 1] & 15) << 2], out);
        } else {
            fputc(tab[(p[i] & 3) << 4], out);
            fputc('=', out);
        }
        fputc('=', out);
    }
}

static const char *ext_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : "";
}

static void chart(FILE *out, const lc_rchart *c, const lc_render_opts *o)
{
    const char *path = lc_rchart_file(c), *ext;
    const char *title = lc_rchart_spec(c)->title;
    char *data = NULL;
    size_t len = 0;
    lc_error err;
    if (path == NULL)
        return;
    ext = ext_of(path);
    fputs("<figure>", out);
    lc_error_clear(&err);
    if (strcmp(ext, "pdf") == 0 || !o->embed_charts) {
        size_t bl = o->base_dir ? strlen(o->base_dir) : 0;
        const char *rel =
            bl && strncmp(path, o->base_dir, bl) == 0 && path[bl] == '/' ? path + bl + 1 : path;
        fputs(strcmp(ext, "pdf") == 0 ? "<a href=\"" : "<img src=\"", out);
        html_text(out, rel);
        fputs(strcmp(ext, "pdf") == 0 ? "\">" : "\" alt=\"", out);
        html_text(out, title);
        fputs(strcmp(ext, "pdf") == 0 ? "</a>" : "\">", out);
    } else if (lc_read_file(path, 64u << 20, &data, &len, &err) == LC_OK) {
        fputs("<img alt=\"", out);
        html_text(out, title);
        fprintf(out, "\" src=\"data:image/%s;base64,", strcmp(ext, "svg") == 0 ? "svg+xml" : "png");
        base64(out, (const unsigned char *)data, len);
        fputs("\">", out);
        free(data);
    } else {
        fputs("<p class=missing>chart missing: ", out);
        html_text(out, path);
        fputs("</p>", out);
    }
    fputs("<figcaption>", out);
    html_text(out, title);
    fputs("</figcaption></figure>\n", out);
}

static int table(FILE *out, const lc_rtable *t, const lc_render_opts *o)
{
    size_t nc = lc_rtable_ncols(t), nv, i, r;
    size_t *cols = malloc((nc ? nc : 1) * sizeof *cols);
    if (cols == NULL)
        return LC_ENOMEM;
    nv = lc_render_visible(t, o, cols, 0);
    fputs("<table>", out);
    if (lc_rtable_title(t) && *lc_rtable_title(t)) {
        fputs("<caption>", out);
        html_text(out, lc_rtable_title(t));
        fputs("</caption>", out);
    }
    fputs("\n<thead><tr>", out);
    for (i = 0; i < nv; i++) {
        fputs("<th title=\"", out);
        html_text(out, lc_rtable_col_name(t, cols[i]));
        fputs("\">", out);
        html_text(out, lc_render_header(t, cols[i], o));
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (r = 0; r < lc_rtable_nrows(t); r++) {
        fputs("<tr>", out);
        for (i = 0; i < nv; i++) {
            char *c = lc_render_cell(t, r, cols[i], o);
            if (c == NULL) {
                free(cols);
                return LC_ENOMEM;
            }
            fputs(lc_render_is_num(t, r, cols[i]) ? "<td class=num>" : "<td>", out);
            html_text(out, c);
            fputs("</td>", out);
            free(c);
        }
        fputs("</tr>\n", out);
        /* Long columns: a row of their own under the row, folded. */
        if (lc_render_has_notes(t, r)) {
            size_t k;
            fprintf(out, "<tr class=notes><td colspan=%zu><details><summary>more</summary>", nv);
            for (k = lc_render_next_note(t, r, (size_t)-1); k != (size_t)-1;
                 k = lc_render_next_note(t, r, k)) {
                fputs("<p><strong>", out);
                html_text(out, lc_render_header(t, k, o));
                fputs(":</strong> ", out);
                html_text(out, lc_rtable_cell_text(t, r, k));
                fputs("</p>", out);
            }
            fputs("</details></td></tr>\n", out);
        }
    }
    fputs("</tbody></table>\n", out);
    free(cols);
    return LC_OK;
}

static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;"
    "margin:2em auto;padding:0 1em;color:#222;line-height:1.45}"
    "h1{border-bottom:2px solid #357;padding-bottom:.2em}h2{margin-top:2em;color:#235}"
    "h3{margin-top:1.5em;color:#346}"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.92em;display:block;overflow-x:auto;max-width:100%}"
    "caption{text-align:left;font-weight:600;padding:.3em 0}"
    "th,td{border:1px solid #ccd;padding:.25em .6em;vertical-align:top}"
    "th{background:#eef2f7;text-align:left}td.num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}tbody tr:nth-child(even){background:#f8f9fb}"
    ".facts{color:#555;font-size:.9em}.warning{background:#fff4e0;border-left:4px solid #e90;"
    "padding:.4em .8em;margin:.6em 0}tr.notes td{background:#fff;font-size:.9em}"
    "tr.notes p{margin:.2em 0}nav.toc{background:#f4f6f9;padding:.6em 1.2em;"
    "border-radius:6px}nav.toc ul{margin:.2em 0}figure{margin:1em 0}figure img{max-width:100%;"
    "border:1px solid #dde}figcaption{font-size:.85em;color:#555}.missing{color:#a00}";

int lc_render_html(const lc_doc *d, const lc_render_opts *o, FILE *out)
{
    size_t i, k;
    int open = 0;
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=\"utf-8\">\n<title>", out);
    html_text(out, lc_doc_title(d) ? lc_doc_title(d) : "llmcost");
    fprintf(out, "</title>\n<style>%s</style></head>\n<body>\n", style);
    if (lc_doc_title(d)) {
        fputs("<h1>", out);
        html_text(out, lc_doc_title(d));
        fputs("</h1>\n", out);
    }
    /* Contents: every titled section of level 1 and 2, nested. */
    fputs("<nav class=toc><strong>Contents</strong>\n<ul>\n", out);
    for (i = 0; i < lc_doc_nsections(d); i++) {
        const lc_section *s = lc_doc_get(d, i);
        if (!*lc_section_title(s) || lc_section_level(s) > 2)
            continue;
        if (lc_section_level(s) == 2 && !open) {
            fputs("<ul>\n", out);
            open = 1;
        } else if (lc_section_level(s) <= 1 && open) {
            fputs("</ul>\n", out);
            open = 0;
        }
        fprintf(out, "<li><a href=\"#s%zu\">", i);
        html_text(out, lc_section_title(s));
        fputs("</a></li>\n", out);
    }
    fputs(open ? "</ul>\n</ul></nav>\n" : "</ul></nav>\n", out);
    for (i = 0; i < lc_doc_nsections(d); i++) {
        const lc_section *s = lc_doc_get(d, i);
        int level = lc_section_level(s) + 1;
        if (level > 6)
            level = 6;
        fprintf(out, "<section id=\"s%zu\" data-id=\"", i);
        html_text(out, lc_section_id(s));
        fputs("\">\n", out);
        if (*lc_section_title(s)) {
            fprintf(out, "<h%d>", level);
            html_text(out, lc_section_title(s));
            fprintf(out, "</h%d>\n", level);
        }
        if (lc_section_nfacts(s)) {
            fputs("<p class=facts>", out);
            for (k = 0; k < lc_section_nfacts(s); k++) {
                char *v = lc_render_fact(s, k, o);
                if (v == NULL)
                    return LC_ENOMEM;
                fputs(k ? " · " : "", out);
                html_text(out, lc_section_fact_key(s, k));
                fputs(": ", out);
                html_text(out, v);
                free(v);
            }
            fputs("</p>\n", out);
        }
        for (k = 0; k < lc_section_ntexts(s); k++) {
            fputs("<p>", out);
            html_text(out, lc_section_text_at(s, k));
            fputs("</p>\n", out);
        }
        for (k = 0; k < lc_section_nwarnings(s); k++) {
            fputs("<div class=warning><strong>Warning:</strong> ", out);
            html_text(out, lc_section_warning_at(s, k));
            fputs("</div>\n", out);
        }
        for (k = 0; k < lc_section_ntables(s); k++)
            if (table(out, lc_section_table_at(s, k), o) != LC_OK)
                return LC_ENOMEM;
        for (k = 0; k < lc_section_ncharts(s); k++)
            chart(out, lc_section_chart_at(s, k), o);
        fputs("</section>\n", out);
    }
    fputs("</body></html>\n", out);
    return LC_OK;
}
