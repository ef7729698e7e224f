/* lc_util — small helpers shared by the modules: string copies, growable
 * arrays of strings, and "did you mean" suggestions.  No global state. */
#ifndef LC_UTIL_H
#define LC_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* malloc'd copy; NULL on out-of-memory (or when s is NULL). */
char *lc_strdup(const char *s);
char *lc_strndup(const char *s, size_t n);
/* malloc'd printf; NULL on out-of-memory. */
char *lc_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *lc_vaprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A whole number written in decimal digits, optionally with an exponent (1e6)
 * or a magnitude suffix (K M B T), read exactly as an integer (no floating-point round trip):
 * any value up to 2^64 - 1 (seeds: up to 2^53).  0, or -1 when s is not such a number or exceeds max. */
int lc_parse_whole(const char *s, unsigned long long max, unsigned long long *out);

/* Levenshtein distance, capped at `cap` (returns cap when larger). */
size_t lc_edit_distance(const char *a, const char *b, size_t cap);

/* The candidate nearest to word if it is close enough to be a likely typo
 * (distance <= max(2, strlen/3)), else NULL. */
const char *lc_suggest(const char *word, const char *const *candidates, size_t n);

/* The file name of a scenario path without folder and ".yaml": "startup" for
 * "scenarios/startup.yaml", "stdin" for "-".  malloc'd; NULL on out-of-memory. */
char *lc_path_stem(const char *path);

/* 1 if name matches a pattern that may end in '*' ("training.*"). */
int lc_glob_match(const char *pattern, const char *name);

/* A growing string: start from {0}; s is NULL until something is put (then
 * NUL-terminated).  An allocation failure sets oom and later puts do nothing,
 * so a caller checks once at the end.  The caller frees s. */
typedef struct lc_sbuf {
    char *s;
    size_t len, cap;
    int oom;
} lc_sbuf;

void lc_sb_putn(lc_sbuf *b, const char *s, size_t n);
void lc_sb_puts(lc_sbuf *b, const char *s);
void lc_sb_printf(lc_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string (never NULL unless oom: "" when nothing was put), handed over. */
char *lc_sb_take(lc_sbuf *b);

#endif
