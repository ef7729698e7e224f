/* cmd_catalog.c — llmcost catalog: the built-in hardware catalog as tables.
 *
 * usage: llmcost catalog [yaml | ID|VENDOR ...] [--format table|csv|json]
 *
 * Table format: accelerators (dense peaks per precision, memory, bandwidth,
 * scale-up bandwidth, TDP, price with its date), systems (accelerators, power,
 * price) and the dated rent rows, then where to read the sources.  CSV and
 * JSON: one row per entry and rent row, every field with its source.  Each
 * word filters: a catalog id or a vendor (case-insensitive); a word that
 * names nothing is an error (status 1).  'yaml' alone prints the file. */
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

/* A text cell; absent fields are empty. */
static int cell(lc_table *t, size_t c, const char *s)
{
    return lc_table_str(t, c, s ? s : "");
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

/* Value of field f of map e in `unit` (NaN when absent or not that kind). */
static double num(const lc_units *u, const lc_yaml_node *e, const char *f, const char *unit)
{
    double v;
    lc_dim d;
    const char *t, *src, *date;
    lc_error err;
    if (e == NULL || lc_catalog_field(u, e, f, &v, &d, &t, &src, &date, &err) != 1)
        return NAN;
    return lc_units_to(u, v, unit);
}

/* "35000 USD (2024-03)" for a price or rent field, "" when absent. */
static void dated(const lc_yaml_node *n, char *buf, size_t size)
{
    const char *v = n && n->kind == LC_YAML_MAP ? scalar(lc_yaml_get(n, "value")) : scalar(n);
    const char *d = n && n->kind == LC_YAML_MAP ? scalar(lc_yaml_get(n, "date")) : NULL;
    snprintf(buf, size, "%s%s%s%s", v ? v : "", d ? " (" : "", d ? d : "", d ? ")" : "");
}

enum { G_ID, G_VENDOR, G_BF16, G_FP8, G_FP4, G_MEM, G_BW, G_LINK, G_TDP, G_PRICE, G_NCOLS };
static const char *const gpu_cols[] = {"id",  "vendor",    "bf16",     "fp8", "fp4",
                                       "memory", "bandwidth", "scale-up", "tdp", "price"};
static int gpu_row(lc_table *t, const lc_units *u, const char *id, const lc_yaml_node *e)
{
    const lc_yaml_node *peak = lc_yaml_get(e, "peak");
    static const char *const precisions[] = {"bf16", "fp8", "fp4"};
    char price[96];
    size_t k;
    dated(lc_yaml_get(e, "price"), price, sizeof price);
    if (lc_table_row(t) || cell(t, G_ID, id) ||
        cell(t, G_VENDOR, scalar(lc_yaml_get(e, "vendor"))) ||
        cell(t, G_PRICE, price))
        return -1;
    for (k = 0; k < 3; k++) {
        double v = num(u, peak, precisions[k], "TFLOP/s");
        /* chips without BF16 (V100) show their FP16 rate, as training uses it */
        if (k == 0 && isnan(v))
            v = num(u, peak, "fp16", "TFLOP/s");
        lc_table_num(t, G_BF16 + k, v);
    }
    lc_table_num(t, G_MEM, num(u, e, "memory", "GB"));
    lc_table_num(t, G_BW, num(u, e, "bandwidth", "GB/s"));
    lc_table_num(t, G_LINK, num(u, e, "interconnect", "GB/s"));
    lc_table_num(t, G_TDP, num(u, e, "tdp", "W"));
    return 0;
}

enum { S_ID, S_GPU, S_GPUS, S_POWER, S_PRICE, S_NCOLS };
static const char *const server_cols[] = {"id", "gpu", "gpus", "power", "price"};

static int server_row(lc_table *t, const lc_units *u, const char *id, const lc_yaml_node *e)
{
    char price[96];
    dated(lc_yaml_get(e, "price"), price, sizeof price);
    if (lc_table_row(t) || cell(t, S_ID, id) ||
        cell(t, S_GPU, scalar(lc_yaml_get(e, "gpu"))) || cell(t, S_PRICE, price))
        return -1;
    lc_table_num(t, S_GPUS, num(u, e, "gpus", ""));
    lc_table_num(t, S_POWER, num(u, e, "power", "kW"));
    return 0;
}

enum { R_GPU, R_KIND, R_DATE, R_RENT, R_NCOLS };
static const char *const rent_cols[] = {"gpu", "kind", "date", "rent"};

/* The default rent: and every row of rents: of GPU entry e. */
static int rent_rows(lc_table *t, const char *id, const lc_yaml_node *e)
{
    const lc_yaml_node *one = lc_yaml_get(e, "rent"), *rows = lc_yaml_get(e, "rents");
    size_t i, n = rows && rows->kind == LC_YAML_SEQ ? rows->n : 0;
    for (i = 0; i <= n; i++) {
        const lc_yaml_node *r = i < n ? rows->items[i] : one;
        if (r == NULL)
            continue;
        if (lc_table_row(t) || cell(t, R_GPU, id) ||
            cell(t, R_KIND, i < n ? scalar(lc_yaml_get(r, "kind")) : "default") ||
            cell(t, R_DATE, scalar(lc_yaml_get(r, "date"))) ||
            cell(t, R_RENT, r->kind == LC_YAML_MAP ? scalar(lc_yaml_get(r, "value"))
                                                           : scalar(r)))
            return -1;
    }
    return 0;
}

/* One flat table for CSV and JSON: section, id, name, vendor, source and the
 * numbers, so every row stands alone. */
static int print_flat(const lc_cli *cli, const lc_catalog *c, const lc_units *u)
{
    static const char *const cols[] = {"section", "id",        "name",     "vendor", "gpu",
                                       "gpus",    "bf16",      "fp8",      "fp4",    "memory",
                                       "bandwidth", "scale_up", "tdp",     "power",  "price",
                                       "kind",    "date",      "rent",     "source"};
    lc_table *t = lc_table_alloc(cols, 19);
    const lc_yaml_node *gpus = lc_yaml_get(c->builtin, "gpus");
    const lc_yaml_node *servers = lc_yaml_get(c->builtin, "servers");
    size_t i, j;
    int bad = t == NULL;
    for (j = 5; t && j < 14; j++)
        lc_table_set_numeric(t, j);
    for (i = 0; !bad && gpus && i < gpus->n; i++) {
        const char *id = gpus->items[2 * i]->str;
        const lc_yaml_node *e = gpus->items[2 * i + 1], *peak = lc_yaml_get(e, "peak"),
                           *rows = lc_yaml_get(e, "rents");
        char price[96];
        double bf16 = num(u, peak, "bf16", "TFLOP/s");
        if (!selected(cli, id, e))
            continue;
        dated(lc_yaml_get(e, "price"), price, sizeof price);
        bad = lc_table_row(t) || cell(t, 0, "gpus") || cell(t, 1, id) ||
              cell(t, 2, scalar(lc_yaml_get(e, "name"))) ||
              cell(t, 3, scalar(lc_yaml_get(e, "vendor"))) || cell(t, 14, price) ||
              cell(t, 18, scalar(lc_yaml_get(e, "source")));
        lc_table_num(t, 6, !isnan(bf16) ? bf16 : num(u, peak, "fp16", "TFLOP/s"));
        lc_table_num(t, 7, num(u, peak, "fp8", "TFLOP/s"));
        lc_table_num(t, 8, num(u, peak, "fp4", "TFLOP/s"));
        lc_table_num(t, 9, num(u, e, "memory", "GB"));
        lc_table_num(t, 10, num(u, e, "bandwidth", "GB/s"));
        lc_table_num(t, 11, num(u, e, "interconnect", "GB/s"));
        lc_table_num(t, 12, num(u, e, "tdp", "W"));
        for (j = 0; !bad && rows && rows->kind == LC_YAML_SEQ && j < rows->n; j++) {
            const lc_yaml_node *r = rows->items[j];
            bad = lc_table_row(t) || cell(t, 0, "rents") || cell(t, 1, id) ||
                  cell(t, 15, scalar(lc_yaml_get(r, "kind"))) ||
                  cell(t, 16, scalar(lc_yaml_get(r, "date"))) ||
                  cell(t, 17, scalar(lc_yaml_get(r, "value"))) ||
                  cell(t, 18, scalar(lc_yaml_get(r, "source")));
        }
    }
    for (i = 0; !bad && servers && i < servers->n; i++) {
        const char *id = servers->items[2 * i]->str;
        const lc_yaml_node *e = servers->items[2 * i + 1];
        char price[96];
        if (!selected(cli, id, e))
            continue;
        dated(lc_yaml_get(e, "price"), price, sizeof price);
        bad = lc_table_row(t) || cell(t, 0, "servers") || cell(t, 1, id) ||
              cell(t, 2, scalar(lc_yaml_get(e, "name"))) ||
              cell(t, 3, scalar(lc_yaml_get(e, "vendor"))) ||
              cell(t, 4, scalar(lc_yaml_get(e, "gpu"))) || cell(t, 14, price) ||
              cell(t, 18, scalar(lc_yaml_get(e, "source")));
        lc_table_num(t, 5, num(u, e, "gpus", ""));
        lc_table_num(t, 13, num(u, e, "power", "kW"));
    }
    if (!bad) {
        lc_table_print(t, cli->format, stdout);
        if (cli->format == LC_FORMAT_JSON)
            fputc('\n', stdout);
    }
    lc_table_free(t);
    return bad ? LC_ENOMEM : LC_OK;
}

static void print_section(const char *title, const char *units, lc_table *t)
{
    if (lc_table_rows(t) == 0)
        return;
    printf("%s  (%s)\n\n", title, units);
    lc_table_print(t, LC_FORMAT_TABLE, stdout);
    fputc('\n', stdout);
}

static int print_tables(const lc_cli *cli, const lc_catalog *c, const lc_units *u)
{
    /* The terminal tables leave name and source out (llmcost catalog yaml has them). */
    lc_table *g = lc_table_alloc(gpu_cols, G_NCOLS), *s = lc_table_alloc(server_cols, S_NCOLS),
             *r = lc_table_alloc(rent_cols, R_NCOLS);
    const lc_yaml_node *gpus = lc_yaml_get(c->builtin, "gpus");
    const lc_yaml_node *servers = lc_yaml_get(c->builtin, "servers");
    size_t i;
    int bad = g == NULL || s == NULL || r == NULL;
    for (i = G_BF16; !bad && i <= G_TDP; i++)
        lc_table_set_numeric(g, i);
    if (!bad) {
        lc_table_set_numeric(s, S_GPUS);
        lc_table_set_numeric(s, S_POWER);
    }
    for (i = 0; !bad && gpus && i < gpus->n; i++)
        if (selected(cli, gpus->items[2 * i]->str, gpus->items[2 * i + 1]))
            bad = gpu_row(g, u, gpus->items[2 * i]->str, gpus->items[2 * i + 1]) ||
                  rent_rows(r, gpus->items[2 * i]->str, gpus->items[2 * i + 1]);
    for (i = 0; !bad && servers && i < servers->n; i++)
        if (selected(cli, servers->items[2 * i]->str, servers->items[2 * i + 1]))
            bad = server_row(s, u, servers->items[2 * i]->str, servers->items[2 * i + 1]);
    if (!bad) {
        print_section("accelerators", "dense peaks in TFLOP/s; memory GB; bandwidth and scale-up "
                                      "GB/s; TDP W; price with its date",
                      g);
        print_section("systems", "power kW at maximum; price with its date", s);
        print_section("rents", "per accelerator-hour; choose one with fleet.rent: KIND[@YEAR] or "
                               "GPU@KIND",
                      r);
        fputs("UNCERTAIN and PROXY numbers are flagged in the notes.  Every field with its source "
              "and note: llmcost catalog yaml\n",
              stdout);
    }
    lc_table_free(g);
    lc_table_free(s);
    lc_table_free(r);
    return bad ? LC_ENOMEM : LC_OK;
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
            fprintf(stderr,
                    "llmcost catalog: '%s' is neither an id nor a vendor of the catalog (llmcost "
                    "catalog [yaml | ID|VENDOR...])\n",
                    cli->args[i]);
            return LC_EUSAGE;
        }
    }
    return LC_OK;
}

