/* yaml.c — libyaml events into an lc_yaml_node tree, with our own limits.
 *
 * The whole tree (nodes, strings, item arrays, the file name) lives in an arena
 * of malloc'd blocks, so freeing walks a block list instead of the tree and a
 * deep document cannot blow the stack.  While a collection is open its children
 * are collected in a growable array on the parse stack; when it closes they are
 * copied into the arena at their final size. */
#include "lc_yaml.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "lc_io.h"

/* ---- arena ---- */

enum { BLOCK_SIZE = 64 * 1024, BIG_ALLOC = BLOCK_SIZE / 4 };

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

/* Recovered from the root with offsetof, so lc_yaml_free needs only the root. */
typedef struct tree {
    block *blocks;
    lc_yaml_node root;
} tree;

static block *new_block(size_t cap)
{
    block *b = malloc(offsetof(block, data) + cap);
    if (b) {
        b->next = NULL;
        b->used = 0;
        b->cap = cap;
    }
    return b;
}

static void free_blocks(block *b)
{
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
}

static void *arena_alloc(block **head, size_t size, size_t align)
{
    block *b = *head;
    size_t at;

    if (size == 0)
        size = 1;
    if (size > BIG_ALLOC) {
        /* A big request gets its own block behind the head, which keeps filling. */
        block *big = new_block(size);
        if (big == NULL)
            return NULL;
        big->used = size;
        if (b) {
            big->next = b->next;
            b->next = big;
        } else {
            *head = big;
        }
        return big->data;
    }
    at = b ? (b->used + align - 1) / align * align : 0;
    if (b == NULL || at + size > b->cap) {
        block *nb = new_block(BLOCK_SIZE);
        if (nb == NULL)
            return NULL;
        nb->next = b;
        *head = nb;
        b = nb;
        at = 0;
    }
    b->used = at + size;
    return (char *)b->data + at;
}

/* ---- positions ---- */

static int to_int(size_t v)
{
    return v >= (size_t)INT_MAX ? INT_MAX : (int)v;
}

static lc_mark ymark(const char *file, yaml_mark_t m)
{
    lc_mark at = {file, to_int(m.line + 1), to_int(m.column + 1)};
    return at;
}

static int has_bom(const char *buf, size_t len)
{
    return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0;
}

/* Length of the line break at buf[i] (as libyaml counts them: LF, CR, CRLF,
 * NEL, LS, PS), or 0. */
static size_t break_len(const unsigned char *s, size_t len, size_t i)
{
    if (s[i] == '\n')
        return 1;
    if (s[i] == '\r')
        return i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
    if (s[i] == 0xC2 && i + 1 < len && s[i + 1] == 0x85)
        return 2;
    if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
        return 3;
    return 0;
}

/* The 1-based line:col of byte offset off; columns count characters, as
 * libyaml's do, and a leading BOM takes no column. */
static lc_mark offset_mark(const char *file, const char *buf, size_t len, size_t off)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = has_bom(buf, len) && off >= 3 ? 3 : 0;
    size_t line = 1, col = 1;

    if (off > len)
        off = len;
    while (i < off) {
        size_t b = break_len(s, len, i);
        if (b > 0) {
            line++;
            col = 1;
            i += b;
            continue;
        }
        if ((s[i] & 0xC0) != 0x80) /* continuation bytes belong to the previous character */
            col++;
        i++;
    }
    lc_mark at = {file, to_int(line), to_int(col)};
    return at;
}

/* Byte offset of the character at 0-based line:col, or len.  *blank_before is
 * set when only spaces and tabs precede it on its line. */
static size_t mark_offset(const char *buf, size_t len, size_t line, size_t col, int *blank_before)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = has_bom(buf, len) ? 3 : 0;

    *blank_before = 1;
    while (i < len && line > 0) {
        size_t b = break_len(s, len, i);
        if (b > 0) {
            line--;
            i += b;
        } else {
            i++;
        }
    }
    while (i < len && col > 0) {
        if (s[i] != ' ' && s[i] != '\t')
            *blank_before = 0;
        i++;
        while (i < len && (s[i] & 0xC0) == 0x80)
            i++;
        col--;
    }
    return i;
}

/* ---- parse state ---- */

typedef struct level {
    lc_yaml_node *node;   /* the open SEQ or MAP */
    lc_yaml_node **items; /* its children so far; reused by later collections at this depth */
    size_t n, cap;
} level;

