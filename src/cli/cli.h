/* cli.h — what the command-line commands share (private to src/). */
#ifndef LC_CLI_H
#define LC_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "lc_output.h"
#include "lc_scenario.h"

#define LC_VERSION "0.1.0"
#define LC_MAX_SETS 256
#define LC_MAX_FILES 64

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
    const char *outdir;   /* -o DIR */
    const char *plot;     /* --plot png|svg|pdf */
    /* analysis options */
    const char *input, *metric, *target, *from, *to, *steps, *samples, *seed, *threads,
        *method, *log, *delta, *threshold, *by, *by_from, *by_to, *by_steps;
} lc_cli;

typedef struct lc_command {
    const char *name;
    int (*run)(lc_cli *cli);
    const char *summary;
    const char *usage; /* full --help text */
} lc_command;

/* Commands in files of their own (src/cmd_*.c): main.c lists their defs. */
int lc_cmd_validate(lc_cli *cli);
int lc_cmd_claims(lc_cli *cli);
extern const lc_command lc_cmd_claims_def;
extern const lc_command lc_cmd_compare_def, lc_cmd_simulate_def;
/* Chart folder for a scenario, STEM-charts; --plot png|svg|pdf into *fmt (an
 * lc_plot_format), else a usage message and LC_EUSAGE (cmd_simulate.c). */
void lc_cli_chart_dir(const char *path, char *buf, size_t size);
int lc_cli_plot_format(const char *cmd, const char *s, int *fmt);
extern const lc_command lc_cmd_validate_def;
extern const lc_command lc_cmd_report_def;
extern const lc_command lc_cmd_mc_def, lc_cmd_sweep_def, lc_cmd_tornado_def, lc_cmd_sobol_def,
    lc_cmd_solve_def;
/* Check, then run, the analyses: list of a scenario (llmcost run). */
int lc_cli_check_analyses(lc_scenario *s);
int lc_cli_run_analyses(lc_cli *cli, lc_scenario *s, FILE *out);

/* The options every command's --help lists. */
#define LC_COMMON_OPTS                                                                      \
    "  --format table|csv|json   output format (default table)\n"                          \
    "  --set NAME=VALUE          override an input, e.g. --set 'electricity.price=0.5 "     \
    "CNY/kWh'\n"                                                                            \
    "  --currency CODE           show money in CODE (USD, CNY, EUR, ...)\n"                 \
    "  -h, --help                this help\n"

/* The sorted *.yaml files of dir (malloc'd paths); -1 if dir cannot be read. */
int lc_cli_scenario_dir(const char *dir, char ***out, size_t *n);
void lc_cli_free_list(char **list, size_t n);

/* Load one scenario with the command line's --set and --currency; prints the
 * error and returns NULL on failure (*rc gets the exit status). */
lc_scenario *lc_cli_load(const lc_cli *cli, const char *path, int *rc);

/* Print err to stderr as "file:line:col: error: message"; return its code. */
int lc_cli_fail(const lc_error *err);

#endif
