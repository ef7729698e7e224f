/* cmd_claims.c — llmcost claims: the verdict on every claim the scenarios encode. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_claims.h"
#include "lc_util.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int lc_cli_scenario_dir(const char *dir, char ***out, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **list = NULL;
    size_t cnt = 0, cap = 0;

    *out = NULL;
    *n = 0;
    if (d == NULL)
        return -1;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0 || e->d_name[0] == '.')
            continue;
        if (cnt == cap) {
            char **nl = realloc(list, (cap = cap ? cap * 2 : 16) * sizeof *nl);
            if (nl == NULL)
                break;
            list = nl;
        }
        if ((list[cnt] = lc_aprintf("%s/%s", dir, e->d_name)) == NULL)
            break;
        cnt++;
    }
    closedir(d);
    qsort(list, cnt, sizeof *list, cmp_str);
    *out = list;
    *n = cnt;
    return 0;
}

void lc_cli_free_list(char **list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

/* Claim ids sort as the documents number them: E1 < E2 < ... < E10 < I1. */
typedef struct row {
    const lc_scenario *s;
    const lc_claim *c;
} row;

static int cmp_row(const void *a, const void *b)
{
    const char *x = ((const row *)a)->c->id, *y = ((const row *)b)->c->id;
    size_t px = strcspn(x, "0123456789"), py = strcspn(y, "0123456789");
    int c = strncmp(x, y, px < py ? px : py);
    if (c == 0 && px != py)
        c = px < py ? -1 : 1;
    if (c == 0)
        c = atoi(x + px) - atoi(y + py);
    return c;
}

int lc_cmd_claims(lc_cli *cli)
{
    static const char *cols[] = {"id",        "scenario",    "metric",   "kind",
                                 "stated",    "stated_high", "computed", "unit",
                                 "deviation", "holds",       "verdict",  "assumptions",
                                 "claim",     "source",      "file",     "implied"};
    char **dirfiles = NULL;
    size_t nfiles = cli->nfiles, i, j, nrows = 0;
    const char **files = cli->files;
    lc_scenario **sc = NULL;
    row *rows = NULL;
    lc_table *t = NULL;
    int rc = LC_OK, failed = 0;

    if (nfiles == 0) {
        if (lc_cli_scenario_dir("scenarios", &dirfiles, &nfiles) != 0 || nfiles == 0) {
            fputs("llmcost claims: no scenario files given and no scenarios/ folder here; give "
                  "FILES (see llmcost claims --help)\n",
                  stderr);
            return LC_EUSAGE;
        }
        files = (const char **)dirfiles;
    }
    sc = calloc(nfiles, sizeof *sc);
    if (sc == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < nfiles; i++) {
        sc[i] = lc_cli_load(cli, files[i], &rc);
        if (sc[i] == NULL)
            goto done;
        nrows += sc[i]->nclaims;
    }
    rows = malloc((nrows ? nrows : 1) * sizeof *rows);
    t = lc_table_alloc(cols, sizeof cols / sizeof cols[0]);
    if (rows == NULL || t == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    nrows = 0;
    for (i = 0; i < nfiles; i++)
        for (j = 0; j < sc[i]->nclaims; j++) {
            rows[nrows].s = sc[i];
            rows[nrows].c = &sc[i]->claims[j];
            nrows++;
        }
    qsort(rows, nrows, sizeof *rows, cmp_row);
    lc_table_set_numeric(t, 4);
    lc_table_set_numeric(t, 5);
    lc_table_set_numeric(t, 6);
    lc_table_set_numeric(t, 8);
    for (i = 0; i < nrows; i++) {
        const lc_scenario *s = rows[i].s;
        const lc_claim *c = rows[i].c;
        lc_qty *q = lc_model_qty(s->model, c->qi);
        lc_verdict v;
        char unit[64];
        lc_claims_judge(s, c, &v);
        failed += v.holds != 1;
        lc_units_display_name(&s->units, q->unit, unit, sizeof unit);
        if (lc_table_row(t) || lc_table_str(t, 0, c->id) || lc_table_str(t, 1, s->name) ||
            lc_table_str(t, 2, c->metric) ||
            lc_table_str(t, 3,
                         c->kind == LC_CLAIM_ABOUT      ? "about"
                         : c->kind == LC_CLAIM_AT_LEAST ? "at_least"
                         : c->kind == LC_CLAIM_AT_MOST  ? "at_most"
                                                        : "range") ||
            lc_table_str(t, 7, unit) ||
            lc_table_str(t, 9,
                         v.holds == 1   ? "yes"
                         : v.holds == 0 ? "no"
                                        : "unknown") ||
            lc_table_str(t, 10, v.text) || lc_table_str(t, 11, v.assumptions) ||
            lc_table_str(t, 12, c->text) || lc_table_str(t, 13, c->source) ||
            lc_table_str(t, 14, s->path) || lc_table_str(t, 15, v.implied[0] ? v.implied : NULL)) {
            rc = LC_ENOMEM;
            goto done;
        }
        lc_table_num(t, 4, lc_units_to(&s->units, c->stated, q->unit));
        lc_table_num(
            t, 5, c->kind == LC_CLAIM_RANGE ? lc_units_to(&s->units, c->stated_hi, q->unit) : NAN);
        lc_table_num(t, 6, lc_units_to(&s->units, v.computed, q->unit));
        lc_table_num(t, 8, v.deviation);
    }
    if (cli->format == LC_FORMAT_TABLE) {
        for (i = 0; i < nrows; i++) {
            const lc_scenario *s = rows[i].s;
            const lc_claim *c = rows[i].c;
            lc_qty *q = lc_model_qty(s->model, c->qi);
            lc_verdict v;
            char val[96];
            lc_claims_judge(s, c, &v);
            lc_units_format(&s->units, v.computed, q->unit, val, sizeof val);
            printf("%-4s %s\n", c->id, c->text ? c->text : c->metric);
            printf("     stated %s%s%s, computed %s (%s, %s)\n", c->stated_text,
                   c->stated_hi_text ? " to " : "", c->stated_hi_text ? c->stated_hi_text : "", val,
                   c->metric, s->path);
            printf("     %s\n", v.text);
            if (v.assumptions[0])
                printf("     assuming %s\n", v.assumptions);
            if (v.implied[0])
                printf("     implied: %s\n", v.implied);
            if (c->note)
                printf("     note: %s\n", c->note);
        }
        printf("\n%zu claims: %zu hold, %d do not or cannot be computed\n", nrows,
               nrows - (size_t)failed, failed);
    } else {
        lc_table_print(t, cli->format, stdout);
        if (cli->format == LC_FORMAT_JSON)
            fputc('\n', stdout);
    }
done:
    lc_table_free(t);
    free(rows);
    for (i = 0; sc && i < nfiles; i++)
        lc_scenario_free(sc[i]);
    free(sc);
    lc_cli_free_list(dirfiles, dirfiles ? nfiles : 0);
    return rc;
}

const lc_command lc_cmd_claims_def = {
    "claims", lc_cmd_claims, "the verdict on every claim the scenarios encode",
    "usage: llmcost claims [FILE...] [options]\n\n"
    "Run every claim of the given scenarios (default: scenarios/*.yaml) and print, per\n"
    "claim id: the stated value, the computed value, the deviation, the verdict and\n"
    "the assumptions the computation used.\n\n" LC_COMMON_OPTS
    "\nexample: llmcost claims --format json\n"};
