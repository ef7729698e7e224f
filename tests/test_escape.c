/* test_escape — every output kind's escaping, with the exact text expected
 * (worked out by hand from the rules in lc_escape.h), and the error message
 * that must stay on one line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_error.h"
#include "lc_escape.h"

static void expect(lc_escape_kind kind, const char *in, const char *want)
{
    char *got = lc_escape(kind, in);
    char buf[512];
    size_t n;

    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    n = lc_escape_buf(kind, in, buf, sizeof buf);
    assert_int_equal(n, strlen(want));
    assert_string_equal(buf, want);
}

static void terminal(void **state)
{
    (void)state;
    expect(LC_ESC_TERMINAL, "plain text, 1.5 kWh", "plain text, 1.5 kWh");
    expect(LC_ESC_TERMINAL, NULL, "");
    /* OSC 0 (set window title) from a YAML "\e]0;owned\a" */
    expect(LC_ESC_TERMINAL, "\x1b]0;owned\x07", "\\e]0;owned\\a");
    expect(LC_ESC_TERMINAL, "a\r\nb\tc\bd\v\f", "a\\r\\nb\\tc\\bd\\v\\f");
    expect(LC_ESC_TERMINAL, "\x01\x1f\x7f", "\\x01\\x1f\\x7f");
    /* C1 CSI U+009B is C2 9B in UTF-8; a raw 9B byte is invalid UTF-8 */
    expect(LC_ESC_TERMINAL,
           "x\xc2\x9b"
           "31m",
           "x\\x9b31m");
    expect(LC_ESC_TERMINAL,
           "x\x9b"
           "31m",
           "x\\x9b31m");
    /* right-to-left override U+202E (E2 80 AE) */
    expect(LC_ESC_TERMINAL,
           "ab\xe2\x80\xae"
           "cd",
           "ab\\u202ecd");
    /* valid UTF-8 stays: e-acute, a CJK character, an emoji */
    expect(LC_ESC_TERMINAL, "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80",
           "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
    /* overlong '/' (C0 AF), a surrogate (ED A0 80), a cut sequence */
    expect(LC_ESC_TERMINAL, "\xc0\xaf", "\\xc0\\xaf");
    expect(LC_ESC_TERMINAL, "\xed\xa0\x80", "\\xed\\xa0\\x80");
    expect(LC_ESC_TERMINAL, "\xe4\xb8", "\\xe4\\xb8");
    /* a backslash is left as it is */
    expect(LC_ESC_TERMINAL, "C:\\data", "C:\\data");
    assert_true(lc_escape_is_plain("caf\xc3\xa9"));
    assert_false(lc_escape_is_plain("a\nb"));
    assert_false(lc_escape_is_plain("\xff"));
}

static void csv(void **state)
{
    (void)state;
    expect(LC_ESC_CSV, "H100", "H100");
    expect(LC_ESC_CSV, "", "");
    /* formulas: a quote in front, and the cell quoted */
    expect(LC_ESC_CSV, "=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(LC_ESC_CSV, "+1+1", "\"'+1+1\"");
    expect(LC_ESC_CSV, "-2+3", "\"'-2+3\"");
    expect(LC_ESC_CSV, "@SUM(A1)", "\"'@SUM(A1)\"");
    expect(LC_ESC_CSV, "\t=1", "\"'\t=1\"");
    expect(LC_ESC_CSV, "\r=1", "\"'\\r=1\"");
    /* RFC 4180: comma, quote, newline quoted; inner quote doubled */
    expect(LC_ESC_CSV, "a,b", "\"a,b\"");
    expect(LC_ESC_CSV, "say \"hi\"", "\"say \"\"hi\"\"\"");
    expect(LC_ESC_CSV, "two\nlines", "\"two\nlines\"");
    /* only a leading sign is a formula */
    expect(LC_ESC_CSV, "a-b=c", "a-b=c");
    /* the terminal escapes still apply: CSV is printed to terminals too */
    expect(LC_ESC_CSV, "x\x1b[2Jy\rz", "x\\e[2Jy\\rz");
}

