/* cmd_catalog.c — llmcost catalog: the built-in hardware catalog as a
 * document of three tables: accelerators (dense peaks per precision, memory,
 * bandwidth, scale-up bandwidth, TDP, price with its date), systems
 * (accelerators, power, price) and the dated rent rows; names, sources and
 * notes are detail columns (every format but the terminal).  Each word
 * filters: a catalog id, a system's GPU or a vendor prefix (any case); a word
 * that names nothing is an error (status 1).  'yaml' alone prints the file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "lc_catalog.h"
#include "lc_models.h"
#include "lc_result.h"
#include "lc_util.h"

static const char *scalar(const lc_yaml_node *n)
{
    return n && n->kind == LC_YAML_SCALAR ? n->str : NULL;
}

/* Does entry (id, e) pass the words?  No words: every entry. */
static int selected(const lc_cli *cli, const char *id, const lc_yaml_node *e)
{
    const char *vendor = scalar(lc_yaml_get(e, "vendor")), *gpu = scalar(lc_yaml_get(e, "gpu"));
    size_t i;
    if (cli->nargs == 0)
        return 1;
    for (i = 0; i < cli->nargs; i++)
        if (strcmp(cli->args[i], id) == 0 || (gpu && strcmp(cli->args[i], gpu) == 0) ||
            (vendor && strncasecmp(cli->args[i], vendor, strlen(cli->args[i])) == 0))
            return 1;
    return 0;
}

/* Field f of map e in `unit`, as a cell: missing when the entry has none. */
static void num(lc_rtable *t, size_t col, const lc_units *u, const lc_yaml_node *e, const char *f,
                const char *unit)
{
    double v;
    lc_dim d;
    const char *text, *src, *date;
    lc_error err;
    if (e && lc_catalog_field(u, e, f, &v, &d, &text, &src, &date, &err) == 1)
        lc_rtable_num(t, col, lc_units_to(u, v, unit));
    else
        lc_rtable_missing(t, col, "-");
}

/* Text of a scalar field, or of the value: of a { value, date, ... } map. */
static const char *value_text(const lc_yaml_node *n)
{
    return n && n->kind == LC_YAML_MAP ? scalar(lc_yaml_get(n, "value")) : scalar(n);
}

static const char *date_of(const lc_yaml_node *n)
{
    return n && n->kind == LC_YAML_MAP ? scalar(lc_yaml_get(n, "date")) : NULL;
}

static const char *value_or_empty(const char *s)
{
    return s ? s : "";
}

static void text(lc_rtable *t, size_t col, const char *s)
{
    if (s)
        lc_rtable_text(t, col, s);
}

