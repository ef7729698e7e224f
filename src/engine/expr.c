/* expr.c — formula parsing, unit inference, tape compilation and evaluation. */
#include "lc_expr.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_eval.h"

enum kind {
    N_NUM, N_NAME, N_NEG, N_ADD, N_SUB, N_MUL, N_DIV, N_POW,
    N_LT, N_LE, N_GT, N_GE, N_EQ, N_NE,
    N_MIN, N_MAX, N_CEIL, N_FLOOR, N_ROUND, N_ABS, N_EXP, N_LOG, N_SQRT, N_IF
};

typedef struct node {
    int kind;
    int kid[3];     /* node indices, -1 when unused */
    int name;       /* N_NAME: index into names */
    double value;   /* N_NUM: value in base units; after check: folded constant */
    int is_const;   /* set by check: value is known at compile time */
    lc_dim dim;     /* set by check */
    size_t pos;     /* byte offset of the node's text */
    size_t end;     /* one past it */
} node;

struct lc_expr {
    char *text;
    lc_mark at;
    node *nodes;
    size_t nnodes, cap;
    int root;
    char **names;
    size_t *name_pos; /* offset of each name's first use */
    size_t nnames;
};

static const struct {
    const char *name;
    int kind, min_args, max_args;
} functions[] = {
    {"min", N_MIN, 2, 64},  {"max", N_MAX, 2, 64},  {"ceil", N_CEIL, 1, 1},
    {"floor", N_FLOOR, 1, 1}, {"round", N_ROUND, 1, 1}, {"abs", N_ABS, 1, 1},
    {"exp", N_EXP, 1, 1},   {"log", N_LOG, 1, 1},   {"sqrt", N_SQRT, 1, 1},
    {"if", N_IF, 3, 3},
};

/* --- parser --------------------------------------------------------------- */

typedef struct parser {
    lc_expr *e;
    const lc_units *u;
    const char *s;
    size_t i;
    int depth;
    lc_error *err;
} parser;

static lc_mark mark_at(const lc_expr *e, size_t pos)
{
    lc_mark m = e->at;
    if (m.line > 0)
        m.col += (int)pos;
    return m;
}

static int perr(parser *p, size_t pos, const char *msg)
{
    lc_error_set(p->err, LC_EINPUT, mark_at(p->e, pos), "%s", msg);
    return -1;
}

static int new_node(parser *p, int kind, size_t pos)
{
    lc_expr *e = p->e;
    node *n;
    if (e->nnodes >= LC_EXPR_MAX_NODES)
        return perr(p, pos, "formula is too long");
    if (e->nnodes == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 16;
        node *nn = realloc(e->nodes, cap * sizeof *nn);
        if (nn == NULL) {
            lc_error_nomem(p->err);
            return -1;
        }
        e->nodes = nn;
        e->cap = cap;
    }
    n = &e->nodes[e->nnodes];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->kid[0] = n->kid[1] = n->kid[2] = -1;
    n->name = -1;
    n->pos = pos;
    n->end = pos;
    return (int)e->nnodes++;
}

static void skip_space(parser *p)
{
    while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')
        p->i++;
}

/* Match an operator at the cursor, including the UTF-8 '×' and '÷'. */
static int match(parser *p, const char *op)
{
    size_t n = strlen(op);
    skip_space(p);
    if (strncmp(p->s + p->i, op, n) != 0)
        return 0;
    /* '<' must not match the start of '<=' etc. */
    if (n == 1 && (op[0] == '<' || op[0] == '>' || op[0] == '=' || op[0] == '!') &&
        p->s[p->i + 1] == '=')
        return 0;
    p->i += n;
    return 1;
}

static int parse_expr(parser *p);

static int add_name(parser *p, const char *s, size_t len, size_t pos)
{
    lc_expr *e = p->e;
    size_t i;
    char **nn;
    size_t *np;
    for (i = 0; i < e->nnames; i++)
        if (strlen(e->names[i]) == len && strncmp(e->names[i], s, len) == 0)
            return (int)i;
    nn = realloc(e->names, (e->nnames + 1) * sizeof *nn);
    if (nn == NULL)
        goto nomem;
    e->names = nn;
    np = realloc(e->name_pos, (e->nnames + 1) * sizeof *np);
    if (np == NULL)
        goto nomem;
    e->name_pos = np;
    e->names[e->nnames] = malloc(len + 1);
    if (e->names[e->nnames] == NULL)
        goto nomem;
    memcpy(e->names[e->nnames], s, len);
    e->names[e->nnames][len] = '\0';
    e->name_pos[e->nnames] = pos;
    return (int)e->nnames++;
nomem:
    lc_error_nomem(p->err);
    return -1;
}

