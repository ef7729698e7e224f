/* test_render.c — the result model and its renderers: numbers as a reader
 * sees them (worked out by hand), escaping for each output kind, the CSV and
 * JSON forms of one small document, and out-of-memory that is sticky. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_render.h"
#include "lc_result.h"

static void value_is(double v, const char *unit, lc_colkind k, int digits, int raw,
                     const char *want)
{
    lc_render_opts o;
    char *got;
    lc_render_opts_init(&o);
    o.digits = digits;
    o.raw = raw;
    got = lc_render_value(v, unit, k, &o);
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        fail_msg("%.17g %s: got '%s', want '%s'", v, unit, got, want);
    free(got);
}

static void numbers(void **state)
{
    (void)state;
    /* 4,523,316,525 to 3 significant digits is 4.52 billion */
    value_is(4523316525.0, "CNY", LC_COL_MONEY, 3, 0, "4.52B CNY");
    /* 719,783,000 -> 720M (3 digits), 719.8M (4 digits) */
    value_is(719783000.0, "USD", LC_COL_MONEY, 3, 0, "720M USD");
    value_is(719783000.0, "USD", LC_COL_MONEY, 4, 0, "719.8M USD");
    /* 999,700 rounds to 1.00M, not "1000K" */
    value_is(999700.0, "USD", LC_COL_MONEY, 3, 0, "1M USD");
    value_is(0.00293955, "USD/ktoken", LC_COL_MONEY, 3, 0, "0.00294 USD/ktoken");
    /* 26,331.8 kW is 26.3 MW; 1.2e6 MWh/year is 1.2 TWh/year */
    value_is(26331.8, "kW", LC_COL_QUANTITY, 3, 0, "26.3 MW");
    value_is(1.2e6, "MWh/year", LC_COL_QUANTITY, 3, 0, "1.2 TWh/year");
    /* counts below 10,000 are whole and grouped; above, 3 significant digits */
    value_is(1896, "GPU", LC_COL_COUNT, 3, 0, "1,896 GPU");
    value_is(6770.4, "GPU", LC_COL_COUNT, 3, 0, "6,770 GPU");
    value_is(2.25, "requests", LC_COL_COUNT, 3, 0, "2.25 requests");
    value_is(28936, "GPU", LC_COL_COUNT, 3, 0, "28.9K GPU");
    value_is(195000000, "query/day", LC_COL_COUNT, 3, 0, "195M query/day");
    /* shares: a fraction shown as a percentage; a "%" unit is already one */
    value_is(0.385, "", LC_COL_SHARE, 3, 0, "38.5%");
    value_is(40, "%", LC_COL_QUANTITY, 3, 0, "40%");
    value_is(-1.11e-16, "", LC_COL_SHARE, 3, 0, "0%");
    /* negative money keeps its sign through the suffix */
    value_is(-80000, "CNY", LC_COL_MONEY, 3, 0, "-80K CNY");
    value_is(3.14e23, "FLOP", LC_COL_QUANTITY, 3, 0, "3.14e23 FLOP");
    /* --raw: the shortest text that reads back exactly */
    value_is(4523316525.0, "CNY", LC_COL_MONEY, 3, 1, "4523316525 CNY");
    value_is(0.1, "", LC_COL_QUANTITY, 3, 1, "0.1");
    value_is(NAN, "GPU", LC_COL_COUNT, 3, 0, "n/a");
}

static void terminal_text(void **state)
{
    char *t;
    (void)state;
    /* ESC ] 0 ; sets a terminal title: shown, not obeyed; C1 CSI (U+009B) too */
    t = lc_render_term_text("a\x1b]0;x\x07 b\r\n\xc2\x9b"
                            "c \xe4\xb8\xad");
    assert_non_null(t);
    assert_string_equal(t, "a\\e]0;x\\x07 b\\r\\n\\x9bc \xe4\xb8\xad");
    free(t);
    t = lc_render_term_text("bad \xff byte");
    assert_string_equal(t, "bad \\xff byte");
    free(t);
}

