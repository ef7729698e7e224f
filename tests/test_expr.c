/* test_expr.c — formula parsing, unit checking, folding, rendering and tapes (lc_expr). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_eval.h"
#include "lc_expr.h"

#define DAY 86400.0

static lc_units cny; /* a CNY scenario with the default rates */

static int setup(void **state)
{
    (void)state;
    return lc_units_init(&cny, "CNY");
}

static void assert_rel(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.17g, want %.17g (relative tolerance %g)", got, want, rel);
}

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

#define NODIM     lc_dim_none()
#define TIME      dim7(1, 0, 0, 0, 0, 0, 0)
#define ENERGY    dim7(0, 1, 0, 0, 0, 0, 0)
#define POWER     dim7(-1, 1, 0, 0, 0, 0, 0)
#define MONEY     dim7(0, 0, 1, 0, 0, 0, 0)
#define PRICE_KWH dim7(0, -1, 1, 0, 0, 0, 0)

static void assert_dim(lc_dim got, lc_dim want)
{
    if (!lc_dim_eq(got, want)) {
        char g[64], w[64];
        lc_dim_describe(got, g, sizeof g);
        lc_dim_describe(want, w, sizeof w);
        fail_msg("dimension %s, want %s", g, w);
    }
}

static lc_mark at3_10(void)
{
    lc_mark m = {"f.yaml", 3, 10};
    return m;
}

static lc_expr *parse(const char *text)
{
    lc_error err;
    lc_expr *e;
    lc_error_clear(&err);
    e = lc_expr_parse(text, at3_10(), &cny, &err);
    if (e == NULL)
        fail_msg("'%s': %s (col %d)", text, err.msg, err.col);
    assert_int_equal(err.code, LC_OK);
    return e;
}

/* Value of a formula without names (after checking, so constants fold). */
static double value_of(const char *text)
{
    lc_expr *e = parse(text);
    lc_error err;
    lc_dim d;
    double v;
    lc_error_clear(&err);
    assert_int_equal(lc_expr_nnames(e), 0);
    assert_int_equal(lc_expr_check(e, NULL, &d, &err), LC_OK);
    v = lc_expr_eval1(e, NULL);
    lc_expr_free(e);
    return v;
}

static void value_is(const char *text, double want)
{
    double v = value_of(text);
    if (want == 0 ? v != 0 : !(fabs(v - want) <= 1e-12 * fabs(want)))
        fail_msg("'%s' = %.17g, want %.17g", text, v, want);
}

