/* fill_org.c — an organisation's simulated base case, and several
 * organisations side by side, as document sections (llmcost report). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_fill.h"
#include "lc_util.h"

/* Money of the timeline (base units) in the scenario's currency. */
static double money(const lc_scenario *s, double v)
{
    return lc_units_to(&s->units, v, "CUR");
}

static void month_cell(lc_rtable *t, size_t col, long month, size_t horizon)
{
    if (month < 0) {
        char *why = lc_aprintf("not within the %zu-month horizon", horizon);
        lc_rtable_missing(t, col, why ? why : "not within the horizon");
        free(why);
    } else {
        lc_rtable_num(t, col, (double)month);
    }
}

/* "startup-cash" for scenarios/startup.yaml: charts of several organisations
 * share the report's folder. */
static char *stem(const lc_scenario *s, const char *what)
{
    char *base = lc_path_stem(s->path), *out;
    if (base == NULL)
        return NULL;
    out = lc_aprintf("%s-%s", base, what);
    free(base);
    return out;
}

/* Does the cash last the first `months` months?  Not known past the horizon. */
static void lasts_cell(lc_rtable *t, size_t col, const lc_org_timeline *tl, size_t months)
{
    if (tl->months < months)
        lc_rtable_missing(t, col, "beyond the horizon");
    else
        lc_rtable_text(t, col, tl->runway < 0 || (size_t)tl->runway >= months ? "yes" : "no");
}

