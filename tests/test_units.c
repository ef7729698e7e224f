/* test_units.c — quantities, units, dimensions, currencies and formatting (lc_units). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "lc_units.h"

/* Base units: s, J, one unit of the scenario currency, FLOP, byte, token, kg CO2e. */
#define HOUR        3600.0
#define DAY         86400.0
#define YEAR        (365.0 * DAY) /* 31536000 s */
#define MONTH       (YEAR / 12.0) /* 2628000 s */
#define KWH         3.6e6         /* J */
#define CNY_PER_USD 7.084         /* IRS 2023 yearly average */
#define CNY_PER_EUR (7.084 / 0.924)

static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

/* Exponents in enum order: time energy money compute data tokens CO2. */
static lc_dim dim7(int t, int e, int m, int c, int d, int k, int g)
{
    lc_dim r;
    r.e[LC_DIM_TIME] = (signed char)t;
    r.e[LC_DIM_ENERGY] = (signed char)e;
    r.e[LC_DIM_MONEY] = (signed char)m;
    r.e[LC_DIM_COMPUTE] = (signed char)c;
    r.e[LC_DIM_DATA] = (signed char)d;
    r.e[LC_DIM_TOKEN] = (signed char)k;
    r.e[LC_DIM_CO2] = (signed char)g;
    return r;
}

static void assert_dim(lc_dim got, lc_dim want)
{
    if (!lc_dim_eq(got, want)) {
        char g[64], w[64];
        lc_dim_describe(got, g, sizeof g);
        lc_dim_describe(want, w, sizeof w);
        fail_msg("dimension %s, want %s", g, w);
    }
}

static void units(lc_units *u, const char *base)
{
    assert_int_equal(lc_units_init(u, base), 0);
}

/* Parse s, expect success with value `want` (relative 1e-12) and dimension `dim`. */
static void q_ok(const lc_units *u, const char *s, double want, lc_dim dim)
{
    double v = -1;
    lc_dim d;
    char msg[160] = "";
    size_t at = 999;
    if (lc_units_parse_quantity(u, s, &v, &d, msg, sizeof msg, &at) != 0)
        fail_msg("'%s' failed at %zu: %s", s, at, msg);
    assert_rel(v, want, 1e-12);
    assert_dim(d, dim);
}

