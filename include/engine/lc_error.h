/* lc_error — status codes and positioned error messages shared by every module.
 *
 * Owns nothing: an lc_error is caller-owned storage, filled by the first failing
 * call and printed by main as "file:line:col: error: message".  Line and column
 * are 1-based; 0 means "not known" and is left out when printing.  File and
 * message are stored with control characters shown escaped (lc_escape.h,
 * LC_ESC_LINE): an error is always one line, whatever the scenario holds. */
#ifndef LC_ERROR_H
#define LC_ERROR_H

#include <stdio.h>

/* Status codes double as the program's exit status (see README, "Exit status"). */
enum {
    LC_OK = 0,
    LC_EUSAGE = 1,   /* bad command line */
    LC_EINPUT = 2,   /* bad scenario, unit, expression or value */
    LC_ENUMERIC = 3, /* no root in range, non-finite result, ... */
    LC_EOUTPUT = 4,  /* cannot write a file, gnuplot missing or failed */
    LC_ENOMEM = 5    /* out of memory */
};

#define LC_ERROR_FILE_MAX 1024 /* bytes of the escaped file name, "..." when cut */
#define LC_ERROR_MSG_MAX  512  /* bytes of the escaped message, "..." when cut */

typedef struct lc_mark {
    const char *file; /* borrowed; NULL when unknown */
    int line;         /* 1-based, 0 = unknown */
    int col;          /* 1-based, 0 = unknown */
} lc_mark;

typedef struct lc_error {
    int code; /* LC_OK until something fails */
    char file[LC_ERROR_FILE_MAX];
    int line, col;
    char msg[LC_ERROR_MSG_MAX];
} lc_error;

void lc_error_clear(lc_error *err);

/* Fill err (only the first error is kept: later calls do nothing) and return code. */
int lc_error_set(lc_error *err, int code, lc_mark at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Point an error already set at another place (the message stays). */
void lc_error_move(lc_error *err, lc_mark at);

/* "file:line:col: error: message\n"; parts that are unknown are left out. */
void lc_error_print(const lc_error *err, FILE *out);

/* Out of memory, with no position. */
int lc_error_nomem(lc_error *err);

/* A mark with no position. */
lc_mark lc_mark_none(void);

#endif
