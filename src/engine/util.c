/* util.c — strings and suggestions. */
#include "lc_util.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *lc_strdup(const char *s)
{
    return s ? lc_strndup(s, strlen(s)) : NULL;
}

char *lc_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *lc_vaprintf(const char *fmt, va_list ap)
{
    va_list again;
    int n;
    char *p;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0 || (p = malloc((size_t)n + 1)) == NULL) {
        va_end(again);
        return NULL;
    }
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *lc_aprintf(const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = lc_vaprintf(fmt, ap);
    va_end(ap);
    return p;
}

size_t lc_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t row[64], prev, best;

    if (la > 63 || lb > 63)
        return cap;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        best = row[0];
        for (j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t del = row[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            prev = cur;
            if (row[j] < best)
                best = row[j];
        }
        if (best >= cap)
            return cap;
    }
    return row[lb] < cap ? row[lb] : cap;
}

const char *lc_suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t i, best = (size_t)-1, limit = strlen(word) / 3;
    const char *found = NULL;

    if (limit < 2)
        limit = 2;
    for (i = 0; i < n; i++) {
        size_t d = lc_edit_distance(word, candidates[i], limit + 1);
        if (d < best) {
            best = d;
            found = candidates[i];
        }
    }
    return best <= limit ? found : NULL;
}

int lc_glob_match(const char *pattern, const char *name)
{
    size_t n = strlen(pattern);
    if (n > 0 && pattern[n - 1] == '*')
        return strncmp(pattern, name, n - 1) == 0;
    return strcmp(pattern, name) == 0;
}

char *lc_path_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n;
    base = base ? base + 1 : path;
    if (strcmp(base, "-") == 0)
        return lc_strdup("stdin");
    n = strlen(base);
    if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
        n -= 5;
    else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
        n -= 4;
    return lc_strndup(base, n);
}

int lc_parse_whole(const char *s, unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0, mult = 1;
    const char *p = s;
    if (!(*p >= '0' && *p <= '9'))
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    if ((*p == 'e' || *p == 'E') && p[1] >= '0' && p[1] <= '9') {
        /* 1e6: an exponent of ten, still exact */
        unsigned e = 0;
        for (p++; *p >= '0' && *p <= '9' && e < 100; p++)
            e = e * 10 + (unsigned)(*p - '0');
        for (; e > 0; e--) {
            if (v > ULLONG_MAX / 10)
                return -1;
            v *= 10;
        }
    }
    if (*p) {
        mult = *p == 'K'   ? 1000ULL
               : *p == 'M' ? 1000000ULL
               : *p == 'B' ? 1000000000ULL
               : *p == 'T' ? 1000000000000ULL
                           : 0;
        if (mult == 0 || p[1] != '\0')
            return -1;
        if (v > ULLONG_MAX / mult)
            return -1;
        v *= mult;
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* ---- a growing string ---- */

void lc_sb_putn(lc_sbuf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->s, cap);
        if (p == NULL) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void lc_sb_puts(lc_sbuf *b, const char *s)
{
    lc_sb_putn(b, s, strlen(s));
}

void lc_sb_printf(lc_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    lc_sb_putn(b, "", 0); /* allocate the first block */
    if (!b->oom && b->len + (size_t)n + 1 > b->cap) {
        size_t cap = b->cap;
        char *p;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        p = realloc(b->s, cap);
        if (p == NULL)
            b->oom = 1;
        else {
            b->s = p;
            b->cap = cap;
        }
    }
    if (b->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

char *lc_sb_take(lc_sbuf *b)
{
    char *s;
    lc_sb_putn(b, "", 0);
    if (b->oom) {
        free(b->s);
        s = NULL;
    } else
        s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}