/* Parse must fail with `part` in the message at column `col` (line 3). */
static void parse_fails(const char *text, int col, const char *part)
{
    lc_error err;
    lc_expr *e;
    lc_error_clear(&err);
    e = lc_expr_parse(text, at3_10(), &cny, &err);
    if (e != NULL) {
        lc_expr_free(e);
        fail_msg("'%s' parsed", text);
    }
    assert_int_equal(err.code, LC_EINPUT);
    assert_string_equal(err.file, "f.yaml");
    assert_int_equal(err.line, 3);
    if (strstr(err.msg, part) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", text, err.msg, part);
    if (err.col != col)
        fail_msg("'%s': column %d, want %d (%s)", text, err.col, col, err.msg);
}

/* Check with the given dims of the names; expect `want`. */
static void check_ok(const char *text, const lc_dim *dims, lc_dim want)
{
    lc_expr *e = parse(text);
    lc_error err;
    lc_dim d;
    lc_error_clear(&err);
    if (lc_expr_check(e, dims, &d, &err) != LC_OK)
        fail_msg("'%s': %s", text, err.msg);
    assert_dim(d, want);
    lc_expr_free(e);
}

static void check_fails(const char *text, const lc_dim *dims, int col, const char *part)
{
    lc_expr *e = parse(text);
    lc_error err;
    lc_dim d;
    lc_error_clear(&err);
    assert_int_equal(lc_expr_check(e, dims, &d, &err), LC_EINPUT);
    assert_int_equal(err.code, LC_EINPUT);
    if (strstr(err.msg, part) == NULL)
        fail_msg("'%s': message '%s' lacks '%s'", text, err.msg, part);
    if (err.col != col)
        fail_msg("'%s': column %d, want %d (%s)", text, err.col, col, err.msg);
    lc_expr_free(e);
}

static void test_precedence(void **state)
{
    (void)state;
    value_is("2 + 3 * 4", 14);  /* 2 + 12 */
    value_is("2 ^ 3 ^ 2", 512); /* 2 ^ 9, right associative */
    value_is("-2 ^ 2", -4);     /* -(2 ^ 2) */
    value_is("(-2) ^ 2", 4);
    value_is("10 - 4 - 3", 3);   /* (10 - 4) - 3 */
    value_is("100 / 10 / 5", 2); /* (100 / 10) / 5 */
    value_is("(2 + 3) * 4", 20);
    value_is("2 * (3 + 4) ^ 2", 98); /* 2 * 49 */
    value_is("10 - (4 - 3)", 9);
    value_is("2 ^ -1", 0.5);
    value_is("- - 4", 4);
    value_is("+3", 3);
    value_is("2 \xc3\x97 3 \xc3\xb7 4", 1.5); /* 2 × 3 ÷ 4 = 6 / 4 */
    value_is("  ( ( 7 ) )  ", 7);
    value_is("1.5e3 / .5", 3000);
}

static void test_comparisons(void **state)
{
    (void)state;
    value_is("1 < 2", 1);
    value_is("2 < 1", 0);
    value_is("2 <= 2", 1);
    value_is("3 >= 4", 0);
    value_is("3 > 2", 1);
    value_is("2 == 2", 1);
    value_is("2 != 2", 0);
    value_is("1 + 1 == 2", 1); /* comparisons bind loosest: (1 + 1) == 2 */
    value_is("2 * (1 < 2) + 1", 3);
}

static void test_functions(void **state)
{
    (void)state;
    value_is("min(3, 1, 2)", 1);
    value_is("max(3, 1, 2)", 3);
    value_is("min(4, 5, 3, 6, 7)", 3);
    value_is("max(-1, -5)", -1);
    value_is("ceil(2.1)", 3);
    value_is("ceil(-2.1)", -2);
    value_is("floor(2.9)", 2);
    value_is("floor(-2.1)", -3);
    value_is("round(2.5)", 3); /* halves away from zero */
    value_is("round(-2.5)", -3);
    value_is("round(2.4)", 2);
    value_is("abs(-3.5)", 3.5);
    value_is("exp(1)", 2.718281828459045);
    value_is("log(exp(2))", 2);
    value_is("log(1)", 0);
    value_is("sqrt(16)", 4);
    value_is("if(1 > 2, 10, 20)", 20);
    value_is("if(2 > 1, 10, 20)", 10);
    value_is("ceil (7 / 2)", 4); /* a space before '(' is fine */
}

static void test_names(void **state)
{
    lc_expr *e = parse("fleet.servers * gpu.power_kw + fleet.servers / inf.x_1 - gpu.power_kw");
    /* fleet.servers = 10, gpu.power_kw = 2, inf.x_1 = 5: 10 * 2 + 10 / 5 - 2 = 20 */
    double vals[] = {10, 2, 5};
    lc_mark m;
    (void)state;
    assert_int_equal(lc_expr_nnames(e), 3);
    assert_string_equal(lc_expr_name(e, 0), "fleet.servers");
    assert_string_equal(lc_expr_name(e, 1), "gpu.power_kw");
    assert_string_equal(lc_expr_name(e, 2), "inf.x_1");
    assert_rel(lc_expr_eval1(e, vals), 20, 1e-12);
    /* gpu.power_kw first appears at offset 16: column 10 + 16 */
    m = lc_expr_name_mark(e, 1);
    assert_string_equal(m.file, "f.yaml");
    assert_int_equal(m.line, 3);
    assert_int_equal(m.col, 26);
    assert_string_equal(lc_expr_text(e),
                        "fleet.servers * gpu.power_kw + fleet.servers / inf.x_1 - gpu.power_kw");
    lc_expr_free(e);

    /* a name may look like a unit or a function: "h", "min" */
    e = parse("h * min + h");
    assert_int_equal(lc_expr_nnames(e), 2);
    assert_string_equal(lc_expr_name(e, 0), "h");
    assert_string_equal(lc_expr_name(e, 1), "min");
    lc_expr_free(e);
}

static void test_number_units(void **state)
{
    lc_expr *e;
    lc_error err;
    lc_dim d, dims[4];
    double vals[4];
    (void)state;
    /* "x * 24 h": the number is 86400 s */
    e = parse("x * 24 h");
    dims[0] = POWER;
    lc_error_clear(&err);
    assert_int_equal(lc_expr_check(e, dims, &d, &err), LC_OK);
    assert_dim(d, ENERGY);
    vals[0] = 6500;                                     /* 6.5 kW */
    assert_rel(lc_expr_eval1(e, vals), 5.616e8, 1e-12); /* 6500 * 86400 J */
    lc_expr_free(e);

    value_is("1 day", 86400);
    value_is("0.63 CNY/kWh", 0.63 / 3.6e6);
    value_is("90%", 0.9);
    value_is("175B", 1.75e11);
    value_is("2T tokens", 2e12);
    value_is("1.4M USD", 1.4e6 * 7.084);                       /* 9917600 CNY */
    value_is("5M CNY/year", 5e6 / (365 * DAY));                /* CNY/s */
    value_is("2 * 1.50 USD/GPU-hour", 2 * 1.5 * 7.084 / 3600); /* 21.252 / 3600 */
    value_is("24h", 86400);                                    /* glued unit */
    value_is("3 kW^2 / 1 kW", 3000);                           /* 3e6 / 1e3 */
    value_is("1 day / 1 h", 24);

    /* the electricity bill: 6.5 kW * (1 + 1) * 24 h * 0.63 CNY/kWh per day = 196.56 CNY/day */
    e = parse("server.power * (1 + power.cooling_ratio) * electricity.hours * "
              "electricity.price / 1 day");
    dims[0] = POWER;
    dims[1] = NODIM;
    dims[2] = TIME;
    dims[3] = PRICE_KWH;
    lc_error_clear(&err);
    assert_int_equal(lc_expr_check(e, dims, &d, &err), LC_OK);
    assert_dim(d, dim7(-1, 0, 1, 0, 0, 0, 0));
    vals[0] = 6500;
    vals[1] = 1;
    vals[2] = 86400;
    vals[3] = 0.63 / 3.6e6;
    /* 6500 * 2 * 86400 * 1.75e-7 / 86400 = 0.002275 CNY/s = 196.56 CNY/day */
    assert_rel(lc_expr_eval1(e, vals), 0.002275, 1e-12);
    {
        char buf[64];
        assert_int_equal(lc_units_format(&cny, lc_expr_eval1(e, vals), "CUR/day", buf, sizeof buf),
                         0);
        assert_string_equal(buf, "196.56 CNY/day");
    }
    lc_expr_free(e);
}

static void test_check(void **state)
{
    lc_dim d2[3];
    (void)state;
    d2[0] = POWER;
    d2[1] = POWER;
    check_ok("a + b", d2, POWER);
    check_ok("a - b * 2", d2, POWER);
    check_ok("max(a, b, 2 kW)", d2, POWER);
    check_ok("if(a > 1 kW, a, 0 kW)", d2, POWER);
    check_ok("a < b", d2, NODIM);
    check_ok("a / b", d2, NODIM);
    check_ok("exp(a / b)", d2, NODIM);
    check_ok("ceil(a / 1 kW) + floor(b / 1 W) + round(a / b)", d2, NODIM);
    check_ok("abs(-a)", d2, POWER);
    check_ok("a * 24 h", d2, ENERGY);
    d2[0] = TIME;
    check_ok("a ^ 2", d2, dim7(2, 0, 0, 0, 0, 0, 0));
    check_ok("a ^ (1 + 1)", d2, dim7(2, 0, 0, 0, 0, 0, 0)); /* folded constant exponent */
    check_ok("a ^ -1", d2, dim7(-1, 0, 0, 0, 0, 0, 0));
    check_ok("sqrt(a * a)", d2, TIME);
    check_ok("sqrt(4 kW^2)", d2, POWER);
    check_ok("1 day / a", d2, NODIM);
    /* names are indexed in order of first use: in "b ^ a", b is name 0 */
    d2[0] = NODIM;
    d2[1] = NODIM;
    check_ok("b ^ a", d2, NODIM); /* a plain number to any plain power */
    d2[1] = TIME;
    check_ok("b ^ (a / 1 h)", d2, NODIM);
}

static void test_check_errors(void **state)
{
    lc_dim d[3];
    (void)state;
    d[0] = POWER;
    d[1] = MONEY;
    /* errors point at the start of the operation: column 10 + offset */
    check_fails("a + b", d, 10, "units do not match: cannot add energy/time and money");
    check_fails("2 * (a - b)", d, 15, "units do not match: cannot subtract");
    check_fails("a + 1", d, 10, "units do not match");
    check_fails("min(a, b)", d, 10, "units do not match: cannot take min() of");
    check_fails("a < b", d, 10, "units do not match: cannot compare");
    check_fails("if(1, a, b)", d, 10, "if() gives energy/time in one branch and money");
    check_fails("1 + exp(a)", d, 14, "needs a dimensionless argument, not energy/time");
    check_fails("log(b)", d, 10, "dimensionless argument");
    check_fails("ceil(a)", d, 10, "dimensionless argument");
    check_fails("floor(b)", d, 10, "dimensionless argument");
    check_fails("round(a)", d, 10, "dimensionless argument");
    check_fails("sqrt(a)", d, 10, "sqrt() of energy/time has no unit");
    check_fails("sqrt(1 kWh)", d, 10, "sqrt() of energy has no unit");
    d[1] = NODIM;
    /* the exponent's position: "a ^ b" -> b at offset 4 */
    check_fails("a ^ b", d, 14, "can only be raised to a constant whole power");
    check_fails("a ^ 0.5", d, 14, "constant whole power");
    check_fails("a ^ 9", d, 14, "constant whole power");
    d[1] = d[0];
    check_fails("2 ^ b", d, 14, "an exponent must be dimensionless");
}

static void test_parse_errors(void **state)
{
    lc_error err;
    (void)state;
    /* '*' at offset 4 of "a + * b": column 10 + 4 */
    parse_fails("a + * b", 14, "expected a number, a name or '('");
    /* unit errors point into the number: "kWz" at offset 8 */
    parse_fails("x * 6.5 kWz", 18, "unknown unit 'kWz'");
    parse_fails("x + 1e999", 14, "out of range");
    parse_fails("foo(1)", 10,
                "unknown function 'foo' (known: min max ceil floor round abs exp "
                "log sqrt if)");
    parse_fails("x + foo(1)", 14, "unknown function 'foo'");
    parse_fails("ceil(1, 2)", 10, "ceil() takes 1 argument, not 2");
    parse_fails("min(1)", 10, "min() takes 2 or more arguments, not 1");
    parse_fails("if(1, 2)", 10, "if() takes 3 arguments, not 2");
    parse_fails("min()", 14, "missing arguments");
    parse_fails("min(1 2)", 16, "expected ',' or ')'");
    parse_fails("(1 + 2", 16, "expected ')'");
    parse_fails("1 + 2)", 15, "unexpected text after the formula");
    parse_fails("1 2", 12, "unexpected text after the formula");
    parse_fails("x y", 12, "unexpected word here");
    parse_fails("2 min(1, 2)", 12, "unexpected word here");
    parse_fails("5%x", 12, "unexpected word here");
    parse_fails("", 10, "formula ends where a value was expected");
    parse_fails("1 +", 13, "formula ends where a value was expected");
    parse_fails("1 < 2 < 3", 16, "unexpected text"); /* comparisons do not chain */
    parse_fails("2 ** 3", 13, "expected a number, a name or '('");
    parse_fails("a.", 11, "unexpected text");

    /* without a position, nothing is added */
    lc_error_clear(&err);
    assert_null(lc_expr_parse("a + * b", lc_mark_none(), &cny, &err));
    assert_int_equal(err.code, LC_EINPUT);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);
    assert_string_equal(err.file, "");
}

