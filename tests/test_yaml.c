/* test_yaml.c — the YAML tree: normal documents, marks, and hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lc_yaml.h"

/* Generous: the point is to catch quadratic behaviour, which takes minutes. */
#define FAST_SECONDS 3.0

static lc_yaml_node *load_n(const char *buf, size_t len, const lc_yaml_limits *lim, lc_error *err)
{
    lc_error_clear(err);
    return lc_yaml_load("t.yaml", buf, len, lim, err);
}

static lc_yaml_node *load(const char *text, lc_error *err)
{
    return load_n(text, strlen(text), NULL, err);
}

static void check_error(const char *buf, size_t len, const lc_yaml_limits *lim, int line, int col,
                        const char *substr)
{
    lc_error err;
    lc_yaml_node *root = load_n(buf, len, lim, &err);
    if (root != NULL || err.code != LC_EINPUT || err.line != line || err.col != col ||
        strstr(err.msg, substr) == NULL)
        print_error("got code %d at %d:%d \"%s\"; want %d:%d \"%s\"\n", err.code, err.line, err.col,
                    err.msg, line, col, substr);
    assert_null(root);
    assert_int_equal(err.code, LC_EINPUT);
    assert_string_equal(err.file, "t.yaml");
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, col);
    assert_non_null(strstr(err.msg, substr));
}

static void check_error_s(const char *text, int line, int col, const char *substr)
{
    check_error(text, strlen(text), NULL, line, col, substr);
}

static void check_scalar(const lc_yaml_node *n, const char *str, int quoted, int line, int col)
{
    assert_non_null(n);
    assert_int_equal(n->kind, LC_YAML_SCALAR);
    assert_string_equal(n->str, str);
    assert_int_equal(n->len, strlen(str));
    assert_int_equal(n->quoted, quoted);
    assert_int_equal(n->mark.line, line);
    assert_int_equal(n->mark.col, col);
    assert_string_equal(n->mark.file, "t.yaml");
}

static double seconds_since(clock_t start)
{
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* A buffer of n copies of unit, then tail; caller frees. */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
    char *buf = malloc(hl + ul * n + tl + 1), *p;
    assert_non_null(buf);
    memcpy(buf, head, hl);
    p = buf + hl;
    for (i = 0; i < n; i++, p += ul)
        memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    *len = hl + ul * n + tl;
    return buf;
}

/* ---- normal documents ---- */

static void test_document(void **state)
{
    static const char text[] = "scenario: demo\n"          /* 1 */
                               "inputs:\n"                 /* 2 */
                               "  gpus: 8\n"               /* 3 */
                               "  price: \"2.50 USD\"\n"   /* 4 */
                               "  list:\n"                 /* 5 */
                               "    - a\n"                 /* 6 */
                               "    - {x: 1, y: [2, 3]}\n" /* 7 */
                               "flow: [p, q]\n";           /* 8 */
    lc_error err;
    lc_yaml_node *root = load(text, &err);
    const lc_yaml_node *inputs, *list, *m, *y, *flow;
    (void)state;

    assert_non_null(root);
    assert_int_equal(err.code, LC_OK);
    assert_int_equal(root->kind, LC_YAML_MAP);
    assert_int_equal(root->n, 3);
    assert_int_equal(root->mark.line, 1);
    assert_int_equal(root->mark.col, 1);
    check_scalar(root->items[0], "scenario", 0, 1, 1);
    check_scalar(root->items[1], "demo", 0, 1, 11);
    check_scalar(root->items[2], "inputs", 0, 2, 1);

    inputs = lc_yaml_get(root, "inputs");
    assert_ptr_equal(inputs, root->items[3]);
    assert_int_equal(inputs->kind, LC_YAML_MAP);
    assert_int_equal(inputs->n, 3);
    assert_int_equal(inputs->mark.line, 3);
    assert_int_equal(inputs->mark.col, 3);
    check_scalar(lc_yaml_get(inputs, "gpus"), "8", 0, 3, 9);
    check_scalar(lc_yaml_get(inputs, "price"), "2.50 USD", 1, 4, 10);

    list = lc_yaml_get(inputs, "list");
    assert_non_null(list);
    assert_int_equal(list->kind, LC_YAML_SEQ);
    assert_int_equal(list->n, 2);
    assert_int_equal(list->mark.line, 6);
    assert_int_equal(list->mark.col, 5);
    check_scalar(list->items[0], "a", 0, 6, 7);
    m = list->items[1];
    assert_int_equal(m->kind, LC_YAML_MAP);
    assert_int_equal(m->n, 2);
    assert_int_equal(m->mark.line, 7);
    assert_int_equal(m->mark.col, 7);
    check_scalar(lc_yaml_get(m, "x"), "1", 0, 7, 11);
    y = lc_yaml_get(m, "y");
    assert_int_equal(y->kind, LC_YAML_SEQ);
    assert_int_equal(y->n, 2);
    assert_int_equal(y->mark.col, 17);
    check_scalar(y->items[0], "2", 0, 7, 18);
    check_scalar(y->items[1], "3", 0, 7, 21);

    flow = lc_yaml_get(root, "flow");
    assert_int_equal(flow->kind, LC_YAML_SEQ);
    assert_int_equal(flow->n, 2);
    check_scalar(flow->items[1], "q", 0, 8, 11);
    lc_yaml_free(root);
}

