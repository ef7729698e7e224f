/* help.c — every command's --help, the manual page and the bash completion,
 * rendered from the one command table (main.c) so that none can drift from the
 * options the parser accepts.  Borrows the table; owns nothing. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "lc_model.h"

#define WIDTH   79 /* columns of terminal help */
#define OPT_COL 28 /* where an option's text starts in --help */

const lc_option lc_opt_format = {"--format", NULL, "table|csv|json|markdown|html",
                                 "output format (default table)"};
const lc_option lc_opt_digits = {"--digits", NULL, "N", "significant digits in tables (default 3)"};
const lc_option lc_opt_raw = {"--raw", NULL, NULL,
                              "numbers at full precision, without K/M/B suffixes"};
const lc_option lc_opt_names = {"--names", NULL, NULL, "internal names instead of labels"};
const lc_option lc_opt_table = {"--table", NULL, "ID",
                                "with --format csv: one table, in wide form"};
const lc_option lc_opt_set = {"--set", NULL, "NAME=VALUE",
                              "override an input (repeatable), e.g. --set 'electricity.price=0.5 "
                              "CNY/kWh'; setting a formula's name pins it to a value"};
const lc_option lc_opt_currency = {"--currency", NULL, "CODE",
                                   "show money in CODE (USD, CNY, EUR, GBP, JPY, HKD)"};
const lc_option lc_opt_plot = {"--plot", NULL, "png|svg|pdf", "also draw the charts (gnuplot)"};
const lc_option lc_opt_chart_dir = {
    "-o", NULL, "DIR",
    "where charts go (default: NAME-charts/ in the current folder, NAME being the file's name "
    "without .yaml)"};
static const lc_option opt_help = {"--help", "-h", NULL, "this help"};

/* The options the man page describes once, under OPTIONS. */
static const lc_option *const shared[] = {
    &lc_opt_format, &lc_opt_digits,   &lc_opt_raw,  &lc_opt_names,     &lc_opt_table,
    &lc_opt_set,    &lc_opt_currency, &lc_opt_plot, &lc_opt_chart_dir, &opt_help};
#define NSHARED (sizeof shared / sizeof shared[0])

static const char tagline[] = "cost models for large language models";
static const char intro[] =
    "llmcost computes training, inference and electricity budgets of large language models, "
    "and the cash of organisations that train and serve them, from scenario files written in "
    "YAML. It judges the quantitative claims the scenarios encode, runs Monte Carlo, sweeps, "
    "tornado charts, Sobol indices and root finding over their inputs, and explains every "
    "number by its formula and source.";

static const struct {
    int status;
    const char *meaning;
} exit_statuses[] = {
    {LC_OK, "success"},
    {LC_EUSAGE, "usage"},
    {LC_EINPUT, "bad input"},
    {LC_ENUMERIC, "numeric failure"},
    {LC_EOUTPUT, "output or gnuplot failure"},
    {LC_ENOMEM, "out of memory"},
};
#define NSTATUS (sizeof exit_statuses / sizeof exit_statuses[0])

static int is_shared(const lc_option *o)
{
    size_t i;
    for (i = 0; i < NSHARED; i++)
        if (shared[i] == o)
            return 1;
    return 0;
}

const lc_option *lc_help_option(const lc_command *cmd, const char *name)
{
    const lc_option *const *o;
    if (strcmp(name, opt_help.name) == 0 || strcmp(name, opt_help.alias) == 0)
        return &opt_help;
    for (o = cmd->options; o && *o; o++)
        if (strcmp((*o)->name, name) == 0 || ((*o)->alias && strcmp((*o)->alias, name) == 0))
            return *o;
    return NULL;
}

/* --- text blocks ------------------------------------------------------------ */

/* How a renderer shows the three kinds of block a text field holds. */
typedef struct renderer {
    void (*para)(FILE *out, const char *s, size_t len);     /* lines to fill */
    void (*verbatim)(FILE *out, const char *s, size_t len); /* lines as written */
    void (*blank)(FILE *out);                               /* a paragraph break */
} renderer;

/* Walk text: runs of lines that start with a space are verbatim; a blank line
 * breaks paragraphs; other lines are filled. */
