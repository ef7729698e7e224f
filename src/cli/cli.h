/* cli.h — what the command-line commands share (private to src/). */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lc_org.h"
#include "lc_render.h"
#include "lc_result.h"
#include "lc_scenario.h"

#define LC_VERSION      "0.1.0"
#define LC_VERSION_DATE "2026-11" /* month of LC_VERSION: the man page's date */
#define LC_MAX_SETS     256
#define LC_MAX_FILES    64

/* Options every command understands; commands ignore what they do not use. */
typedef struct lc_cli {
    const char *cmd;
    lc_format format;
    const char *currency;
    lc_override sets[LC_MAX_SETS];
    size_t nsets;
    const char *files[LC_MAX_FILES];
    size_t nfiles;
    const char *args[16]; /* positional words after the files (metric names, ...) */
    size_t nargs;
    const char *outdir; /* -o DIR */
    const char *plot;   /* --plot png|svg|pdf */
    const char *digits; /* --digits N */
    const char *table;  /* --table ID (csv) */
    int raw, names;     /* --raw, --names */
    /* analysis options */
    const char *input, *metric, *target, *from, *to, *steps, *samples, *seed, *threads, *method,
        *log, *stream, *delta, *threshold, *by, *by_from, *by_to, *by_steps;
} lc_cli;

/* One option of a command: the data its --help line, the man page, the bash
 * completion and the README test are generated from (help.c). */
typedef struct lc_option {
    const char *name;  /* "--samples", "-o" */
    const char *alias; /* a second spelling ("-n"), or NULL */
    const char *arg;   /* the value's placeholder ("N", "png|svg|pdf": choices), NULL: a flag */
    const char *help;  /* one sentence; help.c wraps it */
} lc_option;

/* A command.  Its --help and the man page are rendered from these fields by
 * help.c; -h/--help is implied.  Text fields hold paragraphs separated by a blank
 * line; lines that start with a space are kept as written (lists, tables). */
typedef struct lc_command {
    const char *name;
    int (*run)(lc_cli *cli);
    const char *summary;             /* one line for llmcost --help */
    const char *synopsis;            /* the words after "llmcost NAME"; one form per line */
    const char *description;         /* what it does */
    const lc_option *const *options; /* what it accepts, NULL-terminated */
    const char *examples;            /* command lines after "llmcost ", one per line */
} lc_command;

/* Options several commands share, defined once (help.c); the man page lists
 * them under OPTIONS.  LC_OPTS_COMMON or LC_OPTS_RENDER ends most commands' lists. */
extern const lc_option lc_opt_format, lc_opt_digits, lc_opt_raw, lc_opt_names, lc_opt_table,
    lc_opt_set, lc_opt_currency, lc_opt_plot, lc_opt_chart_dir;
/* How results are rendered (lc_cli_render_opts). */
#define LC_OPTS_RENDER &lc_opt_format, &lc_opt_digits, &lc_opt_raw, &lc_opt_names, &lc_opt_table
/* ... and the scenario's inputs and currency. */
#define LC_OPTS_COMMON LC_OPTS_RENDER, &lc_opt_set, &lc_opt_currency

/* cmd's option spelled name (or its alias); NULL when cmd has none. */
const lc_option *lc_help_option(const lc_command *cmd, const char *name);
/* llmcost --help: the commands with their summaries, and the exit statuses. */
void lc_help_usage(const lc_command *const *cmds, size_t n, FILE *out);
/* llmcost CMD --help. */
void lc_help_command(const lc_command *cmd, FILE *out);
/* llmcost --man: the manual page llmcost.1 (roff). */
void lc_help_man(const lc_command *const *cmds, size_t n, FILE *out);
/* llmcost --completion bash: a bash completion script. */
void lc_help_bash_completion(const lc_command *const *cmds, size_t n, FILE *out);
/* llmcost --completion names: the formula library's names, one a line (the
 * completion of --input, --metric, --set...). */
void lc_help_names(FILE *out);