/* Parse s, expect failure at byte offset `at_want` with `part` in the message. */
static void q_err(const lc_units *u, const char *s, size_t at_want, const char *part)
{
    double v = 0;
    lc_dim d;
    char msg[160] = "";
    size_t at = 999;
    if (lc_units_parse_quantity(u, s, &v, &d, msg, sizeof msg, &at) == 0)
        fail_msg("'%s' was accepted as %.17g", s, v);
    if (strstr(msg, part) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", s, msg, part);
    if (at != at_want)
        fail_msg("'%s': error at %zu, want %zu (%s)", s, at, at_want, msg);
}

static void unit_ok(const lc_units *u, const char *s, double factor, lc_dim dim)
{
    lc_unit un;
    char msg[160] = "";
    size_t at = 999;
    if (lc_units_parse_unit(u, s, strlen(s), &un, msg, sizeof msg, &at) != 0)
        fail_msg("unit '%s' failed at %zu: %s", s, at, msg);
    assert_rel(un.factor, factor, 1e-12);
    assert_dim(un.dim, dim);
}

static void unit_err(const lc_units *u, const char *s, size_t at_want, const char *part)
{
    lc_unit un;
    char msg[160] = "";
    size_t at = 999;
    if (lc_units_parse_unit(u, s, strlen(s), &un, msg, sizeof msg, &at) == 0)
        fail_msg("unit '%s' was accepted (factor %.17g)", s, un.factor);
    if (strstr(msg, part) == NULL)
        fail_msg("unit '%s': message '%s' lacks '%s'", s, msg, part);
    if (at != at_want)
        fail_msg("unit '%s': error at %zu, want %zu (%s)", s, at, at_want, msg);
}

static void test_physical_quantities(void **state)
{
    lc_units u;
    (void)state;
    units(&u, "CNY");
    /* 6.5 kW = 6.5 * 1000 W = 6500 J/s */
    q_ok(&u, "6.5 kW", 6500.0, dim7(-1, 1, 0, 0, 0, 0, 0));
    /* 24 h = 24 * 3600 s = 86400 s */
    q_ok(&u, "24 h", 86400.0, dim7(1, 0, 0, 0, 0, 0, 0));
    q_ok(&u, "1 day", 86400.0, dim7(1, 0, 0, 0, 0, 0, 0));
    /* a month is 365/12 days: 365 * 86400 / 12 = 2628000 s */
    q_ok(&u, "1 month", 2628000.0, dim7(1, 0, 0, 0, 0, 0, 0));
    q_ok(&u, "2 years", 2.0 * 31536000.0, dim7(1, 0, 0, 0, 0, 0, 0));
    /* 2T tokens = 2 * 1e12 tokens */
    q_ok(&u, "2T tokens", 2e12, dim7(0, 0, 0, 0, 0, 1, 0));
    /* 175B = 175 * 1e9, a plain number */
    q_ok(&u, "175B", 1.75e11, lc_dim_none());
    q_ok(&u, "175B params", 1.75e11, lc_dim_none());
    q_ok(&u, "2.5K users", 2500.0, lc_dim_none());
    /* 312 TFLOP/s = 312e12 FLOP/s */
    q_ok(&u, "312 TFLOP/s", 3.12e14, dim7(-1, 0, 0, 1, 0, 0, 0));
    /* OP counts like FLOP: 3 TOP/s = 3e12 FLOP/s */
    q_ok(&u, "3 TOP/s", 3e12, dim7(-1, 0, 0, 1, 0, 0, 0));
    /* 90% = 90 * 0.01 = 0.9, with or without the space */
    q_ok(&u, "90%", 0.9, lc_dim_none());
    q_ok(&u, "90 %", 0.9, lc_dim_none());
    /* 80 GB = 80e9 bytes; 2039 GB/s = 2039e9 B/s */
    q_ok(&u, "80 GB", 8e10, dim7(0, 0, 0, 0, 1, 0, 0));
    q_ok(&u, "2039 GB/s", 2.039e12, dim7(-1, 0, 0, 0, 1, 0, 0));
    q_ok(&u, "1 GiB", 1073741824.0, dim7(0, 0, 0, 0, 1, 0, 0));
    /* 0.429 kgCO2e/kWh = 0.429 kg / 3.6e6 J = 1.191666...e-7 kg/J */
    q_ok(&u, "0.429 kgCO2e/kWh", 0.429 / 3.6e6, dim7(0, -1, 0, 0, 0, 0, 1));
    q_ok(&u, "3 tCO2e", 3000.0, dim7(0, 0, 0, 0, 0, 0, 1));
    /* 5 MWh = 5 * 1e6 * 3600 J = 1.8e10 J */
    q_ok(&u, "5 MWh", 1.8e10, dim7(0, 1, 0, 0, 0, 0, 0));
    /* exponents: 3 kW^2 = 3 * (1000 W)^2 = 3e6 W^2 */
    q_ok(&u, "3 kW^2", 3e6, dim7(-2, 2, 0, 0, 0, 0, 0));
    /* 6 J/s^2: both powers of s divide: 6 J s^-2 */
    q_ok(&u, "6 J/s^2", 6.0, dim7(-2, 1, 0, 0, 0, 0, 0));
    /* 5 s^-1 = 5 per second; after '/', ^-1 multiplies again: 4 J/s^-1 = 4 J s */
    q_ok(&u, "5 s^-1", 5.0, dim7(-1, 0, 0, 0, 0, 0, 0));
    q_ok(&u, "4 J/s^-1", 4.0, dim7(1, 1, 0, 0, 0, 0, 0));
    /* '-' after an exponent joins the next atom: 2 W^2-h = 2 W^2 * 3600 s = 7200 */
    q_ok(&u, "2 W^2-h", 7200.0, dim7(-1, 2, 0, 0, 0, 0, 0));
    /* 1/day as a unit: 3 1/day = 3 / 86400 per s */
    q_ok(&u, "3 1/day", 3.0 / 86400.0, dim7(-1, 0, 0, 0, 0, 0, 0));
    /* '·' multiplies: 2 kW·h = 2 * 1000 * 3600 J = 7.2e6 J */
    q_ok(&u, "2 kW\xc2\xb7h", 7.2e6, dim7(0, 1, 0, 0, 0, 0, 0));
    /* surrounding spaces, signs, exponents */
    q_ok(&u, "  -1.5e3 s  ", -1500.0, dim7(1, 0, 0, 0, 0, 0, 0));
    q_ok(&u, ".5", 0.5, lc_dim_none());
    q_ok(&u, "+2", 2.0, lc_dim_none());
}

static void test_money_quantities(void **state)
{
    lc_units u;
    (void)state;
    units(&u, "CNY");
    /* 0.63 CNY/kWh = 0.63 CNY / 3.6e6 J = 1.75e-7 CNY/J */
    q_ok(&u, "0.63 CNY/kWh", 0.63 / 3.6e6, dim7(0, -1, 1, 0, 0, 0, 0));
    /* 30 USD/month in CNY: 30 * 7.084 / 2628000 = 212.52 / 2628000 CNY/s */
    q_ok(&u, "30 USD/month", 212.52 / 2628000.0, dim7(-1, 0, 1, 0, 0, 0, 0));
    /* 1.50 USD/GPU-hour: GPU is a label, '-' multiplies inside the denominator:
     * 1.5 * 7.084 / 3600 = 10.626 / 3600 CNY/s */
    q_ok(&u, "1.50 USD/GPU-hour", 10.626 / 3600.0, dim7(-1, 0, 1, 0, 0, 0, 0));
    /* 1.4M USD = 1.4e6 * 7.084 = 9917600 CNY */
    q_ok(&u, "1.4M USD", 9917600.0, dim7(0, 0, 1, 0, 0, 0, 0));
    /* 1 EUR = 7.084 / 0.924 CNY */
    q_ok(&u, "1 EUR", CNY_PER_EUR, dim7(0, 0, 1, 0, 0, 0, 0));

    units(&u, "USD");
    q_ok(&u, "1.4M USD", 1.4e6, dim7(0, 0, 1, 0, 0, 0, 0));
    q_ok(&u, "30 USD/month", 30.0 / 2628000.0, dim7(-1, 0, 1, 0, 0, 0, 0));
    q_ok(&u, "1.50 USD/GPU-hour", 1.5 / 3600.0, dim7(-1, 0, 1, 0, 0, 0, 0));
    /* 7.084 CNY = 1 USD; 140.511 JPY = 1 USD */
    q_ok(&u, "7.084 CNY", 1.0, dim7(0, 0, 1, 0, 0, 0, 0));
    q_ok(&u, "1 JPY", 1.0 / 140.511, dim7(0, 0, 1, 0, 0, 0, 0));
    /* 0.63 CNY/kWh in USD: 0.63 / 7.084 / 3.6e6 USD/J */
    q_ok(&u, "0.63 CNY/kWh", 0.63 / 7.084 / 3.6e6, dim7(0, -1, 1, 0, 0, 0, 0));
}

static void test_parse_unit(void **state)
{
    lc_units u;
    (void)state;
    units(&u, "CNY");
    /* 1/day = 1 / 86400 s */
    unit_ok(&u, "1/day", 1.0 / DAY, dim7(-1, 0, 0, 0, 0, 0, 0));
    unit_ok(&u, "kW^2", 1e6, dim7(-2, 2, 0, 0, 0, 0, 0));
    unit_ok(&u, "TOP/s", 1e12, dim7(-1, 0, 0, 1, 0, 0, 0));
    unit_ok(&u, "kWh", KWH, dim7(0, 1, 0, 0, 0, 0, 0));
    /* each '/' divides what follows: CNY/GPU/hour = CNY / 3600 s */
    unit_ok(&u, "CNY/GPU/hour", 1.0 / HOUR, dim7(-1, 0, 1, 0, 0, 0, 0));
    unit_ok(&u, "CUR/Mtoken", 1e-6, dim7(0, 0, 1, 0, 0, -1, 0));
    unit_ok(&u, "tCO2e/year", 1000.0 / YEAR, dim7(-1, 0, 0, 0, 0, 0, 1));
    unit_ok(&u, "USD*h", CNY_PER_USD * HOUR, dim7(1, 0, 1, 0, 0, 0, 0));
    unit_ok(&u, "%", 0.01, lc_dim_none());
    /* a milli prefix: 1 mJ = 1e-3 J; "min" stays minutes */
    unit_ok(&u, "mJ", 1e-3, dim7(0, 1, 0, 0, 0, 0, 0));
    unit_ok(&u, "min", 60.0, dim7(1, 0, 0, 0, 0, 0, 0));

    unit_err(&u, "", 0, "empty unit");
    unit_err(&u, "kW/", 3, "unit ends with an operator");
    unit_err(&u, "1/", 2, "unit ends with an operator");
    unit_err(&u, "kWz", 0, "unknown unit 'kWz'");
    unit_err(&u, "CNY/kWz", 4, "unknown unit 'kWz'");
    unit_err(&u, "kW^9", 0, "bad exponent");
    unit_err(&u, "kW^0", 0, "bad exponent");
    unit_err(&u, "kW^", 0, "bad exponent");
    /* s^4 eight times is s^32, the most a base unit may have; a ninth s^4 (at
     * byte 8 x 4 = 32, the start of its atom) would be s^36 */
    unit_ok(&u, "s^4-s^4-s^4-s^4-s^4-s^4-s^4-s^4", 1, dim7(32, 0, 0, 0, 0, 0, 0));
    unit_err(&u, "s^4-s^4-s^4-s^4-s^4-s^4-s^4-s^4-s^4", 32, "unit exponent out of range");
    unit_err(&u, "kW!", 2, "unexpected character");
    unit_err(&u, "/h", 0, "expected a unit name");
    /* prefixes only on prefixable atoms: "kh" is not a kilo-hour */
    unit_err(&u, "kh", 0, "unknown unit 'kh'");
    unit_err(&u, "kUSD", 0, "unknown unit 'kUSD'");
}

static void test_parse_errors(void **state)
{
    lc_units u;
    (void)state;
    units(&u, "CNY");
    q_err(&u, "6.5 kWz", 4, "unknown unit 'kWz'");
    q_err(&u, "  6.5 kWz", 6, "unknown unit 'kWz'");
    q_err(&u, "nan", 0, "expected a number");
    q_err(&u, "NaN", 0, "expected a number");
    q_err(&u, "inf", 0, "expected a number");
    q_err(&u, "-inf", 0, "expected a number");
    q_err(&u, "infinity", 0, "expected a number");
    q_err(&u, "1e999", 0, "out of range");
    q_err(&u, "-1e999", 0, "out of range");
    q_err(&u, "0x10", 0, "hexadecimal");
    q_err(&u, "-0x10", 0, "hexadecimal");
    q_err(&u, "+0X1p4", 0, "hexadecimal");
    q_err(&u, "", 0, "expected a number");
    q_err(&u, "   ", 3, "expected a number");
    q_err(&u, "kW", 0, "expected a number");
    q_err(&u, "5 kW/", 5, "unit ends with an operator");
    q_err(&u, "5 1/", 4, "unit ends with an operator");
    q_err(&u, "5 %x", 2, "unknown unit '%x'");
    q_err(&u, "5%x", 2, "nothing may follow '%'");
    q_err(&u, "5% kW", 3, "nothing may follow '%'");
    q_err(&u, "12abc", 2, "unknown unit 'abc'");
    q_err(&u, "5 kW!", 4, "unexpected character");
    q_err(&u, "5 kW h", 4, "unexpected character");
    q_err(&u, "1,000", 1, "expected a unit name");
    /* finite number, infinite product: 1e300 * 1e12 */
    q_err(&u, "1e300 TFLOP", 0, "out of range");
}

static void test_currency(void **state)
{
    lc_units u;
    double v;
    lc_dim d;
    char buf[64];
    (void)state;
    assert_int_equal(lc_units_init(&u, "XYZ"), -1);
    units(&u, "CNY");
    assert_string_equal(u.base, "CNY");
    assert_string_equal(u.display, "CNY");
    /* default: 1 USD = 7.084 CNY */
    q_ok(&u, "1 USD", CNY_PER_USD, dim7(0, 0, 1, 0, 0, 0, 0));
    q_ok(&u, "10 USD", 70.84, dim7(0, 0, 1, 0, 0, 0, 0));
    /* a scenario's fx: entry: 1 USD = 7.2 CNY; EUR keeps its default */
    assert_int_equal(lc_units_set_rate(&u, "USD", 7.2), 0);
    q_ok(&u, "10 USD", 72.0, dim7(0, 0, 1, 0, 0, 0, 0));
    q_ok(&u, "1 EUR", CNY_PER_EUR, dim7(0, 0, 1, 0, 0, 0, 0));
    /* 1.50 USD/GPU-hour at 7.2: 10.8 / 3600 CNY/s = 0.003 */
    q_ok(&u, "1.50 USD/GPU-hour", 0.003, dim7(-1, 0, 1, 0, 0, 0, 0));
    assert_int_equal(lc_units_set_rate(&u, "CNY", 1.0), -1); /* the base itself */
    assert_int_equal(lc_units_set_rate(&u, "XYZ", 1.0), -1);
    assert_int_equal(lc_units_set_rate(&u, "EUR", 0.0), -1);
    assert_int_equal(lc_units_set_rate(&u, "EUR", -1.0), -1);
    assert_int_equal(lc_units_set_rate(&u, "EUR", NAN), -1);
    assert_int_equal(lc_units_set_rate(&u, "EUR", INFINITY), -1);
    q_ok(&u, "1 EUR", CNY_PER_EUR, dim7(0, 0, 1, 0, 0, 0, 0));

    /* CUR is the display currency: the base until changed */
    q_ok(&u, "3 CUR", 3.0, dim7(0, 0, 1, 0, 0, 0, 0));
    assert_int_equal(lc_units_set_display(&u, "XYZ"), -1);
    assert_string_equal(u.display, "CNY");
    assert_int_equal(lc_units_set_display(&u, "USD"), 0);
    assert_string_equal(u.display, "USD");
    /* 3 CUR = 3 USD = 3 * 7.2 = 21.6 CNY (values stay in the base currency) */
    q_ok(&u, "3 CUR", 21.6, dim7(0, 0, 1, 0, 0, 0, 0));
    /* 196.56 CNY/day shown in USD at 7.2: 196.56 / 7.2 = 27.3 USD/day */
    assert_int_equal(lc_units_format(&u, 196.56 / DAY, "CUR/day", buf, sizeof buf), 0);
    assert_string_equal(buf, "27.3 USD/day");
    /* an explicit currency in the unit is not replaced: 196.56 CNY/day */
    assert_int_equal(lc_units_format(&u, 196.56 / DAY, "CNY/day", buf, sizeof buf), 0);
    assert_string_equal(buf, "196.56 CNY/day");
    lc_units_display_name(&u, "CUR/kWh", buf, sizeof buf);
    assert_string_equal(buf, "USD/kWh");
    lc_units_display_name(&u, "CURB/CUR", buf, sizeof buf); /* only the whole word */
    assert_string_equal(buf, "CURB/USD");

    /* in a USD context the rates invert: 1 CNY = 1/7.084 USD */
    units(&u, "USD");
    assert_int_equal(lc_units_parse_quantity(&u, "1 CNY", &v, &d, NULL, 0, NULL), 0);
    assert_rel(v, 1.0 / 7.084, 1e-12);
    assert_int_equal(lc_units_set_rate(&u, "CNY", 0.14), 0);
    q_ok(&u, "100 CNY", 14.0, dim7(0, 0, 1, 0, 0, 0, 0));
}

static void test_dims(void **state)
{
    lc_dim a = dim7(-1, 1, 0, 0, 0, 0, 0), b = dim7(1, 0, 0, 0, 0, 0, 0), r;
    (void)state;
    assert_true(lc_dim_is_none(lc_dim_none()));
    assert_false(lc_dim_is_none(a));
    assert_true(lc_dim_eq(a, dim7(-1, 1, 0, 0, 0, 0, 0)));
    assert_false(lc_dim_eq(a, b));
    /* power * time = energy; energy / time = power; power^2 */
    assert_int_equal(lc_dim_mul(a, b, &r), 0);
    assert_dim(r, dim7(0, 1, 0, 0, 0, 0, 0));
    assert_int_equal(lc_dim_div(dim7(0, 1, 0, 0, 0, 0, 0), b, &r), 0);
    assert_dim(r, a);
    assert_int_equal(lc_dim_scale(a, 2, &r), 0);
    assert_dim(r, dim7(-2, 2, 0, 0, 0, 0, 0));
    assert_int_equal(lc_dim_scale(a, -1, &r), 0);
    assert_dim(r, dim7(1, -1, 0, 0, 0, 0, 0));
    /* Issue 11: exponents are checked, not wrapped.  s^32 is the last one
     * allowed (LC_DIM_EXP_MAX); s^8 to the 4th is s^32, to the 5th s^40. */
    assert_int_equal(lc_dim_scale(b, 32, &r), 0);
    assert_int_equal(r.e[LC_DIM_TIME], 32);
    assert_int_equal(lc_dim_scale(b, 33, &r), -1);
    assert_int_equal(r.e[LC_DIM_TIME], 32); /* left alone on failure */
    assert_int_equal(lc_dim_scale(b, 256, &r), -1);
    assert_int_equal(lc_dim_mul(r, b, &r), -1);                           /* s^32 * s = s^33 */
    assert_int_equal(lc_dim_div(dim7(-32, 0, 0, 0, 0, 0, 0), b, &r), -1); /* s^-33 */
    assert_int_equal(lc_dim_scale(lc_dim_none(), 1000, &r), 0);           /* 1^1000 = 1 */
    assert_dim(r, lc_dim_none());
}

static void describe_is(lc_dim d, const char *want)
{
    char buf[64];
    lc_dim_describe(d, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_describe(void **state)
{
    char small[8];
    (void)state;
    describe_is(dim7(0, -1, 1, 0, 0, 0, 0), "money/energy");
    describe_is(dim7(-1, 1, 0, 0, 0, 0, 0), "energy/time");
    describe_is(lc_dim_none(), "dimensionless");
    describe_is(dim7(-1, 0, 0, 0, 0, 0, 0), "1/time");
    describe_is(dim7(-2, 2, 0, 0, 0, 0, 0), "energy^2/time^2");
    describe_is(dim7(1, 0, 0, 1, 0, 0, 0), "time*compute");
    /* two denominators in enum order: money/time/tokens = money / (time tokens) */
    describe_is(dim7(-1, 0, 1, 0, 0, -1, 0), "money/time/tokens");
    describe_is(dim7(0, 0, 0, 0, 0, 0, 1), "CO2");
    /* truncated to the buffer: "money/energy" -> 7 characters and the NUL */
    lc_dim_describe(dim7(0, -1, 1, 0, 0, 0, 0), small, sizeof small);
    assert_string_equal(small, "money/e");
}

static void test_default_unit(void **state)
{
    (void)state;
    assert_string_equal(lc_dim_default_unit(dim7(-1, 0, 1, 0, 0, 0, 0)), "CUR/day");
    assert_string_equal(lc_dim_default_unit(dim7(0, 1, 0, 0, 0, 0, 0)), "kWh");
    assert_string_equal(lc_dim_default_unit(dim7(-1, 1, 0, 0, 0, 0, 0)), "kW");
    assert_string_equal(lc_dim_default_unit(dim7(1, 0, 0, 0, 0, 0, 0)), "h");
    assert_string_equal(lc_dim_default_unit(dim7(0, -1, 1, 0, 0, 0, 0)), "CUR/kWh");
    assert_string_equal(lc_dim_default_unit(dim7(0, 0, 1, 0, 0, -1, 0)), "CUR/Mtoken");
    assert_string_equal(lc_dim_default_unit(dim7(-1, 0, 0, 1, 0, 0, 0)), "TFLOP/s");
    assert_string_equal(lc_dim_default_unit(dim7(-1, 0, 0, 0, 1, 0, 0)), "GB/s");
    assert_string_equal(lc_dim_default_unit(dim7(0, -1, 0, 0, 0, 0, 1)), "kgCO2e/kWh");
    assert_string_equal(lc_dim_default_unit(dim7(-1, 0, 0, 0, 0, 0, 0)), "1/day");
    assert_string_equal(lc_dim_default_unit(lc_dim_none()), "");
    /* nothing fits time^3: "" (base units), as the header promises */
    assert_non_null(lc_dim_default_unit(dim7(3, 0, 0, 0, 0, 0, 0)));
    assert_string_equal(lc_dim_default_unit(dim7(3, 0, 0, 0, 0, 0, 0)), "");
    /* every non-empty default unit parses to its own dimension */
    {
        lc_units u;
        lc_dim ds[] = {dim7(-1, 0, 1, 0, 0, 0, 0), dim7(0, -1, 1, 0, 0, 0, 0),
                       dim7(0, 0, 1, -1, 0, 0, 0), dim7(-1, 0, 0, 0, 0, 1, 0),
                       dim7(-1, 0, 0, 0, 0, 0, 1), dim7(-1, 0, 0, 0, 0, 0, 0)};
        size_t i;
        units(&u, "CNY");
        for (i = 0; i < sizeof ds / sizeof ds[0]; i++) {
            const char *s = lc_dim_default_unit(ds[i]);
            lc_unit un;
            assert_int_equal(lc_units_parse_unit(&u, s, strlen(s), &un, NULL, 0, NULL), 0);
            assert_dim(un.dim, ds[i]);
        }
    }
}

static void number_is(double v, const char *want)
{
    char buf[64];
    lc_units_format_number(v, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("%.17g formats as '%s', want '%s'", v, buf, want);
}

static void test_format_number(void **state)
{
    (void)state;
    number_is(0.0, "0");
    number_is(-0.0, "0");
    number_is(1.0, "1");
    number_is(2.5, "2.5");
    number_is(-42.75, "-42.75");
    number_is(196.56, "196.56");
    /* large numbers have no exponent below 1e15 */
    number_is(196560.0, "196560");
    number_is(71744400.0, "71744400"); /* 196560 CNY/day * 365 */
    number_is(123456789012345.0, "123456789012345");
    /* 6 significant digits: 0.123456789 -> 0.123457; 3.14159265 -> 3.14159 */
    number_is(0.123456789, "0.123457");
    number_is(3.14159265, "3.14159");
    /* 9.9999999 rounds to 10.00000 at 5 decimals, zeros dropped */
    number_is(9.9999999, "10");
    number_is(999999.7, "1000000");
    /* down to 1e-4 still without exponent */
    number_is(0.0001, "0.0001");
    number_is(-0.00012, "-0.00012");
    number_is(0.00012345678, "0.000123457");
    /* tiny and huge numbers: exponent, up to 6 significant digits */
    number_is(1.5e-5, "1.5e-05");
    number_is(1.23456789e-5, "1.23457e-05");
    number_is(1e15, "1e+15");
    number_is(2.5e20, "2.5e+20");
    number_is(-3e-7, "-3e-07");
    number_is(NAN, "nan");
    number_is(INFINITY, "inf");
    number_is(-INFINITY, "-inf");
}

/* The bounds fixed buffers are sized by (lc_units.h) hold the longest text. */
static void test_text_bounds(void **state)
{
    static const double numbers[] = {-DBL_MAX, -1.23456789e-300, -999999.999999e9, -0.000123456789,
                                     -DBL_MIN};
    char buf[256];
    lc_units u;
    size_t i;
    (void)state;
    /* every base dimension at exponent 32, above and below the line */
    lc_dim_describe(dim7(32, 32, 32, 32, 32, 32, 32), buf, sizeof buf);
    assert_true(strlen(buf) < LC_DIM_TEXT_MAX);
    lc_dim_describe(dim7(-32, -32, -32, -32, -32, -32, -32), buf, sizeof buf);
    assert_true(strlen(buf) < LC_DIM_TEXT_MAX);
    for (i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
        lc_units_format_number(numbers[i], buf, sizeof buf);
        if (strlen(buf) >= LC_NUMBER_TEXT_MAX)
            fail_msg("%.17g formats as '%s', longer than LC_NUMBER_TEXT_MAX", numbers[i], buf);
    }
    /* a currency code is as long as CUR, so a unit's display name is as long as it */
    units(&u, "USD");
    for (i = 0; i < u.ncur; i++)
        assert_int_equal(strlen(u.cur[i].code), 3);
    for (i = 0; i < u.ncur; i++) {
        assert_int_equal(lc_units_set_display(&u, u.cur[i].code), 0);
        lc_units_display_name(&u, "CUR/CUR/CUR", buf, sizeof buf);
        assert_int_equal(strlen(buf), strlen("CUR/CUR/CUR"));
    }
}

static void test_format(void **state)
{
    lc_units u;
    char buf[64];
    /* DGX A100: 6.5 kW * 2 (cooling) * 24 h * 0.63 CNY/kWh = 156 kWh * 1.26 = 196.56 CNY
     * per server and day; as a base value that is CNY per second. */
    double per_server = 6500.0 * 2.0 * 86400.0 * (0.63 / 3.6e6) / 86400.0;
    (void)state;
    units(&u, "CNY");
    assert_rel(per_server * DAY, 196.56, 1e-12);
    assert_int_equal(lc_units_format(&u, per_server, "CUR/day", buf, sizeof buf), 0);
    assert_string_equal(buf, "196.56 CNY/day");
    /* 1000 servers: 196560 CNY/day, no exponent */
    assert_int_equal(lc_units_format(&u, 1000.0 * per_server, "CUR/day", buf, sizeof buf), 0);
    assert_string_equal(buf, "196560 CNY/day");
    /* and a year of it: 196560 * 365 = 71744400 CNY/year */
    assert_int_equal(lc_units_format(&u, 1000.0 * per_server, "CUR/year", buf, sizeof buf), 0);
    assert_string_equal(buf, "71744400 CNY/year");
    /* energy: 6.5 kW * 2 * 24 h = 312 kWh = 1.1232e9 J */
    assert_int_equal(lc_units_format(&u, 1.1232e9, "kWh", buf, sizeof buf), 0);
    assert_string_equal(buf, "312 kWh");
    /* tiny: 1.75e-7 CNY/J is 0.63 CNY/kWh; 1.5e-5 of a plain number keeps the exponent */
    assert_int_equal(lc_units_format(&u, 1.75e-7, "CUR/kWh", buf, sizeof buf), 0);
    assert_string_equal(buf, "0.63 CNY/kWh");
    assert_int_equal(lc_units_format(&u, 1.5e-5, "", buf, sizeof buf), 0);
    assert_string_equal(buf, "1.5e-05");
    assert_int_equal(lc_units_format(&u, 1.5e-5, NULL, buf, sizeof buf), 0);
    assert_string_equal(buf, "1.5e-05");
    /* 0.5 kgCO2e as tCO2e: 0.0005 */
    assert_int_equal(lc_units_format(&u, 0.5, "tCO2e", buf, sizeof buf), 0);
    assert_string_equal(buf, "0.0005 tCO2e");
    /* a bad unit is an error */
    assert_int_equal(lc_units_format(&u, 1.0, "kWz", buf, sizeof buf), -1);

    /* lc_units_to: v / factor */
    assert_rel(lc_units_to(&u, 86400.0, "day"), 1.0, 1e-12);
    assert_rel(lc_units_to(&u, 3.6e6, "kWh"), 1.0, 1e-12);
    assert_rel(lc_units_to(&u, 1.0 / DAY, "1/day"), 1.0, 1e-12);
    assert_rel(lc_units_to(&u, 7.0, ""), 7.0, 0.0);
    assert_true(isnan(lc_units_to(&u, 1.0, "parsec")));
}

static void test_word_len(void **state)
{
    (void)state;
    assert_int_equal(lc_units_word_len("kWh) * 2"), 3);
    assert_int_equal(lc_units_word_len("CNY/kWh * x"), 7);
    assert_int_equal(lc_units_word_len("USD/GPU-hour, x"), 12);
    assert_int_equal(lc_units_word_len("s^-1 + 1"), 4);
    assert_int_equal(lc_units_word_len("kW^2"), 4);
    assert_int_equal(lc_units_word_len("kW\xc2\xb7h "), 5); /* '·' is two bytes */
    assert_int_equal(lc_units_word_len("h - x"), 1);
    assert_int_equal(lc_units_word_len("h-"), 1); /* an operator needs a word after it */
    assert_int_equal(lc_units_word_len("GB/ s"), 2);
    assert_int_equal(lc_units_word_len("90%"), 3);
    assert_int_equal(lc_units_word_len(""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_physical_quantities),
        cmocka_unit_test(test_money_quantities),
        cmocka_unit_test(test_parse_unit),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_currency),
        cmocka_unit_test(test_dims),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_default_unit),
        cmocka_unit_test(test_format_number),
        cmocka_unit_test(test_text_bounds),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_word_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
