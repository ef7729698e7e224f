/* units.c — unit atoms, prefixes, currencies, parsing and formatting. */
#include "lc_units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600.0
#define DAY 86400.0
/* A year is 365 days and a month a twelfth of it: the convention of the
 * source documents' daily-to-yearly figures (¥200,000/day -> ¥73M/year). */
#define YEAR (365.0 * DAY)
#define MONTH (YEAR / 12.0)
#define KWH 3.6e6

enum { T = LC_DIM_TIME, E = LC_DIM_ENERGY, M = LC_DIM_MONEY, C = LC_DIM_COMPUTE,
       D = LC_DIM_DATA, K = LC_DIM_TOKEN, G = LC_DIM_CO2 };

typedef struct atom {
    const char *name;
    double factor;     /* base units per 1 */
    signed char e[LC_NDIM];
    int prefixable;    /* accepts SI prefixes k M G T P E Z */
} atom;

/* Exponent vectors, in enum order: time energy money compute data token co2. */
#define NONE {0, 0, 0, 0, 0, 0, 0}
#define TIME {1, 0, 0, 0, 0, 0, 0}
#define ENERGY {0, 1, 0, 0, 0, 0, 0}
#define POWER {-1, 1, 0, 0, 0, 0, 0}
#define COMPUTE {0, 0, 0, 1, 0, 0, 0}
#define FLOPS {-1, 0, 0, 1, 0, 0, 0}
#define DATA {0, 0, 0, 0, 1, 0, 0}
#define TOKEN {0, 0, 0, 0, 0, 1, 0}
#define CO2 {0, 0, 0, 0, 0, 0, 1}

static const atom atoms[] = {
    {"s", 1.0, TIME, 0},          {"min", 60.0, TIME, 0},        {"h", HOUR, TIME, 0},
    {"hour", HOUR, TIME, 0},      {"hours", HOUR, TIME, 0},      {"hr", HOUR, TIME, 0},
    {"day", DAY, TIME, 0},        {"days", DAY, TIME, 0},        {"week", 7 * DAY, TIME, 0},
    {"weeks", 7 * DAY, TIME, 0},  {"month", MONTH, TIME, 0},     {"months", MONTH, TIME, 0},
    {"year", YEAR, TIME, 0},      {"years", YEAR, TIME, 0},      {"yr", YEAR, TIME, 0},
    {"J", 1.0, ENERGY, 1},        {"Wh", HOUR, ENERGY, 1},       {"W", 1.0, POWER, 1},
    {"FLOP", 1.0, COMPUTE, 1},    {"FLOPs", 1.0, COMPUTE, 1},    {"OP", 1.0, COMPUTE, 1},
    {"FLOPS", 1.0, FLOPS, 1},     {"B", 1.0, DATA, 1},           {"byte", 1.0, DATA, 0},
    {"bytes", 1.0, DATA, 0},      {"KiB", 1024.0, DATA, 0},      {"MiB", 1048576.0, DATA, 0},
    {"GiB", 1073741824.0, DATA, 0}, {"TiB", 1099511627776.0, DATA, 0},
    {"token", 1.0, TOKEN, 1},     {"tokens", 1.0, TOKEN, 1},     {"tok", 1.0, TOKEN, 0},
    {"gCO2e", 1e-3, CO2, 0},      {"kgCO2e", 1.0, CO2, 0},       {"tCO2e", 1e3, CO2, 0},
    {"ktCO2e", 1e6, CO2, 0},      {"MtCO2e", 1e9, CO2, 0},       {"gCO2", 1e-3, CO2, 0},
    {"kgCO2", 1.0, CO2, 0},       {"tCO2", 1e3, CO2, 0},
    {"%", 0.01, NONE, 0},
    /* Counted things: dimensionless labels that make units read naturally. */
    {"GPU", 1.0, NONE, 0},        {"GPUs", 1.0, NONE, 0},        {"chip", 1.0, NONE, 0},
    {"chips", 1.0, NONE, 0},      {"server", 1.0, NONE, 0},      {"servers", 1.0, NONE, 0},
    {"node", 1.0, NONE, 0},       {"nodes", 1.0, NONE, 0},       {"user", 1.0, NONE, 0},
    {"users", 1.0, NONE, 0},      {"visitor", 1.0, NONE, 0},     {"visitors", 1.0, NONE, 0},
    {"query", 1.0, NONE, 0},      {"queries", 1.0, NONE, 0},     {"request", 1.0, NONE, 0},
    {"requests", 1.0, NONE, 0},   {"developer", 1.0, NONE, 0},   {"developers", 1.0, NONE, 0},
    {"seat", 1.0, NONE, 0},       {"seats", 1.0, NONE, 0},       {"person", 1.0, NONE, 0},
    {"people", 1.0, NONE, 0},     {"replica", 1.0, NONE, 0},     {"replicas", 1.0, NONE, 0},
    {"run", 1.0, NONE, 0},        {"runs", 1.0, NONE, 0},        {"param", 1.0, NONE, 0},
    {"params", 1.0, NONE, 0},
};