static char *repeat(const char *prefix, const char *unit, size_t n, const char *mid,
                    const char *suffix)
{
    size_t lp = strlen(prefix), lu = strlen(unit), lm = strlen(mid), ls = strlen(suffix);
    char *s = malloc(n * lu + lp + lm + n * ls + 1), *q = s;
    size_t i;
    assert_non_null(s);
    memcpy(q, prefix, lp);
    q += lp;
    for (i = 0; i < n; i++, q += lu)
        memcpy(q, unit, lu);
    memcpy(q, mid, lm);
    q += lm;
    for (i = 0; i < n; i++, q += ls)
        memcpy(q, suffix, ls);
    *q = '\0';
    return s;
}

static void test_limits(void **state)
{
    char *s;
    size_t i, len;
    lc_expr *e;
    lc_error err;
    (void)state;
    /* parentheses: 63 levels inside the top level are fine, 65 are not */
    s = repeat("", "(", 63, "1", ")");
    value_is(s, 1);
    free(s);
    s = repeat("", "(", 65, "1", ")");
    lc_error_clear(&err);
    assert_null(lc_expr_parse(s, at3_10(), &cny, &err));
    assert_int_equal(err.code, LC_EINPUT);
    assert_non_null(strstr(err.msg, "nested too deeply"));
    free(s);
    /* the same through unary minus and function arguments */
    s = repeat("", "-", 200, "1", "");
    lc_error_clear(&err);
    assert_null(lc_expr_parse(s, at3_10(), &cny, &err));
    assert_non_null(strstr(err.msg, "nested too deeply"));
    free(s);
    s = repeat("", "abs(", 100, "1", ")");
    lc_error_clear(&err);
    assert_null(lc_expr_parse(s, at3_10(), &cny, &err));
    assert_non_null(strstr(err.msg, "nested too deeply"));
    free(s);
    s = repeat("", "-", 10, "1", ""); /* ten minus signs: +1 */
    value_is(s, 1);
    free(s);

    /* nodes: "1 + 1 + ... + 1" with n ones has 2n - 1 nodes; n = 2048 gives 4095 */
    len = 2048 * 4;
    s = malloc(len + 8);
    assert_non_null(s);
    s[0] = '1';
    for (i = 1; i < 2048; i++)
        memcpy(s + 1 + (i - 1) * 4, " + 1", 4);
    s[1 + 2047 * 4] = '\0';
    value_is(s, 2048);
    /* one more "+ 1": 4097 nodes */
    memcpy(s + 1 + 2047 * 4, " + 1", 5);
    lc_error_clear(&err);
    e = lc_expr_parse(s, at3_10(), &cny, &err);
    assert_null(e);
    assert_int_equal(err.code, LC_EINPUT);
    assert_non_null(strstr(err.msg, "formula is too long"));
    free(s);
}

