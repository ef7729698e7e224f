/* report.c — HTML and Markdown reports with tables and charts. */
#define _GNU_SOURCE /* open_memstream is POSIX 2008; glibc declares it here too */
#include "lc_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_analyses.h"
#include "lc_claims.h"
#include "lc_explain.h"
#include "lc_io.h"
#include "lc_plot.h"
#include "lc_util.h"

typedef struct charts {
    char **paths;
    size_t n, cap;
    int failed;
} charts;

static void on_chart(void *user, const char *path)
{
    charts *c = user;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **np = realloc(c->paths, cap * sizeof *np);
        if (np == NULL)
            return;
        c->paths = np;
        c->cap = cap;
    }
    if ((c->paths[c->n] = lc_strdup(path)) != NULL)
        c->n++;
}

/* Text into HTML. */
static void h(FILE *f, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}

/* Text into a Markdown table cell. */
static void md(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|' || *s == '\\' || *s == '*' || *s == '_' || *s == '`' || *s == '<')
            fputc('\\', f);
        fputc(*s == '\n' ? ' ' : *s, f);
    }
}

static void base64(FILE *out, const unsigned char *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    for (i = 0; i + 2 < n; i += 3) {
        fputc(tab[p[i] >> 2], out);
        fputc(tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)], out);
        fputc(tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)], out);
        fputc(tab[p[i + 2] & 63], out);
    }
    if (i < n) {
        fputc(tab[p[i] >> 2], out);
        if (i + 1 < n) {
            fputc(tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)], out);
            fputc(tab[(p[i + 1] & 15) << 2], out);
        } else {
            fputc(tab[(p[i] & 3) << 4], out);
            fputc('=', out);
        }
        fputc('=', out);
    }
}

static void embed_png(FILE *html, const char *path, const char *alt)
{
    char *data;
    size_t len;
    lc_error err;
    lc_error_clear(&err);
    if (lc_read_file(path, 64u << 20, &data, &len, &err) != LC_OK) {
        fputs("<p class=missing>chart missing: ", html);
        h(html, path);
        fputs("</p>\n", html);
        return;
    }
    fputs("<figure><img alt=\"", html);
    h(html, alt);
    fputs("\" src=\"data:image/png;base64,", html);
    base64(html, (const unsigned char *)data, len);
    fputs("\"></figure>\n", html);
    free(data);
}

static const char *file_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* One scenario's sections.  Analysis tables are captured as text. */
static int scenario_section(lc_scenario *s, FILE *html, FILE *mdf, const char *dir, charts *ch,
                            lc_error *err)
{
    size_t i, *rep = NULL, nrep = 0, first_chart = ch->n;
    char value[256], origin[1024], unit[64];
    lc_an_output o;
    int rc;

    fputs("<section>\n<h2>", html);
    h(html, s->name);
    fputs("</h2>\n<p class=file>", html);
    h(html, s->path);
    fprintf(html, " &middot; money in %s</p>\n", s->units.display);
    fprintf(mdf, "## ");
    md(mdf, s->name);
    fprintf(mdf, "\n\n`%s`, money in %s\n\n", s->path, s->units.display);
    if (s->description) {
        fputs("<p>", html);
        h(html, s->description);
        fputs("</p>\n", html);
        md(mdf, s->description);
        fputs("\n\n", mdf);
    }

    /* Assumptions: everything the scenario, the command line or the catalog chose. */
    fputs("<h3>Assumptions</h3>\n<table><tr><th>input</th><th>value</th><th>source</th></tr>\n",
          html);
    fputs("### Assumptions\n\n| input | value | source |\n|---|---|---|\n", mdf);
    for (i = 0; i < lc_model_count(s->model); i++) {
        lc_qty *q = lc_model_qty(s->model, i);
        if (q->kind == LC_Q_FORMULA ||
            !(q->origin == LC_FROM_SCENARIO || q->origin == LC_FROM_COMMAND ||
              q->origin == LC_FROM_CATALOG))
            continue;
        lc_explain_value(s, i, value, sizeof value);
        lc_explain_origin(s, i, origin, sizeof origin);
        fputs("<tr><td>", html);
        h(html, q->name);
        fputs("</td><td>", html);
        h(html, value);
        fputs("</td><td>", html);
        h(html, origin);
        fputs("</td></tr>\n", html);
        fputs("| ", mdf);
        md(mdf, q->name);
        fputs(" | ", mdf);
        md(mdf, value);
        fputs(" | ", mdf);
        md(mdf, origin);
        fputs(" |\n", mdf);
    }
    fputs("</table>\n", html);

    /* Key metrics. */
    if ((rc = lc_scenario_report(s, &rep, &nrep, err)) != LC_OK)
        return rc;
    fputs("<h3>Key metrics</h3>\n<table><tr><th>metric</th><th>value</th><th>unit</th>"
          "<th>what it is</th></tr>\n",
          html);
    fputs("\n### Key metrics\n\n| metric | value | unit | what it is |\n|---|---:|---|---|\n", mdf);
    for (i = 0; i < nrep; i++) {
        lc_qty *q = lc_model_qty(s->model, rep[i]);
        char num[64];
        lc_units_format_number(q->available ? lc_units_to(&s->units, q->value, q->unit) : NAN,
                               num, sizeof num);
        lc_units_display_name(&s->units, q->unit, unit, sizeof unit);
        fputs("<tr><td>", html);
        h(html, q->name);
        fprintf(html, "</td><td class=num>%s</td><td>", num);
        h(html, unit);
        fputs("</td><td>", html);
        h(html, q->doc);
        fputs("</td></tr>\n", html);
        fputs("| ", mdf);
        md(mdf, q->name);
        fprintf(mdf, " | %s | ", num);
        md(mdf, unit);
        fputs(" | ", mdf);
        md(mdf, q->doc);
        fputs(" |\n", mdf);
    }
    fputs("</table>\n", html);
    free(rep);

    /* Claims. */
    if (s->nclaims) {
        fputs("<h3>Claims</h3>\n<table><tr><th>id</th><th>claim</th><th>stated</th>"
              "<th>computed</th><th>verdict</th></tr>\n",
              html);
        fputs("\n### Claims\n\n| id | claim | stated | computed | verdict |\n|---|---|---|---|---|\n",
              mdf);
        for (i = 0; i < s->nclaims; i++) {
            const lc_claim *c = &s->claims[i];
            lc_verdict v;
            lc_claims_judge(s, c, &v);
            lc_units_format(&s->units, v.computed, lc_model_qty(s->model, c->qi)->unit, value,
                            sizeof value);
            fprintf(html, "<tr class=%s><td>", v.holds == 1 ? "holds" : "fails");
            h(html, c->id);
            fputs("</td><td>", html);
            h(html, c->text ? c->text : c->metric);
            fputs("</td><td>", html);
            h(html, c->stated_text);
            if (c->stated_hi_text) {
                fputs(" to ", html);
                h(html, c->stated_hi_text);
            }
            fputs("</td><td>", html);
            h(html, value);
            fputs("</td><td>", html);
            h(html, v.text);
            if (v.implied[0]) {
                fputs("<br><small>", html);
                h(html, v.implied);
                fputs("</small>", html);
            }
            fputs("</td></tr>\n", html);
            fputs("| ", mdf);
            md(mdf, c->id);
            fputs(" | ", mdf);
            md(mdf, c->text ? c->text : c->metric);
            fputs(" | ", mdf);
            md(mdf, c->stated_text);
            if (c->stated_hi_text) {
                fputs(" to ", mdf);
                md(mdf, c->stated_hi_text);
            }
            fputs(" | ", mdf);
            md(mdf, value);
            fputs(" | ", mdf);
            md(mdf, v.text);
            fputs(" |\n", mdf);
        }
        fputs("</table>\n", html);
    }

    /* Charts: the scenario's own, then one per analysis with its table. */
    memset(&o, 0, sizeof o);
    o.format = LC_FORMAT_TABLE;
    o.plot = 1;
    o.plot_format = LC_PLOT_PNG;
    o.outdir = dir;
    o.on_chart = on_chart;
    o.user = ch;
    rc = lc_analysis_scenario_charts(s, &o, err);
    if (rc == LC_EOUTPUT) {
        ch->failed = 1;
        lc_error_clear(err);
    } else if (rc != LC_OK) {
        return rc;
    }
    for (i = 0; s->analyses && i < s->analyses->n; i++) {
        lc_analysis a;
        char *text = NULL;
        size_t len = 0;
        FILE *mem;
        if ((rc = lc_analysis_parse(s, s->analyses->items[i], &a, err)) != LC_OK)
            return rc;
        mem = open_memstream(&text, &len);
        if (mem == NULL)
            return lc_error_nomem(err);
        rc = lc_analysis_run(s, &a, &o, mem, err);
        fclose(mem);
        if (rc == LC_EOUTPUT) {
            ch->failed = 1;
            lc_error_clear(err);
        } else if (rc != LC_OK) {
            free(text);
            return rc;
        }
        fputs("<pre>", html);
        h(html, text);
        fputs("</pre>\n", html);
        fputs("\n```\n", mdf);
        fputs(text ? text : "", mdf);
        fputs("```\n", mdf);
        free(text);
    }
    if (ch->n > first_chart) {
        fputs("<h3>Charts</h3>\n", html);
        fputs("\n### Charts\n\n", mdf);
    }
    for (i = first_chart; i < ch->n; i++) {
        embed_png(html, ch->paths[i], file_name(ch->paths[i]));
        fprintf(mdf, "![%s](%s)\n\n", file_name(ch->paths[i]), file_name(ch->paths[i]));
    }
    fputs("</section>\n", html);
    fputs("\n", mdf);
    return LC_OK;
}