static void accelerators(const lc_cli *cli, lc_section *sec, const lc_catalog *c, const lc_units *u)
{
    static const char *const prec[] = {"bf16", "fp8", "fp4"};
    const lc_yaml_node *gpus = lc_yaml_get(c->builtin, "gpus");
    lc_rtable *t = lc_section_table(sec, "accelerators",
                                    "Accelerators: dense peaks (sparse datasheet figures halved)");
    size_t c_id = lc_rtable_col(t, "id", "id", NULL, LC_COL_TEXT);
    size_t c_vendor = lc_rtable_col(t, "vendor", "vendor", NULL, LC_COL_TEXT);
    size_t c_peak = lc_rtable_col(t, "bf16", "BF16", "TFLOP/s", LC_COL_QUANTITY);
    size_t c_fp8 = lc_rtable_col(t, "fp8", "FP8", "TFLOP/s", LC_COL_QUANTITY);
    size_t c_fp4 = lc_rtable_col(t, "fp4", "FP4", "TFLOP/s", LC_COL_QUANTITY);
    size_t c_mem = lc_rtable_col(t, "memory", "memory", "GB", LC_COL_QUANTITY);
    size_t c_bw = lc_rtable_col(t, "bandwidth", "bandwidth", "GB/s", LC_COL_QUANTITY);
    size_t c_link = lc_rtable_col(t, "scale_up", "scale-up", "GB/s", LC_COL_QUANTITY);
    size_t c_tdp = lc_rtable_col(t, "tdp", "TDP", "W", LC_COL_QUANTITY);
    size_t c_price = lc_rtable_col(t, "price", "price", NULL, LC_COL_TEXT);
    size_t c_date = lc_rtable_col(t, "price_date", "price date", NULL, LC_COL_TEXT);
    size_t c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    const size_t cols[3] = {c_peak, c_fp8, c_fp4};
    size_t i, k;
    lc_rtable_detail(t, c_name);
    lc_rtable_detail(t, c_src);
    for (i = 0; gpus && i < gpus->n; i++) {
        const char *id = gpus->items[2 * i]->str;
        const lc_yaml_node *e = gpus->items[2 * i + 1], *peak = lc_yaml_get(e, "peak");
        if (!selected(cli, id, e))
            continue;
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, id);
        text(t, c_vendor, scalar(lc_yaml_get(e, "vendor")));
        for (k = 0; k < 3; k++)
            /* chips without BF16 (V100) show the FP16 rate, as training uses it */
            num(t, cols[k], u, peak, k == 0 && !lc_yaml_get(peak, "bf16") ? "fp16" : prec[k],
                "TFLOP/s");
        num(t, c_mem, u, e, "memory", "GB");
        num(t, c_bw, u, e, "bandwidth", "GB/s");
        num(t, c_link, u, e, "interconnect", "GB/s");
        num(t, c_tdp, u, e, "tdp", "W");
        text(t, c_price, value_text(lc_yaml_get(e, "price")));
        text(t, c_date, date_of(lc_yaml_get(e, "price")));
        text(t, c_name, scalar(lc_yaml_get(e, "name")));
        text(t, c_src, scalar(lc_yaml_get(e, "source")));
    }
}

static void systems(const lc_cli *cli, lc_section *sec, const lc_catalog *c, const lc_units *u)
{
    const lc_yaml_node *servers = lc_yaml_get(c->builtin, "servers");
    lc_rtable *t = lc_section_table(sec, "systems", "Systems: power at maximum");
    size_t c_id = lc_rtable_col(t, "id", "id", NULL, LC_COL_TEXT);
    size_t c_gpu = lc_rtable_col(t, "gpu", "accelerator", NULL, LC_COL_TEXT);
    size_t c_gpus = lc_rtable_col(t, "gpus", "accelerators", NULL, LC_COL_COUNT);
    size_t c_power = lc_rtable_col(t, "power", "power", "kW", LC_COL_QUANTITY);
    size_t c_price = lc_rtable_col(t, "price", "price", NULL, LC_COL_TEXT);
    size_t c_date = lc_rtable_col(t, "price_date", "price date", NULL, LC_COL_TEXT);
    size_t c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    size_t i;
    lc_rtable_detail(t, c_name);
    lc_rtable_detail(t, c_src);
    for (i = 0; servers && i < servers->n; i++) {
        const char *id = servers->items[2 * i]->str;
        const lc_yaml_node *e = servers->items[2 * i + 1];
        if (!selected(cli, id, e))
            continue;
        lc_rtable_row(t);
        lc_rtable_text(t, c_id, id);
        text(t, c_gpu, scalar(lc_yaml_get(e, "gpu")));
        num(t, c_gpus, u, e, "gpus", "");
        num(t, c_power, u, e, "power", "kW");
        text(t, c_price, value_text(lc_yaml_get(e, "price")));
        text(t, c_date, date_of(lc_yaml_get(e, "price")));
        text(t, c_name, scalar(lc_yaml_get(e, "name")));
        text(t, c_src, scalar(lc_yaml_get(e, "source")));
    }
}