static void name_plain(void *ctx, size_t i, lc_sbuf *out)
{
    lc_sb_puts(out, lc_expr_name((const lc_expr *)ctx, i));
}

static void name_value(void *ctx, size_t i, lc_sbuf *out)
{
    static const char *vals[] = {"6.5 kW", "0.63 CNY/kWh", "[c]"};
    (void)ctx;
    lc_sb_puts(out, i < 3 ? vals[i] : "?");
}

/* The rendering of e, whole and malloc'd. */
static char *render(const lc_expr *e, lc_expr_name_fn fn, void *ctx)
{
    lc_sbuf b = {0};
    lc_expr_render(e, fn, ctx, &b);
    return lc_sb_take(&b);
}

static void renders_as(const char *text, const char *want)
{
    lc_expr *e = parse(text);
    char *got = render(e, name_plain, e);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("'%s' renders as '%s', want '%s'", text, got, want);
    free(got);
    lc_expr_free(e);
}

static void test_render(void **state)
{
    lc_expr *e;
    char *got, *name;
    (void)state;
    renders_as("(a + b) * c", "(a + b) \xc3\x97 c");
    renders_as("a * b + c", "a \xc3\x97 b + c");
    renders_as("(a * b) + c", "a \xc3\x97 b + c");
    renders_as("a - (b - c)", "a - (b - c)");
    renders_as("(a - b) - c", "a - b - c");
    renders_as("a / (b / c)", "a / (b / c)");
    renders_as("a / (b * c)", "a / (b \xc3\x97 c)");
    renders_as("a*b", "a \xc3\x97 b");
    renders_as("-(a + b)", "-(a + b)");
    renders_as("-a ^ 2", "-a^2");
    renders_as("(-a) ^ 2", "(-a)^2");
    renders_as("(a ^ b) ^ c", "(a^b)^c");
    renders_as("a ^ b ^ c", "a^b^c");
    renders_as("a ^ (b + 1)", "a^(b + 1)");
    renders_as("x * 24 h", "x \xc3\x97 24 h");
    renders_as("if(a > b, 0.63 CNY/kWh, 90%)", "if(a > b, 0.63 CNY/kWh, 90%)");
    renders_as("ceil(a / b) + sqrt(c)", "ceil(a / b) + sqrt(c)");
    /* min/max with several arguments print as written */
    renders_as("min(a, b, c)", "min(a, b, c)");
    renders_as("max(a, b, c, 2) - 1", "max(a, b, c, 2) - 1");
    /* comparisons do not chain: parentheses stay on both sides */
    renders_as("(a < b) == c", "(a < b) == c");
    renders_as("a == (b < c)", "a == (b < c)");
    renders_as("1 + 1 == 2", "1 + 1 == 2");
    renders_as("fleet.servers * 2", "fleet.servers \xc3\x97 2");

    /* the callback decides what a name shows */
    e = parse("p * 24 h * price");
    got = render(e, name_value, NULL);
    assert_string_equal(got, "6.5 kW \xc3\x97 24 h \xc3\x97 0.63 CNY/kWh");
    free(got);
    lc_expr_free(e);

    /* nothing is cut: a 5,000-byte name renders whole (issue 12) */
    name = malloc(5001);
    assert_non_null(name);
    memset(name, 'n', 5000);
    name[5000] = '\0';
    {
        char *text = lc_aprintf("(%s + b) * c", name),
             *want = lc_aprintf("(%s + b) \xc3\x97 c", name);
        assert_non_null(text);
        assert_non_null(want);
        renders_as(text, want);
        free(text);
        free(want);
    }
    free(name);
}