typedef struct keyref {
    const lc_yaml_node *key;
    size_t pos; /* index among the mapping's keys, to break ties in file order */
} keyref;

typedef struct state {
    const char *file; /* the arena's copy of the name */
    const char *buf;
    size_t len;
    lc_yaml_limits lim;
    lc_error *err;
    block *arena;
    tree *tree;
    level *stack;
    int depth;     /* open collections */
    int stack_cap; /* levels allocated (all zeroed past depth) */
    size_t nodes;
    int have_root;
    keyref *sortbuf;
    size_t sort_cap;
} state;

static int nomem(state *st)
{
    return lc_error_nomem(st->err);
}

static int fail_at(state *st, yaml_mark_t m, const char *msg)
{
    return lc_error_set(st->err, LC_EINPUT, ymark(st->file, m), "%s", msg);
}

static size_t clip(const char *s, size_t len, size_t max)
{
    size_t n = 0;
    while (n < len && n < max && (unsigned char)s[n] >= 0x20)
        n++;
    if (n < len && n == max) /* don't cut a character in half */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}

static int key_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    size_t n = a->key->len < b->key->len ? a->key->len : b->key->len;
    int c = memcmp(a->key->str, b->key->str, n);
    if (c != 0)
        return c;
    if (a->key->len != b->key->len)
        return a->key->len < b->key->len ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int same_key(const lc_yaml_node *a, const lc_yaml_node *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

/* Checked when a mapping closes: sorting keeps 100k keys O(n log n).  Reports
 * the duplicate whose second occurrence comes first in the file. */
static int check_dup_keys(state *st, lc_yaml_node **items, size_t pairs)
{
    const lc_yaml_node *first = NULL, *second = NULL;
    size_t i, j;

    if (pairs <= 16) {
        for (j = 1; j < pairs && second == NULL; j++)
            for (i = 0; i < j; i++)
                if (same_key(items[2 * i], items[2 * j])) {
                    first = items[2 * i];
                    second = items[2 * j];
                    break;
                }
    } else {
        size_t best = SIZE_MAX, g = 0;
        if (pairs > st->sort_cap) {
            keyref *nb = realloc(st->sortbuf, pairs * sizeof *nb);
            if (nb == NULL)
                return nomem(st);
            st->sortbuf = nb;
            st->sort_cap = pairs;
        }
        for (i = 0; i < pairs; i++) {
            st->sortbuf[i].key = items[2 * i];
            st->sortbuf[i].pos = i;
        }
        qsort(st->sortbuf, pairs, sizeof *st->sortbuf, key_cmp);
        for (i = 1; i <= pairs; i++) {
            if (i < pairs && same_key(st->sortbuf[g].key, st->sortbuf[i].key))
                continue;
            /* sortbuf[g..i) is one key, in file order */
            if (i - g >= 2 && st->sortbuf[g + 1].pos < best) {
                best = st->sortbuf[g + 1].pos;
                first = st->sortbuf[g].key;
                second = st->sortbuf[g + 1].key;
            }
            g = i;
        }
    }
    if (second == NULL)
        return LC_OK;
    return lc_error_set(st->err, LC_EINPUT, second->mark, "duplicate key '%.*s' (first at line %d)",
                        (int)clip(second->str, second->len, 80), second->str, first->mark.line);
}

/* ---- events ---- */

static const char *const yaml_tag_prefix = "tag:yaml.org,2002:";

/* NULL for no tag; standard tags are accepted, anything else is an error. */
static int check_tag(state *st, const yaml_event_t *ev, const unsigned char *utag,
                     lc_yaml_kind kind, int *is_str)
{
    static const char *const scalar_tags[] = {"str", "int", "float", "bool", "null"};
    const char *tag = (const char *)utag;
    size_t plen = strlen(yaml_tag_prefix);

    *is_str = 0;
    if (tag == NULL)
        return LC_OK;
    if (strncmp(tag, yaml_tag_prefix, plen) == 0) {
        const char *t = tag + plen;
        size_t i;
        if (kind == LC_YAML_SEQ && strcmp(t, "seq") == 0)
            return LC_OK;
        if (kind == LC_YAML_MAP && strcmp(t, "map") == 0)
            return LC_OK;
        for (i = 0; kind == LC_YAML_SCALAR && i < sizeof scalar_tags / sizeof *scalar_tags; i++)
            if (strcmp(t, scalar_tags[i]) == 0) {
                *is_str = i == 0;
                return LC_OK;
            }
        return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                            "tag '!!%.*s' is not supported on %s", (int)clip(t, strlen(t), 80), t,
                            lc_yaml_kind_name(kind));
    }
    return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                        "tag '%.*s' is not supported", (int)clip(tag, strlen(tag), 80), tag);
}