/* The dated rent rows of the selected accelerators, then each one's default rent:. */
static void rents(const lc_cli *cli, lc_section *sec, const lc_catalog *c)
{
    const lc_yaml_node *gpus = lc_yaml_get(c->builtin, "gpus");
    lc_rtable *t = lc_section_table(sec, "rents",
                                    "Rents per accelerator-hour: fleet.rent: KIND[@YEAR] or "
                                    "GPU@KIND picks a row");
    size_t c_id = lc_rtable_col(t, "id", "accelerator", NULL, LC_COL_TEXT);
    size_t c_kind = lc_rtable_col(t, "kind", "kind", NULL, LC_COL_TEXT);
    size_t c_date = lc_rtable_col(t, "date", "date", NULL, LC_COL_TEXT);
    size_t c_rent = lc_rtable_col(t, "rent", "rent", NULL, LC_COL_TEXT);
    size_t c_note = lc_rtable_col(t, "note", "note", NULL, LC_COL_TEXT);
    size_t c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    size_t i, j;
    lc_rtable_detail(t, c_note);
    lc_rtable_detail(t, c_src);
    for (i = 0; gpus && i < gpus->n; i++) {
        const char *id = gpus->items[2 * i]->str;
        const lc_yaml_node *e = gpus->items[2 * i + 1], *rows = lc_yaml_get(e, "rents");
        size_t n = rows && rows->kind == LC_YAML_SEQ ? rows->n : 0;
        if (!selected(cli, id, e))
            continue;
        for (j = 0; j <= n; j++) {
            const lc_yaml_node *r = j < n ? rows->items[j] : lc_yaml_get(e, "rent");
            const char *src = r && r->kind == LC_YAML_MAP ? scalar(lc_yaml_get(r, "source")) : NULL;
            if (r == NULL)
                continue;
            lc_rtable_row(t);
            lc_rtable_text(t, c_id, id);
            lc_rtable_text(t, c_kind, j < n ? scalar(lc_yaml_get(r, "kind")) : "default");
            text(t, c_date, date_of(r));
            text(t, c_rent, value_text(r));
            text(t, c_note, r->kind == LC_YAML_MAP ? scalar(lc_yaml_get(r, "note")) : NULL);
            text(t, c_src, src ? src : scalar(lc_yaml_get(e, "source")));
        }
    }
}

/* Each word must name an id or a vendor. */
static int check_words(const lc_cli *cli, const lc_catalog *c)
{
    static const char *const sections[] = {"gpus", "servers"};
    size_t i, k, j;
    for (i = 0; i < cli->nargs; i++) {
        int hit = 0;
        for (k = 0; k < 2 && !hit; k++) {
            const lc_yaml_node *sec = lc_yaml_get(c->builtin, sections[k]);
            for (j = 0; sec && j < sec->n && !hit; j++) {
                const char *vendor = scalar(lc_yaml_get(sec->items[2 * j + 1], "vendor"));
                hit = strcmp(cli->args[i], sec->items[2 * j]->str) == 0 ||
                      (vendor && strncasecmp(cli->args[i], vendor, strlen(cli->args[i])) == 0);
            }
        }
        if (!hit) {
            return lc_cli_usage(
                "llmcost catalog: '%s' is neither an id nor a vendor of the catalog (llmcost "
                "catalog [yaml | ID|VENDOR...])",
                cli->args[i]);
        }
    }
    return LC_OK;
}

/* llmcost catalog models [yaml]: the model architectures and API prices
 * (the serving catalog), listed as the serving work listed them. */
