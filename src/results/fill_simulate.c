/* fill_simulate.c — an organisation's simulation (lc_simulate.h) as sections
 * of a document: outlook, money over time, Monte Carlo, the sim.* metrics,
 * years, months, claims and the charts. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lc_fill.h"
#include "lc_plot.h"
#include "lc_util.h"

#define MONTH_S (365.0 * 86400.0 / 12.0)

static const struct {
    lc_org_series s;
    const char *name;
    int money;
} cols[] = {
    {LC_ORG_CASH, "cash", 1},
    {LC_ORG_FUNDING, "funding", 1},
    {LC_ORG_REVENUE, "revenue", 1},
    {LC_ORG_SPEND, "spend", 1},
    {LC_ORG_STAFF, "staff", 1},
    {LC_ORG_TRAINING, "training", 1},
    {LC_ORG_INFERENCE, "inference", 1},
    {LC_ORG_ELECTRICITY, "electricity", 1},
    {LC_ORG_CAPEX, "capex", 1},
    {LC_ORG_OTHER, "other", 1},
    {LC_ORG_RESALE, "resale", 1},
    {LC_ORG_DEPRECIATION, "depreciation", 1},
    {LC_ORG_GPUS_OWNED, "gpus_owned", 0},
    {LC_ORG_GPUS_RENTED, "gpus_rented", 0},
    {LC_ORG_GPUS_NEEDED, "gpus_needed", 0},
    {LC_ORG_USERS, "users", 0},
    {LC_ORG_HEADCOUNT, "headcount", 0},
    {LC_ORG_BORROWED, "borrowed", 1},
    {LC_ORG_INTEREST, "interest", 1},
    {LC_ORG_PRINCIPAL, "principal", 1},
    {LC_ORG_LEASE, "lease", 1},
    {LC_ORG_DEBT, "debt", 1},
    {LC_ORG_BOOK_VALUE, "book_value", 1},
    {LC_ORG_DCF_CUM, "discounted_cash_flow_cum", 1},
    {LC_ORG_CASH_REAL, "cash_real", 1},
};
#define NCOLS (sizeof cols / sizeof cols[0])

static int all_zero(const lc_org_timeline *t, lc_org_series s)
{
    size_t m;
    for (m = 0; m < t->months; m++)
        if (t->s[s][m] != 0)
            return 0;
    return 1;
}

/* Columns a terminal table shows (the rest is in CSV and JSON): financing
 * lines only when the org uses them. */
static int in_table(const lc_org_timeline *t, lc_org_series s)
{
    if (s == LC_ORG_INTEREST || s == LC_ORG_PRINCIPAL || s == LC_ORG_LEASE)
        return !all_zero(t, s);
    return s != LC_ORG_FUNDING && s != LC_ORG_RESALE && s != LC_ORG_DEPRECIATION &&
           s != LC_ORG_GPUS_NEEDED && s != LC_ORG_HEADCOUNT && s < LC_ORG_BORROWED;
}

static double money(const lc_scenario *s, double v)
{
    return lc_units_to(&s->units, v, "CUR");
}

typedef struct yearsum {
    size_t months;
    double spend, compute, staff, training, inference, electricity, capex, other, revenue, funding,
        cash_end;
} yearsum;

static void year_sums(const lc_org_timeline *t, size_t y, yearsum *ys)
{
    size_t m;
    memset(ys, 0, sizeof *ys);
    for (m = y * 12; m < t->months && m < y * 12 + 12; m++) {
        double *const *s = t->s;
        ys->months++;
        ys->spend += s[LC_ORG_SPEND][m];
        ys->compute += s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
                       s[LC_ORG_CAPEX][m];
        ys->staff += s[LC_ORG_STAFF][m];
        ys->training += s[LC_ORG_TRAINING][m];
        ys->inference += s[LC_ORG_INFERENCE][m];
        ys->electricity += s[LC_ORG_ELECTRICITY][m];
        ys->capex += s[LC_ORG_CAPEX][m];
        ys->other += s[LC_ORG_OTHER][m];
        ys->revenue += s[LC_ORG_REVENUE][m];
        ys->funding += s[LC_ORG_FUNDING][m];
        ys->cash_end = s[LC_ORG_CASH][m];
    }
}