static void test_fold(void **state)
{
    lc_expr *e = parse("2 * 3 h + 1 day");
    lc_error err;
    lc_dim d;
    lc_tape *t = lc_tape_alloc();
    lc_tape_ws *ws;
    size_t dst;
    (void)state;
    assert_non_null(t);
    lc_error_clear(&err);
    assert_int_equal(lc_expr_check(e, NULL, &d, &err), LC_OK);
    assert_dim(d, TIME);
    /* 2 * 10800 + 86400 = 108000 s */
    assert_rel(lc_expr_eval1(e, NULL), 108000, 1e-12);
    /* a constant formula is one copy from a constant slot */
    dst = lc_tape_slot(t);
    assert_int_equal(lc_tape_emit(t, e, NULL, dst, &err), LC_OK);
    assert_int_equal(lc_tape_ninsns(t), 1);
    ws = lc_tape_ws_alloc(t);
    assert_non_null(ws);
    lc_tape_run(t, ws, LC_BLOCK);
    assert_rel(lc_tape_ws_block(ws, dst)[0], 108000, 1e-12);
    assert_rel(lc_tape_ws_block(ws, dst)[LC_BLOCK - 1], 108000, 1e-12);
    lc_tape_ws_free(ws);
    lc_tape_free(t);
    lc_expr_free(e);

    /* constant parts fold, names do not: x * (2 + 3) is one multiplication */
    e = parse("x * (2 + 3)");
    t = lc_tape_alloc();
    assert_non_null(t);
    {
        lc_dim x_dim = NODIM;
        assert_int_equal(lc_expr_check(e, &x_dim, &d, &err), LC_OK);
        assert_dim(d, NODIM);
    }
    {
        size_t x = lc_tape_slot(t);
        dst = lc_tape_slot(t);
        assert_int_equal(lc_tape_emit(t, e, &x, dst, &err), LC_OK);
        assert_int_equal(lc_tape_ninsns(t), 1);
    }
    lc_tape_free(t);
    lc_expr_free(e);
}

/* --- tapes against lc_expr_eval1 ------------------------------------------ */

#define NIN 3 /* inputs x, y, z */

static const char *formulas[] = {
    "x * y + z",
    "(x - y) / (z + 1)",
    "max(x, y, z) - min(x, y, z)",
    "if(x > y, sqrt(abs(z)), exp(x / 10))",
    "x ^ 2 + 2 * x * y + y ^ 2",
    "floor(x) + ceil(y) + round(z)",
    "log(abs(x) + 1) * 3",
    "-x + -(y * z)",
    "(x <= y) + (x >= y) * 2 + (x == y) * 4 + (x != z) * 8 + (x < z) * 16 + (x > z) * 32",
    "(x + y) * (y + z) * (z + x) / ((x - 1) * (y - 2) + (z * (x + (y * (z - x)))))",
    "x * 24 h * 0.63 CNY/kWh + 90%",
    "z",
    "2 ^ 3 + x",
    "abs(x) ^ 0.5 + if(z, 1, 2)",
    "if(x > 0, (x + y) * (y - z), (z + x) / (y + 1))",
    "min(x + y, y * z, z - x) + max(1, x, 2 * y)",
    "sqrt(x * x + y * y) - -(z ^ 3)",
    /* the last formula reads formula 0's result "a" and formula 1's "b" */
    "a * 2 - (b + x) / max(a, 1)",
};
#define NF (sizeof formulas / sizeof formulas[0])