static int list_models(lc_cli *cli)
{
    static const char *models[] = {"models", "apis"};
    lc_yaml_node *tree;
    lc_error err;
    lc_doc *doc;
    lc_section *sec;
    lc_rtable *t;
    size_t si, i, c_sec, c_id, c_nm, c_src;
    int rc;

    lc_error_clear(&err);
    if (cli->nargs > 2 || (cli->nargs == 2 && strcmp(cli->args[1], "yaml") != 0)) {
        return lc_cli_usage(
            "llmcost catalog: unexpected argument '%s' (llmcost catalog models [yaml])",
            cli->args[cli->nargs - 1]);
    }
    if (cli->nargs == 2) {
        fputs(lc_models_text(), stdout);
        return LC_OK;
    }
    if ((tree = lc_models_load(&err)) == NULL)
        return lc_cli_fail(&err);
    if ((doc = lc_doc_alloc("catalog")) == NULL) {
        lc_yaml_free(tree);
        return LC_ENOMEM;
    }
    sec = lc_doc_section(doc, 1, "catalog", "Model architectures and API prices");
    lc_section_text(sec, "Every field with its source: llmcost catalog models yaml");
    t = lc_section_table(sec, "entries", NULL);
    c_sec = lc_rtable_col(t, "section", "section", NULL, LC_COL_TEXT);
    c_id = lc_rtable_col(t, "id", "id", NULL, LC_COL_TEXT);
    c_nm = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    for (si = 0; si < 2; si++) {
        const lc_yaml_node *sn = lc_yaml_get(tree, models[si]);
        for (i = 0; sn && i < sn->n; i++) {
            const lc_yaml_node *e = sn->items[2 * i + 1];
            lc_rtable_row(t);
            lc_rtable_text(t, c_sec, models[si]);
            lc_rtable_text(t, c_id, sn->items[2 * i]->str);
            lc_rtable_text(t, c_nm, value_or_empty(scalar(lc_yaml_get(e, "name"))));
            lc_rtable_text(t, c_src, value_or_empty(scalar(lc_yaml_get(e, "source"))));
        }
    }
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    lc_yaml_free(tree);
    return rc;
}

static int cmd_catalog(lc_cli *cli)
{
    lc_catalog c;
    lc_units u;
    lc_error err;
    lc_doc *doc;
    lc_section *sec;
    int rc;

    lc_error_clear(&err);
    if (cli->nargs >= 1 && strcmp(cli->args[0], "models") == 0)
        return list_models(cli);
    if (cli->nargs >= 1 && strcmp(cli->args[0], "yaml") == 0) {
        if (cli->nargs > 1) {
            return lc_cli_usage(
                "llmcost catalog: unexpected argument '%s' (llmcost catalog [models] [yaml])",
                cli->args[1]);
        }
        fputs(lc_catalog_text(), stdout);
        return LC_OK;
    }
    if (lc_catalog_init(&c, NULL, &err) != LC_OK)
        return lc_cli_fail(&err);
    lc_units_init(&u, "USD");
    if ((rc = check_words(cli, &c)) != LC_OK) {
        lc_catalog_release(&c);
        return rc;
    }
    if ((doc = lc_doc_alloc("catalog")) == NULL) {
        lc_catalog_release(&c);
        return LC_ENOMEM;
    }
    sec = lc_doc_section(doc, 1, "catalog", "Hardware catalog");
    lc_section_text(sec, "UNCERTAIN and PROXY numbers are flagged in the notes; every field with "
                         "its source and note: llmcost catalog yaml");
    accelerators(cli, sec, &c, &u);
    systems(cli, sec, &c, &u);
    rents(cli, sec, &c);
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    lc_catalog_release(&c);
    return rc;
}

const lc_command lc_cmd_catalog_def = {
    "catalog",
    cmd_catalog,
    "the hardware catalog: specs, prices and dated rents",
    "[models] [yaml] [ID|VENDOR...] [options]",
    "List the accelerators (dense peak per precision, memory, bandwidth, scale-up\n"
    "bandwidth, TDP, price with its date), the systems and the dated rent rows of\n"
    "the built-in catalog.  Each word keeps the entries with that id (or GPU) or\n"
    "vendor (a prefix, any case): llmcost catalog h100-sxm, llmcost catalog amd.\n"
    "'llmcost catalog yaml' prints the whole catalog with every number's source.  A\n"
    "scenario adds or overrides entries under catalog: { gpus: ..., servers: ... };\n"
    "fleet.rent: chooses a rent row (neocloud, china-cloud@2025, h100-sxm@2025).\n"
    "'llmcost catalog models' lists the model architectures (model.arch) and dated\n"
    "API prices (api.model).\n",
    (const lc_option *const[]){LC_OPTS_RENDER, NULL},
    "catalog amd\n"};
