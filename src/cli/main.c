/* main.c — the command line: parse options, dispatch to a command. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lc_catalog.h"
#include "lc_models.h"
#include "lc_claims.h"
#include "lc_draw.h"
#include "lc_explain.h"
#include "lc_fill.h"
#include "lc_util.h"

#include <gsl/gsl_errno.h>

static int error_printed; /* lc_cli_fail said what went wrong */

int lc_cli_fail(const lc_error *err)
{
    lc_error_print(err, stderr);
    error_printed = 1;
    return err->code ? err->code : LC_EINPUT;
}

lc_scenario *lc_cli_load(const lc_cli *cli, const char *path, int *rc)
{
    lc_error err;
    lc_scenario *s;
    lc_error_clear(&err);
    s = lc_scenario_load(path, cli->sets, cli->nsets, cli->currency, &err);
    if (s == NULL)
        *rc = lc_cli_fail(&err);
    return s;
}

int lc_cli_render_opts(const lc_cli *cli, lc_render_opts *o)
{
    lc_render_opts_init(o);
    o->raw = cli->raw;
    o->names = cli->names;
    o->table = cli->table;
    if (cli->digits) {
        char *end;
        long d = strtol(cli->digits, &end, 10);
        if (*end || d < 1 || d > 17) {
            fprintf(stderr, "llmcost %s: --digits takes a whole number from 1 to 17, not '%s'\n",
                    cli->cmd, cli->digits);
            return LC_EUSAGE;
        }
        o->digits = (int)d;
    }
    if (cli->table && cli->format != LC_FORMAT_CSV) {
        fprintf(stderr, "llmcost %s: --table goes with --format csv\n", cli->cmd);
        return LC_EUSAGE;
    }
    return LC_OK;
}

int lc_cli_emit(const lc_cli *cli, lc_doc *doc)
{
    lc_render_opts o;
    lc_error err;
    int rc;
    lc_error_clear(&err);
    if ((rc = lc_cli_render_opts(cli, &o)) != LC_OK)
        return rc;
    if (lc_doc_status(doc) != LC_OK)
        return lc_cli_fail((lc_error_nomem(&err), &err));
    if (cli->plot) {
        int fmt;
        if ((rc = lc_cli_plot_format(cli->cmd, cli->plot, &fmt)) != LC_OK)
            return rc;
        rc = lc_draw(doc, (lc_plot_format)fmt, cli->outdir, &err);
        if (rc != LC_OK) {
            /* The results are still shown; the exit status says the charts failed. */
            lc_error e2;
            lc_error_clear(&e2);
            if (lc_render(doc, cli->format, &o, stdout, &e2) != LC_OK)
                lc_cli_fail(&e2);
            return lc_cli_fail(&err);
        }
    }
    if (lc_render(doc, cli->format, &o, stdout, &err) != LC_OK)
        return lc_cli_fail(&err);
    return LC_OK;
}

/* --- run ------------------------------------------------------------------- */

/* One scenario's metrics, claims and analyses into doc. */
int lc_cli_scenario_results(const lc_cli *cli, lc_scenario *s, lc_doc *doc, int plot)
{
    size_t *rep = NULL, n = 0, i;
    lc_error err;
    lc_section *sec;
    lc_claim_ref *refs;
    int rc;

    lc_error_clear(&err);
    if (lc_scenario_report(s, &rep, &n, &err) != LC_OK)
        return lc_cli_fail(&err);
    for (i = 0; i < n; i++) {
        lc_qty *q = lc_model_qty(s->model, rep[i]);
        if (q->available && !isfinite(q->value)) {
            lc_error_set(&err, LC_ENUMERIC, q->origin == LC_FROM_USER ? q->mark : lc_mark_none(),
                         "%s is not a finite number (a division by zero or an overflow in "
                         "its formula; see 'llmcost explain %s %s')",
                         q->name, s->path, q->name);
            free(rep);
            return lc_cli_fail(&err);
        }
    }
    sec = lc_fill_scenario_section(doc, s);
    lc_fill_metrics(sec, s, rep, n);
    free(rep);
    if (s->nclaims) {
        refs = malloc(s->nclaims * sizeof *refs);
        if (refs == NULL)
            return LC_ENOMEM;
        for (i = 0; i < s->nclaims; i++) {
            refs[i].s = s;
            refs[i].c = &s->claims[i];
        }
        lc_fill_claims(sec, refs, s->nclaims, 0);
        free(refs);
    }
    rc = lc_cli_run_analyses(cli, s, sec, doc, plot);
    return rc;
}