/* Makes a node for ev and hangs it under the open collection (or makes it the root). */
static int add_node(state *st, const yaml_event_t *ev, lc_yaml_kind kind, lc_yaml_node **out)
{
    lc_yaml_node *node;

    if (++st->nodes > st->lim.max_nodes)
        return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                            "more than %zu nodes in the document (the limit)", st->lim.max_nodes);
    if (st->depth == 0) {
        node = &st->tree->root;
        st->have_root = 1;
    } else {
        level *up = &st->stack[st->depth - 1];
        if (up->node->kind == LC_YAML_MAP && up->n % 2 == 0 && kind != LC_YAML_SCALAR)
            return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                                "a mapping key must be a scalar, not %s", lc_yaml_kind_name(kind));
        node = arena_alloc(&st->arena, sizeof *node, _Alignof(lc_yaml_node));
        if (node == NULL)
            return nomem(st);
        if (up->n == up->cap) {
            size_t cap = up->cap ? up->cap * 2 : 8;
            lc_yaml_node **ni = realloc(up->items, cap * sizeof *ni);
            if (ni == NULL)
                return nomem(st);
            up->items = ni;
            up->cap = cap;
        }
        up->items[up->n++] = node;
    }
    memset(node, 0, sizeof *node);
    node->kind = kind;
    node->mark = ymark(st->file, ev->start_mark);
    *out = node;
    return LC_OK;
}

static int on_scalar(state *st, const yaml_event_t *ev)
{
    const char *val = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    lc_yaml_node *node;
    int is_str, rc;

    if (ev->data.scalar.anchor)
        return fail_at(st, ev->start_mark,
                       "aliases and anchors are not supported; write the value out");
    if ((rc = check_tag(st, ev, ev->data.scalar.tag, LC_YAML_SCALAR, &is_str)) != LC_OK)
        return rc;
    if (len > st->lim.max_scalar)
        return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                            "scalar longer than %zu bytes (the limit)", st->lim.max_scalar);
    /* Raw NULs were rejected before parsing; this one came from a "\0" escape. */
    if (memchr(val, '\0', len) != NULL)
        return fail_at(st, ev->start_mark, "NUL character in scalar (from a \\0 or \\x00 escape)");
    if ((rc = add_node(st, ev, LC_YAML_SCALAR, &node)) != LC_OK)
        return rc;
    node->str = arena_alloc(&st->arena, len + 1, 1);
    if (node->str == NULL)
        return nomem(st);
    memcpy(node->str, val, len);
    node->str[len] = '\0';
    node->len = len;
    node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || is_str;
    return LC_OK;
}

static int on_start(state *st, const yaml_event_t *ev, lc_yaml_kind kind)
{
    const unsigned char *anchor, *tag;
    lc_yaml_node *node;
    level *lv;
    int is_str, rc;

    if (kind == LC_YAML_SEQ) {
        anchor = ev->data.sequence_start.anchor;
        tag = ev->data.sequence_start.tag;
    } else {
        anchor = ev->data.mapping_start.anchor;
        tag = ev->data.mapping_start.tag;
    }
    if (anchor)
        return fail_at(st, ev->start_mark,
                       "aliases and anchors are not supported; write the value out");
    if ((rc = check_tag(st, ev, tag, kind, &is_str)) != LC_OK)
        return rc;
    /* Checked before libyaml reads further, so 100,000 '[' stop at the limit. */
    if (st->depth >= st->lim.max_depth)
        return lc_error_set(st->err, LC_EINPUT, ymark(st->file, ev->start_mark),
                            "nesting deeper than %d levels", st->lim.max_depth);
    if ((rc = add_node(st, ev, kind, &node)) != LC_OK)
        return rc;
    if (st->depth == st->stack_cap) {
        int cap = st->stack_cap ? st->stack_cap * 2 : 16;
        level *ns = realloc(st->stack, (size_t)cap * sizeof *ns);
        if (ns == NULL)
            return nomem(st);
        memset(ns + st->stack_cap, 0, (size_t)(cap - st->stack_cap) * sizeof *ns);
        st->stack = ns;
        st->stack_cap = cap;
    }
    lv = &st->stack[st->depth++];
    lv->node = node;
    lv->n = 0;
    return LC_OK;
}