static void test_quoted(void **state)
{
    static const char text[] = "plain: a b\n"
                               "single: 'a b'\n"
                               "double: \"a\\tb\"\n"
                               "literal: |\n"
                               "  l1\n"
                               "  l2\n"
                               "folded: >\n"
                               "  f1\n"
                               "  f2\n"
                               "tagged: !!str 5\n"
                               "int: !!int 5\n"
                               "empty:\n";
    lc_error err;
    lc_yaml_node *root = load(text, &err);
    (void)state;

    assert_non_null(root);
    check_scalar(lc_yaml_get(root, "plain"), "a b", 0, 1, 8);
    check_scalar(lc_yaml_get(root, "single"), "a b", 1, 2, 9);
    check_scalar(lc_yaml_get(root, "double"), "a\tb", 1, 3, 9);
    check_scalar(lc_yaml_get(root, "literal"), "l1\nl2\n", 1, 4, 10);
    check_scalar(lc_yaml_get(root, "folded"), "f1 f2\n", 1, 7, 9);
    check_scalar(lc_yaml_get(root, "tagged"), "5", 1, 10, 9);
    check_scalar(lc_yaml_get(root, "int"), "5", 0, 11, 6);
    check_scalar(lc_yaml_get(root, "empty"), "", 0, 12, 7);
    lc_yaml_free(root);
}

static void test_crlf(void **state)
{
    static const char text[] = "a: 1\r\nb:\r\n  - x y\r\n  - |\r\n    t\r\n";
    lc_error err;
    lc_yaml_node *root = load(text, &err);
    const lc_yaml_node *b;
    (void)state;

    assert_non_null(root);
    check_scalar(lc_yaml_get(root, "a"), "1", 0, 1, 4);
    b = lc_yaml_get(root, "b");
    assert_int_equal(b->kind, LC_YAML_SEQ);
    assert_int_equal(b->n, 2);
    check_scalar(b->items[0], "x y", 0, 3, 5);
    check_scalar(b->items[1], "t\n", 1, 4, 5);
    lc_yaml_free(root);
}

static void test_bom(void **state)
{
    static const char text[] = "\xEF\xBB\xBFscenario: bom\ninputs: {}\n";
    lc_error err;
    lc_yaml_node *root = load(text, &err);
    const lc_yaml_node *inputs;
    (void)state;

    assert_non_null(root);
    check_scalar(root->items[0], "scenario", 0, 1, 1);
    check_scalar(root->items[1], "bom", 0, 1, 11);
    inputs = lc_yaml_get(root, "inputs");
    assert_int_equal(inputs->kind, LC_YAML_MAP);
    assert_int_equal(inputs->n, 0);
    lc_yaml_free(root);
    /* and a position after the BOM counts from column 1 */
    check_error_s("\xEF\xBB\xBF"
                  "a: \"x\\0\"\n",
                  1, 4, "NUL character in scalar");
}

static void test_empty(void **state)
{
    static const char *const texts[] = {"", "\n\n", "# only a comment\n", "---\n", "\xEF\xBB\xBF"};
    size_t i;
    (void)state;

    for (i = 0; i < sizeof texts / sizeof *texts; i++) {
        lc_error err;
        lc_yaml_node *root = load(texts[i], &err);
        assert_non_null(root);
        assert_int_equal(root->kind, LC_YAML_MAP);
        assert_int_equal(root->n, 0);
        assert_int_equal(root->mark.line, 1);
        assert_int_equal(root->mark.col, 1);
        assert_string_equal(root->mark.file, "t.yaml");
        assert_null(lc_yaml_get(root, "anything"));
        lc_yaml_free(root);
    }
}

