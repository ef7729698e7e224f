/* lc_io — output files that appear whole or not at all.
 *
 * lc_atomic_open writes to a temporary file in the target's directory;
 * lc_atomic_commit flushes, closes and renames it over the target; on any
 * failure (or lc_atomic_abort) the temporary is removed and a previous file of
 * the same name is left intact.  Also: whole-file reading with a size limit. */
#ifndef LC_IO_H
#define LC_IO_H

#include <stdio.h>

#include "lc_error.h"

typedef struct lc_atomic_file {
    FILE *fp;   /* write here between open and commit */
    char *path; /* owned: the final name */
    char *tmp;  /* owned: the temporary name */
} lc_atomic_file;

int lc_atomic_open(lc_atomic_file *f, const char *path, lc_error *err);
int lc_atomic_commit(lc_atomic_file *f, lc_error *err);
void lc_atomic_abort(lc_atomic_file *f);

/* Write len bytes to path atomically. */
int lc_write_file(const char *path, const char *data, size_t len, lc_error *err);

/* Read all of path ("-" = standard input), at most max bytes; *out is malloc'd
 * and NUL-terminated, *len excludes the NUL.  Larger input is an LC_EINPUT error. */
int lc_read_file(const char *path, size_t max, char **out, size_t *len, lc_error *err);

/* mkdir -p for an output directory. */
int lc_make_dir(const char *path, lc_error *err);

#endif
