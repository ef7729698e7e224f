/* cmd_claims.c — llmcost claims: the verdict on every claim the scenarios encode. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_claims.h"
#include "lc_fill.h"
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

static int cmp_row(const void *a, const void *b)
{
    const char *x = ((const lc_claim_ref *)a)->c->id, *y = ((const lc_claim_ref *)b)->c->id;
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
    char **dirfiles = NULL;
    size_t nfiles = cli->nfiles, i, j, nrows = 0, failed;
    const char **files = cli->files;
    lc_scenario **sc = NULL;
    lc_claim_ref *rows = NULL;
    lc_doc *doc = NULL;
    lc_section *sec;
    int rc = LC_OK;

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
    if (rows == NULL || (doc = lc_doc_alloc("claims")) == NULL) {
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
    lc_doc_set_currency(doc, nfiles ? sc[0]->units.display : NULL);
    sec = lc_doc_section(doc, 1, "claims", "Claims of the source documents");
    failed = lc_fill_claims(sec, rows, nrows, 1);
    lc_section_text(sec, "%zu claims: %zu hold, %zu do not or cannot be computed.", nrows,
                    nrows - failed, failed);
    rc = lc_cli_emit(cli, doc);
done:
    lc_doc_free(doc);
    free(rows);
    for (i = 0; sc && i < nfiles; i++)
        lc_scenario_free(sc[i]);
    free(sc);
    lc_cli_free_list(dirfiles, dirfiles ? nfiles : 0);
    return rc;
}

const lc_command lc_cmd_claims_def = {
    "claims",
    lc_cmd_claims,
    "the verdict on every claim the scenarios encode",
    "[FILE...] [options]",
    "Run every claim of the given scenarios (default: scenarios/*.yaml) and print, per\n"
    "claim id: the stated value, the computed value, the deviation, the verdict and\n"
    "the assumptions the computation used.\n",
    (const lc_option *const[]){LC_OPTS_COMMON, NULL},
    "claims --format json\n"};