static void markdown(void **state)
{
    (void)state;
    expect(LC_ESC_MARKDOWN, "plain words 42", "plain words 42");
    /* link and image: brackets and ! escaped, the URL stays text */
    expect(LC_ESC_MARKDOWN, "[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))");
    expect(LC_ESC_MARKDOWN, "![i](http://e/x.png)", "\\!\\[i\\](http://e/x.png)");
    /* a backquote cannot close a code span, a fence cannot start */
    expect(LC_ESC_MARKDOWN, "a`b", "a\\`b");
    expect(LC_ESC_MARKDOWN, "```sh", "\\`\\`\\`sh");
    expect(LC_ESC_MARKDOWN, "~~~", "\\~\\~\\~");
    /* HTML and entities */
    expect(LC_ESC_MARKDOWN, "<script>&amp;", "&lt;script&gt;&amp;amp;");
    /* emphasis, table cells, math, heading */
    expect(LC_ESC_MARKDOWN, "*a* _b_ c|d $x$", "\\*a\\* \\_b\\_ c\\|d \\$x\\$");
    expect(LC_ESC_MARKDOWN, "# title", "\\# title");
    /* line starts: list, setext, ordered list; not in the middle */
    expect(LC_ESC_MARKDOWN, "- item", "\\- item");
    expect(LC_ESC_MARKDOWN, "+ item", "\\+ item");
    expect(LC_ESC_MARKDOWN, "===", "\\===");
    expect(LC_ESC_MARKDOWN, "12. x", "12\\. x");
    expect(LC_ESC_MARKDOWN, "3) x", "3\\) x");
    expect(LC_ESC_MARKDOWN, "1.5 kW - 2", "1.5 kW - 2");
    /* a backslash is escaped, so a trailing one is no hard break */
    expect(LC_ESC_MARKDOWN, "a\\", "a\\\\");
    /* controls show: the backslash of the escape is itself escaped */
    expect(LC_ESC_MARKDOWN, "a\rb\nc\x1b", "a\\\\rb\\\\nc\\\\e");
}

static void xml(void **state)
{
    (void)state;
    expect(LC_ESC_XML, "tokens/s", "tokens/s");
    expect(LC_ESC_XML, "a]]>b", "a]]&gt;b");
    expect(LC_ESC_XML, "<svg onload=\"x\">'&'", "&lt;svg onload=&quot;x&quot;&gt;&#39;&amp;&#39;");
    /* forbidden in XML 1.0: NUL cannot occur, 0x01, ESC, U+FFFE; invalid UTF-8 */
    expect(LC_ESC_XML, "\x01\x1b\xef\xbf\xbe\xff", "\\x01\\e\\ufffe\\xff");
    expect(LC_ESC_XML, "caf\xc3\xa9", "caf\xc3\xa9");
}

/* The buffer form stops before a piece that does not fit, never inside one. */
static void buffer_cut(void **state)
{
    char buf[6];
    size_t n;
    (void)state;

    n = lc_escape_buf(LC_ESC_TERMINAL,
                      "ab\x1b"
                      "cd",
                      buf, 4);
    assert_int_equal(n, 6);         /* "ab\ecd" */
    assert_string_equal(buf, "ab"); /* "\e" would need bytes 3 and 4 + NUL */
    n = lc_escape_buf(LC_ESC_TERMINAL, "a\xe4\xb8\xad", buf, 4);
    assert_int_equal(n, 4);
    assert_string_equal(buf, "a"); /* the 3-byte character does not fit in 3 */
    n = lc_escape_buf(LC_ESC_TERMINAL, "abc", buf, 1);
    assert_int_equal(n, 3);
    assert_string_equal(buf, "");
}

static void stream(void **state)
{
    char *data = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&data, &size);
    (void)state;

    assert_non_null(fp);
    assert_int_equal(lc_escape_fputs(LC_ESC_XML, "a<b", fp), 0);
    assert_int_equal(lc_escape_fputs(LC_ESC_TERMINAL, "\n", fp), 0);
    fclose(fp);
    assert_string_equal(data, "a&lt;b\\n");
    free(data);
}

/* An error message is one line whatever the scenario holds. */
static void error_one_line(void **state)
{
    lc_error err;
    lc_mark at = {"we\nird.yaml", 3, 7};
    char *data = NULL;
    size_t size = 0;
    FILE *fp;
    (void)state;

    lc_error_clear(&err);
    lc_error_set(&err, LC_EINPUT, at, "unknown key '%s'", "a\nb\x1b]0;x\x07");
    fp = open_memstream(&data, &size);
    assert_non_null(fp);
    lc_error_print(&err, fp);
    fclose(fp);
    assert_string_equal(data, "we\\nird.yaml:3:7: error: unknown key 'a\\nb\\e]0;x\\a'\n");
    free(data);
}

/* A message longer than the buffer is cut at a character, marked with "...". */
static void error_long(void **state)
{
    lc_error err;
    char big[2000];
    size_t n;
    (void)state;

    /* 'x' then 3-byte characters, so a byte cut would land inside one */
    big[0] = 'x';
    for (n = 1; n + 3 < sizeof big; n += 3)
        memcpy(big + n, "\xe4\xb8\xad", 3);
    big[n] = '\0';
    lc_error_clear(&err);
    lc_error_set(&err, LC_EINPUT, lc_mark_none(), "%s", big);
    n = strlen(err.msg);
    assert_true(n < sizeof err.msg);
    assert_string_equal(err.msg + n - 3, "...");
    /* what comes before "..." is 'x' and whole characters: (n - 3 - 1) % 3 == 0 */
    assert_int_equal((n - 4) % 3, 0);
    assert_memory_equal(err.msg + n - 6, "\xe4\xb8\xad", 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(terminal),       cmocka_unit_test(csv),
        cmocka_unit_test(markdown),       cmocka_unit_test(xml),
        cmocka_unit_test(buffer_cut),     cmocka_unit_test(stream),
        cmocka_unit_test(error_one_line), cmocka_unit_test(error_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
