/* cmd_claims.c — llmcost claims: the verdict on every claim the scenarios encode. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_claims.h"
#include "lc_fill.h"
#include "lc_simulate.h"
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
                goto nomem;
            list = nl;
        }
        if ((list[cnt] = lc_aprintf("%s/%s", dir, e->d_name)) == NULL)
            goto nomem;
        cnt++;
    }
    closedir(d);
    qsort(list, cnt, sizeof *list, cmp_str);
    *out = list;
    *n = cnt;
    return 0;
nomem: /* never a shorter list: a file left out would go unchecked */
    closedir(d);
    lc_cli_free_list(list, cnt);
    return LC_ENOMEM;
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
    lc_simulate **sims = NULL;
    lc_claim_ref *rows = NULL;
    lc_doc *doc = NULL;
    lc_section *sec;
    int rc = LC_OK;

    if (nfiles == 0) {
        int lr = lc_cli_scenario_dir("scenarios", &dirfiles, &nfiles);
        if (lr == LC_ENOMEM)
            return LC_ENOMEM;
        if (lr != 0 || nfiles == 0) {
            fputs("llmcost claims: no scenario files given and no scenarios/ folder here; give "
                  "FILES (see llmcost claims --help)\n",
                  stderr);
            return LC_EUSAGE;
        }
        files = (const char **)dirfiles;
    }
    sc = calloc(nfiles, sizeof *sc);
    sims = calloc(nfiles, sizeof *sims);
    if (sc == NULL || sims == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    for (i = 0; i < nfiles; i++) {
        size_t n = 0;
        sc[i] = lc_cli_load(cli, files[i], &rc);
        if (sc[i] == NULL)
            goto done;
        /* an organisation's claims are judged on its simulation, as simulate
         * and report judge them (1,000 samples, seed 1) */
        if (sc[i]->org) {
            lc_error err;
            lc_error_clear(&err);
            if ((sims[i] = lc_simulate_run(sc[i], LC_SIMULATE_JUDGE_SAMPLES, LC_SIMULATE_JUDGE_SEED,
                                           lc_cli_default_threads(), &err)) == NULL) {
                rc = lc_cli_fail(&err);
                goto done;
            }
        }
        if (sims[i])
            lc_simulate_claims(sims[i], &n);
        nrows += sc[i]->nclaims + n;
    }
    rows = malloc((nrows ? nrows : 1) * sizeof *rows);
    if (rows == NULL || (doc = lc_doc_alloc("claims")) == NULL) {
        rc = LC_ENOMEM;
        goto done;
    }
    nrows = 0;
    for (i = 0; i < nfiles; i++) {
        size_t n = 0;
        const lc_claim *const *cl = sims[i] ? lc_simulate_claims(sims[i], &n) : NULL;
        for (j = 0; j < sc[i]->nclaims; j++) {
            if (sims[i] && strncmp(sc[i]->claims[j].metric, "sim.", 4) == 0)
                continue; /* among the simulation's */
            rows[nrows].s = sc[i];
            rows[nrows].c = &sc[i]->claims[j];
            nrows++;
        }
        for (j = 0; j < n; j++) {
            rows[nrows].s = sc[i];
            rows[nrows].c = cl[j];
            nrows++;
        }
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
    for (i = 0; sc && i < nfiles; i++) {
        if (sims)
            lc_simulate_free(sims[i]);
        lc_scenario_free(sc[i]);
    }
    free(sc);
    free(sims);
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
    "the assumptions the computation used.  An organisation's claims (org: claims:,\n"
    "and claims on sim.* metrics) are judged on its simulation, as simulate judges\n"
    "them (1,000 samples, seed 1).\n",
    (const lc_option *const[]){LC_OPTS_COMMON, NULL},
    "claims --format json\n"};