/* Metrics every scenario computes, in the same display unit: bars side by side. */
static int comparison(lc_scenario **s, size_t n, FILE *html, FILE *mdf, const char *dir,
                      charts *ch, lc_error *err)
{
    size_t i, j, *rep = NULL, nrep = 0, nm = 0;
    const char *names[LC_AN_METRICS_MAX];
    const char **cols = malloc(n * sizeof *cols);
    double *data = malloc(LC_AN_METRICS_MAX * n * sizeof *data);
    char unit0[64] = "";
    int rc = LC_OK;

    if (cols == NULL || data == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    if ((rc = lc_scenario_report(s[0], &rep, &nrep, err)) != LC_OK)
        goto done;
    for (i = 0; i < nrep && nm < LC_AN_METRICS_MAX; i++) {
        lc_qty *q0 = lc_model_qty(s[0]->model, rep[i]);
        char u[64], u2[64];
        int shared = q0->kind == LC_Q_FORMULA && q0->available &&
                     q0->dim.e[LC_DIM_MONEY] == 1;
        lc_units_display_name(&s[0]->units, q0->unit, u, sizeof u);
        if (unit0[0] && strcmp(u, unit0) != 0)
            shared = 0;
        for (j = 1; j < n && shared; j++) {
            long k = lc_model_find(s[j]->model, q0->name);
            lc_qty *q;
            if (k < 0) {
                shared = 0;
                break;
            }
            q = lc_model_qty(s[j]->model, (size_t)k);
            lc_units_display_name(&s[j]->units, q->unit, u2, sizeof u2);
            shared = q->available && strcmp(u, u2) == 0;
        }
        if (!shared)
            continue;
        snprintf(unit0, sizeof unit0, "%s", u);
        names[nm] = q0->name;
        for (j = 0; j < n; j++) {
            lc_qty *q = lc_model_qty(s[j]->model, (size_t)lc_model_find(s[j]->model, q0->name));
            data[nm * n + j] = lc_units_to(&s[j]->units, q->value, q->unit);
        }
        nm++;
    }
    fputs("<section>\n<h2>Comparison</h2>\n", html);
    fputs("## Comparison\n\n", mdf);
    if (nm == 0) {
        fputs("<p>The scenarios share no money metric in one unit (give --currency to show "
              "them all in one currency).</p>\n",
              html);
        fputs("The scenarios share no money metric in one unit.\n\n", mdf);
    } else {
        lc_chart c;
        char stem[64];
        lc_plot_options po;
        for (j = 0; j < n; j++)
            cols[j] = s[j]->name;
        memset(&c, 0, sizeof c);
        c.kind = LC_PLOT_BARS;
        c.title = "Scenarios compared";
        c.ylabel = unit0;
        c.nrows = nm;
        c.ncols = n;
        c.data = data;
        c.col_names = cols;
        c.row_labels = names;
        lc_plot_options_init(&po);
        snprintf(stem, sizeof stem, "comparison");
        rc = lc_plot_render(&c, LC_PLOT_PNG, dir, stem, &po, err);
        if (rc == LC_OK) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s.png", dir, stem);
            embed_png(html, path, "comparison");
            fprintf(mdf, "![comparison](comparison.png)\n\n");
        } else if (rc == LC_EOUTPUT) {
            ch->failed = 1;
            lc_error_clear(err);
            rc = LC_OK;
        }
    }
    fputs("</section>\n", html);
done:
    free(rep);
    free(cols);
    free(data);
    return rc;
}