static int cmd_run(lc_cli *cli)
{
    size_t i;
    int rc = LC_OK;
    lc_doc *doc;
    if (cli->nfiles == 0) {
        fputs(
            "llmcost run: give a scenario file (or - for standard input); see llmcost run --help\n",
            stderr);
        return LC_EUSAGE;
    }
    if ((doc = lc_doc_alloc("run")) == NULL)
        return LC_ENOMEM;
    for (i = 0; i < cli->nfiles && rc == LC_OK; i++) {
        lc_scenario *s = lc_cli_load(cli, cli->files[i], &rc);
        if (s == NULL)
            break;
        if (i == 0)
            lc_doc_set_currency(doc, s->units.display);
        rc = lc_cli_check_analyses(s);
        if (rc == LC_OK)
            rc = lc_cli_scenario_results(cli, s, doc, cli->plot != NULL);
        lc_scenario_free(s);
    }
    /* Nothing is printed unless every scenario ran. */
    if (rc == LC_OK)
        rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    return rc;
}

/* --- explain ---------------------------------------------------------------- */

static int cmd_explain(lc_cli *cli)
{
    lc_scenario *s;
    size_t *qis = NULL, n = 0, i;
    int rc = LC_OK;
    lc_error err;

    if (cli->nfiles != 1) {
        fputs("llmcost explain: give one scenario file and optionally metric names; see "
              "llmcost explain --help\n",
              stderr);
        return LC_EUSAGE;
    }
    s = lc_cli_load(cli, cli->files[0], &rc);
    if (s == NULL)
        return rc;
    lc_error_clear(&err);
    if (cli->nargs > 0) {
        qis = malloc(lc_model_count(s->model) * sizeof *qis);
        if (qis == NULL) {
            lc_scenario_free(s);
            return LC_ENOMEM;
        }
        for (i = 0; i < cli->nargs; i++) {
            size_t j;
            int any = 0;
            for (j = 0; j < lc_model_count(s->model); j++)
                if (lc_glob_match(cli->args[i], lc_model_qty(s->model, j)->name)) {
                    qis[n++] = j;
                    any = 1;
                }
            if (!any) {
                lc_mark cmd = {"<command line>", 0, 0};
                rc = lc_model_unknown(s->model, "metric", cli->args[i], cmd, &err);
                lc_cli_fail(&err);
                free(qis);
                lc_scenario_free(s);
                return rc;
            }
        }
    } else if (lc_scenario_report(s, &qis, &n, &err) != LC_OK) {
        lc_scenario_free(s);
        return lc_cli_fail(&err);
    }
    {
        lc_doc *doc = lc_doc_alloc("explain");
        if (doc == NULL)
            rc = LC_ENOMEM;
        else {
            lc_doc_set_currency(doc, s->units.display);
            lc_fill_explain(doc, s, qis, n);
            rc = lc_cli_emit(cli, doc);
            lc_doc_free(doc);
        }
    }
    free(qis);
    lc_scenario_free(s);
    return rc;
}

/* --- params and catalog ------------------------------------------------------ */

