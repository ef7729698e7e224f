/* draw.c — a document's charts into files. */
#include "lc_draw.h"

#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

char *lc_draw_default_dir(const char *path)
{
    char *stem = lc_path_stem(path), *out;
    size_t n;
    if (stem == NULL)
        return NULL;
    n = strlen(stem) + 8;
    out = malloc(n + 8);
    if (out) {
        lc_plot_stem(stem, out, n);
        strcat(out, "-charts");
    }
    free(stem);
    return out;
}

/* Has an earlier chart of d (before section si, chart ci) this stem? */
static int stem_taken(const lc_doc *d, size_t si, size_t ci, const char *dir, const char *stem,
                      const char *ext)
{
    size_t i, k;
    size_t dl = strlen(dir), sl = strlen(stem);
    for (i = 0; i <= si; i++) {
        const lc_section *s = lc_doc_get(d, i);
        for (k = 0; k < lc_section_ncharts(s) && (i < si || k < ci); k++) {
            const char *f = lc_rchart_file(lc_section_chart_at(s, k));
            if (f && strncmp(f, dir, dl) == 0 && f[dl] == '/' &&
                strncmp(f + dl + 1, stem, sl) == 0 && f[dl + 1 + sl] == '.' &&
                strcmp(f + dl + 2 + sl, ext) == 0)
                return 1;
        }
    }
    return 0;
}

int lc_draw(lc_doc *d, lc_plot_format fmt, const char *outdir, lc_error *err)
{
    size_t i, k;
    int first = LC_OK;
    char *dir = NULL;
    const char *ext = lc_plot_format_ext(fmt);
    for (i = 0; i < lc_doc_nsections(d); i++) {
        lc_section *s = lc_doc_get(d, i);
        if (lc_section_level(s) <= 1 && outdir == NULL && lc_section_fact_get(s, "file")) {
            free(dir);
            dir = lc_draw_default_dir(lc_section_fact_get(s, "file"));
            if (dir == NULL)
                return lc_error_nomem(err);
        }
        for (k = 0; k < lc_section_ncharts(s); k++) {
            lc_rchart *c = lc_section_chart_at(s, k);
            const char *where = outdir ? outdir : dir ? dir : "charts";
            size_t len = strlen(lc_rchart_stem(c)) + 16;
            char *stem = malloc(len), *file;
            unsigned n = 1;
            lc_error e2;
            if (lc_rchart_file(c))
                continue;
            if (stem == NULL) {
                free(dir);
                return lc_error_nomem(err);
            }
            lc_plot_stem(lc_rchart_stem(c), stem, len);
            while (stem_taken(d, i, k, where, stem, ext)) {
                char *base = malloc(len);
                if (base == NULL)
                    break;
                lc_plot_stem(lc_rchart_stem(c), base, len - 12);
                snprintf(stem, len, "%s-%u", base, ++n);
                free(base);
            }
            lc_error_clear(&e2);
            if (lc_plot_render(lc_rchart_spec(c), fmt, where, stem, NULL, &e2) != LC_OK) {
                if (first == LC_OK) {
                    *err = e2;
                    first = e2.code;
                }
                free(stem);
                continue;
            }
            if (lc_plot_last_path() == NULL) { /* no gnuplot: data and script only */
                free(stem);
                continue;
            }
            /* the name plot.c chose: unique among the run's charts too */
            file = lc_strdup(lc_plot_last_path());
            if (file == NULL) {
                free(stem);
                free(dir);
                return lc_error_nomem(err);
            }
            lc_rchart_set_file(c, file);
            free(file);
            free(stem);
        }
    }
    free(dir);
    return first;
}