int lc_report_write(lc_scenario **s, size_t n, const char *dir, lc_error *err)
{
    lc_atomic_file html, mdf;
    charts ch;
    size_t i, nclaims = 0, nhold = 0;
    char path[1024];
    int rc;

    memset(&ch, 0, sizeof ch);
    if ((rc = lc_make_dir(dir, err)) != LC_OK)
        return rc;
    snprintf(path, sizeof path, "%s/report.html", dir);
    if ((rc = lc_atomic_open(&html, path, err)) != LC_OK)
        return rc;
    snprintf(path, sizeof path, "%s/report.md", dir);
    if ((rc = lc_atomic_open(&mdf, path, err)) != LC_OK) {
        lc_atomic_abort(&html);
        return rc;
    }
    for (i = 0; i < n; i++) {
        size_t j;
        for (j = 0; j < s[i]->nclaims; j++) {
            lc_verdict v;
            lc_claims_judge(s[i], &s[i]->claims[j], &v);
            nclaims++;
            nhold += v.holds == 1;
        }
    }
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n"
          "<title>llmcost report</title>\n<style>\n"
          "body{font-family:'Noto Sans','DejaVu Sans',sans-serif;max-width:1100px;margin:2em "
          "auto;padding:0 1em;color:#222}\n"
          "table{border-collapse:collapse;margin:1em 0;font-size:90%}\n"
          "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}\n"
          "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
          "tr.holds td:last-child{color:#1a7f37}tr.fails td:last-child{color:#b42318}\n"
          "pre{background:#f6f8fa;padding:.8em;overflow-x:auto;font-size:85%}\n"
          "figure{margin:1em 0}img{max-width:100%}.file{color:#666}\n"
          "</style></head><body>\n<h1>llmcost report</h1>\n",
          html.fp);
    fprintf(html.fp, "<p>%zu scenario%s; %zu claim%s, %zu of which hold.  Every number is "
                     "traced to its formula and source by <code>llmcost explain</code>.</p>\n",
            n, n == 1 ? "" : "s", nclaims, nclaims == 1 ? "" : "s", nhold);
    fprintf(mdf.fp, "# llmcost report\n\n%zu scenario%s; %zu claim%s, %zu of which hold.\n\n", n,
            n == 1 ? "" : "s", nclaims, nclaims == 1 ? "" : "s", nhold);
    for (i = 0; i < n && rc == LC_OK; i++)
        rc = scenario_section(s[i], html.fp, mdf.fp, dir, &ch, err);
    if (rc == LC_OK && n > 1)
        rc = comparison(s, n, html.fp, mdf.fp, dir, &ch, err);
    if (rc == LC_OK && ch.failed) {
        fputs("<p class=missing>Some charts could not be drawn (is gnuplot installed? "
              "apt-get install gnuplot-nox); their data and scripts are in this folder.</p>\n",
              html.fp);
        fputs("Some charts could not be drawn (apt-get install gnuplot-nox); their data and "
              "scripts are in this folder.\n",
              mdf.fp);
    }
    fputs("</body></html>\n", html.fp);
    for (i = 0; i < ch.n; i++)
        free(ch.paths[i]);
    free(ch.paths);
    if (rc != LC_OK) {
        lc_atomic_abort(&html);
        lc_atomic_abort(&mdf);
        return rc;
    }
    if ((rc = lc_atomic_commit(&html, err)) != LC_OK) {
        lc_atomic_abort(&mdf);
        return rc;
    }
    if ((rc = lc_atomic_commit(&mdf, err)) != LC_OK)
        return rc;
    if (ch.failed)
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                            "report written to %s, but some charts could not be drawn (is "
                            "gnuplot installed? apt-get install gnuplot-nox)",
                            dir);
    return LC_OK;
}