static void test_get(void **state)
{
    lc_error err;
    lc_yaml_node *root = load("a: 1\nab: 2\nseq: [a]\n", &err);
    const lc_yaml_node *seq;
    (void)state;

    assert_non_null(root);
    check_scalar(lc_yaml_get(root, "ab"), "2", 0, 2, 5);
    check_scalar(lc_yaml_get(root, "a"), "1", 0, 1, 4);
    assert_null(lc_yaml_get(root, "b"));
    assert_null(lc_yaml_get(root, "abc"));
    assert_null(lc_yaml_get(root, ""));
    seq = lc_yaml_get(root, "seq");
    assert_null(lc_yaml_get(seq, "a")); /* not a mapping */
    assert_null(lc_yaml_get(NULL, "a"));
    lc_yaml_free(root);
    lc_yaml_free(NULL);
}

static void test_kind_name_and_limits(void **state)
{
    lc_yaml_limits lim = lc_yaml_default_limits();
    (void)state;

    assert_string_equal(lc_yaml_kind_name(LC_YAML_SCALAR), "a scalar");
    assert_string_equal(lc_yaml_kind_name(LC_YAML_SEQ), "a sequence");
    assert_string_equal(lc_yaml_kind_name(LC_YAML_MAP), "a mapping");
    assert_int_equal(lim.max_bytes, 1048576);
    assert_int_equal(lim.max_depth, 64);
    assert_int_equal(lim.max_scalar, 65536);
    assert_int_equal(lim.max_nodes, 100000);
}

static void test_load_file(void **state)
{
    char path[] = "/tmp/test_yamlXXXXXX";
    static const char text[] = "scenario: f\n";
    int fd = mkstemp(path);
    lc_error err;
    lc_yaml_node *root;
    (void)state;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), sizeof text - 1);
    close(fd);
    lc_error_clear(&err);
    root = lc_yaml_load_file(path, NULL, &err);
    assert_non_null(root);
    assert_string_equal(root->items[1]->mark.file, path);
    assert_string_equal(lc_yaml_get(root, "scenario")->str, "f");
    assert_int_equal(root->items[1]->mark.col, 11);
    lc_yaml_free(root);
    unlink(path);

    lc_error_clear(&err);
    assert_null(lc_yaml_load_file("/nonexistent/x.yaml", NULL, &err));
    assert_int_equal(err.code, LC_EINPUT);
    assert_string_equal(err.file, "/nonexistent/x.yaml");
    assert_non_null(strstr(err.msg, "cannot open"));
}

/* ---- hostile input ---- */

static void test_bad_indent(void **state)
{
    (void)state;
    check_error_s(
        "scenario: x\ninputs:\n  gpus: 8\n price: 2\n", 4, 2,
        "did not find expected key (while parsing a block mapping that starts at line 1)");
}

static void test_deep_flow(void **state)
{
    size_t len;
    char *buf = repeat("a: ", "[", 100000, "", &len);
    clock_t t0 = clock();
    (void)state;

    /* the root mapping is level 1, so the 64th '[' (column 4 + 63) is level 65 */
    check_error(buf, len, NULL, 1, 67, "nesting deeper than 64 levels");
    assert_true(seconds_since(t0) < FAST_SECONDS);
    free(buf);
}

static void test_deep_block(void **state)
{
    size_t len;
    char *buf = repeat("", "- ", 100000, "x\n", &len);
    clock_t t0 = clock();
    (void)state;

    check_error(buf, len, NULL, 1, 129, "nesting deeper than 64 levels");
    assert_true(seconds_since(t0) < FAST_SECONDS);
    free(buf);
}

static void test_depth_limit_exact(void **state)
{
    lc_yaml_limits lim = lc_yaml_default_limits();
    lc_error err;
    lc_yaml_node *root;
    (void)state;

    lim.max_depth = 3;
    root = load_n("a: [[x]]\n", 9, &lim, &err);
    assert_non_null(root);
    assert_string_equal(root->items[1]->items[0]->items[0]->str, "x");
    lc_yaml_free(root);
    check_error("a: [[[x]]]\n", 11, &lim, 1, 6, "nesting deeper than 3 levels");
}