static int on_end(state *st)
{
    level *lv = &st->stack[--st->depth];
    lc_yaml_node *node = lv->node;

    if (lv->n > 0) {
        node->items =
            arena_alloc(&st->arena, lv->n * sizeof *node->items, _Alignof(lc_yaml_node *));
        if (node->items == NULL)
            return nomem(st);
        memcpy(node->items, lv->items, lv->n * sizeof *node->items);
    }
    node->n = node->kind == LC_YAML_MAP ? lv->n / 2 : lv->n;
    if (node->kind == LC_YAML_MAP)
        return check_dup_keys(st, node->items, node->n);
    return LC_OK;
}

static int parser_error(state *st, const yaml_parser_t *p)
{
    lc_mark at;
    int blank = 0;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return nomem(st);
    case YAML_READER_ERROR: {
        const char *problem = p->problem ? p->problem : "cannot read input";
        const char *hint = strstr(problem, "UTF-8") ? " (save the file as UTF-8)" : "";
        at = offset_mark(st->file, st->buf, st->len, p->problem_offset);
        if (p->problem_value < 0)
            return lc_error_set(st->err, LC_EINPUT, at, "%s%s", problem, hint);
        if (strstr(problem, "octet"))
            return lc_error_set(st->err, LC_EINPUT, at, "%s 0x%02X%s", problem,
                                (unsigned)p->problem_value, hint);
        return lc_error_set(st->err, LC_EINPUT, at, "%s (U+%04X)%s", problem,
                            (unsigned)p->problem_value, hint);
    }
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR: {
        const char *problem = p->problem ? p->problem : "cannot parse YAML";
        size_t off =
            mark_offset(st->buf, st->len, p->problem_mark.line, p->problem_mark.column, &blank);
        at = ymark(st->file, p->problem_mark);
        if (off < st->len && st->buf[off] == '\t')
            return lc_error_set(st->err, LC_EINPUT, at, "%s (%s)", problem,
                                blank ? "tabs are not allowed for indentation in YAML; use spaces"
                                      : "a tab is not allowed here in YAML; use spaces");
        if (p->context == NULL)
            return lc_error_set(st->err, LC_EINPUT, at, "%s", problem);
        if (p->context_mark.line == p->problem_mark.line &&
            p->context_mark.column == p->problem_mark.column)
            return lc_error_set(st->err, LC_EINPUT, at, "%s (%s)", problem, p->context);
        return lc_error_set(st->err, LC_EINPUT, at, "%s (%s that starts at line %d)", problem,
                            p->context, to_int(p->context_mark.line + 1));
    }
    default:
        return lc_error_set(st->err, LC_EINPUT, offset_mark(st->file, st->buf, st->len, 0),
                            "cannot parse YAML");
    }
}

/* Checks libyaml doesn't make, or makes with only a byte offset. */
static int check_bytes(state *st)
{
    const char *nul;

    if (st->len >= 2 &&
        (memcmp(st->buf, "\xFF\xFE", 2) == 0 || memcmp(st->buf, "\xFE\xFF", 2) == 0))
        return lc_error_set(st->err, LC_EINPUT, offset_mark(st->file, st->buf, st->len, 0),
                            "UTF-16 input is not supported; save the file as UTF-8");
    nul = memchr(st->buf, '\0', st->len);
    if (nul != NULL)
        return lc_error_set(st->err, LC_EINPUT,
                            offset_mark(st->file, st->buf, st->len, (size_t)(nul - st->buf)),
                            "NUL byte in input");
    return LC_OK;
}