static void walk(const char *text, const renderer *r, FILE *out)
{
    const char *p = text, *para = NULL, *verbatim = NULL;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (para && (len == 0 || p[0] == ' ')) {
            r->para(out, para, (size_t)(p - para));
            para = NULL;
        }
        if (verbatim && p[0] != ' ') {
            r->verbatim(out, verbatim, (size_t)(p - verbatim - 1));
            verbatim = NULL;
        }
        if (len == 0)
            r->blank(out);
        else if (p[0] == ' ' && verbatim == NULL)
            verbatim = p;
        else if (p[0] != ' ' && para == NULL)
            para = p;
        p += len + (eol != NULL);
    }
    if (para)
        r->para(out, para, (size_t)(p - para));
    if (verbatim)
        r->verbatim(out, verbatim, strlen(verbatim) - (p[-1] == '\n'));
}

/* Print the words of s[0..len) from column col, wrapped at WIDTH with
 * continuation lines indented to indent. */
static void fill(FILE *out, const char *s, size_t len, size_t col, size_t indent)
{
    size_t i = 0, n;
    int first = 1;
    while (i < len) {
        while (i < len && (s[i] == ' ' || s[i] == '\n'))
            i++;
        for (n = 0; i + n < len && s[i + n] != ' ' && s[i + n] != '\n'; n++)
            ;
        if (n == 0)
            break;
        if (!first && col + 1 + n > WIDTH) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fwrite(s + i, 1, n, out);
        col += n;
        i += n;
        first = 0;
    }
}

/* --- terminal help ---------------------------------------------------------- */

static void term_para(FILE *out, const char *s, size_t len)
{
    fill(out, s, len, 0, 0);
    fputc('\n', out);
}

static void term_verbatim(FILE *out, const char *s, size_t len)
{
    fprintf(out, "%.*s\n", (int)len, s);
}

static void term_blank(FILE *out)
{
    fputc('\n', out);
}

static const renderer term = {term_para, term_verbatim, term_blank};

static void term_option(const lc_option *o, FILE *out)
{
    int col;
    if (o->alias)
        col = fprintf(out, "  %s, %s", o->alias, o->name);
    else
        col = fprintf(out, "  %s", o->name);
    if (o->arg)
        col += fprintf(out, " %s", o->arg);
    if (col + 2 > OPT_COL) { /* at least two spaces between an option and its text */
        fprintf(out, "\n%*s", OPT_COL, "");
        col = OPT_COL;
    }
    fprintf(out, "%*s", OPT_COL - col, "");
    fill(out, o->help, strlen(o->help), OPT_COL, OPT_COL);
    fputc('\n', out);
}

/* Print each line of lines after first (the first line) or as many spaces;
 * a line that does not start with a space (a continuation) gets "llmcost " and
 * cmd (a synopsis: "run ") before it. */
static void term_lines(FILE *out, const char *first, const char *lines, const char *cmd)
{
    const char *p = lines;
    int line = 0;
    while (*p) {
        const char *eol = strchr(p, '\n');
        int len = eol ? (int)(eol - p) : (int)strlen(p);
        if (line++ == 0)
            fputs(first, out);
        else
            fprintf(out, "%*s", (int)strlen(first), "");
        fprintf(out, "%s%s%.*s\n", p[0] == ' ' ? "" : "llmcost ",
                p[0] == ' ' || cmd == NULL ? "" : cmd, len, p);
        p += len + (eol != NULL);
    }
}

