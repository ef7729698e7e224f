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

/* Does the cash last the first `months` months?  Not known past the horizon. */
static void lasts_cell(lc_rtable *t, size_t col, const lc_org_timeline *tl, size_t months)
{
    if (tl->months < months)
        lc_rtable_missing(t, col, "beyond the horizon");
    else
        lc_rtable_text(t, col, tl->runway < 0 || (size_t)tl->runway >= months ? "yes" : "no");
}

/* A probability of lasting `months`: from sim (Monte Carlo, or 0/1 from one
 * run), missing past the horizon. */
static void odds_cell(lc_rtable *t, size_t col, const lc_org_timeline *tl, const double *sim,
                      int which, size_t months)
{
    if (tl->months < months)
        lc_rtable_missing(t, col, "beyond the horizon");
    else if (sim == NULL || isnan(sim[which]))
        lasts_cell(t, col, tl, months);
    else
        lc_rtable_num(t, col, sim[which]);
}

void lc_fill_orgs_compare(lc_section *sec, const lc_scenario *const *s,
                          const lc_org_timeline *const *tl, const double *const *sim, size_t n,
                          int plot)
{
    lc_doc *d = lc_section_doc(sec);
    lc_rtable *t = lc_section_table(sec, "organisations", NULL);
    const char *cur = n ? s[0]->units.display : "";
    size_t c_name = lc_rtable_col(t, "scenario", "organisation", NULL, LC_COL_TEXT);
    size_t c_36 = lc_rtable_col(t, "lasts_36", "P(cash lasts 36 months)", NULL, LC_COL_SHARE);
    size_t c_60 = lc_rtable_col(t, "lasts_60", "P(cash lasts 60 months)", NULL, LC_COL_SHARE);
    size_t c_run = lc_rtable_col(t, "runway", "cash runs out in month", "month", LC_COL_COUNT);
    size_t c_be = lc_rtable_col(t, "breakeven", "break-even month", "month", LC_COL_COUNT);
    size_t c_npv =
        lc_rtable_col(t, "npv", "NPV of the cash flow before funding", NULL, LC_COL_MONEY);
    size_t c_npvc = lc_rtable_col(t, "npv_compute", "NPV of compute", NULL, LC_COL_MONEY);
    size_t c_mu = lc_rtable_col(t, "currency", "currency", NULL, LC_COL_UNIT);
    size_t c_cpy = lc_rtable_col(t, "compute_per_year", "compute spend a year", NULL, LC_COL_MONEY);
    size_t c_spy = lc_rtable_col(t, "spend_per_year", "total spend a year", NULL, LC_COL_MONEY);
    size_t c_unit = lc_rtable_col(t, "unit", "unit", NULL, LC_COL_UNIT);
    size_t i, m, hmax = 0;
    lc_rtable_unit_col(t, c_npv, c_mu);
    lc_rtable_unit_col(t, c_npvc, c_mu);
    lc_rtable_unit_col(t, c_cpy, c_unit);
    lc_rtable_unit_col(t, c_spy, c_unit);
    lc_section_text(sec, "Investors' patience is 3 to 5 years (36 to 60 months).  The odds of "
                         "lasting come from each organisation's Monte Carlo below (its uncertain "
                         "inputs and funding rounds; one run when nothing is uncertain); the "
                         "other columns are the base case, money discounted at each "
                         "organisation's cost of capital for the NPVs.");
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
        odds_cell(t, c_36, tl[i], sim[i], LC_SIM_SURVIVAL_36, 36);
        odds_cell(t, c_60, tl[i], sim[i], LC_SIM_SURVIVAL_60, 60);
        month_cell(t, c_run, tl[i]->runway, tl[i]->months);
        month_cell(t, c_be, tl[i]->breakeven, tl[i]->months);
        if (sim[i]) {
            lc_rtable_num(t, c_npv, money(s[i], sim[i][LC_SIM_NPV]));
            lc_rtable_num(t, c_npvc, money(s[i], sim[i][LC_SIM_NPV_COMPUTE]));
        }
        lc_rtable_text(t, c_mu, s[i]->units.display);
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
