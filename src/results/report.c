/* report.c — a document as report.html and report.md with its charts. */
#include "lc_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lc_draw.h"
#include "lc_io.h"
#include "lc_render.h"
#include "lc_util.h"

static int write_one(const lc_doc *d, const char *dir, const char *name, lc_format f, lc_error *err)
{
    lc_atomic_file out;
    lc_render_opts o;
    char *path = lc_aprintf("%s/%s", dir, name);
    int rc;
    if (path == NULL)
        return lc_error_nomem(err);
    rc = lc_atomic_open(&out, path, err);
    if (rc != LC_OK) {
        free(path);
        return rc;
    }
    lc_render_opts_init(&o);
    o.embed_charts = f == LC_FORMAT_HTML;
    o.base_dir = dir;
    if ((rc = lc_render(d, f, &o, out.fp, err)) != LC_OK) {
        if (rc == LC_EOUTPUT) { /* name the file: "the output" is not stdout here */
            int saved = errno;
            lc_error_clear(err);
            errno = saved;
            lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", path,
                         errno ? strerror(errno) : "write error");
        }
        lc_atomic_abort(&out);
        free(path);
        return rc;
    }
    free(path);
    return lc_atomic_commit(&out, err);
}

int lc_report_write(lc_doc *d, const char *dir, lc_error *err)
{
    lc_error chart_err;
    int charts, rc;
    if ((rc = lc_make_dir(dir, err)) != LC_OK)
        return rc;
    lc_error_clear(&chart_err);
    charts = lc_draw(d, LC_PLOT_PNG, dir, &chart_err);
    if (charts != LC_OK && lc_doc_nsections(d) > 0)
        lc_section_warn(lc_doc_get(d, 0), "some charts could not be drawn: %s", chart_err.msg);
    if ((rc = write_one(d, dir, "report.html", LC_FORMAT_HTML, err)) != LC_OK ||
        (rc = write_one(d, dir, "report.md", LC_FORMAT_MARKDOWN, err)) != LC_OK)
        return rc;
    if (charts != LC_OK) {
        *err = chart_err;
        return charts;
    }
    return LC_OK;
}