/* Does lines hold more than one command line (continuations aside)? */
static int several_lines(const char *lines)
{
    const char *p;
    for (p = strchr(lines, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        if (p[1] != ' ')
            return 1;
    return 0;
}

void lc_help_command(const lc_command *cmd, FILE *out)
{
    const lc_option *const *o;
    char name[32];
    snprintf(name, sizeof name, "%s ", cmd->name);
    term_lines(out, "usage: ", cmd->synopsis, name);
    fputc('\n', out);
    walk(cmd->description, &term, out);
    fputs("\noptions:\n", out);
    for (o = cmd->options; o && *o; o++)
        term_option(*o, out);
    term_option(&opt_help, out);
    if (cmd->examples) {
        fputc('\n', out);
        term_lines(out, several_lines(cmd->examples) ? "examples: " : "example: ", cmd->examples,
                   NULL);
    }
}

void lc_help_usage(const lc_command *const *cmds, size_t n, FILE *out)
{
    size_t i;
    int col;
    fprintf(out,
            "llmcost %s — %s\n\n"
            "usage: llmcost COMMAND [options]   (llmcost COMMAND --help for details)\n\n"
            "commands:\n",
            LC_VERSION, tagline);
    for (i = 0; i < n; i++)
        fprintf(out, "  %-9s %s\n", cmds[i]->name, cmds[i]->summary);
    col = fprintf(out, "\nexit status:") - 1;
    for (i = 0; i < NSTATUS; i++) {
        char item[64];
        int len = snprintf(item, sizeof item, " %d %s%s", exit_statuses[i].status,
                           exit_statuses[i].meaning, i + 1 < NSTATUS ? "," : "");
        if (col + len > WIDTH) {
            fputc('\n', out);
            fputs(item + 1, out);
            col = len - 1;
        } else {
            fputs(item, out);
            col += len;
        }
    }
    fputc('\n', out);
}

/* --- man page ------------------------------------------------------------------ */

/* Write s[0..len) as roff text: backslashes escaped, the dashes of options as
 * \- (so that they are minus signs to search for), no line starting a request;
 * newlines kept when keep_lines (in .nf), else spaces. */
static void roff_text(FILE *out, const char *s, size_t len, int line_start, int keep_lines)
{
    size_t i;
    int option = 0;
    for (i = 0; i < len; i++) {
        char c = s[i];
        int word_start = i == 0 || strchr(" \n([|'\"", s[i - 1]) != NULL;
        if (word_start)
            option = c == '-';
        if (line_start && (c == '.' || c == '\''))
            fputs("\\&", out);
        line_start = c == '\n';
        if (c == '\\')
            fputs("\\e", out);
        else if (c == '-' && option)
            fputs("\\-", out);
        else
            fputc(c == '\n' && !keep_lines ? ' ' : c, out);
    }
}

static void roff(FILE *out, const char *s, size_t len, int line_start)
{
    roff_text(out, s, len, line_start, 0);
}

static void man_para(FILE *out, const char *s, size_t len)
{
    while (len > 0 && s[len - 1] == '\n')
        len--;
    roff(out, s, len, 1);
    fputc('\n', out);
}

static void man_verbatim(FILE *out, const char *s, size_t len)
{
    fputs(".nf\n", out);
    roff_text(out, s, len, 1, 1);
    fputs("\n.fi\n", out);
}

static void man_blank(FILE *out)
{
    fputs(".PP\n", out);
}

static const renderer man = {man_para, man_verbatim, man_blank};

/* s[0..len) in font ('B' bold, 'I' italic), then back to roman. */
static void roff_font(FILE *out, char font, const char *s, size_t len)
{
    fprintf(out, "\\f%c", font);
    roff(out, s, len, 0);
    fputs("\\fR", out);
}

/* A synopsis line: options bold, PLACEHOLDERS italic. */
static void man_synopsis(FILE *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        int start = i == 0 || strchr(" [|=", s[i - 1]) != NULL;
        size_t j = i;
        if (start && s[i] == '-') {
            while (j < len && !strchr(" ]|=", s[j]))
                j++;
            roff_font(out, 'B', s + i, j - i);
        } else if (start && s[i] >= 'A' && s[i] <= 'Z') {
            while (j < len && (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_", s[j]) ||
                               (s[j] >= 'a' && s[j] <= 'z') ||
                               (s[j] == '.' && j + 1 < len && s[j + 1] != '.')))
                j++;
            roff_font(out, 'I', s + i, j - i);
        } else {
            roff(out, s + i, 1, i == 0);
            j = i + 1;
        }
        i = j;
    }
}

static void man_option(const lc_option *o, FILE *out)
{
    fputs(".TP\n", out);
    if (o->alias) {
        roff_font(out, 'B', o->alias, strlen(o->alias));
        fputs(", ", out);
    }
    roff_font(out, 'B', o->name, strlen(o->name));
    if (o->arg) {
        fputc(' ', out);
        roff_font(out, 'I', o->arg, strlen(o->arg));
    }
    fputc('\n', out);
    man_para(out, o->help, strlen(o->help));
}

/* Each line of lines: a synopsis (".B llmcost cmd" and the line), or an
 * example ("llmcost line"; continuations, which start with a space, as they are). */
static void man_lines(FILE *out, const char *lines, const char *cmd, int synopsis)
{
    const char *p = lines;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (synopsis) {
            fprintf(out, ".B llmcost %s\n", cmd);
            man_synopsis(out, p, len);
            fputs("\n.br\n", out);
        } else {
            fputs(p[0] == ' ' ? "" : "llmcost ", out);
            roff(out, p, len, p[0] == ' ');
            fputc('\n', out);
        }
        p += len + (eol != NULL);
    }
}