static int parse_number(parser *p)
{
    const char *start = p->s + p->i;
    size_t pos = p->i, len, ulen, k;
    char buf[160], msg[LC_UNITS_MSG_MAX]; /* buf: a longer number is refused below */
    double v;
    lc_dim dim;
    size_t at = 0;
    int n;

    /* The number itself, then a glued suffix (175B, 90%), then one unit word. */
    len = 0;
    while (isdigit((unsigned char)start[len]) || start[len] == '.')
        len++;
    if ((start[len] == 'e' || start[len] == 'E') &&
        (isdigit((unsigned char)start[len + 1]) ||
         ((start[len + 1] == '-' || start[len + 1] == '+') && isdigit((unsigned char)start[len + 2])))) {
        len += 2;
        while (isdigit((unsigned char)start[len]))
            len++;
    }
    if (start[len] == '%' || (start[len] && strchr("KkMBT", start[len]) &&
                              !isalnum((unsigned char)start[len + 1]) && start[len + 1] != '_'))
        len++;
    k = len;
    while (start[k] == ' ')
        k++;
    ulen = (isalpha((unsigned char)start[k]) || start[k] == '%') && start[len - 1] != '%'
               ? lc_units_word_len(start + k)
               : 0;
    /* A word that is a function or a name is not a unit: "2 max(...)" is an error
     * caught by the caller, "24 h" is a unit. */
    if (ulen > 0) {
        lc_unit un;
        if (start[k + ulen] == '(' ||
            lc_units_parse_unit(p->u, start + k, ulen, &un, NULL, 0, NULL) != 0) {
            size_t j;
            int dotted = 0;
            for (j = 0; j < ulen + 1 && start[k + j]; j++)
                dotted |= start[k + j] == '.';
            if (dotted || start[k + ulen] == '(' || k == len)
                ulen = 0;
        }
    }
    if (len + (ulen ? (k - len) + ulen : 0) >= sizeof buf)
        return perr(p, pos, "number is too long");
    memcpy(buf, start, len);
    if (ulen) {
        memcpy(buf + len, start + len, (k - len) + ulen);
        buf[k + ulen] = '\0';
    } else {
        buf[len] = '\0';
    }
    if (lc_units_parse_quantity(p->u, buf, &v, &dim, msg, sizeof msg, &at) != 0)
        return perr(p, pos + at, msg);
    n = new_node(p, N_NUM, pos);
    if (n < 0)
        return -1;
    p->e->nodes[n].value = v;
    p->e->nodes[n].dim = dim;
    p->i += ulen ? k + ulen : len;
    p->e->nodes[n].end = p->i;
    return n;
}

static int parse_primary(parser *p)
{
    size_t pos;
    const char *s;

    skip_space(p);
    pos = p->i;
    s = p->s + p->i;
    if (isdigit((unsigned char)*s) || (*s == '.' && isdigit((unsigned char)s[1])))
        return parse_number(p);
    if (isalpha((unsigned char)*s) || *s == '_') {
        size_t len = 0, f;
        int n;
        while (isalnum((unsigned char)s[len]) || s[len] == '_' ||
               (s[len] == '.' && (isalpha((unsigned char)s[len + 1]) || s[len + 1] == '_')))
            len++;
        p->i += len;
        skip_space(p);
        if (p->s[p->i] == '(') {
            int nargs = 0, acc = -1;
            for (f = 0; f < sizeof functions / sizeof functions[0]; f++)
                if (strlen(functions[f].name) == len && strncmp(functions[f].name, s, len) == 0)
                    break;
            if (f == sizeof functions / sizeof functions[0]) {
                lc_error_set(p->err, LC_EINPUT, mark_at(p->e, pos),
                             "unknown function '%.*s' (known: min max ceil floor round abs exp "
                             "log sqrt if)",
                             (int)len, s);
                return -1;
            }
            p->i++;
            n = new_node(p, functions[f].kind, pos);
            if (n < 0)
                return -1;
            if (match(p, ")"))
                return perr(p, p->i - 1, "missing arguments");
            for (;;) {
                int a = parse_expr(p);
                if (a < 0)
                    return -1;
                nargs++;
                if (functions[f].kind == N_MIN || functions[f].kind == N_MAX) {
                    /* Variadic min/max fold into a left-leaning chain of pairs. */
                    if (acc < 0) {
                        acc = a;
                    } else {
                        int m = nargs == 2 ? n : new_node(p, functions[f].kind, pos);
                        if (m < 0)
                            return -1;
                        p->e->nodes[m].kid[0] = acc;
                        p->e->nodes[m].kid[1] = a;
                        acc = m;
                    }
                } else if (nargs <= 3) {
                    p->e->nodes[n].kid[nargs - 1] = a;
                }
                if (match(p, ","))
                    continue;
                if (match(p, ")"))
                    break;
                return perr(p, p->i, "expected ',' or ')' in the argument list");
            }
            if (nargs < functions[f].min_args || nargs > functions[f].max_args) {
                char msg[120];
                snprintf(msg, sizeof msg, "%s() takes %d%s argument%s, not %d",
                         functions[f].name, functions[f].min_args,
                         functions[f].max_args > functions[f].min_args ? " or more" : "",
                         functions[f].min_args == 1 ? "" : "s", nargs);
                return perr(p, pos, msg);
            }
            /* A min/max chain's top is the last pair made. */
            if ((functions[f].kind == N_MIN || functions[f].kind == N_MAX) && acc >= 0)
                n = acc;
            p->e->nodes[n].end = p->i;
            return n;
        }
        n = new_node(p, N_NAME, pos);
        if (n < 0)
            return -1;
        p->e->nodes[n].name = add_name(p, s, len, pos);
        if (p->e->nodes[n].name < 0)
            return -1;
        p->e->nodes[n].end = pos + len;
        return n;
    }
    if (*s == '(') {
        int n;
        p->i++;
        n = parse_expr(p);
        if (n < 0)
            return -1;
        if (!match(p, ")"))
            return perr(p, p->i, "expected ')'");
        return n;
    }
    if (*s == '\0')
        return perr(p, pos, "formula ends where a value was expected");
    return perr(p, pos, "expected a number, a name or '('");
}