/* llmcost catalog models [yaml]: the model architectures and API prices
 * (the serving catalog, src/engine/models.yaml), as the serving work listed them. */
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
        fprintf(stderr, "llmcost catalog: unexpected argument '%s' (llmcost catalog models [yaml])\n",
                cli->args[cli->nargs - 1]);
        return LC_EUSAGE;
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
            const char *nm = scalar(lc_yaml_get(e, "name")), *src = scalar(lc_yaml_get(e, "source"));
            lc_rtable_row(t);
            lc_rtable_text(t, c_sec, models[si]);
            lc_rtable_text(t, c_id, sn->items[2 * i]->str);
            lc_rtable_text(t, c_nm, nm ? nm : "");
            lc_rtable_text(t, c_src, src ? src : "");
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
    int rc;

    lc_error_clear(&err);
    if (cli->nargs >= 1 && strcmp(cli->args[0], "models") == 0)
        return list_models(cli);
    if (cli->nargs >= 1 && strcmp(cli->args[0], "yaml") == 0) {
        if (cli->nargs > 1) {
            fprintf(stderr, "llmcost catalog: unexpected argument '%s' (llmcost catalog [yaml])\n",
                    cli->args[1]);
            return LC_EUSAGE;
        }
        fputs(lc_catalog_text(), stdout);
        return LC_OK;
    }
    if (lc_catalog_init(&c, NULL, &err) != LC_OK)
        return lc_cli_fail(&err);
    lc_units_init(&u, "USD");
    rc = check_words(cli, &c);
    if (rc == LC_OK)
        rc = cli->format == LC_FORMAT_TABLE ? print_tables(cli, &c, &u) : print_flat(cli, &c, &u);
    lc_catalog_release(&c);
    if (rc == LC_ENOMEM)
        return lc_cli_fail((lc_error_nomem(&err), &err));
    return rc;
}

const lc_command lc_cmd_catalog_def = {
    "catalog",
    cmd_catalog,
    "the hardware catalog: specs, prices, dated rents (catalog yaml: all of it)",
    "[yaml | ID|VENDOR... | models [yaml]] [options]",
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