static const char *domain_text(lc_domain d)
{
    switch (d) {
    case LC_DOM_REAL:
        return "any number";
    case LC_DOM_NONNEG:
        return ">= 0";
    case LC_DOM_POSITIVE:
        return "> 0";
    case LC_DOM_SHARE:
        return "0% to 100%";
    case LC_DOM_SHARE_POS:
        return "above 0% to 100%";
    case LC_DOM_COUNT:
        return "whole, >= 0";
    case LC_DOM_COUNT1:
        return "whole, >= 1";
    case LC_DOM_RATIO1:
        return ">= 1";
    case LC_DOM_CHOICE:
        return "an id";
    }
    return "?";
}

static int cmd_params(lc_cli *cli)
{
    lc_doc *doc;
    lc_section *sec;
    lc_rtable *t;
    size_t i, c_name, c_label, c_kind, c_unit, c_dom, c_def, c_doc, c_src;
    int rc;
    if (cli->nargs > 0) {
        fprintf(stderr, "llmcost params: unexpected argument '%s' (see llmcost params --help)\n",
                cli->args[0]);
        return LC_EUSAGE;
    }
    if ((doc = lc_doc_alloc("params")) == NULL)
        return LC_ENOMEM;
    sec = lc_doc_section(doc, 1, "library", "The formula library");
    lc_section_text(sec, "CUR is the scenario's currency.  Any input may be set under inputs: or "
                         "with --set NAME=VALUE; setting a formula's name pins it to a value.");
    t = lc_section_table(sec, "params", NULL);
    c_name = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c_label = lc_rtable_col(t, "label", "label", NULL, LC_COL_TEXT);
    c_kind = lc_rtable_col(t, "kind", "kind", NULL, LC_COL_TEXT);
    c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_TEXT);
    c_dom = lc_rtable_col(t, "domain", "domain", NULL, LC_COL_TEXT);
    c_def = lc_rtable_col(t, "default", "default or formula", NULL, LC_COL_TEXT);
    c_doc = lc_rtable_col(t, "doc", "what it is", NULL, LC_COL_TEXT);
    c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    for (i = 0; i < lc_library_count; i++) {
        const lc_libentry *e = &lc_library[i];
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, e->name);
        lc_rtable_text(t, c_label, e->label);
        lc_rtable_text(t, c_kind, e->choice ? "choice" : e->expr ? "formula" : "input");
        lc_rtable_text(t, c_unit, e->unit);
        lc_rtable_text(t, c_dom, domain_text(e->domain));
        lc_rtable_text(t, c_def, e->expr ? e->expr : e->deflt ? e->deflt : "(scenario sets it)");
        lc_rtable_text(t, c_doc, e->doc);
        lc_rtable_text(t, c_src, e->source);
    }
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    return rc;
}