/* Input point i: values that cross each other, with ties (x == y) now and then. */
static void point(size_t i, double *x, double *y, double *z)
{
    *x = sin((double)i * 0.7) * 10;
    *y = i % 5 == 0 ? *x : cos((double)i * 1.3) * 8;
    *z = i % 7 == 3 ? 0 : (double)(i % 11) - 5.5;
}

/* Same double, or both NaN: the tape and eval1 do the same arithmetic. */
static void assert_same(double got, double want, const char *f, size_t i)
{
    if (isnan(want) ? !isnan(got) : got != want)
        fail_msg("'%s' at point %zu: tape %.17g, eval1 %.17g", f, i, got, want);
}

static void run_tape(size_t n)
{
    lc_tape *t = lc_tape_alloc();
    lc_tape_ws *ws;
    lc_expr *e[NF];
    size_t in[NIN + 2], dst[NF], f, i, j;
    double col[NIN][LC_BLOCK];
    lc_error err;
    lc_dim out;

    assert_non_null(t);
    for (j = 0; j < NIN; j++)
        in[j] = lc_tape_slot(t);
    for (f = 0; f < NF; f++)
        dst[f] = lc_tape_slot(t);
    for (f = 0; f < NF; f++) {
        size_t slots[NIN + 2];
        lc_dim names[NIN + 2];
        size_t k;
        e[f] = parse(formulas[f]);
        /* map each formula's names (in its own order) to slots and dims */
        for (k = 0; k < lc_expr_nnames(e[f]); k++) {
            const char *nm = lc_expr_name(e[f], k);
            size_t s = strcmp(nm, "a") == 0   ? dst[0]
                       : strcmp(nm, "b") == 0 ? dst[1]
                                              : in[nm[0] - 'x'];
            slots[k] = s;
            names[k] = NODIM;
        }
        /* "x * 24 h * 0.63 CNY/kWh + 90%": x in energy/time/money makes the product
         * a plain number, which may be added to 90%. */
        if (strstr(formulas[f], "CNY/kWh") != NULL)
            names[0] = dim7(-1, 1, -1, 0, 0, 0, 0);
        lc_error_clear(&err);
        if (lc_expr_check(e[f], names, &out, &err) != LC_OK)
            fail_msg("'%s': %s", formulas[f], err.msg);
        lc_error_clear(&err);
        assert_int_equal(lc_tape_emit(t, e[f], slots, dst[f], &err), LC_OK);
    }
    ws = lc_tape_ws_alloc(t);
    assert_non_null(ws);
    for (i = 0; i < LC_BLOCK; i++)
        point(i, &col[0][i], &col[1][i], &col[2][i]);
    for (j = 0; j < NIN; j++)
        lc_tape_ws_bind(ws, in[j], col[j]);
    lc_tape_run(t, ws, n);
    for (i = 0; i < n; i++) {
        double a = 0, b = 0;
        for (f = 0; f < NF; f++) {
            double vals[NIN + 2];
            size_t k;
            double want;
            for (k = 0; k < lc_expr_nnames(e[f]); k++) {
                const char *nm = lc_expr_name(e[f], k);
                vals[k] = strcmp(nm, "a") == 0 ? a : strcmp(nm, "b") == 0 ? b : col[nm[0] - 'x'][i];
            }
            want = lc_expr_eval1(e[f], vals);
            if (f == 0)
                a = want;
            if (f == 1)
                b = want;
            assert_same(lc_tape_ws_block(ws, dst[f])[i], want, formulas[f], i);
        }
    }
    /* the inputs were read, never written */
    for (i = 0; i < LC_BLOCK; i++) {
        double x, y, z;
        point(i, &x, &y, &z);
        assert_true(col[0][i] == x && col[1][i] == y && col[2][i] == z);
    }
    lc_tape_ws_free(ws);
    for (f = 0; f < NF; f++)
        lc_expr_free(e[f]);
    lc_tape_free(t);
}

static void test_tape_n1(void **state)
{
    (void)state;
    run_tape(1);
}

static void test_tape_n7(void **state)
{
    (void)state;
    run_tape(7);
}

static void test_tape_block(void **state)
{
    (void)state;
    run_tape(LC_BLOCK);
}