static const struct {
    char c;
    double f;
} prefixes[] = {{'k', 1e3},  {'M', 1e6},  {'G', 1e9},  {'T', 1e12},
                {'P', 1e15}, {'E', 1e18}, {'Z', 1e21}, {'m', 1e-3}};

/* Default exchange rates: units of each currency per 1 US dollar, the US
 * Internal Revenue Service's yearly average currency exchange rates for 2023
 * (irs.gov, "Yearly average currency exchange rates").  A scenario's fx: map
 * overrides them. */
static const struct {
    const char *code;
    double per_usd;
} default_fx[] = {{"USD", 1.0}, {"CNY", 7.084}, {"EUR", 0.924},
                  {"GBP", 0.804}, {"JPY", 140.511}, {"HKD", 7.829}};

#define NFX (sizeof default_fx / sizeof default_fx[0])

int lc_units_init(lc_units *u, const char *base)
{
    size_t i, b = NFX;

    memset(u, 0, sizeof *u);
    for (i = 0; i < NFX; i++)
        if (strcmp(default_fx[i].code, base) == 0)
            b = i;
    if (b == NFX)
        return -1;
    snprintf(u->base, sizeof u->base, "%s", base);
    snprintf(u->display, sizeof u->display, "%s", base);
    for (i = 0; i < NFX; i++) {
        snprintf(u->cur[i].code, sizeof u->cur[i].code, "%s", default_fx[i].code);
        u->cur[i].value = default_fx[b].per_usd / default_fx[i].per_usd;
    }
    u->ncur = NFX;
    return 0;
}

static int find_currency(const lc_units *u, const char *code, size_t len)
{
    size_t i;
    for (i = 0; i < u->ncur; i++)
        if (strlen(u->cur[i].code) == len && strncmp(u->cur[i].code, code, len) == 0)
            return (int)i;
    return -1;
}

static double currency_value(const lc_units *u, const char *code, size_t len)
{
    int i;
    if (len == 3 && strncmp(code, "CUR", 3) == 0)
        return currency_value(u, u->display, strlen(u->display));
    i = find_currency(u, code, len);
    return i < 0 ? NAN : u->cur[i].value;
}

int lc_units_set_rate(lc_units *u, const char *code, double value)
{
    int i = find_currency(u, code, strlen(code));
    if (i < 0 || !(value > 0) || !isfinite(value) || strcmp(code, u->base) == 0)
        return -1;
    u->cur[i].value = value;
    u->cur[i].from_scenario = 1;
    return 0;
}

int lc_units_set_display(lc_units *u, const char *code)
{
    if (find_currency(u, code, strlen(code)) < 0)
        return -1;
    snprintf(u->display, sizeof u->display, "%s", code);
    return 0;
}

/* --- dimensions --------------------------------------------------------- */

int lc_dim_eq(lc_dim a, lc_dim b)
{
    return memcmp(a.e, b.e, sizeof a.e) == 0;
}

lc_dim lc_dim_none(void)
{
    lc_dim d;
    memset(&d, 0, sizeof d);
    return d;
}