static int cmd_catalog(lc_cli *cli)
{
    static const char *hardware[] = {"gpus", "servers"}, *models[] = {"models", "apis"};
    lc_catalog c;
    lc_yaml_node *tree = NULL;
    const lc_yaml_node *root;
    const char *const *sections;
    lc_error err;
    lc_doc *doc;
    lc_section *sec;
    lc_rtable *t;
    size_t si, i, c_sec, c_id, c_nm, c_src, first;
    int rc, want_models, yaml;

    lc_error_clear(&err);
    want_models = cli->nargs > 0 && strcmp(cli->args[0], "models") == 0;
    first = want_models ? 1 : 0;
    yaml = cli->nargs == first + 1 && strcmp(cli->args[first], "yaml") == 0;
    if (cli->nargs > first + 1 || (cli->nargs == first + 1 && !yaml)) {
        fprintf(stderr,
                "llmcost catalog: unexpected argument '%s' (llmcost catalog [models] [yaml])\n",
                cli->args[cli->nargs - 1]);
        return LC_EUSAGE;
    }
    if (yaml) {
        fputs(want_models ? lc_models_text() : lc_catalog_text(), stdout);
        return LC_OK;
    }
    c.builtin = NULL;
    if (want_models ? (tree = lc_models_load(&err)) == NULL
                    : lc_catalog_init(&c, NULL, &err) != LC_OK)
        return lc_cli_fail(&err);
    root = want_models ? tree : c.builtin;
    sections = want_models ? models : hardware;
    if ((doc = lc_doc_alloc("catalog")) == NULL) {
        lc_yaml_free(tree);
        lc_catalog_release(&c);
        return LC_ENOMEM;
    }
    sec = lc_doc_section(doc, 1, "catalog",
                         want_models ? "Model architectures and API prices" : "Hardware catalog");
    lc_section_text(sec, want_models ? "Every field with its source: llmcost catalog models yaml"
                                     : "Every field with its source: llmcost catalog yaml");
    t = lc_section_table(sec, "entries", NULL);
    c_sec = lc_rtable_col(t, "section", "section", NULL, LC_COL_TEXT);
    c_id = lc_rtable_col(t, "id", "id", NULL, LC_COL_TEXT);
    c_nm = lc_rtable_col(t, "name", "name", NULL, LC_COL_TEXT);
    c_src = lc_rtable_col(t, "source", "source", NULL, LC_COL_TEXT);
    for (si = 0; si < 2; si++) {
        const lc_yaml_node *sn = lc_yaml_get(root, sections[si]);
        for (i = 0; sn && i < sn->n; i++) {
            const lc_yaml_node *e = sn->items[2 * i + 1], *nm = lc_yaml_get(e, "name"),
                               *src = lc_yaml_get(e, "source");
            lc_rtable_row(t);
            lc_rtable_text(t, c_sec, sections[si]);
            lc_rtable_text(t, c_id, sn->items[2 * i]->str);
            lc_rtable_text(t, c_nm, nm && nm->kind == LC_YAML_SCALAR ? nm->str : "");
            lc_rtable_text(t, c_src, src && src->kind == LC_YAML_SCALAR ? src->str : "");
        }
    }
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    lc_yaml_free(tree);
    lc_catalog_release(&c);
    return rc;
}

/* --- dispatch ------------------------------------------------------------------ */

static int cmd_help(lc_cli *cli);

static const lc_command cmd_run_def = {
    "run", cmd_run, "compute every metric of one or more scenarios, with claim verdicts",
    "usage: llmcost run FILE... [options]\n\n"
    "Compute the metrics of each scenario (FILE may be - for standard input) and\n"
    "judge the claims it encodes.  Metrics shown: the scenario's report: list, or\n"
    "every formula whose inputs are all set.\n\n" LC_COMMON_OPTS
    "\nexample: llmcost run scenarios/dgx-electricity.yaml --format json\n"};
static const lc_command cmd_explain_def = {
    "explain", cmd_explain, "show each metric's formula, the numbers put into it and their sources",
    "usage: llmcost explain FILE [METRIC...] [options]\n\n"
    "For each metric (default: all reported; METRIC may end in * as in electricity.*),\n"
    "print its value, its formula with names, the same with the numbers put in, and\n"
    "every input it rests on with where that value comes from.\n\n" LC_COMMON_OPTS
    "\nexample: llmcost explain scenarios/dgx-electricity.yaml electricity.cost_per_server_day\n"};
static const lc_command cmd_params_def = {
    "params", cmd_params,
    "list every input and formula with unit, default, documentation and source",
    "usage: llmcost params [--format table|csv|json]\n\n"
    "List the formula library: every input a scenario may set and every formula,\n"
    "with its unit, default (or formula), one line of documentation and its source.\n"};
static const lc_command cmd_catalog_def = {
    "catalog", cmd_catalog, "list the built-in hardware catalog (llmcost catalog yaml: all of it)",
    "usage: llmcost catalog [models] [yaml] [--format table|csv|json]\n\n"
    "List the GPUs and servers of the built-in catalog; 'llmcost catalog yaml' prints\n"
    "the whole catalog with every number's source.  A scenario adds or overrides\n"
    "entries under catalog: { gpus: ..., servers: ... }.  'llmcost catalog models'\n"
    "lists the model architectures (model.arch) and dated API prices (api.model).\n"};
