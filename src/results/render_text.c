/* render_text.c — the terminal renderer: titles, facts, aligned tables. */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"

/* Terminal-safe text; on out-of-memory a placeholder rather than raw bytes. */
static int put(FILE *out, const char *s)
{
    char *safe = lc_render_term_text(s);
    if (safe == NULL)
        return LC_ENOMEM;
    fputs(safe, out);
    free(safe);
    return LC_OK;
}

static size_t shown_facts(const lc_section *s)
{
    size_t i, n = 0;
    for (i = 0; i < lc_section_nfacts(s); i++)
        n += !lc_section_fact_is_detail(s, i);
    return n;
}

static int facts_line(const lc_section *s, const lc_render_opts *o, FILE *out)
{
    size_t i, n = 0;
    for (i = 0; i < lc_section_nfacts(s); i++) {
        char *v;
        int rc;
        if (lc_section_fact_is_detail(s, i))
            continue;
        fputs(n++ ? ", " : "", out);
        if (put(out, lc_section_fact_key(s, i)) || (v = lc_render_fact(s, i, o)) == NULL)
            return LC_ENOMEM;
        fputs(" ", out);
        rc = put(out, v);
        free(v);
        if (rc)
            return rc;
    }
    return LC_OK;
}

static int table(const lc_rtable *t, const lc_render_opts *o, FILE *out)
{
    size_t nr = lc_rtable_nrows(t), nc = lc_rtable_ncols(t), nv, r, i;
    size_t *cols = malloc((nc ? nc : 1) * sizeof *cols);
    size_t *w = calloc(nc ? nc : 1, sizeof *w);
    char **cells = calloc((nr + 1) * (nc ? nc : 1), sizeof *cells);
    int rc = LC_OK, *num = NULL;
    if (cols == NULL || w == NULL || cells == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    nv = lc_render_visible(t, o, cols, 1);
    num = calloc(nv ? nv : 1, sizeof *num);
    if (num == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < nv; i++) {
        cells[i] = lc_render_term_text(lc_render_header(t, cols[i], o));
        for (r = 0; r < nr; r++) {
            char *c = lc_render_cell(t, r, cols[i], o);
            cells[(r + 1) * nv + i] = c ? lc_render_term_text(c) : NULL;
            free(c);
            if (lc_render_is_num(t, r, cols[i]))
                num[i] = 1;
        }
    }
    for (r = 0; r <= nr; r++)
        for (i = 0; i < nv; i++) {
            size_t cw;
            if (cells[r * nv + i] == NULL) {
                rc = LC_ENOMEM;
                goto done;
            }
            cw = lc_render_width(cells[r * nv + i]);
            if (cw > w[i])
                w[i] = cw;
        }
    if (lc_rtable_title(t) && *lc_rtable_title(t)) {
        if ((rc = put(out, lc_rtable_title(t))) != LC_OK)
            goto done;
        fputc('\n', out);
    }
    for (r = 0; r <= nr; r++) {
        for (i = 0; i < nv; i++) {
            const char *c = cells[r * nv + i];
            size_t pad = w[i] - lc_render_width(c);
            /* Numbers right-aligned, text left-aligned; no trailing blanks. */
            if (num[i] && r > 0 && lc_render_is_num(t, r - 1, cols[i]))
                fprintf(out, "%*s%s", (int)pad, "", c);
            else if (i + 1 < nv)
                fprintf(out, "%s%*s", c, (int)pad, "");
            else
                fputs(c, out);
            if (i + 1 < nv)
                fputs("  ", out);
        }
        fputc('\n', out);
        /* Long columns: indented lines under their row. */
        if (r > 0) {
            size_t k;
            for (k = lc_render_next_note(t, r - 1, (size_t)-1); k != (size_t)-1;
                 k = lc_render_next_note(t, r - 1, k)) {
                fputs("    ", out);
                if ((rc = put(out, lc_render_header(t, k, o))) != LC_OK ||
                    (fputs(": ", out), rc = put(out, lc_rtable_cell_text(t, r - 1, k))) != LC_OK)
                    goto done;
                fputc('\n', out);
            }
        }
    }
done:
    if (cells)
        for (i = 0; i < (nr + 1) * (nc ? nc : 1); i++)
            free(cells[i]);
    free(cells);
    free(cols);
    free(w);
    free(num);
    return rc;
}

int lc_render_text(const lc_doc *d, const lc_render_opts *o, FILE *out)
{
    size_t i, k;
    for (i = 0; i < lc_doc_nsections(d); i++) {
        const lc_section *s = lc_doc_get(d, i);
        int rc;
        if (i > 0)
            fputc('\n', out);
        if (*lc_section_title(s)) {
            if (lc_section_level(s) <= 1)
                fputs("== ", out);
            if ((rc = put(out, lc_section_title(s))) != LC_OK)
                return rc;
            fputc('\n', out);
        }
        if (shown_facts(s)) {
            fputs("   ", out);
            if ((rc = facts_line(s, o, out)) != LC_OK)
                return rc;
            fputc('\n', out);
        }
        for (k = 0; k < lc_section_ntexts(s); k++) {
            if ((rc = put(out, lc_section_text_at(s, k))) != LC_OK)
                return rc;
            fputc('\n', out);
        }
        for (k = 0; k < lc_section_ntables(s); k++) {
            if (k > 0 || lc_section_ntexts(s) || shown_facts(s) || *lc_section_title(s))
                fputc('\n', out);
            if ((rc = table(lc_section_table_at(s, k), o, out)) != LC_OK)
                return rc;
        }
        for (k = 0; k < lc_section_nwarnings(s); k++) {
            fputs("warning: ", out);
            if ((rc = put(out, lc_section_warning_at(s, k))) != LC_OK)
                return rc;
            fputc('\n', out);
        }
        for (k = 0; k < lc_section_ncharts(s); k++) {
            const char *f = lc_rchart_file(lc_section_chart_at(s, k));
            if (f) {
                fputs("chart: ", out);
                if ((rc = put(out, f)) != LC_OK)
                    return rc;
                fputc('\n', out);
            }
        }
    }
    return LC_OK;
}