static void test_billion_laughs(void **state)
{
    static const char text[] =
        "scenario: laughs\n"
        "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
    clock_t t0 = clock();
    (void)state;

    check_error_s(text, 2, 4, "aliases and anchors are not supported; write the value out");
    assert_true(seconds_since(t0) < FAST_SECONDS);
}

static void test_alias_anchor(void **state)
{
    (void)state;
    check_error_s("a: 1\nb: *a\n", 2, 4, "aliases and anchors are not supported");
    check_error_s("a: &x 1\n", 1, 4, "aliases and anchors are not supported");
    check_error_s("a:\n  - &m {k: v}\n", 2, 5, "aliases and anchors are not supported");
}

static void test_dup_key(void **state)
{
    (void)state;
    check_error_s("scenario: x\nfoo: 1\ninputs: 1\nbar: 2\ninputs: 2\n", 5, 1,
                  "duplicate key 'inputs' (first at line 3)");
    /* nested, and quoting doesn't make a different key */
    check_error_s("inputs:\n  a: 1\n  'a': 2\n", 3, 3, "duplicate key 'a' (first at line 2)");
    /* the same key in different mappings is fine */
    {
        lc_error err;
        lc_yaml_node *root = load("a: {k: 1}\nb: {k: 2}\n", &err);
        assert_non_null(root);
        lc_yaml_free(root);
    }
}

static void test_dup_key_many(void **state)
{
    enum { N = 50000 };
    lc_yaml_limits lim = lc_yaml_default_limits();
    char *buf = malloc((size_t)N * 16 + 64), *p = buf;
    clock_t t0;
    lc_error err;
    lc_yaml_node *root;
    int i;
    (void)state;

    assert_non_null(buf);
    lim.max_nodes = 2 * N + 10;
    /* keys in descending order so sorting has work to do; all distinct first */
    for (i = 0; i < N; i++)
        p += sprintf(p, "k%05d: %d\n", N - 1 - i, i);
    t0 = clock();
    root = load_n(buf, (size_t)(p - buf), &lim, &err);
    assert_non_null(root);
    assert_int_equal(root->n, N);
    check_scalar(lc_yaml_get(root, "k00000"), "49999", 0, N, 9);
    lc_yaml_free(root);

    /* now key 49999 (line 1) and key 12345 (line 37655) appear again: the earlier
     * second occurrence is reported */
    p += sprintf(p, "k12345: dup\nk49999: dup\n");
    check_error(buf, (size_t)(p - buf), &lim, N + 1, 1,
                "duplicate key 'k12345' (first at line 37655)");
    assert_true(seconds_since(t0) < FAST_SECONDS);
    free(buf);
}

static void test_non_scalar_key(void **state)
{
    (void)state;
    check_error_s("a: 1\n? [x]\n: 2\n", 2, 3, "a mapping key must be a scalar, not a sequence");
    check_error_s("{ {x: 1}: 2 }\n", 1, 3, "a mapping key must be a scalar, not a mapping");
}

static void test_nul(void **state)
{
    static const char raw[] = "scenario: x\ninputs:\n  model: \"ll\0ama\"\n";
    static const char multibyte[] = "k: \"\xC3\xA9\xE2\x82\xAC\0\"\n"; /* é€ then NUL */
    (void)state;

    check_error(raw, sizeof raw - 1, NULL, 3, 13, "NUL byte in input");
    check_error(multibyte, sizeof multibyte - 1, NULL, 1, 7, "NUL byte in input");
    check_error_s("a: 1\r\nb: 2\r\nc: \"x\\0\"\r\n", 3, 4, "NUL character in scalar");
}

static void test_binary(void **state)
{
    static const char bin[] = "\x7f"
                              "ELF\x02\x01\x01\x00\x03\x00\x3e\x00\x01\x00\x00\x00";
    (void)state;
    check_error(bin, sizeof bin - 1, NULL, 1, 8, "NUL byte in input");
    check_error("\xFF\xFEs\0c\0", 6, NULL, 1, 1, "UTF-16 input is not supported");
}