/* A hand-worked tape: a = x / y, b = a * 10 + 1 (reads a's slot), c = x. */
static void test_tape_division(void **state)
{
    lc_tape *t = lc_tape_alloc();
    lc_tape_ws *ws;
    lc_expr *ea = parse("x / y"), *eb = parse("a * 10 + 1");
    size_t x, y, sa, sb, sc, slots[2];
    double xs[4] = {1, -1, 6, 0}, ys[4] = {0, 0, 4, 0};
    lc_error err;
    lc_dim d[2] = {NODIM, NODIM}, out;
    const double *ra, *rb, *rc;
    (void)state;
    assert_non_null(t);
    x = lc_tape_slot(t);
    y = lc_tape_slot(t);
    sa = lc_tape_slot(t);
    sb = lc_tape_slot(t);
    sc = lc_tape_slot(t);
    lc_error_clear(&err);
    assert_int_equal(lc_expr_check(ea, d, &out, &err), LC_OK);
    assert_int_equal(lc_expr_check(eb, d, &out, &err), LC_OK);
    slots[0] = x;
    slots[1] = y;
    assert_int_equal(lc_tape_emit(t, ea, slots, sa, &err), LC_OK);
    slots[0] = sa;
    assert_int_equal(lc_tape_emit(t, eb, slots, sb, &err), LC_OK);
    assert_int_equal(lc_tape_emit_copy(t, sc, x, &err), LC_OK);
    /* x / y: 1 insn; a * 10 + 1: 2 insns; the copy: 1 */
    assert_int_equal(lc_tape_ninsns(t), 4);
    ws = lc_tape_ws_alloc(t);
    assert_non_null(ws);
    lc_tape_ws_bind(ws, x, xs);
    lc_tape_ws_bind(ws, y, ys);
    lc_tape_run(t, ws, 4);
    ra = lc_tape_ws_block(ws, sa);
    rb = lc_tape_ws_block(ws, sb);
    rc = lc_tape_ws_block(ws, sc);
    /* 1/0 = inf, -1/0 = -inf, 6/4 = 1.5, 0/0 = NaN */
    assert_true(isinf(ra[0]) && ra[0] > 0);
    assert_true(isinf(ra[1]) && ra[1] < 0);
    assert_true(ra[2] == 1.5);
    assert_true(isnan(ra[3]));
    /* b = a * 10 + 1: inf, -inf, 16, NaN */
    assert_true(isinf(rb[0]) && rb[0] > 0);
    assert_true(isinf(rb[1]) && rb[1] < 0);
    assert_true(rb[2] == 16);
    assert_true(isnan(rb[3]));
    assert_true(rc[0] == 1 && rc[1] == -1 && rc[2] == 6 && rc[3] == 0);
    /* eval1 agrees: 1 / 0 = inf */
    {
        double v[2] = {1, 0};
        assert_true(isinf(lc_expr_eval1(ea, v)));
    }
    lc_tape_ws_free(ws);
    lc_tape_free(t);
    lc_expr_free(ea);
    lc_expr_free(eb);
}

static void test_tape_consts(void **state)
{
    lc_tape *t = lc_tape_alloc();
    lc_tape_ws *ws;
    size_t a, b, c, s, i;
    (void)state;
    assert_non_null(t);
    s = lc_tape_slot(t);
    a = lc_tape_const(t, 2.5);
    b = lc_tape_const(t, 2.5);
    c = lc_tape_const(t, 3.0);
    assert_int_equal(a, b);
    assert_true(c != a && c != s && a != s);
    /* a plain slot is never taken for a constant */
    assert_int_equal(lc_tape_const(t, 3.0), c);
    ws = lc_tape_ws_alloc(t);
    assert_non_null(ws);
    for (i = 0; i < LC_BLOCK; i++) {
        assert_true(lc_tape_ws_block(ws, a)[i] == 2.5);
        assert_true(lc_tape_ws_block(ws, c)[i] == 3.0);
    }
    /* an empty tape runs and does nothing */
    lc_tape_run(t, ws, LC_BLOCK);
    assert_int_equal(lc_tape_ninsns(t), 0);
    lc_tape_ws_free(ws);
    lc_tape_free(t);

    /* formulas sharing a literal share its slot: 24 h once for two formulas */
    {
        lc_expr *e1 = parse("x * 24 h"), *e2 = parse("x + 24 h");
        lc_error err;
        lc_dim d = TIME, out;
        size_t x, d1, d2, before;
        t = lc_tape_alloc();
        assert_non_null(t);
        x = lc_tape_slot(t);
        d1 = lc_tape_slot(t);
        d2 = lc_tape_slot(t);
        lc_error_clear(&err);
        assert_int_equal(lc_expr_check(e1, &d, &out, &err), LC_OK);
        assert_int_equal(lc_expr_check(e2, &d, &out, &err), LC_OK);
        assert_int_equal(lc_tape_emit(t, e1, &x, d1, &err), LC_OK);
        before = lc_tape_slot(t); /* probe: next free slot number */
        assert_int_equal(lc_tape_emit(t, e2, &x, d2, &err), LC_OK);
        assert_int_equal(lc_tape_slot(t), before + 1); /* e2 made no new constant */
        assert_int_equal(lc_tape_const(t, 86400.0), 3);
        lc_tape_free(t);
        lc_expr_free(e1);
        lc_expr_free(e2);
    }
}

/* Issue 11: NaN and infinities pass through min, max, if, comparisons and ^,
 * in constant folding (value_of) and on the tape alike. */
static void nan_is(const char *text)
{
    double v = value_of(text);
    if (!isnan(v))
        fail_msg("'%s' = %.17g, want NaN", text, v);
}