/* Commands in files of their own (src/cmd_*.c): main.c lists their defs. */
int lc_cmd_validate(lc_cli *cli);
/* The serving runs of scenarios/validation/serving/ (validate_serving.c). */
int lc_cli_validate_serving(const lc_cli *cli);
int lc_cmd_claims(lc_cli *cli);
extern const lc_command lc_cmd_claims_def;
extern const lc_command lc_cmd_compare_def, lc_cmd_simulate_def;
/* --plot png|svg|pdf into *fmt (an lc_plot_format), else a usage message
 * and LC_EUSAGE (cmd_simulate.c). */
int lc_cli_plot_format(const char *cmd, const char *s, int *fmt);
extern const lc_command lc_cmd_validate_def;
extern const lc_command lc_cmd_catalog_def;
extern const lc_command lc_cmd_report_def;
extern const lc_command lc_cmd_mc_def, lc_cmd_sweep_def, lc_cmd_tornado_def, lc_cmd_sobol_def,
    lc_cmd_solve_def;
/* Check, then run, the charts: and analyses: lists of a scenario into doc
 * (llmcost run, report); with plot their charts are added too. */
int lc_cli_check_analyses(lc_scenario *s);
int lc_cli_run_analyses(const lc_cli *cli, lc_scenario *s, lc_section *sec, lc_doc *doc, int plot);

/* A scenario's section: metrics, claims, its charts: and analyses: (llmcost
 * run and report); charts are added with plot. */
int lc_cli_scenario_results(const lc_cli *cli, lc_scenario *s, lc_doc *doc, int plot);

/* The variants: of the scenario in path compared with its base, as a level-2
 * section "Variants" of doc (charts with plot, named STEM-variants-...);
 * prints the error and returns the exit status (cmd_compare.c). */
int lc_cli_variants(const lc_cli *cli, const char *path, lc_doc *doc, int plot);

/* What a simulation gives a report's first screen. */
typedef struct lc_cli_sim_out {
    double sim[LC_SIM_NMETRICS]; /* the sim.* values, survival odds from the Monte Carlo */
    size_t nclaims, nfailed;     /* claims judged (the org's and the scenario's), not holding */
} lc_cli_sim_out;

/* Simulate a scenario's org: (lc_simulate_run: the base case and a Monte
 * Carlo of `samples`) into doc (lc_fill_simulation): into sec, or a new
 * scenario section when sec is NULL; with out, also its headline results
 * there.  Prints the error and returns the exit status (cmd_simulate.c). */
int lc_cli_simulation(lc_scenario *s, lc_doc *doc, lc_section *sec, size_t samples, uint64_t seed,
                      unsigned threads, int plot, lc_cli_sim_out *out);
/* Threads for a Monte Carlo when none is asked: the cores, at most 8. */
unsigned lc_cli_default_threads(void);

/* The render options of the command line (--digits, --raw, --names, --table). */
int lc_cli_render_opts(const lc_cli *cli, lc_render_opts *o);
/* Draw the document's charts when --plot was given (into -o or each
 * scenario's folder), then render it to standard output in --format.  Prints
 * the error and returns the exit status. */
int lc_cli_emit(const lc_cli *cli, lc_doc *doc);

/* The sorted *.yaml files of dir (malloc'd paths); -1 if dir cannot be read,
 * LC_ENOMEM when out of memory (nothing returned). */
int lc_cli_scenario_dir(const char *dir, char ***out, size_t *n);
void lc_cli_free_list(char **list, size_t n);

/* Load one scenario with the command line's --set and --currency; prints the
 * error and returns NULL on failure (*rc gets the exit status). */
lc_scenario *lc_cli_load(const lc_cli *cli, const char *path, int *rc);

/* Print err to stderr as "file:line:col: error: message"; return its code. */
int lc_cli_fail(const lc_error *err);

/* A usage error: printf's text, one line on stderr with control characters
 * shown escaped (the text quotes the command line); returns LC_EUSAGE
 * (LC_ENOMEM when the text cannot be made). */
int lc_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