static void test_oversized(void **state)
{
    lc_yaml_limits lim = lc_yaml_default_limits();
    size_t len;
    char *buf = repeat("a: \"", "x", (1u << 20), "\"\n", &len);
    lc_error err;
    (void)state;

    assert_null(load_n(buf, len, NULL, &err));
    assert_int_equal(err.code, LC_EINPUT);
    assert_string_equal(err.file, "t.yaml");
    assert_int_equal(err.line, 0);
    assert_int_equal(err.col, 0);
    assert_non_null(strstr(err.msg, "input is larger than 1048576 bytes"));

    lim.max_bytes = 10;
    assert_null(load_n("a: 1234567\n", 11, &lim, &err));
    assert_non_null(strstr(err.msg, "input is larger than 10 bytes"));
    free(buf);
}

static void test_long_scalar(void **state)
{
    lc_yaml_limits lim = lc_yaml_default_limits();
    size_t len;
    char *buf = repeat("ok: 1\nlong: ", "x", 65537, "\n", &len);
    lc_error err;
    lc_yaml_node *root;
    (void)state;

    check_error(buf, len, NULL, 2, 7, "scalar longer than 65536 bytes");
    free(buf);
    buf = repeat("long: ", "x", 65536, "\n", &len);
    root = load_n(buf, len, NULL, &err);
    assert_non_null(root);
    assert_int_equal(lc_yaml_get(root, "long")->len, 65536);
    lc_yaml_free(root);
    free(buf);

    lim.max_scalar = 3;
    check_error("a: abc\nb: abcd\n", 14, &lim, 2, 4, "scalar longer than 3 bytes");
    check_error("a: abc\nlong: 1\n", 14, &lim, 2, 1, "scalar longer than 3 bytes");
}

static void test_node_limit(void **state)
{
    lc_yaml_limits lim = lc_yaml_default_limits();
    lc_error err;
    lc_yaml_node *root;
    size_t len;
    char *buf;
    (void)state;

    /* root + 2 keys + 2 values = 5 nodes */
    lim.max_nodes = 5;
    root = load_n("a: 1\nb: 2\n", 10, &lim, &err);
    assert_non_null(root);
    lc_yaml_free(root);
    check_error("a: 1\nb: [2]\n", 12, &lim, 2, 5, "more than 5 nodes in the document");

    /* the default limit: a flow sequence of 100,000 items plus the root and key */
    buf = repeat("a: [", "1,", 100000, "]\n", &len);
    check_error(buf, len, NULL, 1, 5 + 2 * 99997, "more than 100000 nodes");
    free(buf);
}

static void test_tabs(void **state)
{
    (void)state;
    check_error_s("scenario: x\ninputs:\n\tgpus: 8\n", 3, 1,
                  "found character that cannot start any token (tabs are not allowed for "
                  "indentation in YAML; use spaces)");
    check_error_s("inputs:\n  a: 1\n  \tb: 2\n", 3, 3, "tabs are not allowed for indentation");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    /* Latin-1 "é": libyaml reports the octet after the lead byte */
    check_error_s("a: 1\nb: \"caf\xE9 x\"\n", 2, 9, "invalid trailing UTF-8 octet 0x20");
    check_error_s("a: \xFF\n", 1, 4, "invalid leading UTF-8 octet 0xFF");
    check_error_s("a: \"x\x01\"\n", 1, 6, "control characters are not allowed (U+0001)");
}

static void test_second_document(void **state)
{
    (void)state;
    check_error_s("scenario: one\n---\nscenario: two\n", 2, 1, "a second YAML document");
    check_error_s("---\na: 1\n---\n", 3, 1, "a second YAML document");
}

static void test_bad_tag(void **state)
{
    (void)state;
    check_error_s("a: !custom x\n", 1, 4, "tag '!custom' is not supported");
    check_error_s("a: !!binary eA==\n", 1, 4, "tag '!!binary' is not supported on a scalar");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_kind_name_and_limits),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_bad_indent),
        cmocka_unit_test(test_deep_flow),
        cmocka_unit_test(test_deep_block),
        cmocka_unit_test(test_depth_limit_exact),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_alias_anchor),
        cmocka_unit_test(test_dup_key),
        cmocka_unit_test(test_dup_key_many),
        cmocka_unit_test(test_non_scalar_key),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_binary),
        cmocka_unit_test(test_oversized),
        cmocka_unit_test(test_long_scalar),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_tabs),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_second_document),
        cmocka_unit_test(test_bad_tag),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
