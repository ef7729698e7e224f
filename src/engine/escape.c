/* escape.c — user text made safe for terminals, CSV, Markdown and XML. */
#include "lc_escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Where escaped text goes: a stream, a fixed buffer, or a growing buffer. */
typedef struct sink {
    FILE *fp;     /* stream, or NULL */
    char *s;      /* buffer (fixed when grow == 0) */
    size_t len;   /* bytes written into s */
    size_t cap;   /* bytes in s */
    size_t total; /* length of the whole escaped text */
    int grow, full, failed;
} sink;

/* One piece (an escape, a character) goes in whole or not at all. */
static void put(sink *k, const char *p, size_t n)
{
    k->total += n;
    if (k->failed || k->full)
        return;
    if (k->fp) {
        if (fwrite(p, 1, n, k->fp) != n)
            k->failed = 1;
        return;
    }
    if (k->len + n + 1 > k->cap) {
        size_t cap = k->cap ? k->cap : 64;
        char *q;
        if (!k->grow) {
            k->full = 1;
            return;
        }
        while (cap < k->len + n + 1)
            cap *= 2;
        q = realloc(k->s, cap);
        if (q == NULL) {
            k->failed = 1;
            return;
        }
        k->s = q;
        k->cap = cap;
    }
    memcpy(k->s + k->len, p, n);
    k->len += n;
    k->s[k->len] = '\0';
}

static void puts_(sink *k, const char *p)
{
    put(k, p, strlen(p));
}

/* Decode the UTF-8 sequence at s: its length (0 = invalid: overlong,
 * surrogate, beyond U+10FFFF, truncated) and code point. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t n, i;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    for (i = 1; i < n; i++) {
        if (s[i] < lo || s[i] > hi)
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return n;
}

/* The visible escape of code point cp (or raw byte, when invalid), or NULL
 * when it shows as itself. */
static const char *visible(uint32_t cp, int invalid, char *buf, size_t size)
{
    static const char named[] = "abtnvfr"; /* 0x07 .. 0x0d */

    if (invalid) {
        snprintf(buf, size, "\\x%02x", (unsigned)cp);
        return buf;
    }
    if (cp >= 0x07 && cp <= 0x0d) {
        snprintf(buf, size, "\\%c", named[cp - 0x07]);
        return buf;
    }
    if (cp == 0x1b)
        return "\\e";
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
        snprintf(buf, size, "\\x%02x", (unsigned)cp);
        return buf;
    }
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
        snprintf(buf, size, "\\u%04x", (unsigned)cp);
        return buf;
    }
    return NULL;
}

static int md_always(char c)
{
    return c != '\0' && strchr("\\`*_[]|~$#!", c) != NULL;
}

/* At the start of Markdown text: a heading, list item, quote or setext line. */
static size_t md_line_start(const char *s, sink *k)
{
    size_t d = 0;

    if (s[0] == '+' || s[0] == '-' || s[0] == '=') {
        put(k, "\\", 1);
        put(k, s, 1);
        return 1;
    }
    while (s[d] >= '0' && s[d] <= '9')
        d++;
    /* "1. " or "1)" then a space or the end: an ordered list; "1.5" is not */
    if (d > 0 && (s[d] == '.' || s[d] == ')') &&
        (s[d + 1] == ' ' || s[d + 1] == '\t' || s[d + 1] == '\0')) {
        put(k, s, d);
        put(k, "\\", 1);
        put(k, s + d, 1);
        return d + 1;
    }
    return 0;
}

static void escape_into(lc_escape_kind kind, const char *text, sink *k)
{
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    size_t i = 0, n;
    int quote = 0;

    if (kind == LC_ESC_CSV) {
        quote = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
        if (!quote)
            quote = strpbrk((const char *)s, ",\"\n") != NULL;
        if (quote)
            put(k, "\"", 1);
        if (s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL)
            put(k, "'", 1);
    } else if (kind == LC_ESC_MARKDOWN) {
        i = md_line_start((const char *)s, k);
    }
    for (; s[i] != '\0'; i += n) {
        uint32_t cp;
        char buf[16];
        const char *esc;
        int invalid = 0;

        n = utf8_decode(s + i, &cp);
        if (n == 0) {
            n = 1;
            cp = s[i];
            invalid = 1;
        }
        if (kind == LC_ESC_CSV && (cp == '\n' || cp == '\t')) {
            put(k, (const char *)s + i, 1);
            continue;
        }
        if (kind == LC_ESC_XML && (cp == 0xFFFE || cp == 0xFFFF)) {
            snprintf(buf, sizeof buf, "\\u%04x", (unsigned)cp);
            puts_(k, buf);
            continue;
        }
        esc = visible(cp, invalid, buf, sizeof buf);
        if (esc != NULL) {
            if (kind == LC_ESC_MARKDOWN)
                put(k, "\\", 1); /* the backslash shows */
            puts_(k, esc);
            continue;
        }
        if (kind == LC_ESC_CSV && cp == '"') {
            put(k, "\"\"", 2);
            continue;
        }
        if (kind == LC_ESC_MARKDOWN || kind == LC_ESC_XML) {
            const char *ent = cp == '&' ? "&amp;" : cp == '<' ? "&lt;" : cp == '>' ? "&gt;" : NULL;
            if (kind == LC_ESC_XML && ent == NULL)
                ent = cp == '"' ? "&quot;" : cp == '\'' ? "&#39;" : NULL;
            if (ent != NULL) {
                puts_(k, ent);
                continue;
            }
            if (kind == LC_ESC_MARKDOWN && md_always((char)cp)) {
                put(k, "\\", 1);
                put(k, (const char *)s + i, 1);
                continue;
            }
        }
        put(k, (const char *)s + i, n);
    }
    if (quote)
        put(k, "\"", 1);
}

char *lc_escape(lc_escape_kind kind, const char *s)
{
    sink k;

    memset(&k, 0, sizeof k);
    k.grow = 1;
    put(&k, "", 0); /* allocates: "" when s is empty */
    escape_into(kind, s, &k);
    if (k.failed) {
        free(k.s);
        return NULL;
    }
    return k.s;
}

int lc_escape_fputs(lc_escape_kind kind, const char *s, FILE *out)
{
    sink k;

    memset(&k, 0, sizeof k);
    k.fp = out;
    escape_into(kind, s, &k);
    return k.failed ? EOF : 0;
}

size_t lc_escape_buf(lc_escape_kind kind, const char *s, char *buf, size_t size)
{
    sink k;

    memset(&k, 0, sizeof k);
    k.s = buf;
    k.cap = size;
    if (size > 0)
        buf[0] = '\0';
    else
        k.full = 1;
    escape_into(kind, s, &k);
    return k.total;
}

int lc_escape_is_plain(const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    char buf[16];

    while (*p) {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (n == 0 || visible(cp, 0, buf, sizeof buf) != NULL)
            return 0;
        p += n;
    }
    return 1;
}

size_t lc_utf8_decode(const char *s, uint32_t *cp)
{
    return utf8_decode((const unsigned char *)s, cp);
}