void lc_fill_org(lc_doc *d, const lc_scenario *s, const lc_org_timeline *tl, int plot)
{
    static const struct {
        lc_org_series s;
        const char *name, *label;
    } kinds[] = {
        {LC_ORG_STAFF, "staff", "staff"},
        {LC_ORG_TRAINING, "training", "training (rented)"},
        {LC_ORG_INFERENCE, "inference", "serving (rented)"},
        {LC_ORG_ELECTRICITY, "electricity", "electricity"},
        {LC_ORG_CAPEX, "capex", "GPUs bought"},
        {LC_ORG_OTHER, "other", "other"},
    };
    enum { NK = sizeof kinds / sizeof kinds[0] };
    const char *cur = s->units.display;
    size_t years = (tl->months + 11) / 12, y, m, k, c_year, c_k[NK], c_total, c_compute, c_rev;
    const char *b = strrchr(s->path, '/');
    char *id = lc_aprintf("simulation:%s", b ? b + 1 : s->path);
    lc_section *sec = lc_doc_section(d, 2, id ? id : "simulation", "Simulation (base case)");
    lc_rtable *t;
    free(id);
    lc_section_text(sec,
                    "Month by month over %zu months, every input at its base value and "
                    "every funding round closing; llmcost simulate adds the uncertainty.",
                    tl->months);
    t = lc_section_table(sec, "outlook", "Outlook");
    {
        size_t c_run = lc_rtable_col(t, "runway", "cash lasts until month", "month", LC_COL_COUNT);
        size_t c_be = lc_rtable_col(t, "breakeven", "break-even month", "month", LC_COL_COUNT);
        size_t c_36 = lc_rtable_col(t, "lasts_36", "lasts 36 months", NULL, LC_COL_VERDICT);
        size_t c_60 = lc_rtable_col(t, "lasts_60", "lasts 60 months", NULL, LC_COL_VERDICT);
        size_t c_end = lc_rtable_col(t, "cash_end", "cash at the end", cur, LC_COL_MONEY);
        lc_rtable_row(t);
        month_cell(t, c_run, tl->runway, tl->months);
        month_cell(t, c_be, tl->breakeven, tl->months);
        lasts_cell(t, c_36, tl, 36);
        lasts_cell(t, c_60, tl, 60);
        lc_rtable_num(t, c_end, money(s, tl->s[LC_ORG_CASH][tl->months - 1]));
    }
    t = lc_section_table(sec, "years", "Spend by year and kind");
    c_year = lc_rtable_col(t, "year", "year", NULL, LC_COL_COUNT);
    for (k = 0; k < NK; k++)
        c_k[k] = lc_rtable_col(t, kinds[k].name, kinds[k].label, cur, LC_COL_MONEY);
    c_total = lc_rtable_col(t, "spend", "total spend", cur, LC_COL_MONEY);
    c_compute = lc_rtable_col(t, "compute", "of which compute", cur, LC_COL_MONEY);
    c_rev = lc_rtable_col(t, "revenue", "revenue", cur, LC_COL_MONEY);
    for (y = 0; y < years; y++) {
        double sum[NK] = {0}, total = 0, rev = 0;
        for (m = 12 * y; m < 12 * (y + 1) && m < tl->months; m++) {
            for (k = 0; k < NK; k++)
                sum[k] += tl->s[kinds[k].s][m];
            total += tl->s[LC_ORG_SPEND][m];
            rev += tl->s[LC_ORG_REVENUE][m];
        }
        lc_rtable_row(t);
        lc_rtable_num(t, c_year, (double)(y + 1));
        for (k = 0; k < NK; k++)
            lc_rtable_num(t, c_k[k], money(s, sum[k]));
        lc_rtable_num(t, c_total, money(s, total));
        /* Compute: rental for training and serving, electricity, GPUs bought. */
        lc_rtable_num(t, c_compute, money(s, sum[1] + sum[2] + sum[3] + sum[4]));
        lc_rtable_num(t, c_rev, money(s, rev));
    }
    if (plot) {
        /* Cash month by month, and the yearly spend stacked by kind. */
        double *data = malloc(tl->months * 2 * sizeof *data);
        double *st = malloc((years ? years : 1) * NK * sizeof *st);
        char **rows = calloc(years ? years : 1, sizeof *rows);
        const char *cn[NK];
        static const char *const tn[] = {"month", "cash"};
        char *ylabel = lc_aprintf("cash (%s)", cur), *title = lc_aprintf("%s: cash", s->name);
        char *title2 = lc_aprintf("%s: spend by year", s->name);
        lc_plot_marker mk[2] = {{36, "3 years"}, {60, "5 years"}};
        lc_chart c;
        if (!data || !st || !rows || !ylabel || !title || !title2) {
            lc_doc_fail(d);
        } else {
            /* x: months elapsed, so that the cash after 36 months sits on the
             * 3-year line (month m ends m + 1 months from the start). */
            for (m = 0; m < tl->months; m++) {
                data[2 * m] = (double)(m + 1);
                data[2 * m + 1] = money(s, tl->s[LC_ORG_CASH][m]);
            }
            memset(&c, 0, sizeof c);
            c.kind = LC_PLOT_TIMELINE;
            c.title = title;
            c.xlabel = "months from the start";
            c.ylabel = ylabel;
            c.nrows = tl->months;
            c.ncols = 2;
            c.data = data;
            c.col_names = tn;
            c.markers = mk;
            c.nmarkers = tl->months >= 60 ? 2 : tl->months >= 36 ? 1 : 0;
            {
                char *st_name = stem(s, "cash");
                if (st_name == NULL)
                    lc_doc_fail(d);
                else
                    lc_section_chart(sec, &c, st_name, cur);
                free(st_name);
            }
            for (y = 0; y < years; y++) {
                for (k = 0; k < NK; k++) {
                    double v = 0;
                    for (m = 12 * y; m < 12 * (y + 1) && m < tl->months; m++)
                        v += tl->s[kinds[k].s][m];
                    st[y * NK + k] = money(s, v);
                }
                rows[y] = lc_aprintf("year %zu", y + 1);
                if (rows[y] == NULL)
                    lc_doc_fail(d);
            }
            for (k = 0; k < NK; k++)
                cn[k] = kinds[k].label;
            memset(&c, 0, sizeof c);
            c.kind = LC_PLOT_STACKED;
            c.title = title2;
            c.ylabel = ylabel + 0;
            c.nrows = years;
            c.ncols = NK;
            c.data = st;
            c.col_names = cn;
            c.row_labels = (const char *const *)rows;
            if (lc_doc_status(d) == LC_OK) {
                free(ylabel);
                ylabel = lc_aprintf("spend (%s)", cur);
                c.ylabel = ylabel;
                char *st_name = stem(s, "spend-by-year");
                if (st_name == NULL)
                    lc_doc_fail(d);
                else
                    lc_section_chart(sec, &c, st_name, cur);
                free(st_name);
            }
        }
        for (y = 0; rows && y < years; y++)
            free(rows[y]);
        free(rows);
        free(data);
        free(st);
        free(ylabel);
        free(title);
        free(title2);
    }
}

