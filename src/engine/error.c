/* error.c — positioned error messages, always one line of printable text. */
#include "lc_error.h"

#include <stdarg.h>
#include <string.h>

#include "lc_escape.h"

/* Bytes formatted before escaping; anything longer is cut anyway, since the
 * escaped text can only be longer than LC_ERROR_MSG_MAX. */
#define RAW_MAX (4 * LC_ERROR_MSG_MAX)

/* text with its controls shown escaped (a newline from a YAML key, an ESC
 * from a quoted scalar), so the message stays one line and cannot drive the
 * terminal; cut at a whole character and marked "..." when it does not fit. */
static void put_escaped(char *out, size_t size, const char *text)
{
    if (lc_escape_buf(LC_ESC_LINE, text, out, size) >= size) {
        lc_escape_buf(LC_ESC_LINE, text, out, size - 3);
        strcat(out, "...");
    }
}

void lc_error_clear(lc_error *err)
{
    memset(err, 0, sizeof *err);
}

void lc_error_move(lc_error *err, lc_mark at)
{
    put_escaped(err->file, sizeof err->file, at.file ? at.file : "");
    err->line = at.line;
    err->col = at.col;
}

int lc_error_set(lc_error *err, int code, lc_mark at, const char *fmt, ...)
{
    char raw[RAW_MAX]; /* no malloc: this also reports out-of-memory */
    va_list ap;

    if (err == NULL || err->code != LC_OK)
        return code;
    err->code = code;
    lc_error_move(err, at);
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    put_escaped(err->msg, sizeof err->msg, raw);
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