/* A document with one table: metric rows with their own units. */
static lc_doc *small_doc(const char *title)
{
    lc_doc *d = lc_doc_alloc("run");
    lc_section *s;
    lc_rtable *t;
    size_t c_name, c_v, c_u;
    assert_non_null(d);
    s = lc_doc_section(d, 1, "scenario:x", title);
    lc_section_fact(s, "file", "x.yaml");
    t = lc_section_table(s, "metrics", NULL);
    c_name = lc_rtable_col(t, "name", "metric", NULL, LC_COL_TEXT);
    c_v = lc_rtable_col(t, "value", "value", NULL, LC_COL_QUANTITY);
    c_u = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    lc_rtable_unit_col(t, c_v, c_u);
    lc_rtable_row(t);
    lc_rtable_text(t, c_name, "cost");
    lc_rtable_num(t, c_v, 4523316525.0);
    lc_rtable_cell_kind(t, c_v, LC_COL_MONEY);
    lc_rtable_text(t, c_u, "CNY");
    lc_rtable_row(t);
    lc_rtable_text(t, c_name, "=HYPERLINK(\"x\")");
    lc_rtable_missing(t, c_v, "not within the horizon");
    lc_rtable_text(t, c_u, "month");
    return d;
}

static char *render(const lc_doc *d, lc_format f)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    lc_error err;
    lc_render_opts o;
    assert_non_null(m);
    lc_error_clear(&err);
    lc_render_opts_init(&o);
    assert_int_equal(lc_render(d, f, &o, m, &err), LC_OK);
    fclose(m);
    return buf;
}

static void csv_and_table(void **state)
{
    lc_doc *d = small_doc("t");
    char *csv = render(d, LC_FORMAT_CSV), *txt = render(d, LC_FORMAT_TABLE);
    (void)state;
    /* the full-precision number with its unit in the next field */
    assert_non_null(strstr(csv, "scenario:x,metrics,cost,value,4523316525,CNY\r\n"));
    /* a cell that starts with = is text to a spreadsheet */
    assert_non_null(strstr(csv, "\"'=HYPERLINK(\"\"x\"\")\",name,"));
    assert_non_null(strstr(txt, "4.52B CNY"));
    assert_non_null(strstr(txt, "not within the horizon"));
    free(csv);
    free(txt);
    lc_doc_free(d);
}

static void markup_escaped(void **state)
{
    lc_doc *d = small_doc("[x](javascript:alert(1)) <b>`code`</b>\r| pipe");
    char *md = render(d, LC_FORMAT_MARKDOWN), *html = render(d, LC_FORMAT_HTML);
    (void)state;
    /* Markdown: brackets, parentheses, backquotes, pipes escaped; HTML as entities;
     * CR becomes a space */
    assert_non_null(strstr(md, "## \\[x\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;\\`code\\`"
                               "&lt;/b&gt; \\| pipe"));
    assert_null(strstr(md, "<b>"));
    assert_non_null(strstr(html, "&lt;b&gt;`code`&lt;/b&gt;"));
    assert_null(strstr(html, "<b>`"));
    free(md);
    free(html);
    lc_doc_free(d);
}

static void json_form(void **state)
{
    lc_doc *d = small_doc("t");
    char *js = render(d, LC_FORMAT_JSON);
    (void)state;
    assert_non_null(strstr(js, "\"schema\": \"llmcost-result\""));
    assert_non_null(strstr(js, "\"version\": 1"));
    /* missing: null with the reason beside it */
    assert_non_null(strstr(js, "\"value\": null"));
    assert_non_null(strstr(js, "\"value_missing\": \"not within the horizon\""));
    free(js);
    lc_doc_free(d);
}

static void wide_csv_table(void **state)
{
    lc_doc *d = small_doc("t");
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    lc_error err;
    lc_render_opts o;
    (void)state;
    lc_error_clear(&err);
    lc_render_opts_init(&o);
    o.table = "metrics";
    assert_int_equal(lc_render(d, LC_FORMAT_CSV, &o, m, &err), LC_OK);
    fclose(m);
    assert_non_null(strstr(buf, "section,name,value,unit\r\nscenario:x,cost,4523316525,CNY\r\n"));
    free(buf);
    o.table = "nope";
    m = open_memstream(&buf, &len);
    assert_int_equal(lc_render(d, LC_FORMAT_CSV, &o, m, &err), LC_EUSAGE);
    fclose(m);
    free(buf);
    lc_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers),       cmocka_unit_test(terminal_text),
        cmocka_unit_test(csv_and_table), cmocka_unit_test(markup_escaped),
        cmocka_unit_test(json_form),     cmocka_unit_test(wide_csv_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
