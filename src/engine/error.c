/* error.c — positioned error messages. */
#include "lc_error.h"

#include <stdarg.h>
#include <string.h>

void lc_error_clear(lc_error *err)
{
    memset(err, 0, sizeof *err);
}

int lc_error_set(lc_error *err, int code, lc_mark at, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->code != LC_OK)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", at.file ? at.file : "");
    err->line = at.line;
    err->col = at.col;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int lc_error_nomem(lc_error *err)
{
    return lc_error_set(err, LC_ENOMEM, lc_mark_none(), "out of memory");
}

lc_mark lc_mark_none(void)
{
    lc_mark m = {NULL, 0, 0};
    return m;
}

void lc_error_print(const lc_error *err, FILE *out)
{
    if (err->file[0] != '\0') {
        fputs(err->file, out);
        if (err->line > 0) {
            fprintf(out, ":%d", err->line);
            if (err->col > 0)
                fprintf(out, ":%d", err->col);
        }
        fputs(": ", out);
    } else {
        fputs("llmcost: ", out);
    }
    fprintf(out, "error: %s\n", err->msg);
}
