/* render_value.c — numbers as a person reads them, options and format names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_render.h"
#include "lc_util.h"

void lc_render_opts_init(lc_render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->digits = LC_DIGITS_DEFAULT;
}

static const char *const format_names[] = {"table", "csv", "json", "markdown", "html"};

int lc_format_parse(const char *s, lc_format *f)
{
    size_t i;
    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(s, format_names[i]) == 0) {
            *f = (lc_format)i;
            return 0;
        }
    if (strcmp(s, "md") == 0) {
        *f = LC_FORMAT_MARKDOWN;
        return 0;
    }
    return -1;
}

const char *lc_format_name(lc_format f)
{
    return (size_t)f < sizeof format_names / sizeof format_names[0] ? format_names[f] : "?";
}

/* The shortest %g that reads back as v (15 digits, else 17). */
static void exact(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

/* v to `digits` significant digits without an exponent, trailing zeros
 * dropped: 4.5233 -> "4.52", 2.0 -> "2". */
static void significant(double v, int digits, char *buf, size_t size)
{
    double a = fabs(v);
    int decimals = a > 0 ? digits - 1 - (int)floor(log10(a)) : 0;
    char *dot;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 20)
        decimals = 20;
    snprintf(buf, size, "%.*f", decimals, v);
    dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}

/* Round v to `digits` significant digits (so that 999.7 becomes 1000 before
 * a suffix is chosen). */
static double round_sig(double v, int digits)
{
    double a = fabs(v), p;
    if (a == 0 || !isfinite(a))
        return v;
    p = pow(10, digits - 1 - (int)floor(log10(a)));
    return round(v * p) / p;
}

/* 28936 -> "28,936" (v whole, |v| < 1e15). */
static void grouped(double v, char *buf, size_t size)
{
    char digits[32];
    size_t n, i, o = 0;
    int neg = v < 0;
    snprintf(digits, sizeof digits, "%.0f", fabs(v));
    n = strlen(digits);
    if (neg && o + 1 < size)
        buf[o++] = '-';
    for (i = 0; i < n && o + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

/* Number with K/M/B/T for thousands and up, scientific beyond 1e15 and
 * below 1e-4. */
static void suffixed(double v, int digits, char *buf, size_t size)
{
    static const char *const sfx[] = {"", "K", "M", "B", "T"};
    double r = round_sig(v, digits), a = fabs(r);
    size_t k = 0;
    char num[64];
    if (a != 0 && (a < 1e-4 || a >= 1e15)) {
        int e;
        char *p;
        snprintf(num, sizeof num, "%.*e", digits - 1, v);
        p = strchr(num, 'e');
        e = atoi(p + 1);
        *p = '\0';
        /* mantissa to `digits` digits, then the exponent: 3.14e23 */
        significant(strtod(num, NULL), digits, num, sizeof num);
        snprintf(buf, size, "%.40se%d", num, e);
        return;
    }
    while (a >= 1000 && k + 1 < sizeof sfx / sizeof sfx[0]) {
        a /= 1000;
        r /= 1000;
        k++;
    }
    significant(round_sig(r, digits), digits, num, sizeof num);
    snprintf(buf, size, "%s%s", num, sfx[k]);
}

/* Power, energy and bytes are rescaled along SI prefixes: 26331.8 kW is
 * 26.3 MW.  1 with *out the new unit (malloc'd) and *v scaled; 0 to keep
 * both; -1 on out-of-memory. */
static int rescale_unit(double *v, const char *unit, char **out)
{
    static const char *const bases[] = {"Wh", "W", "B"};
    static const char prefixes[] = " kMGTPE";
    const char *slash = strchr(unit, '/');
    size_t num = slash ? (size_t)(slash - unit) : strlen(unit), b;
    for (b = 0; b < sizeof bases / sizeof bases[0]; b++) {
        size_t bl = strlen(bases[b]);
        int p = 0;
        double x;
        if (num < bl || num > bl + 1 || strncmp(unit + num - bl, bases[b], bl) != 0)
            continue;
        if (num == bl + 1) {
            const char *q = strchr(prefixes + 1, unit[0]);
            if (q == NULL)
                continue;
            p = (int)(q - prefixes);
        }
        if (*v == 0 || !isfinite(*v))
            return 0;
        x = *v;
        while (fabs(x) >= 1000 && p + 1 < (int)sizeof prefixes - 1) {
            x /= 1000;
            p++;
        }
        while (fabs(x) < 1 && p > 0) {
            x *= 1000;
            p--;
        }
        *out = lc_aprintf("%.*s%s%s", p ? 1 : 0, p ? prefixes + p : "", bases[b],
                          slash ? slash : "");
        if (*out == NULL)
            return -1;
        *v = x;
        return 1;
    }
    return 0;
}

char *lc_render_value(double v, const char *unit, lc_colkind kind, const lc_render_opts *o)
{
    char num[96];
    char *scaled_unit = NULL, *out;
    int digits = o && o->digits > 0 ? o->digits : LC_DIGITS_DEFAULT;
    int pct = 0;
    if (digits > 17)
        digits = 17;
    if (unit == NULL)
        unit = "";
    if (isnan(v))
        return lc_strdup("n/a");
    if (isinf(v)) {
        snprintf(num, sizeof num, "%s", v > 0 ? "∞" : "-∞");
    } else if (o && o->raw) {
        exact(v, num, sizeof num);
    } else {
        if (kind == LC_COL_SHARE && unit[0] == '\0') {
            v *= 100;
            pct = 1;
        } else if (strcmp(unit, "%") == 0) {
            pct = 1;
        }
        /* Rounding noise of a difference (-1e-14%) is zero to a reader. */
        if (pct && fabs(v) < 1e-9)
            v = 0;
        if (kind == LC_COL_QUANTITY && !pct && rescale_unit(&v, unit, &scaled_unit) < 0)
            return NULL;
        /* Counts up to 9,999 are whole numbers ("1,896 GPU"; a percentile of
         * GPUs, 6770.4, is 6,770); from 10,000 they take a suffix like any
         * number, so that one column reads alike. */
        if (kind == LC_COL_COUNT && fabs(v) < 1e4 && (v == floor(v) || fabs(v) >= 1000))
            grouped(round(v), num, sizeof num);
        else
            suffixed(v, digits, num, sizeof num);
    }
    if (pct || strcmp(unit, "%") == 0)
        out = lc_aprintf("%s%%", num);
    else if (scaled_unit)
        out = lc_aprintf("%s %s", num, scaled_unit);
    else if (unit[0])
        out = lc_aprintf("%s %s", num, unit);
    else
        out = lc_strdup(num);
    free(scaled_unit);
    return out;
}