static const lc_command cmd_help_def = {"help", cmd_help, "list the commands",
                                        "usage: llmcost help [COMMAND]\n"};

/* Every command; a command in its own file exports lc_cmd_NAME_def (cli.h). */
static const lc_command *const commands[] = {
    &cmd_run_def,      &cmd_explain_def,    &lc_cmd_claims_def,   &lc_cmd_validate_def,
    &lc_cmd_mc_def,    &lc_cmd_sweep_def,   &lc_cmd_tornado_def,  &lc_cmd_sobol_def,
    &lc_cmd_solve_def, &lc_cmd_report_def,  &cmd_params_def,      &cmd_catalog_def,
    &cmd_help_def,     &lc_cmd_compare_def, &lc_cmd_simulate_def,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    size_t i;
    fprintf(out,
            "llmcost %s — cost models for large language models\n\n"
            "usage: llmcost COMMAND [options]   (llmcost COMMAND --help for details)\n\n"
            "commands:\n",
            LC_VERSION);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fputs("\nexit status: 0 success, 1 usage, 2 bad input, 3 numeric failure,\n"
          "4 output or gnuplot failure, 5 out of memory\n",
          out);
}

static int cmd_help(lc_cli *cli)
{
    size_t i;
    if (cli->nfiles > 0) {
        for (i = 0; i < NCOMMANDS; i++)
            if (strcmp(commands[i]->name, cli->files[0]) == 0) {
                fputs(commands[i]->usage, stdout);
                return LC_OK;
            }
        fprintf(stderr, "llmcost help: '%s' is not a command; see llmcost --help\n", cli->files[0]);
        return LC_EUSAGE;
    }
    usage(stdout);
    return LC_OK;
}

static int bad_usage(const char *cmd, const char *msg, const char *arg)
{
    fprintf(stderr, "llmcost %s: %s%s%s (see llmcost %s --help)\n", cmd, msg, arg ? ": " : "",
            arg ? arg : "", cmd);
    return LC_EUSAGE;
}

/* Options that take a value, and where it goes. */
static const char **option_slot(lc_cli *cli, const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } opts[] = {
        {"--currency", offsetof(lc_cli, currency)},
        {"-o", offsetof(lc_cli, outdir)},
        {"--plot", offsetof(lc_cli, plot)},
        {"--digits", offsetof(lc_cli, digits)},
        {"--table", offsetof(lc_cli, table)},
        {"--input", offsetof(lc_cli, input)},
        {"--metric", offsetof(lc_cli, metric)},
        {"--target", offsetof(lc_cli, target)},
        {"--from", offsetof(lc_cli, from)},
        {"--to", offsetof(lc_cli, to)},
        {"--steps", offsetof(lc_cli, steps)},
        {"--samples", offsetof(lc_cli, samples)},
        {"-n", offsetof(lc_cli, samples)},
        {"--seed", offsetof(lc_cli, seed)},
        {"--threads", offsetof(lc_cli, threads)},
        {"--method", offsetof(lc_cli, method)},
        {"--delta", offsetof(lc_cli, delta)},
        {"--threshold", offsetof(lc_cli, threshold)},
        {"--by", offsetof(lc_cli, by)},
        {"--by-from", offsetof(lc_cli, by_from)},
        {"--by-to", offsetof(lc_cli, by_to)},
        {"--by-steps", offsetof(lc_cli, by_steps)},
    };
    size_t i;
    for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (strcmp(opts[i].name, name) == 0)
            return (const char **)(void *)((char *)cli + opts[i].offset);
    return NULL;
}

