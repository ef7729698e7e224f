/* main.c — the command line: parse options, dispatch to a command. */
#include <math.h>
#include <stdarg.h>
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
#include "lc_escape.h"
#include "lc_explain.h"
#include "lc_fill.h"
#include "lc_plot.h"
#include "lc_util.h"
#include "lc_validate.h"

#include <gsl/gsl_errno.h>

static int error_printed; /* lc_cli_fail said what went wrong */

/* Standard output reached its reader: --help piped into a closed pipe or a
 * full disk is a failure, not a success. */
static int stdout_ok(int rc)
{
    fflush(stdout);
    if (ferror(stdout)) {
        if (!error_printed) /* one line: the command may have said it already */
            fputs("llmcost: error writing standard output\n", stderr);
        return LC_EOUTPUT;
    }
    return rc;
}

int lc_cli_fail(const lc_error *err)
{
    lc_error_print(err, stderr);
    error_printed = 1;
    return err->code ? err->code : LC_EINPUT;
}

int lc_cli_usage(const char *fmt, ...)
{
    va_list ap;
    char *text;
    va_start(ap, fmt);
    text = lc_vaprintf(fmt, ap);
    va_end(ap);
    error_printed = 1;
    if (text == NULL) {
        fputs("llmcost: error: out of memory\n", stderr);
        return LC_ENOMEM;
    }
    lc_escape_fputs(LC_ESC_LINE, text, stderr); /* argv's text: no terminal control */
    fputc('\n', stderr);
    free(text);
    return LC_EUSAGE;
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
            return lc_cli_usage("llmcost %s: --digits takes a whole number from 1 to 17, not '%s'",
                                cli->cmd, cli->digits);
        }
        o->digits = (int)d;
    }
    if (cli->table && cli->format != LC_FORMAT_CSV) {
        return lc_cli_usage("llmcost %s: --table goes with --format csv", cli->cmd);
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
            /* Name the formula, so that the user sees which operation to look at. */
            lc_error_set(&err, LC_ENUMERIC, q->origin == LC_FROM_USER ? q->mark : lc_mark_none(),
                         "%s is not a finite number: %s%s gives %s (a division by zero, an "
                         "overflow or an undefined operation; see 'llmcost explain %s %s')",
                         q->name, q->expr ? "its formula " : "its value",
                         q->expr ? lc_expr_text(q->expr) : "",
                         isnan(q->value) ? "NaN"
                         : q->value > 0  ? "+inf"
                                         : "-inf",
                         s->path, q->name);
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
    {
        lc_validate_training ti;
        lc_error_clear(&err);
        if (lc_validate_training_interval(s, &ti, &err) != LC_OK)
            return lc_cli_fail(&err);
        lc_fill_training_interval(sec, s, &ti);
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

/* --- params (catalog: cmd_catalog.c) ------------------------------------------------------ */

static int cmd_params(lc_cli *cli)
{
    lc_doc *doc;
    lc_section *sec;
    lc_rtable *t;
    size_t i, c_name, c_label, c_kind, c_unit, c_dom, c_def, c_doc, c_src;
    int rc;
    if (cli->nargs > 0) {
        return lc_cli_usage("llmcost params: unexpected argument '%s' (see llmcost params --help)",
                            cli->args[0]);
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
        lc_rtable_text(t, c_dom, lc_domain_name(e->domain));
        lc_rtable_text(t, c_def, e->expr ? e->expr : e->deflt ? e->deflt : "(scenario sets it)");
        lc_rtable_text(t, c_doc, e->doc);
        lc_rtable_text(t, c_src, e->source);
    }
    rc = lc_cli_emit(cli, doc);
    lc_doc_free(doc);
    return rc;
}

/* --- dispatch ------------------------------------------------------------------ */

static int cmd_help(lc_cli *cli);

static const lc_command cmd_run_def = {
    "run",
    cmd_run,
    "compute every metric of one or more scenarios, with claim verdicts",
    "FILE... [options]",
    "Compute the metrics of each scenario (FILE may be - for standard input) and\n"
    "judge the claims it encodes, then run the analyses: and draw the charts: it lists.\n"
    "Metrics shown: the scenario's report: list, or every formula whose inputs are all\n"
    "set.\n",
    (const lc_option *const[]){
        &lc_opt_plot,
        &(const lc_option){"-o", NULL, "DIR",
                           "where the charts of analyses: and charts: go (default: NAME-charts/ "
                           "in the current folder, NAME being the file's name without .yaml)"},
        LC_OPTS_COMMON, NULL},
    "run scenarios/dgx-electricity.yaml --format json\n"
    "run scenarios/chatgpt-2023.yaml --plot png -o charts\n"};
static const lc_command cmd_explain_def = {
    "explain",
    cmd_explain,
    "each metric's formula, the numbers put into it and their sources",
    "FILE [METRIC...] [options]",
    "For each metric (default: all reported; METRIC may end in * as in electricity.*),\n"
    "print its value, its formula with names, the same with the numbers put in, and\n"
    "every input it rests on with where that value comes from.\n",
    (const lc_option *const[]){LC_OPTS_COMMON, NULL},
    "explain scenarios/dgx-electricity.yaml electricity.cost_per_server_day\n"};
static const lc_command cmd_params_def = {
    "params",
    cmd_params,
    "every input and formula: unit, default, documentation, source",
    "[options]",
    "List the formula library: every input a scenario may set and every formula,\n"
    "with its unit, default (or formula), one line of documentation and its source.\n",
    (const lc_option *const[]){LC_OPTS_RENDER, NULL},
    "params --format csv\n"};
static const lc_command cmd_help_def = {
    "help",
    cmd_help,
    "list the commands",
    "[COMMAND]",
    "List the commands, or print the help of COMMAND (the same as llmcost COMMAND --help).\n",
    NULL,
    "help simulate\n"};

/* Every command; a command in its own file exports lc_cmd_NAME_def (cli.h). */
static const lc_command *const commands[] = {
    &cmd_run_def,      &cmd_explain_def,    &lc_cmd_claims_def,   &lc_cmd_validate_def,
    &lc_cmd_mc_def,    &lc_cmd_sweep_def,   &lc_cmd_tornado_def,  &lc_cmd_sobol_def,
    &lc_cmd_solve_def, &lc_cmd_compare_def, &lc_cmd_simulate_def, &lc_cmd_report_def,
    &cmd_params_def,   &lc_cmd_catalog_def, &cmd_help_def,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    lc_help_usage(commands, NCOMMANDS, out);
}

static int cmd_help(lc_cli *cli)
{
    size_t i;
    if (cli->nfiles > 0) {
        for (i = 0; i < NCOMMANDS; i++)
            if (strcmp(commands[i]->name, cli->files[0]) == 0) {
                lc_help_command(commands[i], stdout);
                return LC_OK;
            }
        return lc_cli_usage("llmcost help: '%s' is not a command; see llmcost --help",
                            cli->files[0]);
    }
    usage(stdout);
    return LC_OK;
}

static int bad_usage(const char *cmd, const char *msg, const char *arg)
{
    return lc_cli_usage("llmcost %s: %s%s%s (see llmcost %s --help)", cmd, msg, arg ? ": " : "",
                        arg ? arg : "", cmd);
}

/* An option cmd does not take; suggest the nearest it does. */
static int unknown_option(const lc_command *cmd, const char *name)
{
    const char *names[64];
    const char *best;
    size_t n = 0;
    const lc_option *const *o;
    for (o = cmd->options; o && *o && n < sizeof names / sizeof names[0]; o++)
        names[n++] = (*o)->name;
    best = lc_suggest(name, names, n);
    return lc_cli_usage("llmcost %s: unknown option: %s%s%s%s (see llmcost %s --help)", cmd->name,
                        name, best ? " (did you mean " : "", best ? best : "", best ? "?)" : "",
                        cmd->name);
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
        return stdout_ok(LC_OK);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return stdout_ok(LC_OK);
    }
    /* Hidden: what make turns into llmcost.1 and the bash completion. */
    if (strcmp(argv[1], "--man") == 0 && argc == 2) {
        lc_help_man(commands, NCOMMANDS, stdout);
        return fflush(stdout) || ferror(stdout) ? LC_EOUTPUT : LC_OK;
    }
    if (strcmp(argv[1], "--completion") == 0 && argc == 3 &&
        (strcmp(argv[2], "bash") == 0 || strcmp(argv[2], "names") == 0)) {
        if (argv[2][0] == 'b')
            lc_help_bash_completion(commands, NCOMMANDS, stdout);
        else
            lc_help_names(stdout);
        return fflush(stdout) || ferror(stdout) ? LC_EOUTPUT : LC_OK;
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
        return lc_cli_usage("llmcost: unknown command '%s'%s%s%s; see llmcost --help", argv[1],
                            best ? " (did you mean " : "", best ? best : "", best ? "?)" : "");
    }
    cli.cmd = cmd->name;
    cli.format = LC_FORMAT_TABLE;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i], *eq = NULL;
        char name[32]; /* every option's name fits: a longer word is refused below */
        size_t len;
        const char **slot;
        const lc_option *opt;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            want_help = 1;
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
        len = eq ? (size_t)(eq - a) : strlen(a);
        if (len >= sizeof name) /* longer than every option: shown whole, nothing to suggest */
            return lc_cli_usage("llmcost %s: unknown option: %.*s (see llmcost %s --help)",
                                cmd->name, (int)len, a, cmd->name);
        memcpy(name, a, len);
        name[len] = '\0';
        /* A command takes the options its table lists, and no other. */
        if ((opt = lc_help_option(cmd, name)) == NULL)
            return unknown_option(cmd, name);
        if (opt->arg == NULL) { /* a flag */
            if (strcmp(name, "--log") == 0)
                cli.log = "1";
            else if (strcmp(name, "--raw") == 0)
                cli.raw = 1;
            else if (strcmp(name, "--names") == 0)
                cli.names = 1;
            else if (strcmp(name, "--stream") == 0)
                cli.stream = "1";
            continue;
        }
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
        lc_help_command(cmd, stdout);
        return stdout_ok(LC_OK);
    }
    {
        int rc = cmd->run(&cli);
        lc_error pending;
        lc_error_clear(&pending);
        /* charts left undrawn without gnuplot: one line for all of them */
        if (lc_plot_pending(&pending) != LC_OK && rc == LC_OK)
            rc = lc_cli_fail(&pending);
        lc_plot_new_run(); /* frees the run's chart names: nothing left at exit */
        for (k = 0; k < cli.nsets; k++)
            free((char *)(uintptr_t)cli.sets[k].name);
        /* A command that ran out of memory exits 5 with one line, always. */
        if (rc == LC_ENOMEM && !error_printed)
            fputs("llmcost: error: out of memory\n", stderr);
        return stdout_ok(rc);
    }
}