void lc_fill_orgs_compare(lc_doc *d, const lc_scenario *const *s, const lc_org_timeline *const *tl,
                          size_t n, int plot)
{
    lc_section *sec = lc_doc_section(d, 1, "organisations", "Organisations side by side");
    lc_rtable *t = lc_section_table(sec, "organisations", NULL);
    const char *cur = n ? s[0]->units.display : "";
    size_t c_name = lc_rtable_col(t, "scenario", "organisation", NULL, LC_COL_TEXT);
    size_t c_36 = lc_rtable_col(t, "lasts_36", "lasts 36 months", NULL, LC_COL_VERDICT);
    size_t c_60 = lc_rtable_col(t, "lasts_60", "lasts 60 months", NULL, LC_COL_VERDICT);
    size_t c_run = lc_rtable_col(t, "runway", "cash runs out in month", "month", LC_COL_COUNT);
    size_t c_be = lc_rtable_col(t, "breakeven", "break-even month", "month", LC_COL_COUNT);
    size_t c_cpy = lc_rtable_col(t, "compute_per_year", "compute spend a year", NULL, LC_COL_MONEY);
    size_t c_spy = lc_rtable_col(t, "spend_per_year", "total spend a year", NULL, LC_COL_MONEY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t i, m, hmax = 0;
    lc_rtable_unit_col(t, c_cpy, c_unit);
    lc_rtable_unit_col(t, c_spy, c_unit);
    lc_section_text(sec, "Base case of each organisation's simulation; investors' patience is "
                         "3 to 5 years (36 to 60 months).");
    for (i = 0; i < n; i++) {
        double compute = 0, spend = 0, yrs = (double)tl[i]->months / 12;
        char *u;
        if (strcmp(s[i]->units.display, cur) != 0)
            lc_section_warn(sec,
                            "%s is in %s, the first organisation in %s: give --currency to "
                            "compare them in one currency",
                            s[i]->path, s[i]->units.display, cur);
        for (m = 0; m < tl[i]->months; m++) {
            compute += tl[i]->s[LC_ORG_TRAINING][m] + tl[i]->s[LC_ORG_INFERENCE][m] +
                       tl[i]->s[LC_ORG_ELECTRICITY][m] + tl[i]->s[LC_ORG_CAPEX][m];
            spend += tl[i]->s[LC_ORG_SPEND][m];
        }
        if (tl[i]->months > hmax)
            hmax = tl[i]->months;
        lc_rtable_row(t);
        lc_rtable_text(t, c_name, s[i]->name);
        lasts_cell(t, c_36, tl[i], 36);
        lasts_cell(t, c_60, tl[i], 60);
        month_cell(t, c_run, tl[i]->runway, tl[i]->months);
        month_cell(t, c_be, tl[i]->breakeven, tl[i]->months);
        lc_rtable_num(t, c_cpy, money(s[i], compute) / yrs);
        lc_rtable_num(t, c_spy, money(s[i], spend) / yrs);
        u = lc_aprintf("%s/year", s[i]->units.display);
        lc_rtable_text(t, c_unit, u);
        free(u);
    }
    if (plot && n > 0) {
        /* Every organisation's cash, then cumulative spend, on one chart each:
         * one unit per axis, patience marked at 36 and 60 months. */
        size_t cols = n + 1, which;
        double *data = malloc(hmax * cols * sizeof *data);
        const char **names = malloc(cols * sizeof *names);
        char *yl = lc_aprintf("%s", cur);
        lc_plot_marker mk[2] = {{36, "3 years"}, {60, "5 years"}};
        lc_chart c;
        if (data == NULL || names == NULL || yl == NULL) {
            lc_doc_fail(d);
        } else {
            names[0] = "month";
            for (i = 0; i < n; i++)
                names[i + 1] = s[i]->name;
            for (which = 0; which < 2; which++) {
                for (m = 0; m < hmax; m++) {
                    data[m * cols] = (double)(m + 1); /* months elapsed, as above */
                    for (i = 0; i < n; i++) {
                        double v = NAN;
                        if (m < tl[i]->months) {
                            if (which == 0)
                                v = money(s[i], tl[i]->s[LC_ORG_CASH][m]);
                            else {
                                double prev = m ? data[(m - 1) * cols + i + 1] : 0;
                                v = prev + money(s[i], tl[i]->s[LC_ORG_SPEND][m]);
                            }
                        }
                        data[m * cols + i + 1] = v;
                    }
                }
                free(yl);
                yl = lc_aprintf(which == 0 ? "cash (%s)" : "cumulative spend (%s)", cur);
                memset(&c, 0, sizeof c);
                c.kind = LC_PLOT_TIMELINE;
                c.title = which == 0 ? "Cash of each organisation" : "Cumulative spend";
                c.xlabel = "months from the start";
                c.ylabel = yl;
                c.nrows = hmax;
                c.ncols = cols;
                c.data = data;
                c.col_names = names;
                c.markers = mk;
                c.nmarkers = hmax >= 60 ? 2 : hmax >= 36 ? 1 : 0;
                if (yl)
                    lc_section_chart(
                        sec, &c,
                        which == 0 ? "organisations-cash" : "organisations-cumulative-spend", cur);
            }
        }
        free(data);
        free(names);
        free(yl);
    }
}