/* A month-by-month chart of lines into sec: data is months x nc, column 0 the
 * month. */
static void line_chart(lc_section *sec, const lc_scenario *s, const lc_org_timeline *t,
                       const double *data, size_t nc, const char *const *names, const char *what,
                       const char *ylabel, const char *stem, const char *unit, int band,
                       const lc_plot_marker *mk, size_t nmk)
{
    char *title = lc_aprintf("%s: %s", what, s->name), *base = lc_path_stem(s->path);
    /* named after the scenario: several share a report's folder */
    char *name = base ? lc_aprintf("%s-%s", base, stem) : NULL;
    lc_chart c;
    memset(&c, 0, sizeof c);
    c.kind = LC_PLOT_TIMELINE;
    c.title = title ? title : what;
    c.xlabel = "months from the start";
    c.ylabel = ylabel;
    c.nrows = t->months;
    c.ncols = nc;
    c.data = data;
    c.col_names = names;
    c.band = band;
    c.markers = mk;
    c.nmarkers = nmk;
    if (name == NULL)
        lc_doc_fail(lc_section_doc(sec));
    else
        lc_section_chart(sec, &c, name, unit);
    free(title);
    free(base);
    free(name);
}

/* Cash with its P5-P95 band, runway, break-even and the investors' 3 and 5
 * years marked; the cumulative cash flow plain and discounted (and owning's
 * discounted saving); the fleet by generation with the GPUs rented. */
static void fill_charts(lc_doc *d, lc_section *sec, const lc_scenario *s,
                        const lc_org_timeline *t, const lc_simulate_mc *mc)
{
    size_t H = t->months, nc = mc->ran ? 5 : 2, m, g;
    size_t w = LC_ORG_MAX_GENERATIONS + 5;
    double *data = malloc(H * w * sizeof *data), plain = 0, save = 0;
    const char *names5[] = {"month", "cash P5", "cash P50", "cash P95", "cash (base case)"};
    const char *names2[] = {"month", "cash (base case)"};
    const char *names[LC_ORG_MAX_GENERATIONS + 2];
    char *gen_names[LC_ORG_MAX_GENERATIONS] = {NULL};
    char *ylabel = lc_aprintf("cash (%s)", s->units.display);
    char *ylabel2 = lc_aprintf("cumulative (%s)", s->units.display);
    lc_plot_marker mk[4];
    size_t nm = 0;
    int own = !isnan(t->s[LC_ORG_RENT_COMPUTE][0]);
    if (data == NULL || ylabel == NULL || ylabel2 == NULL) {
        lc_doc_fail(d);
        goto done;
    }
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)(m + 1); /* months elapsed: the cash at the end of month m */
        if (mc->ran) {
            row[1] = money(s, mc->band[m * 3]);
            row[2] = money(s, mc->band[m * 3 + 1]);
            row[3] = money(s, mc->band[m * 3 + 2]);
        }
        row[nc - 1] = money(s, t->s[LC_ORG_CASH][m]);
    }
    if (t->runway >= 0)
        mk[nm].x = (double)t->runway, mk[nm++].label = "cash runs out";
    if (t->breakeven >= 0)
        mk[nm].x = (double)t->breakeven, mk[nm++].label = "break-even";
    if (H >= 36)
        mk[nm].x = 36, mk[nm++].label = "3 years";
    if (H >= 60)
        mk[nm].x = 60, mk[nm++].label = "5 years";
    line_chart(sec, s, t, data, nc, mc->ran ? names5 : names2, "Cash month by month", ylabel,
               "simulate-cash", s->units.display, mc->ran, mk, nm);

    nc = own ? 4 : 3;
    names[0] = "month";
    names[1] = "cash flow before funding, cumulative";
    names[2] = "the same, discounted to month 0";
    names[3] = "owning's saving over renting, discounted";
    for (m = 0; m < H; m++) {
        double *row = data + m * nc, *const *x = t->s;
        plain +=
            x[LC_ORG_REVENUE][m] + x[LC_ORG_RESALE][m] + x[LC_ORG_BORROWED][m] - x[LC_ORG_SPEND][m];
        if (own)
            save += lc_org_own_saving(t, m) / lc_org_discount_factor(t, m);
        row[0] = (double)(m + 1);
        row[1] = money(s, plain);
        row[2] = money(s, x[LC_ORG_DCF_CUM][m]);
        if (own)
            row[3] = money(s, save);
    }
    line_chart(sec, s, t, data, nc, names, "Cumulative cash, discounted", ylabel2,
               "simulate-discounted", s->units.display, 0, NULL, 0);

    nc = t->ngens + 2;
    for (g = 0; g < t->ngens; g++) {
        gen_names[g] = lc_aprintf("owned: %s", t->gen_names[g]);
        if (gen_names[g] == NULL)
            lc_doc_fail(d);
        names[g + 1] = gen_names[g] ? gen_names[g] : "owned";
    }
    names[t->ngens + 1] = "rented";
    for (m = 0; m < H; m++) {
        double *row = data + m * nc;
        row[0] = (double)(m + 1);
        for (g = 0; g < t->ngens; g++)
            row[g + 1] = t->s[LC_ORG_GEN_FIRST + g][m];
        row[t->ngens + 1] = t->s[LC_ORG_GPUS_RENTED][m];
    }
    line_chart(sec, s, t, data, nc, names, "GPUs by generation, month by month", "GPUs",
               "simulate-fleet", "GPU", 0, NULL, 0);
