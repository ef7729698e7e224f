/* lc_io — output files that appear whole or not at all.
 *
 * lc_atomic_open writes to a temporary file in the target's directory;
 * lc_atomic_commit flushes, closes and renames it over the target; on any
 * failure (or lc_atomic_abort) the temporary is removed and a previous file of
 * the same name is left intact.  SIGINT, SIGTERM and SIGHUP remove every
 * temporary still open and kill the child process groups registered here,
 * then end the program with that signal.  No path is ever cut: one too long
 * is an LC_EOUTPUT error.  Also: whole-file reading with a size limit. */
#ifndef LC_IO_H
#define LC_IO_H

#include <stdio.h>
#include <sys/types.h>

#include "lc_error.h"

typedef struct lc_atomic_file {
    FILE *fp;   /* write here between open and commit */
    char *path; /* owned: the final name */
    char *tmp;  /* owned: the temporary name */
} lc_atomic_file;

int lc_atomic_open(lc_atomic_file *f, const char *path, lc_error *err);
int lc_atomic_commit(lc_atomic_file *f, lc_error *err);
void lc_atomic_abort(lc_atomic_file *f);

/* Temporary files and child process groups a signal must clean up (at most
 * 64 each; borrowed: untrack before freeing or reaping).  The first call
 * installs the handlers. */
void lc_io_track_tmp(char *path);
void lc_io_untrack_tmp(const char *path);
void lc_io_track_child(pid_t pgid);
void lc_io_untrack_child(pid_t pgid);

/* LC_OK when path, with room for a temporary suffix, fits in PATH_MAX;
 * otherwise LC_EOUTPUT saying so. */
int lc_io_check_path(const char *path, lc_error *err);

/* Write len bytes to path atomically. */
int lc_write_file(const char *path, const char *data, size_t len, lc_error *err);

/* Read all of path ("-" = standard input), at most max bytes; *out is malloc'd
 * and NUL-terminated, *len excludes the NUL.  Larger input is an LC_EINPUT error. */
int lc_read_file(const char *path, size_t max, char **out, size_t *len, lc_error *err);

/* mkdir -p for an output directory. */
int lc_make_dir(const char *path, lc_error *err);

#endif