int main(int argc, char **argv)
{
    static lc_cli cli;
    const lc_command *cmd = NULL;
    int i, want_help = 0;
    size_t k;

    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return LC_EUSAGE;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("llmcost %s\n", LC_VERSION);
        return LC_OK;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return LC_OK;
    }
    for (k = 0; k < NCOMMANDS; k++)
        if (strcmp(commands[k]->name, argv[1]) == 0)
            cmd = commands[k];
    if (cmd == NULL) {
        const char *names[NCOMMANDS];
        const char *best;
        for (k = 0; k < NCOMMANDS; k++)
            names[k] = commands[k]->name;
        best = lc_suggest(argv[1], names, NCOMMANDS);
        fprintf(stderr, "llmcost: unknown command '%s'%s%s%s; see llmcost --help\n", argv[1],
                best ? " (did you mean " : "", best ? best : "", best ? "?)" : "");
        return LC_EUSAGE;
    }
    cli.cmd = cmd->name;
    cli.format = LC_FORMAT_TABLE;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *eq = NULL;
        char name[32];
        const char **slot;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            want_help = 1;
            continue;
        }
        if (strcmp(a, "--log") == 0) {
            cli.log = "1";
            continue;
        }
        if (strcmp(a, "--raw") == 0 || strcmp(a, "--names") == 0) {
            *(a[2] == 'r' ? &cli.raw : &cli.names) = 1;
            continue;
        }
        if (strcmp(a, "--stream") == 0) {
            cli.stream = "1";
            continue;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            /* Words are scenario files, except: explain FILE METRIC..., and the
             * words of catalog and params (catalog yaml). */
            int is_file = strcmp(cmd->name, "explain") == 0 ? cli.nfiles == 0
                                                            : strcmp(cmd->name, "catalog") != 0 &&
                                                                  strcmp(cmd->name, "params") != 0;
            if (is_file && cli.nargs == 0) {
                if (cli.nfiles == LC_MAX_FILES)
                    return bad_usage(cmd->name, "too many files", NULL);
                cli.files[cli.nfiles++] = a;
            } else {
                if (cli.nargs == sizeof cli.args / sizeof cli.args[0])
                    return bad_usage(cmd->name, "too many arguments", NULL);
                cli.args[cli.nargs++] = a;
            }
            continue;
        }
        eq = strchr(a, '=');
        snprintf(name, sizeof name, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
        if (strcmp(name, "--format") == 0 || strcmp(name, "--set") == 0 ||
            option_slot(&cli, name)) {
            const char *val = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (val == NULL)
                return bad_usage(cmd->name, "option needs a value", name);
            if (strcmp(name, "--format") == 0) {
                if (lc_format_parse(val, &cli.format) != 0)
                    return bad_usage(cmd->name,
                                     "--format takes table, csv, json, markdown or html, not", val);
            } else if (strcmp(name, "--set") == 0) {
                const char *e2 = strchr(val, '=');
                char *nm;
                if (e2 == NULL || e2 == val)
                    return bad_usage(cmd->name, "--set takes NAME=VALUE", val);
                if (cli.nsets == LC_MAX_SETS)
                    return bad_usage(cmd->name, "too many --set options", NULL);
                nm = lc_strndup(val, (size_t)(e2 - val));
                if (nm == NULL)
                    return LC_ENOMEM;
                cli.sets[cli.nsets].name = nm; /* freed at exit */
                cli.sets[cli.nsets].value = e2 + 1;
                cli.nsets++;
            } else {
                slot = option_slot(&cli, name);
                *slot = val;
            }
            continue;
        }
        return bad_usage(cmd->name, "unknown option", a);
    }
    if (want_help) {
        fputs(cmd->usage, stdout);
        return LC_OK;
    }
    {
        int rc = cmd->run(&cli);
        for (k = 0; k < cli.nsets; k++)
            free((char *)(uintptr_t)cli.sets[k].name);
        /* A command that ran out of memory exits 5 with one line, always. */
        if (rc == LC_ENOMEM && !error_printed)
            fputs("llmcost: error: out of memory\n", stderr);
        fflush(stdout);
        if (ferror(stdout)) {
            fputs("llmcost: error writing standard output\n", stderr);
            return LC_EOUTPUT;
        }
        return rc;
    }
}