static int binary(parser *p, int kind, int a, int b)
{
    int n;
    if (b < 0)
        return -1;
    n = new_node(p, kind, p->e->nodes[a].pos);
    if (n < 0)
        return -1;
    p->e->nodes[n].kid[0] = a;
    p->e->nodes[n].kid[1] = b;
    p->e->nodes[n].end = p->e->nodes[b].end;
    return n;
}

static int parse_unary(parser *p);

static int parse_power(parser *p)
{
    int a = parse_primary(p);
    if (a < 0)
        return -1;
    if (match(p, "^"))
        return binary(p, N_POW, a, parse_unary(p));
    return a;
}

static int parse_unary(parser *p)
{
    size_t pos;
    skip_space(p);
    pos = p->i;
    if (match(p, "-")) {
        int a, n;
        if (++p->depth > LC_EXPR_MAX_DEPTH)
            return perr(p, pos, "formula is nested too deeply");
        a = parse_unary(p);
        p->depth--;
        if (a < 0)
            return -1;
        n = new_node(p, N_NEG, pos);
        if (n < 0)
            return -1;
        p->e->nodes[n].kid[0] = a;
        p->e->nodes[n].end = p->e->nodes[a].end;
        return n;
    }
    match(p, "+");
    return parse_power(p);
}

static int parse_mul(parser *p)
{
    int a = parse_unary(p);
    while (a >= 0) {
        if (match(p, "*") || match(p, "\xc3\x97"))
            a = binary(p, N_MUL, a, parse_unary(p));
        else if (match(p, "/") || match(p, "\xc3\xb7"))
            a = binary(p, N_DIV, a, parse_unary(p));
        else
            break;
    }
    return a;
}

static int parse_add(parser *p)
{
    int a = parse_mul(p);
    while (a >= 0) {
        if (match(p, "+"))
            a = binary(p, N_ADD, a, parse_mul(p));
        else if (match(p, "-"))
            a = binary(p, N_SUB, a, parse_mul(p));
        else
            break;
    }
    return a;
}