int lc_dim_is_none(lc_dim a)
{
    return lc_dim_eq(a, lc_dim_none());
}

/* Each exponent a * sa + b * sb, or -1 when one leaves +-LC_DIM_EXP_MAX (the
 * signed char would wrap: s^256 would pass as a plain number). */
static int combine(lc_dim a, int sa, lc_dim b, int sb, lc_dim *out)
{
    lc_dim r;
    int i;
    for (i = 0; i < LC_NDIM; i++) {
        long e = (long)a.e[i] * sa + (long)b.e[i] * sb;
        if (e > LC_DIM_EXP_MAX || e < -LC_DIM_EXP_MAX)
            return -1;
        r.e[i] = (signed char)e;
    }
    *out = r;
    return 0;
}

int lc_dim_mul(lc_dim a, lc_dim b, lc_dim *out)
{
    return combine(a, 1, b, 1, out);
}

int lc_dim_div(lc_dim a, lc_dim b, lc_dim *out)
{
    return combine(a, 1, b, -1, out);
}

int lc_dim_scale(lc_dim a, int k, lc_dim *out)
{
    return combine(a, k, lc_dim_none(), 0, out);
}

static const char *dim_names[LC_NDIM] = {"time", "energy", "money", "compute",
                                         "data", "tokens", "CO2"};

void lc_dim_describe(lc_dim d, char *buf, size_t size)
{
    size_t n = 0;
    int i, pass, any_num = 0;

    buf[0] = '\0';
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < LC_NDIM; i++) {
            int e = d.e[i];
            if ((pass == 0 && e <= 0) || (pass == 1 && e >= 0))
                continue;
            if (pass == 1 || any_num)
                n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s",
                                      pass == 1 ? "/" : "*");
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s", dim_names[i]);
            if (abs(e) != 1)
                n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "^%d", abs(e));
            if (pass == 0)
                any_num = 1;
        }
        if (pass == 0 && !any_num) {
            int has_den = 0;
            for (i = 0; i < LC_NDIM; i++)
                has_den |= d.e[i] < 0;
            n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s",
                                  has_den ? "1" : "dimensionless");
        }
    }
}

const char *lc_dim_default_unit(lc_dim d)
{
    static const struct {
        signed char e[LC_NDIM];
        const char *unit;
    } table[] = {
        {NONE, ""},
        {TIME, "h"},
        {ENERGY, "kWh"},
        {POWER, "kW"},
        {{0, 0, 1, 0, 0, 0, 0}, "CUR"},
        {{-1, 0, 1, 0, 0, 0, 0}, "CUR/day"},
        {{0, -1, 1, 0, 0, 0, 0}, "CUR/kWh"},
        {{0, 0, 1, 0, 0, -1, 0}, "CUR/Mtoken"},
        {{0, 0, 1, -1, 0, 0, 0}, "CUR/PFLOP"},
        {COMPUTE, "FLOP"},
        {FLOPS, "TFLOP/s"},
        {DATA, "GB"},
        {{-1, 0, 0, 0, 1, 0, 0}, "GB/s"},
        {TOKEN, "tokens"},
        {{-1, 0, 0, 0, 0, 1, 0}, "tokens/s"},
        {CO2, "tCO2e"},
        {{-1, 0, 0, 0, 0, 0, 1}, "tCO2e/year"},
        {{0, -1, 0, 0, 0, 0, 1}, "kgCO2e/kWh"},
        {{-1, 0, 0, 0, 0, 0, 0}, "1/day"},
    };
    size_t i;
    for (i = 0; i < sizeof table / sizeof table[0]; i++)
        if (memcmp(table[i].e, d.e, sizeof d.e) == 0)
            return table[i].unit;
    return "";
}

/* --- parsing ------------------------------------------------------------ */

static int is_word_char(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '%';
}