static void test_nonfinite_fold(void **state)
{
    (void)state;
    /* min/max keep a NaN in either position (C's a < b ? a : b drops it) */
    nan_is("min(0 / 0, 3)");
    nan_is("min(3, 0 / 0)");
    nan_is("max(0 / 0, 3)");
    nan_is("max(3, 0 / 0)");
    nan_is("max(1, 2, 0 / 0, 4)");
    /* infinities are ordinary values: min(-inf, 3) = -inf, max(3, inf) = inf,
     * min(inf, 3) = 3 */
    assert_true(isinf(value_of("min(-1 / 0, 3)")) && value_of("min(-1 / 0, 3)") < 0);
    assert_true(isinf(value_of("max(3, 1 / 0)")) && value_of("max(3, 1 / 0)") > 0);
    value_is("min(1 / 0, 3)", 3);
    /* a NaN condition gives NaN, not the "then" branch; inf is true */
    nan_is("if(0 / 0, 1, 2)");
    value_is("if(1 / 0, 1, 2)", 1);
    value_is("if(0, 1, 2)", 2);
    /* comparisons with NaN are NaN, not 0; with inf they compare */
    nan_is("(0 / 0) < 1");
    nan_is("(0 / 0) == (0 / 0)");
    nan_is("1 != 0 / 0");
    value_is("1 / 0 > 1", 1);
    /* pow(1, NaN) and pow(NaN, 0) are 1 in C; here NaN */
    nan_is("1 ^ (0 / 0)");
    nan_is("(0 / 0) ^ 0");
    value_is("2 ^ 10", 1024);
}

static void test_nonfinite_tape(void **state)
{
    static const char *const texts[] = {"min(x, 3)", "max(x, 3)", "if(x, 1, 2)", "x < 3"};
    /* x = NaN, +inf, -inf, 2, 0; expected per formula, worked by hand: */
    const double xs[5] = {NAN, INFINITY, -INFINITY, 2, 0};
    const double want[4][5] = {
        {NAN, 3, -INFINITY, 2, 0}, /* min(x, 3) */
        {NAN, INFINITY, 3, 3, 3},  /* max(x, 3) */
        {NAN, 1, 1, 1, 2},         /* if(x, 1, 2): nonzero, inf included, is true */
        {NAN, 0, 1, 1, 1},         /* x < 3 */
    };
    lc_tape *t = lc_tape_alloc();
    lc_tape_ws *ws;
    lc_expr *e[4];
    size_t x, dst[4], f, i;
    lc_error err;
    lc_dim d = NODIM, out;
    (void)state;
    assert_non_null(t);
    x = lc_tape_slot(t);
    for (f = 0; f < 4; f++)
        dst[f] = lc_tape_slot(t);
    lc_error_clear(&err);
    for (f = 0; f < 4; f++) {
        e[f] = parse(texts[f]);
        assert_int_equal(lc_expr_check(e[f], &d, &out, &err), LC_OK);
        assert_int_equal(lc_tape_emit(t, e[f], &x, dst[f], &err), LC_OK);
    }
    ws = lc_tape_ws_alloc(t);
    assert_non_null(ws);
    lc_tape_ws_bind(ws, x, xs);
    lc_tape_run(t, ws, 5);
    for (f = 0; f < 4; f++)
        for (i = 0; i < 5; i++) {
            double got = lc_tape_ws_block(ws, dst[f])[i], w = want[f][i];
            double one = lc_expr_eval1(e[f], &xs[i]);
            if (isnan(w) ? !isnan(got) || !isnan(one) : got != w || one != w)
                fail_msg("'%s' at x = %g: tape %g, eval1 %g, want %g", texts[f], xs[i], got, one,
                         w);
        }
    lc_tape_ws_free(ws);
    for (f = 0; f < 4; f++)
        lc_expr_free(e[f]);
    lc_tape_free(t);
}

/* Issue 11: (1 s)^8 to the 8th is s^64, beyond LC_DIM_EXP_MAX = 32: an error
 * at the exponent that takes it over (column 10 + 10 = 20 of line 3), not s^64 wrapped; with one
 * more ^4 it would be s^256, which a signed char took for a plain number. */
static void test_exponent_overflow(void **state)
{
    (void)state;
    check_fails("((1 s)^8)^8", NULL, 20, "exponent beyond 32");
    check_fails("(((1 s)^8)^8)^4", NULL, 21, "exponent beyond 32");
    /* s^8 x s^8 x s^8 x s^8 = s^32 is allowed; one more factor s is not */
    check_ok("(1 s)^8 * (1 s)^8 * (1 s)^8 * (1 s)^8", NULL, dim7(32, 0, 0, 0, 0, 0, 0));
    check_fails("(1 s)^8 * (1 s)^8 * (1 s)^8 * (1 s)^8 * 1 s", NULL, 50, "exponent beyond 32");
    check_fails("1 / ((1 s)^8 * (1 s)^8 * (1 s)^8 * (1 s)^8 * 1 s)", NULL, 55,
                "exponent beyond 32");
}

static void test_free_null(void **state)
{
    (void)state;
    lc_tape_ws_free(NULL);
    lc_expr_free(NULL);
    lc_tape_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precedence),     cmocka_unit_test(test_comparisons),
        cmocka_unit_test(test_functions),      cmocka_unit_test(test_names),
        cmocka_unit_test(test_number_units),   cmocka_unit_test(test_check),
        cmocka_unit_test(test_check_errors),   cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_limits),         cmocka_unit_test(test_render),
        cmocka_unit_test(test_fold),           cmocka_unit_test(test_tape_n1),
        cmocka_unit_test(test_tape_n7),        cmocka_unit_test(test_tape_block),
        cmocka_unit_test(test_tape_division),  cmocka_unit_test(test_tape_consts),
        cmocka_unit_test(test_free_null),      cmocka_unit_test(test_nonfinite_fold),
        cmocka_unit_test(test_nonfinite_tape), cmocka_unit_test(test_exponent_overflow),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
