/* fuzz_expr.c — libFuzzer harness: the input bytes are one formula.
 *
 * Parses them with lc_expr_parse, checks units with a dimension for every name
 * (chosen from the name's first letter, so the fuzzer can reach both unit
 * errors and well-typed formulas), renders the formula with names and with
 * values (whole: the rendering with names must hold every name), evaluates it once with lc_expr_eval1, and compiles it to a tape that
 * runs over a block.  Any crash, sanitizer report or leak is a bug.  See
 * tests/fuzz/README.md. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_eval.h"
#include "lc_expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static lc_dim dim_for(const char *name)
{
    lc_dim d = lc_dim_none();
    switch ((unsigned char)name[0] % 6u) {
    case 1: d.e[LC_DIM_TIME] = 1; break;               /* a duration */
    case 2: d.e[LC_DIM_ENERGY] = 1; break;             /* energy */
    case 3: d.e[LC_DIM_ENERGY] = 1; d.e[LC_DIM_TIME] = -1; break; /* power */
    case 4: d.e[LC_DIM_MONEY] = 1; d.e[LC_DIM_ENERGY] = -1; break; /* price per energy */
    case 5: d.e[LC_DIM_MONEY] = 1; break;              /* money */
    default: break;                                    /* a plain number */
    }
    return d;
}

static void name_as_name(void *ctx, size_t i, lc_sbuf *out)
{
    const lc_expr *e = ctx;
    lc_sb_puts(out, lc_expr_name(e, i));
}

static void name_as_value(void *ctx, size_t i, lc_sbuf *out)
{
    (void)ctx;
    lc_sb_printf(out, "%zu.5 kWh", i);
}

/* The rendering, whole; NULL only when out of memory. */
static char *render(const lc_expr *e, lc_expr_name_fn fn, void *ctx)
{
    lc_sbuf b = {0};
    lc_expr_render(e, fn, ctx, &b);
    return lc_sb_take(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static lc_units units;
    static int ready;
    lc_error err;
    lc_expr *e;
    char *text;
    size_t nn, i;
    lc_dim *dims = NULL, out;
    double *vals = NULL;
    size_t *slots = NULL;
    char *shown;

    if (!ready) {
        if (lc_units_init(&units, "CNY") != 0)
            abort();
        ready = 1;
    }
    if (size > 1 << 16)
        return 0; /* the scalar limit: a formula longer than this never reaches the parser */
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    lc_error_clear(&err);
    {
        lc_mark at = {"fuzz.yaml", 3, 10};
        e = lc_expr_parse(text, at, &units, &err);
    }
    free(text);
    if (e == NULL) {
        if (err.code == LC_OK || err.msg[0] == '\0')
            abort(); /* a failure must say why */
        return 0;
    }
    nn = lc_expr_nnames(e);
    dims = calloc(nn + 1, sizeof *dims);
    vals = calloc(nn + 1, sizeof *vals);
    slots = calloc(nn + 1, sizeof *slots);
    if (dims == NULL || vals == NULL || slots == NULL)
        goto done;
    for (i = 0; i < nn; i++) {
        const char *nm = lc_expr_name(e, i);
        if (nm == NULL || nm[0] == '\0')
            abort();
        (void)lc_expr_name_mark(e, i);
        dims[i] = dim_for(nm);
        vals[i] = 1.5 + (double)i;
    }
    (void)lc_expr_text(e);
    /* nothing is cut: every name is in the rendering with names */
    if ((shown = render(e, name_as_name, e)) != NULL) {
        for (i = 0; i < nn; i++)
            if (strstr(shown, lc_expr_name(e, i)) == NULL)
                abort();
        free(shown);
    }
    lc_error_clear(&err);
    if (lc_expr_check(e, dims, &out, &err) != LC_OK)
        goto done;
    free(render(e, name_as_value, NULL));
    (void)lc_expr_eval1(e, vals);
    {
        lc_tape *t = lc_tape_alloc();
        lc_tape_ws *ws;
        size_t dst;
        if (t == NULL)
            goto done;
        for (i = 0; i < nn; i++)
            slots[i] = lc_tape_slot(t);
        dst = lc_tape_slot(t);
        if (lc_tape_emit(t, e, slots, dst, &err) == LC_OK && (ws = lc_tape_ws_alloc(t)) != NULL) {
            size_t k;
            for (i = 0; i < nn; i++) {
                double *b = lc_tape_ws_block(ws, slots[i]);
                for (k = 0; k < LC_BLOCK; k++)
                    b[k] = vals[i] * (double)(k + 1);
            }
            lc_tape_run(t, ws, LC_BLOCK);
            (void)lc_tape_ws_block(ws, dst)[0];
            lc_tape_ws_free(ws);
        }
        lc_tape_free(t);
    }
done:
    free(dims);
    free(vals);
    free(slots);
    lc_expr_free(e);
    return 0;
}