size_t lc_units_word_len(const char *s)
{
    size_t n = 0;
    for (;;) {
        unsigned char c = (unsigned char)s[n];
        if (is_word_char(c)) {
            n++;
        } else if ((c == '/' || c == '-' || c == '*' || c == '^') &&
                   (is_word_char((unsigned char)s[n + 1]) ||
                    (c == '^' && s[n + 1] == '-'))) {
            n++;
        } else if (c == 0xC2 && (unsigned char)s[n + 1] == 0xB7) { /* '·' */
            n += 2;
        } else {
            return n;
        }
    }
}

static int set_msg(char *msg, size_t size, size_t *at, size_t pos, const char *text)
{
    if (msg && size)
        snprintf(msg, size, "%s", text);
    if (at)
        *at = pos;
    return -1;
}

/* Look up one atom (with optional SI prefix): name[0..len). */
static int lookup_atom(const lc_units *u, const char *name, size_t len, lc_unit *out)
{
    size_t i, j;
    double cv;

    for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
        if (strlen(atoms[i].name) == len && strncmp(atoms[i].name, name, len) == 0) {
            out->factor = atoms[i].factor;
            memcpy(out->dim.e, atoms[i].e, sizeof out->dim.e);
            return 0;
        }
    cv = currency_value(u, name, len);
    if (!isnan(cv)) {
        out->factor = cv;
        out->dim = lc_dim_none();
        out->dim.e[LC_DIM_MONEY] = 1;
        return 0;
    }
    if (len < 2)
        return -1;
    for (j = 0; j < sizeof prefixes / sizeof prefixes[0]; j++) {
        if (name[0] != prefixes[j].c)
            continue;
        for (i = 0; i < sizeof atoms / sizeof atoms[0]; i++)
            if (atoms[i].prefixable && strlen(atoms[i].name) == len - 1 &&
                strncmp(atoms[i].name, name + 1, len - 1) == 0) {
                out->factor = atoms[i].factor * prefixes[j].f;
                memcpy(out->dim.e, atoms[i].e, sizeof out->dim.e);
                return 0;
            }
    }
    return -1;
}