static int run_parser(state *st)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    int docs = 0, done = 0, rc = LC_OK;

    if (!yaml_parser_initialize(&parser))
        return nomem(st);
    yaml_parser_set_input_string(&parser, (const unsigned char *)st->buf, st->len);
    while (!done && rc == LC_OK) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parser_error(st, &parser);
            break;
        }
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = fail_at(st, ev.start_mark,
                             "a second YAML document is not supported; one scenario per file");
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_ALIAS_EVENT:
            rc = fail_at(st, ev.start_mark,
                         "aliases and anchors are not supported; write the value out");
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(st, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(st, &ev, LC_YAML_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(st, &ev, LC_YAML_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = on_end(st);
            break;
        default: /* stream start, document end */
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- public ---- */

lc_yaml_limits lc_yaml_default_limits(void)
{
    lc_yaml_limits lim = {LC_YAML_MAX_BYTES, LC_YAML_MAX_DEPTH, LC_YAML_MAX_SCALAR,
                          LC_YAML_MAX_NODES};
    return lim;
}

lc_yaml_node *lc_yaml_load(const char *name, const char *buf, size_t len,
                           const lc_yaml_limits *limits, lc_error *err)
{
    state st;
    size_t nlen;
    char *file;
    int i;

    memset(&st, 0, sizeof st);
    if (name == NULL)
        name = "<input>";
    st.buf = buf;
    st.len = len;
    st.lim = limits ? *limits : lc_yaml_default_limits();
    st.err = err;
    if (len > st.lim.max_bytes) {
        lc_mark at = {name, 0, 0};
        lc_error_set(err, LC_EINPUT, at,
                     "input is larger than %zu bytes (the limit); split the scenario",
                     st.lim.max_bytes);
        return NULL;
    }

    nlen = strlen(name);
    st.tree = arena_alloc(&st.arena, sizeof *st.tree, _Alignof(tree));
    file = st.tree ? arena_alloc(&st.arena, nlen + 1, 1) : NULL;
    if (file == NULL) {
        nomem(&st);
        goto fail;
    }
    memcpy(file, name, nlen + 1);
    st.file = file;

    if (check_bytes(&st) != LC_OK || run_parser(&st) != LC_OK)
        goto fail;

    /* An empty document is an empty mapping, so a blank file is an empty scenario. */
    if (!st.have_root ||
        (st.tree->root.kind == LC_YAML_SCALAR && st.tree->root.len == 0 && !st.tree->root.quoted)) {
        memset(&st.tree->root, 0, sizeof st.tree->root);
        st.tree->root.kind = LC_YAML_MAP;
        st.tree->root.mark = offset_mark(st.file, buf, len, 0);
    }
    st.tree->blocks = st.arena;
    for (i = 0; i < st.stack_cap; i++)
        free(st.stack[i].items);
    free(st.stack);
    free(st.sortbuf);
    return &st.tree->root;

fail:
    for (i = 0; i < st.stack_cap; i++)
        free(st.stack[i].items);
    free(st.stack);
    free(st.sortbuf);
    free_blocks(st.arena);
    return NULL;
}

lc_yaml_node *lc_yaml_load_file(const char *path, const lc_yaml_limits *limits, lc_error *err)
{
    lc_yaml_limits lim = limits ? *limits : lc_yaml_default_limits();
    lc_yaml_node *root;
    char *buf;
    size_t len;

    if (lc_read_file(path, lim.max_bytes, &buf, &len, err) != LC_OK)
        return NULL;
    root = lc_yaml_load(strcmp(path, "-") == 0 ? "<stdin>" : path, buf, len, &lim, err);
    free(buf);
    return root;
}

void lc_yaml_free(lc_yaml_node *root)
{
    tree *t;

    if (root == NULL)
        return;
    t = (tree *)(void *)((char *)root - offsetof(tree, root));
    free_blocks(t->blocks);
}

const lc_yaml_node *lc_yaml_get(const lc_yaml_node *map, const char *key)
{
    size_t i, klen;

    if (map == NULL || map->kind != LC_YAML_MAP || key == NULL)
        return NULL;
    klen = strlen(key);
    for (i = 0; i < map->n; i++) {
        const lc_yaml_node *k = map->items[2 * i];
        if (k->len == klen && memcmp(k->str, key, klen) == 0)
            return map->items[2 * i + 1];
    }
    return NULL;
}

const char *lc_yaml_kind_name(lc_yaml_kind kind)
{
    switch (kind) {
    case LC_YAML_SCALAR:
        return "a scalar";
    case LC_YAML_SEQ:
        return "a sequence";
    case LC_YAML_MAP:
        return "a mapping";
    }
    return "a node";
}