void lc_help_man(const lc_command *const *cmds, size_t n, FILE *out)
{
    size_t i;
    fprintf(out,
            ".\\\" Generated by 'llmcost --man' from the command table (src/cli); do not edit.\n");
    fprintf(out, ".TH LLMCOST 1 %s \"llmcost %s\" \"User Commands\"\n", LC_VERSION_DATE,
            LC_VERSION);
    fprintf(out, ".SH NAME\nllmcost \\- %s\n.SH SYNOPSIS\n", tagline);
    for (i = 0; i < n; i++)
        man_lines(out, cmds[i]->synopsis, cmds[i]->name, 1);
    fputs(".SH DESCRIPTION\n", out);
    man_para(out, intro, strlen(intro));
    fputs(".SH COMMANDS\n", out);
    for (i = 0; i < n; i++) {
        const lc_option *const *o;
        int common = 0;
        fprintf(out, ".SS %s\n", cmds[i]->name);
        walk(cmds[i]->description, &man, out);
        for (o = cmds[i]->options; o && *o; o++)
            if (!is_shared(*o))
                man_option(*o, out);
        for (o = cmds[i]->options; o && *o; o++)
            if (is_shared(*o)) {
                fputs(common++ ? ", " : ".PP\nAlso: ", out);
                roff_font(out, 'B', (*o)->name, strlen((*o)->name));
            }
        if (common)
            fputs(" (see OPTIONS).\n", out);
    }
    fputs(".SH OPTIONS\n", out);
    for (i = 0; i < NSHARED; i++)
        man_option(shared[i], out);
    fputs(".SH EXIT STATUS\n", out);
    for (i = 0; i < NSTATUS; i++)
        fprintf(out, "%d %s%s", exit_statuses[i].status, exit_statuses[i].meaning,
                i + 1 < NSTATUS ? "; " : ".\n");
    fputs("Errors go to standard error as one line\n.IR file : line : col \": error: \" "
          "message .\n",
          out);
    fputs(".SH EXAMPLES\n.nf\n", out);
    for (i = 0; i < n; i++)
        if (cmds[i]->examples)
            man_lines(out, cmds[i]->examples, NULL, 0);
    fputs(".fi\n.SH SEE ALSO\nThe README.md of the source distribution documents the scenario "
          "schema, the formula library and the design.\n",
          out);
}

/* --- bash completion ------------------------------------------------------------ */

/* The words of a choice placeholder ("png|svg|pdf"), space-separated; 0 if
 * arg is not a list of lowercase choices. */
static int choices(const char *arg, char *buf, size_t size)
{
    size_t i;
    if (strchr(arg, '|') == NULL || strlen(arg) >= size)
        return 0;
    for (i = 0; arg[i]; i++) {
        if (arg[i] == '|')
            buf[i] = ' ';
        else if ((arg[i] >= 'a' && arg[i] <= 'z') || (arg[i] >= '0' && arg[i] <= '9'))
            buf[i] = arg[i];
        else
            return 0;
    }
    buf[i] = '\0';
    return 1;
}

/* Lowercase literal words of a synopsis ("[yaml]"): words the command takes. */
static void literal_words(const char *syn, FILE *out)
{
    const char *p = syn;
    while (*p) {
        size_t n = 0;
        while (*p && !(*p >= 'a' && *p <= 'z'))
            p++;
        while (p[n] >= 'a' && p[n] <= 'z')
            n++;
        /* whole bracketed words only: not "options" nor the ".yaml" of A.yaml */
        if (n && p > syn && p[-1] == '[' && p[n] == ']' && strncmp(p, "options", n) != 0)
            fprintf(out, " %.*s", (int)n, p);
        p += n;
    }
}

/* Does an option's value start with a library name (NAME, M1,M2,..., METRIC=VALUE)? */
static int takes_name(const char *arg)
{
    return strncmp(arg, "NAME", 4) == 0 || strcmp(arg, "M") == 0 || strncmp(arg, "M1,", 3) == 0 ||
           strncmp(arg, "METRIC", 6) == 0;
}