int lc_units_parse_unit(const lc_units *u, const char *s, size_t len, lc_unit *out, char *msg,
                        size_t msgsize, size_t *at)
{
    size_t i = 0;
    int denominator = 0, nfactors = 0;
    lc_unit acc = {1.0, lc_dim_none()};

    if (len == 0)
        return set_msg(msg, msgsize, at, 0, "empty unit");
    if (len >= 2 && s[0] == '1' && s[1] == '/') { /* "1/day" */
        i = 2;
        denominator = 1;
        if (i == len)
            return set_msg(msg, msgsize, at, i, "unit ends with an operator");
    }
    while (i < len) {
        size_t start = i;
        lc_unit a;
        long power = 1;

        while (i < len && is_word_char((unsigned char)s[i]))
            i++;
        if (i == start)
            return set_msg(msg, msgsize, at, start, "expected a unit name");
        if (i - start >= LC_UNIT_WORD_MAX) /* no unit is that long: quoted, it would fill msg */
            return set_msg(msg, msgsize, at, start,
                           "unknown unit (a word of " LC_STR(LC_UNIT_WORD_MAX) " bytes or more)");
        if (lookup_atom(u, s + start, i - start, &a) != 0) {
            if (msg && msgsize) /* LC_UNITS_MSG_MAX holds it whole */
                snprintf(msg, msgsize, "unknown unit '%.*s'", (int)(i - start), s + start);
            return set_msg(NULL, 0, at, start, NULL);
        }
        if (i < len && s[i] == '^') {
            char *end;
            char num[8];
            size_t k = 0;
            i++;
            /* A '-' only as the sign: "W^2-h" is W^2 times h. */
            while (i < len && k < sizeof num - 1 &&
                   (isdigit((unsigned char)s[i]) || (k == 0 && s[i] == '-')))
                num[k++] = s[i++];
            num[k] = '\0';
            power = strtol(num, &end, 10);
            if (k == 0 || *end != '\0' || power == 0 || power > 4 || power < -4)
                return set_msg(msg, msgsize, at, start, "bad exponent (use ^2, ^3 or ^-1)");
        }
        {
            int p;
            for (p = 0; p < labs(power); p++) {
                int inv = (power < 0) != denominator;
                acc.factor = inv ? acc.factor / a.factor : acc.factor * a.factor;
                if ((inv ? lc_dim_div(acc.dim, a.dim, &acc.dim)
                         : lc_dim_mul(acc.dim, a.dim, &acc.dim)) != 0)
                    return set_msg(msg, msgsize, at, start,
                                   "unit exponent out of range (at most " LC_STR(LC_DIM_EXP_MAX)
                                   " for any base unit)");
            }
        }
        nfactors++;
        if (i == len)
            break;
        if (s[i] == '/') {
            denominator = 1;
            i++;
        } else if (s[i] == '*' || s[i] == '-') {
            i++;
        } else if ((unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xB7) {
            i += 2;
        } else {
            return set_msg(msg, msgsize, at, i, "unexpected character in unit");
        }
        if (i == len)
            return set_msg(msg, msgsize, at, i, "unit ends with an operator");
    }
    (void)nfactors;
    *out = acc;
    return 0;
}

int lc_units_parse_quantity(const lc_units *u, const char *s, double *value, lc_dim *dim,
                            char *msg, size_t msgsize, size_t *at)
{
    const char *p = s, *end, *num;
    double v, mult = 1.0;
    lc_unit unit = {1.0, lc_dim_none()};
    size_t ulen;

    while (*p == ' ')
        p++;
    /* strtod accepts "nan", "inf" and hex: a cost model wants none of them. */
    if (!(isdigit((unsigned char)*p) || ((*p == '-' || *p == '+' || *p == '.') &&
                                         (isdigit((unsigned char)p[1]) || p[1] == '.'))))
        return set_msg(msg, msgsize, at, (size_t)(p - s), "expected a number");
    num = (*p == '-' || *p == '+') ? p + 1 : p; /* "-0x10" too */
    if (num[0] == '0' && (num[1] == 'x' || num[1] == 'X'))
        return set_msg(msg, msgsize, at, (size_t)(p - s), "hexadecimal numbers are not allowed");
    errno = 0;
    v = strtod(p, (char **)&end);
    if (end == p)
        return set_msg(msg, msgsize, at, (size_t)(p - s), "expected a number");
    if (errno == ERANGE && fabs(v) > 1.0)
        return set_msg(msg, msgsize, at, (size_t)(p - s), "number is out of range");
    if (!isfinite(v))
        return set_msg(msg, msgsize, at, (size_t)(p - s), "number is not finite");
    p = end;
    /* Magnitude suffix glued to the number: 175B parameters, 2T tokens, 1.4M USD. */
    if (*p && strchr("KkMBT", *p) && !is_word_char((unsigned char)p[1])) {
        mult = *p == 'M' ? 1e6 : *p == 'B' ? 1e9 : *p == 'T' ? 1e12 : 1e3;
        p++;
    } else if (*p == '%') {
        mult = 0.01;
        p++;
    }
    while (*p == ' ')
        p++;
    ulen = strlen(p);
    while (ulen > 0 && p[ulen - 1] == ' ')
        ulen--;
    if (ulen > 0) {
        size_t uat = 0;
        if (mult == 0.01)
            return set_msg(msg, msgsize, at, (size_t)(p - s), "nothing may follow '%'");
        if (*p == '/') {
            /* "2/year": a rate of a plain count, as 2 1/year. */
            char buf[128];
            if (ulen + 2 > sizeof buf)
                return set_msg(msg, msgsize, at, (size_t)(p - s), "unit is too long");
            buf[0] = '1';
            memcpy(buf + 1, p, ulen);
            if (lc_units_parse_unit(u, buf, ulen + 1, &unit, msg, msgsize, &uat) != 0) {
                if (at)
                    *at = (size_t)(p - s) + (uat > 0 ? uat - 1 : 0);
                return -1;
            }
        } else if (lc_units_parse_unit(u, p, ulen, &unit, msg, msgsize, &uat) != 0) {
            if (at)
                *at = (size_t)(p - s) + uat;
            return -1;
        }
    }
    v = v * mult * unit.factor;
    if (!isfinite(v))
        return set_msg(msg, msgsize, at, 0, "number is out of range");
    *value = v;
    *dim = unit.dim;
    return 0;
}

/* --- formatting --------------------------------------------------------- */

void lc_units_format_number(double v, char *buf, size_t size)
{
    double a = fabs(v);
    if (v == 0) {
        snprintf(buf, size, "0");
    } else if (!isfinite(v)) {
        snprintf(buf, size, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    } else if (a >= 1e-4 && a < 1e15) {
        /* 6 significant digits, but never an exponent in this range. */
        int decimals = 5 - (int)floor(log10(a));
        char *dot;
        if (decimals < 0)
            decimals = 0;
        snprintf(buf, size, "%.*f", decimals, v);
        dot = strchr(buf, '.');
        if (dot) {
            char *e = buf + strlen(buf) - 1;
            while (e > dot && *e == '0')
                *e-- = '\0';
            if (e == dot)
                *e = '\0';
        }
    } else {
        snprintf(buf, size, "%.6g", v);
    }
}

void lc_units_display_name(const lc_units *u, const char *unit, char *buf, size_t size)
{
    size_t n = 0;
    const char *p = unit;
    while (*p && n + 1 < size) {
        if (strncmp(p, "CUR", 3) == 0 && !isalnum((unsigned char)p[3]) &&
            (p == unit || !isalnum((unsigned char)p[-1]))) {
            size_t k = strlen(u->display);
            if (n + k + 1 >= size)
                break;
            memcpy(buf + n, u->display, k);
            n += k;
            p += 3;
        } else {
            buf[n++] = *p++;
        }
    }
    buf[n] = '\0';
}

const char *lc_units_find_currency(const lc_units *u, const char *unit, size_t *len)
{
    const char *p = unit;
    while (*p) {
        size_t n = 0;
        while (is_word_char((unsigned char)p[n]))
            n++;
        if (n > 0 && find_currency(u, p, n) >= 0) {
            *len = n;
            return p;
        }
        p += n ? n : 1;
    }
    *len = 0;
    return NULL;
}

void lc_units_currency_as_cur(const lc_units *u, const char *unit, char *buf, size_t size)
{
    size_t n = 0;
    const char *p = unit;
    if (size == 0)
        return;
    while (*p && n + 1 < size) {
        size_t w = 0;
        while (is_word_char((unsigned char)p[w]))
            w++;
        if (w > 0 && find_currency(u, p, w) >= 0) {
            if (n + 4 > size)
                break;
            memcpy(buf + n, "CUR", 3);
            n += 3;
            p += w;
        } else if (w > 0) {
            size_t k = w < size - 1 - n ? w : size - 1 - n;
            memcpy(buf + n, p, k);
            n += k;
            p += w;
        } else {
            buf[n++] = *p++;
        }
    }
    buf[n] = '\0';
}

double lc_units_rate(const lc_units *u, const char *code, size_t len)
{
    return currency_value(u, code, len) / currency_value(u, u->display, strlen(u->display));
}

double lc_units_to(const lc_units *u, double v, const char *unit)
{
    lc_unit un;
    if (unit == NULL || unit[0] == '\0')
        return v;
    if (lc_units_parse_unit(u, unit, strlen(unit), &un, NULL, 0, NULL) != 0)
        return NAN;
    return v / un.factor;
}

int lc_units_format(const lc_units *u, double v, const char *unit, char *buf, size_t size)
{
    char num[LC_NUMBER_TEXT_MAX], name[LC_UNIT_TEXT_MAX];
    double x = lc_units_to(u, v, unit);
    if (isnan(x) && !isnan(v))
        return -1;
    if (isnan(v)) {
        snprintf(buf, size, "n/a"); /* not computed: no unit to show */
        return 0;
    }
    lc_units_format_number(x, num, sizeof num);
    if (unit == NULL || unit[0] == '\0') {
        snprintf(buf, size, "%s", num);
        return 0;
    }
    lc_units_display_name(u, unit, name, sizeof name);
    snprintf(buf, size, "%s %s", num, name);
    return 0;
}