done:
    for (g = 0; g < LC_ORG_MAX_GENERATIONS; g++)
        free(gen_names[g]);
    free(data);
    free(ylabel);
    free(ylabel2);
}

/* A month as a cell: a number, or missing with the reason. */
static void month_cell(lc_rtable *t, size_t col, double months, const char *why)
{
    if (isnan(months) || isinf(months))
        lc_rtable_missing(t, col, why);
    else
        lc_rtable_num(t, col, months);
}

/* The simulation as sections of doc: outlook, money over time, Monte Carlo,
 * the sim.* metrics, years, months, claims and, with plot, the charts. */
size_t lc_fill_simulation(lc_doc *d, lc_section *sec, const lc_simulate *r, int plot)
{
    const lc_scenario *s = r->s;
    const lc_org *o = r->o;
    const lc_org_timeline *t = &r->t;
    const double *sim = r->sim;
    const lc_simulate_mc *mc = &r->mc;
    const lc_claim *const *cl = r->cl;
    size_t ncl = r->ncl;
    const char *cur = s->units.display;
    if (sec == NULL)
        sec = lc_fill_scenario_section(d, s);
    lc_rtable *tb;
    size_t i, m, y, c, failed = 0;
    char *mcur = lc_aprintf("%s/year", cur);
    if (mcur == NULL)
        lc_doc_fail(d);
    lc_section_fact_num(sec, "horizon_months", (double)t->months);

    /* The answer first: does the cash last, when does revenue cover costs. */
    tb = lc_section_table(sec, "outlook", "Outlook");
    {
        size_t c_run = lc_rtable_col(tb, "runway_month", "base case: cash runs out in month", "month",
                                     LC_COL_COUNT);
        size_t c_be = lc_rtable_col(tb, "breakeven_month", "base case: break-even month", "month",
                                    LC_COL_COUNT);
        size_t c_cpy = lc_rtable_col(tb, "compute_per_year", "compute spend a year", mcur,
                                     LC_COL_MONEY);
        size_t c_spy = lc_rtable_col(tb, "spend_per_year", "all spend a year", mcur, LC_COL_MONEY);
        size_t c_36 = lc_rtable_col(tb, "survival_36", "P(cash lasts 36 months)", NULL,
                                    LC_COL_SHARE);
        size_t c_60 = lc_rtable_col(tb, "survival_60", "P(cash lasts 60 months)", NULL,
                                    LC_COL_SHARE);
        lc_rtable_row(tb);
        month_cell(tb, c_run, t->runway >= 0 ? (double)t->runway : NAN,
                   "the cash lasts the whole horizon");
        month_cell(tb, c_be, t->breakeven >= 0 ? (double)t->breakeven : NAN,
                   "not within the horizon");
        lc_rtable_num(tb, c_cpy, lc_units_to(&s->units, sim[LC_SIM_COMPUTE_PER_YEAR], "CUR/year"));
        lc_rtable_num(tb, c_spy, lc_units_to(&s->units, sim[LC_SIM_SPEND_PER_YEAR], "CUR/year"));
        if (isnan(sim[LC_SIM_SURVIVAL_36]))
            lc_rtable_missing(tb, c_36, "horizon too short");
        else
            lc_rtable_num(tb, c_36, sim[LC_SIM_SURVIVAL_36]);
        if (isnan(sim[LC_SIM_SURVIVAL_60]))
            lc_rtable_missing(tb, c_60, "horizon too short");
        else
            lc_rtable_num(tb, c_60, sim[LC_SIM_SURVIVAL_60]);
    }
    lc_section_text(sec, "%s",
                    mc->ran ? "Survival by Monte Carlo (table monte_carlo); break-even with GPUs "
                              "depreciated."
                            : "Survival from one run: no input has a distribution and no funding "
                              "round is uncertain; break-even with GPUs depreciated.");

    /* Money over time: NPV at the cost of capital, paybacks, owning against renting. */
    {
        double irr = NAN;
        int roots = lc_org_own_irr(t, &irr);
        size_t c_rate, c_npv, c_npvc, c_real, c_pay, c_save, c_op, c_opd, c_irr, c_rd;
        const char *rd_name, *rd_source;
        double rd = lc_org_rent_decline(o, &rd_name, &rd_source); /* 1/s */
        tb = lc_section_table(sec, "money", "Money over time");
        c_rate = lc_rtable_col(tb, "discount_rate", "cost of capital", "%/year",
                               LC_COL_QUANTITY);
        c_rd = lc_rtable_col(tb, "rent_decline", "rent decline", "%/year", LC_COL_QUANTITY);
        c_npv = lc_rtable_col(tb, "npv", "NPV of the cash flow before funding", cur,
                              LC_COL_MONEY);
        c_npvc = lc_rtable_col(tb, "npv_compute", "NPV of compute", cur, LC_COL_MONEY);
        c_real = lc_rtable_col(tb, "cash_end_real", "cash at the end, constant money", cur,
                               LC_COL_MONEY);
        c_pay = lc_rtable_col(tb, "payback_discounted", "discounted payback, month", "month",
                              LC_COL_COUNT);
        c_save = lc_rtable_col(tb, "own_saving_npv", "owning's saving over renting (NPV)", cur,
                               LC_COL_MONEY);
        c_op = lc_rtable_col(tb, "own_payback", "owning's payback, month", "month", LC_COL_COUNT);
        c_opd = lc_rtable_col(tb, "own_payback_discounted", "owning's discounted payback, month",
                              "month", LC_COL_COUNT);
        c_irr = lc_rtable_col(tb, "own_irr", "IRR of owning", "%/year", LC_COL_QUANTITY);
        lc_rtable_row(tb);
        lc_rtable_num(tb, c_rate, lc_units_to(&s->units, t->discount_rate, "%/year"));
        if (isnan(rd))
            lc_rtable_missing(tb, c_rd, rd_source);
        else
            lc_rtable_num(tb, c_rd, lc_units_to(&s->units, rd, "%/year"));
        lc_rtable_num(tb, c_npv, money(s, sim[LC_SIM_NPV]));
        lc_rtable_num(tb, c_npvc, money(s, sim[LC_SIM_NPV_COMPUTE]));
        lc_rtable_num(tb, c_real, money(s, sim[LC_SIM_CASH_END_REAL]));
        month_cell(tb, c_pay, sim[LC_SIM_PAYBACK_DISCOUNTED] / MONTH_S, "not within the horizon");
        if (roots != -1) {
            lc_rtable_num(tb, c_save, money(s, sim[LC_SIM_OWN_SAVING_NPV]));
            month_cell(tb, c_op, sim[LC_SIM_OWN_PAYBACK] / MONTH_S, "not within the horizon");
            month_cell(tb, c_opd, sim[LC_SIM_OWN_PAYBACK_DISCOUNTED] / MONTH_S,
                       "not within the horizon");
            if (roots == 1)
                lc_rtable_num(tb, c_irr, lc_units_to(&s->units, irr, "%/year"));
            else
                lc_rtable_missing(tb, c_irr,
                                  roots == 0 ? "no IRR: the savings never change sign"
                                             : "no single IRR: the NPV of the savings changes "
                                               "sign more than once (use the NPV)");
            if (roots == 1) {
                m = 0;
                while (m + 1 < t->months && lc_org_own_saving(t, m) == 0)
                    m++;
                if (lc_org_own_saving(t, m) > 0)
                    lc_section_text(sec, "Owning's savings come first and its costs later: its "
                                         "IRR is what owning costs, lower is better.");
            }
        } else {
            lc_rtable_missing(tb, c_save, "the organisation owns no GPU");
        }
        /* Issue 15: where the rent's yearly decline comes from, stated. */
        if (!isnan(rd))
            lc_section_text(sec,
                            "Rent decline (rental prices a year from the month a chip is on "
                            "sale; negative: a rise): %s%s%s.",
                            rd_name ? rd_name : "", rd_name ? ", " : "", rd_source);
        lc_section_fact_num(sec, "base_month", (double)t->base_month);
        lc_section_fact_qty(sec, "inflation", lc_units_to(&s->units, t->inflation, "%/year"),
                            "%/year", LC_COL_QUANTITY);
        lc_section_fact_hide(sec);
    }

    if (mc->ran) {
        size_t c_n, c_seed, c_thr, c_fail, c_36, c_60, c_be, k;
        static const char *const q[] = {"p5", "p50", "p95"};
        char seed[32];
        tb = lc_section_table(sec, "monte_carlo", "Monte Carlo");
        c_n = lc_rtable_col(tb, "samples", "samples", NULL, LC_COL_COUNT);
        c_seed = lc_rtable_col(tb, "seed", "seed", NULL, LC_COL_TEXT);
        c_thr = lc_rtable_col(tb, "threads", "threads", NULL, LC_COL_COUNT);
        c_fail = lc_rtable_col(tb, "failed", "not finite", NULL, LC_COL_COUNT);
        c_36 = lc_rtable_col(tb, "survival_36", "P(36 months)", NULL, LC_COL_SHARE);
        c_60 = lc_rtable_col(tb, "survival_60", "P(60 months)", NULL, LC_COL_SHARE);
        c_be = lc_rtable_col(tb, "breakeven_probability", "P(break-even)", NULL, LC_COL_SHARE);
        lc_rtable_detail(tb, c_thr);
        for (k = 0; k < 3; k++) {
            char name[40];
            snprintf(name, sizeof name, "compute_per_year_%s", q[k]);
            lc_rtable_col(tb, name, name, mcur, LC_COL_MONEY);
        }
        for (k = 0; k < 3; k++) {
            char name[16];
            snprintf(name, sizeof name, "npv_%s", q[k]);
            lc_rtable_col(tb, name, name, cur, LC_COL_MONEY);
        }
        c = lc_rtable_col(tb, "npv_positive_probability", "P(NPV > 0)", NULL, LC_COL_SHARE);
        lc_rtable_row(tb);
        lc_rtable_num(tb, c_n, (double)mc->n);
        snprintf(seed, sizeof seed, "%llu", (unsigned long long)mc->seed);
        lc_rtable_text(tb, c_seed, seed);
        lc_rtable_num(tb, c_thr, (double)mc->threads);
        lc_rtable_num(tb, c_fail, (double)mc->n_failed);
        lc_rtable_num(tb, c_36, mc->survival36);
        lc_rtable_num(tb, c_60, mc->survival60);
        lc_rtable_num(tb, c_be, mc->p_breakeven);
        for (k = 0; k < 3; k++) {
            lc_rtable_num(tb, c_be + 1 + k,
                          lc_units_to(&s->units, mc->compute_pct[k], "CUR/year"));
            lc_rtable_num(tb, c_be + 4 + k, money(s, mc->npv_pct[k]));
        }
        lc_rtable_num(tb, c, mc->p_npv_positive);
        {
            lc_rtable *ti = lc_section_table(sec, "uncertain", "Uncertain in the Monte Carlo");
            size_t c_name = lc_rtable_col(ti, "name", "input", NULL, LC_COL_TEXT);
            for (k = 0; k < mc->nv; k++) {
                lc_rtable_row(ti);
                lc_rtable_text(ti, c_name, lc_model_qty(s->model, mc->varied[k])->name);
            }
            if (mc->rounds) {
                lc_rtable_row(ti);
                lc_rtable_text(ti, c_name, "which funding rounds close");
            }
        }
        if (mc->n_failed)
            lc_section_warn(sec, "%zu samples gave a non-finite result and are left out",
                            mc->n_failed);
    }

    /* Every sim.* metric, which claims are judged on. */
    tb = lc_section_table(sec, "metrics", "Results as metrics (sim.*)");
    {
        size_t c_name = lc_rtable_col(tb, "name", "name", NULL, LC_COL_TEXT);
        size_t c_label = lc_rtable_col(tb, "label", "metric", NULL, LC_COL_TEXT);
        size_t c_v = lc_rtable_col(tb, "value", "value", NULL, LC_COL_QUANTITY);
        size_t c_u = lc_rtable_col(tb, "unit", "unit", NULL, LC_COL_UNIT);
        size_t c_doc = lc_rtable_col(tb, "doc", "what it is", NULL, LC_COL_TEXT);
        lc_rtable_unit_col(tb, c_v, c_u);
        lc_rtable_detail(tb, c_doc);
        for (i = 0; i < LC_SIM_NMETRICS; i++) {
            const char *unit = lc_sim_metrics[i].unit;
            size_t ul = strlen(unit) * 4 + 16;
            char *du = malloc(ul);
            lc_rtable_row(tb);
            lc_rtable_text(tb, c_name, lc_sim_metrics[i].name);
            lc_rtable_text(tb, c_label, lc_sim_metrics[i].label);
            if (isinf(sim[i])) /* censored (sim.breakeven) */
                lc_rtable_missing(tb, c_v, "not reached within the horizon");
            else {
                lc_rtable_num(tb, c_v, lc_units_to(&s->units, sim[i], unit));
                lc_rtable_cell_kind(tb, c_v,
                                    strstr(unit, "CUR")   ? LC_COL_MONEY
                                    : !strcmp(unit, "%") ? LC_COL_SHARE
                                                         : LC_COL_QUANTITY);
            }
            if (du)
                lc_units_display_name(&s->units, unit, du, ul);
            lc_rtable_text(tb, c_u, du);
            free(du);
            if (i == LC_SIM_RUNWAY && lc_org_runway_censored(t->months, sim[i]))
                lc_rtable_text(tb, c_doc, "at least this: the cash lasts the whole horizon");
            else
                lc_rtable_text(tb, c_doc, lc_sim_metrics[i].doc);
        }
    }

    /* Sums by calendar year of the horizon. */
    tb = lc_section_table(sec, "years", "Per year (sums over the year's months)");
    {
        static const char *const names[] = {"spend",     "compute",     "staff",   "training",
                                            "inference", "electricity", "capex",   "other",
                                            "revenue",   "funding",     "cash_end"};
        size_t c_y = lc_rtable_col(tb, "year", "year", NULL, LC_COL_COUNT);
        size_t c_m = lc_rtable_col(tb, "months", "months", NULL, LC_COL_COUNT);
        size_t c0 = lc_rtable_ncols(tb);
        for (i = 0; i < 11; i++)
            lc_rtable_col(tb, names[i], names[i], cur, LC_COL_MONEY);
        for (y = 0; y * 12 < t->months; y++) {
            yearsum ys;
            double v[11];
            year_sums(t, y, &ys);
            v[0] = ys.spend, v[1] = ys.compute, v[2] = ys.staff, v[3] = ys.training;
            v[4] = ys.inference, v[5] = ys.electricity, v[6] = ys.capex, v[7] = ys.other;
            v[8] = ys.revenue, v[9] = ys.funding, v[10] = ys.cash_end;
            lc_rtable_row(tb);
            lc_rtable_num(tb, c_y, (double)(y + 1));
            lc_rtable_num(tb, c_m, (double)ys.months);
            for (i = 0; i < 11; i++)
                lc_rtable_num(tb, c0 + i, money(s, v[i]));
        }
    }

    /* Month by month: every series; the terminal shows the main ones. */
    tb = lc_section_table(sec, "months", "Month by month");
    {
        size_t c_m = lc_rtable_col(tb, "month", "month", NULL, LC_COL_COUNT), c0, g0, b0 = 0;
        size_t ng = t->ngens > 1 ? t->ngens : 0;
        c0 = lc_rtable_ncols(tb);
        for (i = 0; i < NCOLS; i++) {
            size_t k = lc_rtable_col(tb, cols[i].name, cols[i].name, cols[i].money ? cur : NULL,
                                     cols[i].money ? LC_COL_MONEY : LC_COL_COUNT);
            if (!in_table(t, cols[i].s))
                lc_rtable_detail(tb, k);
        }
        g0 = lc_rtable_ncols(tb);
        for (i = 0; i < ng; i++) {
            char *name = lc_aprintf("gpus_%s", t->gen_names[i]);
            lc_rtable_col(tb, name ? name : "gpus", name ? name : "gpus", NULL, LC_COL_COUNT);
            if (name == NULL)
                lc_doc_fail(d);
            free(name);
        }
        if (mc->ran) {
            b0 = lc_rtable_ncols(tb);
            lc_rtable_col(tb, "cash_p5", "cash P5", cur, LC_COL_MONEY);
            lc_rtable_col(tb, "cash_p50", "cash P50", cur, LC_COL_MONEY);
            lc_rtable_col(tb, "cash_p95", "cash P95", cur, LC_COL_MONEY);
        }
        for (m = 0; m < t->months; m++) {
            lc_rtable_row(tb);
            lc_rtable_num(tb, c_m, (double)m);
            for (i = 0; i < NCOLS; i++) {
                double v = t->s[cols[i].s][m];
                lc_rtable_num(tb, c0 + i, cols[i].money ? money(s, v) : v);
            }
            for (i = 0; i < ng; i++)
                lc_rtable_num(tb, g0 + i, t->s[LC_ORG_GEN_FIRST + i][m]);
            for (i = 0; mc->ran && i < 3; i++)
                lc_rtable_num(tb, b0 + i, money(s, mc->band[m * 3 + i]));
        }
    }

    if (ncl) {
        lc_claim_ref *refs = malloc(ncl * sizeof *refs);
        if (refs == NULL)
            lc_doc_fail(d);
        for (i = 0; refs && i < ncl; i++) {
            refs[i].s = s;
            refs[i].c = cl[i];
        }
        if (refs)
            failed = lc_fill_claims(sec, refs, ncl, 0);
        free(refs);
    }
    if (plot)
        fill_charts(d, sec, s, t, mc);
    free(mcur);
    return failed;
}