static int parse_expr(parser *p)
{
    static const struct {
        const char *op;
        int kind;
    } cmps[] = {{"<=", N_LE}, {">=", N_GE}, {"==", N_EQ}, {"!=", N_NE}, {"<", N_LT}, {">", N_GT}};
    size_t i;
    int a;

    if (++p->depth > LC_EXPR_MAX_DEPTH)
        return perr(p, p->i, "formula is nested too deeply");
    a = parse_add(p);
    if (a >= 0)
        for (i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
            if (match(p, cmps[i].op)) {
                a = binary(p, cmps[i].kind, a, parse_add(p));
                break;
            }
    p->depth--;
    return a;
}

lc_expr *lc_expr_parse(const char *text, lc_mark at, const lc_units *u, lc_error *err)
{
    parser p;
    lc_expr *e = calloc(1, sizeof *e);
    size_t len = strlen(text);

    if (e == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    e->text = malloc(len + 1);
    if (e->text == NULL) {
        lc_error_nomem(err);
        goto fail;
    }
    memcpy(e->text, text, len + 1);
    e->at = at;
    memset(&p, 0, sizeof p);
    p.e = e;
    p.u = u;
    p.s = e->text;
    p.err = err;
    e->root = parse_expr(&p);
    if (e->root < 0)
        goto fail;
    skip_space(&p);
    if (p.s[p.i] != '\0') {
        perr(&p, p.i,
             isalpha((unsigned char)p.s[p.i]) || p.s[p.i] == '%'
                 ? "unexpected word here (a unit must follow a number directly, as in '24 h')"
                 : "unexpected text after the formula");
        goto fail;
    }
    return e;
fail:
    lc_expr_free(e);
    return NULL;
}

void lc_expr_free(lc_expr *e)
{
    size_t i;
    if (e == NULL)
        return;
    for (i = 0; i < e->nnames; i++)
        free(e->names[i]);
    free(e->names);
    free(e->name_pos);
    free(e->nodes);
    free(e->text);
    free(e);
}

size_t lc_expr_nnames(const lc_expr *e)
{
    return e->nnames;
}

const char *lc_expr_name(const lc_expr *e, size_t i)
{
    return e->names[i];
}

lc_mark lc_expr_name_mark(const lc_expr *e, size_t i)
{
    return mark_at(e, e->name_pos[i]);
}

const char *lc_expr_text(const lc_expr *e)
{
    return e->text;
}

/* --- unit checking and constant folding --------------------------------- */

/* ceil and floor without a libm call, so that the block loops vectorise
 * (baseline x86-64 has no rounding instruction).  Doubles of magnitude 2^52
 * and above are integers already; NaN and infinities pass through. */
static inline double ceil_fast(double x)
{
    double t;
    if (!(fabs(x) < 4503599627370496.0))
        return x;
    t = (double)(int64_t)x;
    return t < x ? t + 1 : t;
}

static inline double floor_fast(double x)
{
    double t;
    if (!(fabs(x) < 4503599627370496.0))
        return x;
    t = (double)(int64_t)x;
    return t > x ? t - 1 : t;
}

/* NaN in, NaN out, for every operation (issue 11): C's comparisons make
 * NaN < 1 false, a < b ? a : b drops a NaN first argument, pow(1, NaN) is 1
 * and a NaN condition is "not zero", so each of these says it itself.  An
 * infinity is an ordinary value: min(inf, 3) = 3, if(inf, a, b) = a.  Used by
 * constant folding, lc_expr_eval1 and the tape loops alike. */
#define EITHER_NAN(a, b) ((a) != (a) || (b) != (b))
static inline double min_nan(double a, double b)
{
    return EITHER_NAN(a, b) ? a + b : a < b ? a : b;
}

static inline double max_nan(double a, double b)
{
    return EITHER_NAN(a, b) ? a + b : a > b ? a : b;
}

static inline double if_nan(double cond, double then, double other)
{
    return cond != cond ? cond : cond != 0 ? then : other;
}

static inline double pow_nan(double a, double b)
{
    return EITHER_NAN(a, b) ? a + b : pow(a, b);
}

/* A comparison is 1 or 0, or NaN when either side is. */
#define COMPARE(a, op, b) (EITHER_NAN(a, b) ? (a) + (b) : (double)((a)op(b)))

static double apply(int kind, double a, double b, double c)
{
    switch (kind) {
    case N_NEG: return -a;
    case N_ADD: return a + b;
    case N_SUB: return a - b;
    case N_MUL: return a * b;
    case N_DIV: return a / b;
    case N_POW: return pow_nan(a, b);
    case N_LT: return COMPARE(a, <, b);
    case N_LE: return COMPARE(a, <=, b);
    case N_GT: return COMPARE(a, >, b);
    case N_GE: return COMPARE(a, >=, b);
    case N_EQ: return COMPARE(a, ==, b);
    case N_NE: return COMPARE(a, !=, b);
    case N_MIN: return min_nan(a, b);
    case N_MAX: return max_nan(a, b);
    case N_CEIL: return ceil_fast(a);
    case N_FLOOR: return floor_fast(a);
    case N_ROUND: return round(a);
    case N_ABS: return fabs(a);
    case N_EXP: return exp(a);
    case N_LOG: return log(a);
    case N_SQRT: return sqrt(a);
    case N_IF: return if_nan(a, b, c);
    }
    return NAN;
}

static const char *op_word(int kind)
{
    switch (kind) {
    case N_ADD: return "add";
    case N_SUB: return "subtract";
    case N_LT: case N_LE: case N_GT: case N_GE: case N_EQ: case N_NE: return "compare";
    case N_MIN: return "take min() of";
    case N_MAX: return "take max() of";
    case N_IF: return "choose with if() between";
    }
    return "combine";
}

/* A unit whose exponents leave the range (the signed char would wrap); shown
 * at the right operand, which took it over. */
static int exponent_overflow(const lc_expr *e, const node *right, lc_error *err)
{
    return lc_error_set(err, LC_EINPUT, mark_at(e, right->pos),
                        "the unit of this result has an exponent beyond %d (no quantity is "
                        "measured in such a unit: check the powers and products)",
                        LC_DIM_EXP_MAX),
           -1;
}

static int check_node(lc_expr *e, int i, const lc_dim *name_dims, lc_error *err)
{
    node *n = &e->nodes[i];
    node *a = n->kid[0] >= 0 ? &e->nodes[n->kid[0]] : NULL;
    node *b = n->kid[1] >= 0 ? &e->nodes[n->kid[1]] : NULL;
    node *c = n->kid[2] >= 0 ? &e->nodes[n->kid[2]] : NULL;
    int q;
    char da[LC_DIM_TEXT_MAX], db[LC_DIM_TEXT_MAX];

    for (q = 0; q < 3; q++)
        if (n->kid[q] >= 0 && check_node(e, n->kid[q], name_dims, err) != 0)
            return -1;
    switch (n->kind) {
    case N_NUM:
        n->is_const = 1;
        return 0;
    case N_NAME:
        n->dim = name_dims[n->name];
        return 0;
    case N_NEG: case N_ABS:
        n->dim = a->dim;
        break;
    case N_MUL:
    case N_DIV:
        if ((n->kind == N_MUL ? lc_dim_mul(a->dim, b->dim, &n->dim)
                              : lc_dim_div(a->dim, b->dim, &n->dim)) != 0)
            return exponent_overflow(e, b, err);
        break;
    case N_ADD: case N_SUB: case N_MIN: case N_MAX:
    case N_LT: case N_LE: case N_GT: case N_GE: case N_EQ: case N_NE:
        if (!lc_dim_eq(a->dim, b->dim)) {
            lc_dim_describe(a->dim, da, sizeof da);
            lc_dim_describe(b->dim, db, sizeof db);
            return lc_error_set(err, LC_EINPUT, mark_at(e, n->pos),
                                "units do not match: cannot %s %s and %s", op_word(n->kind), da,
                                db),
                   -1;
        }
        n->dim = n->kind >= N_LT && n->kind <= N_NE ? lc_dim_none() : a->dim;
        break;
    case N_IF:
        if (!lc_dim_eq(b->dim, c->dim)) {
            lc_dim_describe(b->dim, da, sizeof da);
            lc_dim_describe(c->dim, db, sizeof db);
            return lc_error_set(err, LC_EINPUT, mark_at(e, n->pos),
                                "units do not match: if() gives %s in one branch and %s in "
                                "the other",
                                da, db),
                   -1;
        }
        n->dim = b->dim;
        break;
    case N_CEIL: case N_FLOOR: case N_ROUND: case N_EXP: case N_LOG:
        if (!lc_dim_is_none(a->dim)) {
            lc_dim_describe(a->dim, da, sizeof da);
            return lc_error_set(err, LC_EINPUT, mark_at(e, n->pos),
                                "this function needs a dimensionless argument, not %s "
                                "(divide by a unit first, e.g. x / 1 h)",
                                da),
                   -1;
        }
        n->dim = lc_dim_none();
        break;
    case N_SQRT: {
        int k;
        for (k = 0; k < LC_NDIM; k++)
            if (a->dim.e[k] % 2 != 0) {
                lc_dim_describe(a->dim, da, sizeof da);
                return lc_error_set(err, LC_EINPUT, mark_at(e, n->pos),
                                    "sqrt() of %s has no unit", da),
                       -1;
            }
        for (k = 0; k < LC_NDIM; k++)
            n->dim.e[k] = (signed char)(a->dim.e[k] / 2);
        break;
    }
    case N_POW:
        if (!lc_dim_is_none(b->dim))
            return lc_error_set(err, LC_EINPUT, mark_at(e, b->pos),
                                "an exponent must be dimensionless"),
                   -1;
        if (lc_dim_is_none(a->dim)) {
            n->dim = a->dim;
        } else {
            if (!b->is_const || b->value != floor(b->value) || fabs(b->value) > 8)
                return lc_error_set(err, LC_EINPUT, mark_at(e, b->pos),
                                    "a quantity with a unit can only be raised to a constant "
                                    "whole power"),
                       -1;
            if (lc_dim_scale(a->dim, (int)b->value, &n->dim) != 0)
                return exponent_overflow(e, b, err);
        }
        break;
    }
    n->is_const = (!a || a->is_const) && (!b || b->is_const) && (!c || c->is_const);
    if (n->is_const)
        n->value = apply(n->kind, a ? a->value : 0, b ? b->value : 0, c ? c->value : 0);
    return 0;
}

int lc_expr_check(lc_expr *e, const lc_dim *name_dims, lc_dim *out, lc_error *err)
{
    if (check_node(e, e->root, name_dims, err) != 0)
        return LC_EINPUT;
    *out = e->nodes[e->root].dim;
    return LC_OK;
}

static double eval_node(const lc_expr *e, int i, const double *vals)
{
    const node *n = &e->nodes[i];
    double a, b, c;
    if (n->kind == N_NUM)
        return n->value;
    if (n->kind == N_NAME)
        return vals[n->name];
    a = n->kid[0] >= 0 ? eval_node(e, n->kid[0], vals) : 0;
    b = n->kid[1] >= 0 ? eval_node(e, n->kid[1], vals) : 0;
    c = n->kid[2] >= 0 ? eval_node(e, n->kid[2], vals) : 0;
    return apply(n->kind, a, b, c);
}

double lc_expr_eval1(const lc_expr *e, const double *name_values)
{
    return eval_node(e, e->root, name_values);
}

/* --- rendering ------------------------------------------------------------ */

static int prec(int kind)
{
    switch (kind) {
    case N_LT: case N_LE: case N_GT: case N_GE: case N_EQ: case N_NE: return 1;
    case N_ADD: case N_SUB: return 2;
    case N_MUL: case N_DIV: return 3;
    case N_NEG: return 4;
    case N_POW: return 5;
    }
    return 6;
}

static void render(const lc_expr *e, int i, lc_expr_name_fn fn, void *ctx, lc_sbuf *b);

/* The arguments of a min()/max() chain, as written: min(a, b, c), not
 * min(min(a, b), c). */
static void render_chain(const lc_expr *e, int i, int kind, lc_expr_name_fn fn, void *ctx,
                         lc_sbuf *b)
{
    const node *n = &e->nodes[i];
    if (e->nodes[n->kid[0]].kind == kind)
        render_chain(e, n->kid[0], kind, fn, ctx, b);
    else
        render(e, n->kid[0], fn, ctx, b);
    lc_sb_puts(b, ", ");
    render(e, n->kid[1], fn, ctx, b);
}

static void render(const lc_expr *e, int i, lc_expr_name_fn fn, void *ctx, lc_sbuf *b)
{
    static const char *ops[] = {[N_ADD] = " + ", [N_SUB] = " - ", [N_MUL] = " \xc3\x97 ",
                                [N_DIV] = " / ", [N_POW] = "^",   [N_LT] = " < ",
                                [N_LE] = " <= ", [N_GT] = " > ",  [N_GE] = " >= ",
                                [N_EQ] = " == ", [N_NE] = " != "};
    const node *n = &e->nodes[i];
    size_t f;
    int q;

    switch (n->kind) {
    case N_NUM:
        lc_sb_putn(b, e->text + n->pos, n->end - n->pos);
        return;
    case N_NAME:
        fn(ctx, (size_t)n->name, b);
        return;
    case N_NEG: {
        const node *a = &e->nodes[n->kid[0]];
        lc_sb_puts(b, "-");
        if (prec(a->kind) < prec(N_NEG))
            lc_sb_puts(b, "(");
        render(e, n->kid[0], fn, ctx, b);
        if (prec(a->kind) < prec(N_NEG))
            lc_sb_puts(b, ")");
        return;
    }
    }
    if (n->kind >= N_MIN) {
        for (f = 0; f < sizeof functions / sizeof functions[0]; f++)
            if (functions[f].kind == n->kind)
                lc_sb_puts(b, functions[f].name);
        lc_sb_puts(b, "(");
        if (n->kind == N_MIN || n->kind == N_MAX) {
            render_chain(e, i, n->kind, fn, ctx, b);
        } else {
            for (q = 0; q < 3 && n->kid[q] >= 0; q++) {
                if (q)
                    lc_sb_puts(b, ", ");
                render(e, n->kid[q], fn, ctx, b);
            }
        }
        lc_sb_puts(b, ")");
        return;
    }
    {
        const node *a = &e->nodes[n->kid[0]], *c = &e->nodes[n->kid[1]];
        int p = prec(n->kind);
        /* Left operand needs parentheses below our precedence; the right one also
         * at equal precedence for - and /, and for ^ (right associative) on the left.
         * Comparisons do not chain: both sides at equal precedence keep them. */
        int pa = prec(a->kind) < p || (prec(a->kind) == p && (n->kind == N_POW || p == 1));
        int pc = prec(c->kind) < p ||
                 (prec(c->kind) == p && (n->kind == N_SUB || n->kind == N_DIV || p == 1));
        if (pa)
            lc_sb_puts(b, "(");
        render(e, n->kid[0], fn, ctx, b);
        if (pa)
            lc_sb_puts(b, ")");
        lc_sb_puts(b, ops[n->kind]);
        if (pc)
            lc_sb_puts(b, "(");
        render(e, n->kid[1], fn, ctx, b);
        if (pc)
            lc_sb_puts(b, ")");
    }
}

void lc_expr_render(const lc_expr *e, lc_expr_name_fn name_text, void *ctx, lc_sbuf *out)
{
    render(e, e->root, name_text, ctx, out);
}

/* --- tapes ---------------------------------------------------------------- */

enum op {
    OP_COPY, OP_NEG, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_LT, OP_LE, OP_GT, OP_GE,
    OP_EQ, OP_NE, OP_MIN, OP_MAX, OP_CEIL, OP_FLOOR, OP_ROUND, OP_ABS, OP_EXP, OP_LOG,
    OP_SQRT, OP_IF,
    /* A constant operand read from the instruction, not from a block of copies
     * of it: half the memory traffic for the commonest operations. */
    OP_ADDK, OP_SUBK, OP_KSUB, OP_MULK, OP_DIVK, OP_KDIV
};

/* Operands at or above TEMP are temporaries, numbered after the named slots
 * when a workspace is made: temporaries are reused from one formula to the next. */
#define TEMP ((size_t)1 << 30)

typedef struct insn {
    int op;
    size_t dst, a, b, c;
    double k; /* the constant operand of the *K ops */
} insn;

struct lc_tape {
    insn *code;
    size_t ncode, capcode;
    size_t nslots;
    double *init;   /* per slot: constant value, NaN for slots without one */
    int *is_const;
    size_t capslots;
    size_t ntemps;  /* temporaries needed by the largest formula */
};

struct lc_tape_ws {
    size_t n;       /* nslots + ntemps */
    double *mem;
    double **ptr;   /* per slot: its block (own memory, or a bound column) */
};

lc_tape *lc_tape_alloc(void)
{
    return calloc(1, sizeof(lc_tape));
}

void lc_tape_free(lc_tape *t)
{
    if (t == NULL)
        return;
    free(t->code);
    free(t->init);
    free(t->is_const);
    free(t);
}

size_t lc_tape_slot(lc_tape *t)
{
    if (t->nslots == t->capslots) {
        size_t cap = t->capslots ? t->capslots * 2 : 64;
        double *ni = realloc(t->init, cap * sizeof *ni);
        int *nc;
        if (ni == NULL)
            return SIZE_MAX;
        t->init = ni;
        nc = realloc(t->is_const, cap * sizeof *nc);
        if (nc == NULL)
            return SIZE_MAX;
        t->is_const = nc;
        t->capslots = cap;
    }
    t->init[t->nslots] = NAN;
    t->is_const[t->nslots] = 0;
    return t->nslots++;
}

size_t lc_tape_const(lc_tape *t, double v)
{
    size_t i, s;
    for (i = 0; i < t->nslots; i++)
        if (t->is_const[i] && memcmp(&t->init[i], &v, sizeof v) == 0)
            return i;
    s = lc_tape_slot(t);
    if (s != SIZE_MAX) {
        t->init[s] = v;
        t->is_const[s] = 1;
    }
    return s;
}

static int push(lc_tape *t, int op, size_t dst, size_t a, size_t b, size_t c)
{
    insn *in;
    if (t->ncode == t->capcode) {
        size_t cap = t->capcode ? t->capcode * 2 : 64;
        insn *nc = realloc(t->code, cap * sizeof *nc);
        if (nc == NULL)
            return -1;
        t->code = nc;
        t->capcode = cap;
    }
    in = &t->code[t->ncode++];
    in->op = op;
    in->dst = dst;
    in->a = a;
    in->b = b;
    in->c = c;
    in->k = 0;
    return 0;
}

static const int node_op[] = {
    [N_NEG] = OP_NEG,   [N_ADD] = OP_ADD,     [N_SUB] = OP_SUB,     [N_MUL] = OP_MUL,
    [N_DIV] = OP_DIV,   [N_POW] = OP_POW,     [N_LT] = OP_LT,       [N_LE] = OP_LE,
    [N_GT] = OP_GT,     [N_GE] = OP_GE,       [N_EQ] = OP_EQ,       [N_NE] = OP_NE,
    [N_MIN] = OP_MIN,   [N_MAX] = OP_MAX,     [N_CEIL] = OP_CEIL,   [N_FLOOR] = OP_FLOOR,
    [N_ROUND] = OP_ROUND, [N_ABS] = OP_ABS,   [N_EXP] = OP_EXP,     [N_LOG] = OP_LOG,
    [N_SQRT] = OP_SQRT, [N_IF] = OP_IF,
};

static int slot_is_const(const lc_tape *t, size_t s)
{
    return s < TEMP && s < t->nslots && t->is_const[s];
}

/* Rewrite a + k, a * k, k - b, ... to the *K form when an operand is a
 * constant slot (a literal, or a quantity the analysis holds fixed). */
static void use_constant_operand(const lc_tape *t, insn *in)
{
    int ca = slot_is_const(t, in->a), cb = slot_is_const(t, in->b);
    if (ca == cb)
        return;
    switch (in->op) {
    case OP_ADD:
    case OP_MUL:
        in->op = in->op == OP_ADD ? OP_ADDK : OP_MULK;
        if (ca) {
            in->k = t->init[in->a];
            in->a = in->b;
        } else {
            in->k = t->init[in->b];
        }
        break;
    case OP_SUB:
    case OP_DIV:
        if (cb) {
            in->op = in->op == OP_SUB ? OP_SUBK : OP_DIVK;
            in->k = t->init[in->b];
        } else {
            in->op = in->op == OP_SUB ? OP_KSUB : OP_KDIV;
            in->k = t->init[in->a];
            in->a = in->b;
        }
        break;
    }
}

/* Emit node i; its value ends up in the returned operand.  `next_temp` is the
 * first free temporary; want is where the caller wants the result (or SIZE_MAX). */
static size_t emit(lc_tape *t, const lc_expr *e, int i, const size_t *slots, size_t next_temp,
                   size_t want, int *fail)
{
    const node *n = &e->nodes[i];
    size_t ops[3] = {0, 0, 0}, dst, temp = next_temp;
    int q;

    if (n->is_const) {
        size_t s = lc_tape_const(t, n->value);
        if (s == SIZE_MAX)
            *fail = 1;
        return s;
    }
    if (n->kind == N_NAME)
        return slots[n->name];
    for (q = 0; q < 3; q++)
        if (n->kid[q] >= 0) {
            ops[q] = emit(t, e, n->kid[q], slots, temp, SIZE_MAX, fail);
            if (ops[q] >= TEMP)
                temp = ops[q] + 1; /* keep it alive while siblings are computed */
        }
    /* Every operand a constant (model quantities held fixed): fold it now. */
    if (n->kind != N_NAME && slot_is_const(t, ops[0]) &&
        (n->kid[1] < 0 || slot_is_const(t, ops[1])) && (n->kid[2] < 0 || slot_is_const(t, ops[2]))) {
        double v = apply(n->kind, t->init[ops[0]], n->kid[1] >= 0 ? t->init[ops[1]] : 0,
                         n->kid[2] >= 0 ? t->init[ops[2]] : 0);
        size_t s = lc_tape_const(t, v);
        if (s == SIZE_MAX)
            *fail = 1;
        if (want == SIZE_MAX || s == SIZE_MAX)
            return s;
        if (push(t, OP_COPY, want, s, 0, 0) != 0)
            *fail = 1;
        return want;
    }
    /* A fresh temporary, never one of the operands: the block loops are
     * compiled with restrict pointers, so a result must not overwrite its input. */
    dst = want != SIZE_MAX ? want : temp;
    if (dst >= TEMP && dst - TEMP + 1 > t->ntemps)
        t->ntemps = dst - TEMP + 1;
    if (push(t, node_op[n->kind], dst, ops[0], ops[1], ops[2]) != 0)
        *fail = 1;
    else
        use_constant_operand(t, &t->code[t->ncode - 1]);
    return dst;
}

int lc_tape_emit(lc_tape *t, const lc_expr *e, const size_t *name_slots, size_t dst,
                 lc_error *err)
{
    int fail = 0;
    size_t r = emit(t, e, e->root, name_slots, TEMP, dst, &fail);
    if (!fail && r != dst)
        fail = push(t, OP_COPY, dst, r, 0, 0) != 0;
    return fail ? lc_error_nomem(err) : LC_OK;
}

int lc_tape_emit_copy(lc_tape *t, size_t dst, size_t src, lc_error *err)
{
    return push(t, OP_COPY, dst, src, 0, 0) != 0 ? lc_error_nomem(err) : LC_OK;
}

size_t lc_tape_ninsns(const lc_tape *t)
{
    return t->ncode;
}

lc_tape_ws *lc_tape_ws_alloc(const lc_tape *t)
{
    lc_tape_ws *ws = calloc(1, sizeof *ws);
    size_t i, j;
    if (ws == NULL)
        return NULL;
    ws->n = t->nslots + t->ntemps;
    ws->mem = malloc((ws->n ? ws->n : 1) * LC_BLOCK * sizeof(double));
    ws->ptr = malloc((ws->n ? ws->n : 1) * sizeof(double *));
    if (ws->mem == NULL || ws->ptr == NULL) {
        lc_tape_ws_free(ws);
        return NULL;
    }
    for (i = 0; i < ws->n; i++) {
        ws->ptr[i] = ws->mem + i * LC_BLOCK;
        if (i < t->nslots && t->is_const[i])
            for (j = 0; j < LC_BLOCK; j++)
                ws->ptr[i][j] = t->init[i];
    }
    return ws;
}

void lc_tape_ws_free(lc_tape_ws *ws)
{
    if (ws == NULL)
        return;
    free(ws->mem);
    free(ws->ptr);
    free(ws);
}

double *lc_tape_ws_block(lc_tape_ws *ws, size_t slot)
{
    return ws->ptr[slot];
}

void lc_tape_ws_bind(lc_tape_ws *ws, size_t slot, const double *column)
{
    ws->ptr[slot] = (double *)(uintptr_t)column; /* inputs are read, never written */
}

#define LOOP1(expr)                                                                          \
    for (k = 0; k < n; k++)                                                                  \
        d[k] = (expr);                                                                       \
    break

void lc_tape_run(const lc_tape *t, lc_tape_ws *ws, size_t n)
{
    size_t i, k, base = t->nslots - TEMP;
    for (i = 0; i < t->ncode; i++) {
        const insn *in = &t->code[i];
        /* Temporaries live after the named slots: TEMP + j -> nslots + j.  A
         * result never shares a block with an operand (see emit), so the loops
         * may assume no aliasing and vectorise; K is read once, not per element. */
        double *restrict d = ws->ptr[in->dst >= TEMP ? in->dst + base : in->dst];
        const double *restrict a = ws->ptr[in->a >= TEMP ? in->a + base : in->a];
        const double *restrict b = ws->ptr[in->b >= TEMP ? in->b + base : in->b];
        const double *restrict c = ws->ptr[in->c >= TEMP ? in->c + base : in->c];
        const double K = in->k;
        switch (in->op) {
        case OP_COPY: LOOP1(a[k]);
        case OP_NEG: LOOP1(-a[k]);
        case OP_ADD: LOOP1(a[k] + b[k]);
        case OP_SUB: LOOP1(a[k] - b[k]);
        case OP_MUL: LOOP1(a[k] * b[k]);
        case OP_DIV: LOOP1(a[k] / b[k]);
        case OP_POW: LOOP1(pow_nan(a[k], b[k]));
        case OP_LT: LOOP1(COMPARE(a[k], <, b[k]));
        case OP_LE: LOOP1(COMPARE(a[k], <=, b[k]));
        case OP_GT: LOOP1(COMPARE(a[k], >, b[k]));
        case OP_GE: LOOP1(COMPARE(a[k], >=, b[k]));
        case OP_EQ: LOOP1(COMPARE(a[k], ==, b[k]));
        case OP_NE: LOOP1(COMPARE(a[k], !=, b[k]));
        case OP_MIN: LOOP1(min_nan(a[k], b[k]));
        case OP_MAX: LOOP1(max_nan(a[k], b[k]));
        case OP_CEIL: LOOP1(ceil_fast(a[k]));
        case OP_FLOOR: LOOP1(floor_fast(a[k]));
        case OP_ROUND: LOOP1(round(a[k]));
        case OP_ABS: LOOP1(fabs(a[k]));
        case OP_EXP: LOOP1(exp(a[k]));
        case OP_LOG: LOOP1(log(a[k]));
        case OP_SQRT: LOOP1(sqrt(a[k]));
        case OP_IF: LOOP1(if_nan(a[k], b[k], c[k]));
        case OP_ADDK: LOOP1(a[k] + K);
        case OP_SUBK: LOOP1(a[k] - K);
        case OP_KSUB: LOOP1(K - a[k]);
        case OP_MULK: LOOP1(a[k] * K);
        case OP_DIVK: LOOP1(a[k] / K);
        case OP_KDIV: LOOP1(K / a[k]);
        }
    }
}