void lc_help_names(FILE *out)
{
    size_t i;
    for (i = 0; i < lc_library_count; i++)
        fprintf(out, "%s\n", lc_library[i].name);
}

void lc_help_bash_completion(const lc_command *const *cmds, size_t n, FILE *out)
{
    size_t i, j;
    fputs("# bash completion for llmcost.  Generated by 'llmcost --completion bash' from the\n"
          "# command table (src/cli); do not edit.\n"
          "# The names of the formula library (llmcost --completion names); after a comma\n"
          "# (--metric a,b) the part after it.\n"
          "_llmcost_names()\n{\n"
          "    local pre=\"\" last=$cur\n"
          "    case \"$cur\" in *,*) pre=${cur%,*},; last=${cur##*,} ;; esac\n"
          "    COMPREPLY=($(compgen -P \"$pre\" -W \"$(\"${COMP_WORDS[0]}\" --completion names "
          "2>/dev/null)\" -- \"$last\"))\n"
          "}\n"
          "_llmcost()\n{\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    local cmd=${COMP_WORDS[1]} opts=\"\" words=\"\" files=0\n"
          "    COMPREPLY=()\n"
          "    # --opt=value: bash splits at '=' (COMP_WORDBREAKS)\n"
          "    if [ \"$cur\" = \"=\" ]; then cur=\"\"; fi\n"
          "    if [ \"$prev\" = \"=\" ] && [ \"$COMP_CWORD\" -ge 3 ]; then "
          "prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"",
          out);
    for (i = 0; i < n; i++)
        fprintf(out, "%s ", cmds[i]->name);
    fputs("--help --version\" -- \"$cur\"))\n        return\n    fi\n    case \"$prev\" in\n", out);
    /* Values of the options that take one, across every command (one spelling,
     * one meaning); earlier definitions win. */
    for (i = 0; i < n; i++) {
        const lc_option *const *o;
        for (o = cmds[i]->options; o && *o; o++) {
            char words[128];
            int seen = 0;
            if ((*o)->arg == NULL)
                continue;
            for (j = 0; j <= i && !seen; j++) {
                const lc_option *const *q;
                for (q = cmds[j]->options; q && *q && q != o; q++)
                    if (strcmp((*q)->name, (*o)->name) == 0 && (*q)->arg)
                        seen = 1;
            }
            if (seen)
                continue;
            fprintf(out, "    %s%s%s) ", (*o)->name, (*o)->alias ? "|" : "",
                    (*o)->alias ? (*o)->alias : "");
            if (choices((*o)->arg, words, sizeof words))
                fprintf(out, "COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))", words);
            else if (strcmp((*o)->arg, "DIR") == 0)
                fputs("COMPREPLY=($(compgen -d -- \"$cur\"))", out);
            else if (takes_name((*o)->arg))
                fputs("_llmcost_names", out);
            else
                fputs("COMPREPLY=()", out); /* a name or a number: nothing to offer */
            fputs("; return ;;\n", out);
        }
    }
    fputs("    esac\n    case \"$cmd\" in\n", out);
    for (i = 0; i < n; i++) {
        const lc_option *const *o;
        const char *syn = cmds[i]->synopsis;
        fprintf(out, "    %s) opts=\"", cmds[i]->name);
        for (o = cmds[i]->options; o && *o; o++)
            fprintf(out, "%s%s%s ", (*o)->name, (*o)->alias ? " " : "",
                    (*o)->alias ? (*o)->alias : "");
        fputs("-h --help\"; words=\"", out);
        if (strstr(syn, "COMMAND")) {
            for (j = 0; j < n; j++)
                fprintf(out, "%s%s", j ? " " : "", cmds[j]->name);
        }
        literal_words(syn, out);
        fprintf(out, "\"; files=%d ;;\n", strstr(syn, "FILE") || strstr(syn, ".yaml"));
    }
    fputs("    *) return ;;\n    esac\n"
          "    if [ \"${cur#-}\" != \"$cur\" ]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "    if [ \"$files\" = 1 ]; then\n"
          "        compopt -o filenames 2>/dev/null\n"
          "        COMPREPLY+=($(compgen -d -- \"$cur\") $(compgen -f -X '!*.y*ml' -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -F _llmcost llmcost ./llmcost\n",
          out);
}
