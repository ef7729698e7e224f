/* org.c — the organisation model: org: parsed and checked, simulated month by
 * month.  The schema and the simulation's rules are in lc_org.h. */
#include "lc_org.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lc_util.h"

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* A month is a twelfth of a 365-day year (README, "Units"): 730 hours. */
#define MONTH_S (365.0 * 86400.0 / 12.0)
#define YEAR_S  (365.0 * 86400.0)

enum { STRAT_RENT, STRAT_COMMIT, STRAT_OWN, STRAT_MIX };
enum { USERS_NONE, USERS_LOGISTIC, USERS_POINTS };

/* One number of the org: a constant, a model quantity, or the ratio of two. */
typedef struct oval {
    int set;
    double v;       /* constant, base units */
    long ref, ref2; /* indices into o->refs, or -1 */
} oval;

typedef struct round_ {
    size_t month;
    oval amount, probability; /* probability unset: the round closes for sure */
} round_;

typedef struct role {
    const char *name;
    oval count, salary, growth, max;
    size_t from;
} role;

typedef struct purchase {
    size_t month;
    oval gpus;
} purchase;

/* A dated value: users, or a price (dated rent and purchase prices). */
typedef struct upoint {
    size_t month;
    oval value;
} upoint;

enum { FIN_CASH, FIN_LOAN, FIN_LEASE };
enum { DEP_STRAIGHT, DEP_DECLINING, DEP_CURVE };

/* A chip generation: generation 0 is the compute: section's own chip. */
typedef struct gen {
    const char *name;
    size_t from;                                   /* first month it can be bought or rented */
    oval peak, gpu_price, rent_price, electricity; /* FLOP/s, CUR, CUR/s, CUR/s per GPU */
} gen;

/* A point of a resale-value curve: value (share of the price) at an age. */
typedef struct vpoint {
    double age_m; /* months */
    oval value;
} vpoint;

struct lc_org {
    const lc_scenario *s;
    size_t horizon;
    size_t *refs;
    size_t nrefs, caprefs;
    oval cash, other_costs;
    round_ *rounds;
    size_t nrounds;
    role *roles;
    size_t nroles;
    /* compute */
    int strategy, buy_to_need;
    oval own_share, commit_gpus, commit_discount, life, resale, rent_price, gpu_price, electricity;
    purchase *buys;
    size_t nbuys;
    /* money over time (compute: financing, depreciation, prices that move) */
    int financing, bullet, has_buyout, depreciation;
    oval loan_rate, term, lease_payment, buyout, dep_factor;
    vpoint *curve;
    size_t ncurve;
    upoint *rent_pts, *price_pts; /* dated prices of the first chip, or NULL */
    size_t nrent_pts, nprice_pts;
    oval rent_decline, price_decline, elec_escalation; /* 1/s: yearly rates */
    int has_compute;                                   /* the org has a compute: section */
    gen gens[LC_ORG_MAX_GENERATIONS];
    size_t ngens;
    /* finance: */
    oval discount, inflation; /* 1/s */
    size_t base_month;
    /* training */
    int training;
    oval gpu_hours, runs_per_year, run_months, growth, max_growth;
    size_t first_month;
    /* demand */
    int users_kind;
    oval u_start, u_cap, u_growth;
    upoint *points;
    size_t npoints;
    oval churn, acq_cost, queries, tokens, gpus_per_user;
    /* revenue */
    oval subscription, paying, api_price, api_share, c_per_month, c_value;
    size_t c_from;
    lc_claim *claims;
    size_t nclaims;
};

const lc_sim_info lc_sim_metrics[LC_SIM_NMETRICS] = {
    {"sim.runway", "month", "Months the cash lasts",
     "Months the cash lasts (the horizon when it lasts it)."},
    {"sim.breakeven", "month", "Break-even month",
     "First month (0 = the first) whose revenue covers its costs (not reached: +inf, null in "
     "JSON, when none does within the horizon)."},
    {"sim.cash_end", "CUR", "Cash at the end", "Cash at the end of the horizon."},
    {"sim.funding", "CUR", "Funding received", "Funding received over the horizon."},
    {"sim.spend_per_year", "CUR/year", "Total spend a year",
     "Spend a year, averaged over the horizon."},
    {"sim.compute_per_year", "CUR/year", "Compute spend a year",
     "Compute spend a year (training, inference, electricity, GPUs bought), averaged over the "
     "horizon."},
    {"sim.compute_peak_year", "CUR/year", "Compute spend, largest year",
     "Compute spend of the largest calendar year."},
    {"sim.revenue_per_year", "CUR/year", "Revenue a year",
     "Revenue a year, averaged over the horizon."},
    {"sim.staff_per_year", "CUR/year", "Staff spend a year",
     "Staff spend a year, averaged over the horizon."},
    {"sim.rental_per_year", "CUR/year", "GPU rental a year",
     "GPU rental a year (training and inference), averaged."},
    {"sim.electricity_per_year", "CUR/year", "Electricity of owned GPUs a year",
     "Electricity of owned GPUs a year, averaged."},
    {"sim.capex_per_year", "CUR/year", "GPUs bought a year",
     "GPUs bought a year, averaged over the horizon."},
    {"sim.other_per_year", "CUR/year", "Other costs a year",
     "Other costs and user acquisition a year, averaged."},
    {"sim.gpus_owned_end", "GPU", "GPUs owned at the end", "GPUs owned at the end of the horizon."},
    {"sim.gpus_peak", "GPU", "Largest GPU need", "Largest GPU need of any month."},
    {"sim.users_end", "users", "Users at the end", "Users in the last month."},
    {"sim.survival_36", "%", "P(cash lasts 36 months)",
     "Probability that the cash lasts 36 months (investors' 3 years)."},
    {"sim.survival_60", "%", "P(cash lasts 60 months)",
     "Probability that the cash lasts 60 months (investors' 5 years)."},
    {"sim.npv", "CUR", "NPV of the cash flow before funding",
     "Net present value of the cash flow before funding (revenue, resale and loans drawn minus "
     "spend), month m discounted by (1 + discount_rate)^(-m/12)."},
    {"sim.npv_revenue", "CUR", "NPV of revenue", "Revenue discounted to month 0."},
    {"sim.npv_compute", "CUR", "NPV of compute",
     "Compute cost discounted to month 0: rental, electricity, GPUs bought, interest, principal "
     "and lease payments, less loans drawn and resale."},
    {"sim.payback_discounted", "month", "Discounted payback month",
     "First month the cumulative discounted cash flow before funding is back at or above 0 "
     "(not computed when it is not within the horizon)."},
    {"sim.own_saving_npv", "CUR", "Owning's saving over renting (NPV)",
     "Compute cost had every GPU been rented minus the cost of owning, discounted: what owning "
     "is worth (own or mix strategies)."},
    {"sim.own_payback", "month", "Owning's payback month",
     "First month the cumulative saving of owning over renting is at or above 0 (not computed "
     "when not within the horizon)."},
    {"sim.own_payback_discounted", "month", "Owning's discounted payback month",
     "The same on discounted savings."},
    {"sim.own_irr", "%/year", "IRR of owning instead of renting",
     "Internal rate of return of owning instead of renting (not computed when none or several "
     "exist)."},
    {"sim.cash_end_real", "CUR", "Cash at the end, constant money",
     "Cash at the end of the horizon in the base month's money."},
    {"sim.book_value_end", "CUR", "Book value of owned GPUs at the end",
     "Owned GPUs at their depreciated value at the end."},
    {"sim.debt_end", "CUR", "GPU loans owed at the end",
     "GPU loan principal still owed at the end."},
    {"sim.interest_per_year", "CUR/year", "Interest on GPU loans a year",
     "Interest on GPU loans a year, averaged."},
};

/* --- parsing helpers --------------------------------------------------------- */

static lc_dim dim_of(int time, int money, int token)
{
    lc_dim d = lc_dim_none();
    d.e[LC_DIM_TIME] = (signed char)time;
    d.e[LC_DIM_MONEY] = (signed char)money;
    d.e[LC_DIM_TOKEN] = (signed char)token;
    return d;
}

static lc_mark text_mark(const lc_yaml_node *n)
{
    lc_mark m = n->mark;
    if (n->quoted && m.line > 0)
        m.col += 1;
    return m;
}

static int expect(const lc_yaml_node *n, lc_yaml_kind kind, const char *what, lc_error *err)
{
    if (n->kind == kind)
        return LC_OK;
    return lc_error_set(err, LC_EINPUT, n->mark, "%s must be %s, not %s", what,
                        lc_yaml_kind_name(kind), lc_yaml_kind_name(n->kind));
}

static long add_ref(lc_org *o, size_t qi, lc_error *err)
{
    size_t i;
    for (i = 0; i < o->nrefs; i++)
        if (o->refs[i] == qi)
            return (long)i;
    if (o->nrefs == o->caprefs) {
        size_t cap = o->caprefs ? 2 * o->caprefs : 16;
        size_t *r = realloc(o->refs, cap * sizeof *r);
        if (r == NULL) {
            lc_error_nomem(err);
            return -1;
        }
        o->refs = r;
        o->caprefs = cap;
    }
    o->refs[o->nrefs] = qi;
    return (long)o->nrefs++;
}

static double point(const lc_org *o, const oval *x)
{
    lc_model *m = o->s->model;
    double v;
    if (!x->set)
        return 0;
    if (x->ref < 0)
        return x->v;
    v = lc_model_qty(m, o->refs[x->ref])->value;
    if (x->ref2 >= 0)
        v /= lc_model_qty(m, o->refs[x->ref2])->value;
    return v;
}

static double val(const oval *x, const double *refs)
{
    double v;
    if (!x->set)
        return 0;
    if (x->ref < 0)
        return x->v;
    v = refs[x->ref];
    if (x->ref2 >= 0)
        v /= refs[x->ref2];
    return v;
}

/* A number with a unit of dimension `want`, or the name of a model quantity
 * of that dimension that has a value. */
static int qty(lc_org *o, const lc_yaml_node *n, lc_dim want, const char *what, oval *out,
               lc_error *err)
{
    lc_model *m = o->s->model;
    memset(out, 0, sizeof *out);
    out->ref = out->ref2 = -1;
    if (n->kind == LC_YAML_SCALAR && n->len > 0 &&
        ((n->str[0] >= 'a' && n->str[0] <= 'z') || (n->str[0] >= 'A' && n->str[0] <= 'Z') ||
         n->str[0] == '_') &&
        strchr(n->str, ' ') == NULL) {
        long qi = lc_model_find(m, n->str);
        lc_qty *q;
        if (qi < 0)
            return lc_model_unknown(m, "model quantity", n->str, text_mark(n), err);
        q = lc_model_qty(m, (size_t)qi);
        if (q->kind == LC_Q_CHOICE)
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s: %s is a choice, not a number",
                                what, n->str);
        if (!lc_dim_eq(q->dim, want)) {
            char w[LC_DIM_TEXT_MAX], g[LC_DIM_TEXT_MAX];
            lc_dim_describe(want, w, sizeof w);
            lc_dim_describe(q->dim, g, sizeof g);
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be %s, but %s is %s", what,
                                w, n->str, g);
        }
        if (!q->available)
            return lc_error_set(err, LC_EINPUT, text_mark(n),
                                "%s: %s has no value in this scenario (set its inputs; see "
                                "llmcost explain)",
                                what, n->str);
        if ((out->ref = add_ref(o, (size_t)qi, err)) < 0)
            return LC_ENOMEM;
        out->set = 1;
        return LC_OK;
    }
    if (lc_scenario_quantity(o->s, n, want, what, &out->v, err) != LC_OK)
        return err->code;
    out->set = 1;
    return LC_OK;
}

/* A model quantity as the default of an unset value, when it has a value. */
static int def_ref(lc_org *o, oval *x, const char *name, lc_error *err)
{
    long qi;
    if (x->set)
        return LC_OK;
    x->ref = x->ref2 = -1;
    qi = lc_model_find(o->s->model, name);
    if (qi < 0 || !lc_model_qty(o->s->model, (size_t)qi)->available)
        return LC_OK;
    if ((x->ref = add_ref(o, (size_t)qi, err)) < 0)
        return LC_ENOMEM;
    x->set = 1;
    return LC_OK;
}

/* Optional key of map: its quantity, checked to lie in [lo, hi]. */
static int opt_qty(lc_org *o, const lc_yaml_node *map, const char *key, lc_dim want,
                   const char *what, double lo, double hi, oval *out, lc_error *err)
{
    const lc_yaml_node *n = lc_yaml_get(map, key);
    double v;
    int rc;
    if (n == NULL) {
        memset(out, 0, sizeof *out);
        out->ref = out->ref2 = -1;
        return LC_OK;
    }
    if ((rc = qty(o, n, want, what, out, err)) != LC_OK)
        return rc;
    v = point(o, out);
    if (!(v >= lo) || !(v <= hi)) {
        char lo_[32], hi_[32];
        if (isinf(hi) && lo == 0)
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must not be negative, not %s",
                                what, n->str);
        if (isinf(hi))
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be above 0, not %s", what,
                                n->str);
        if (hi == 1 && (lo == 0 || lo == -1))
            return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be from %s to 100%%, not %s",
                                what, lo == 0 ? "0%" : "-100%", n->str);
        lc_units_format_number(lo, lo_, sizeof lo_);
        lc_units_format_number(hi, hi_, sizeof hi_);
        return lc_error_set(err, LC_EINPUT, text_mark(n), "%s must be from %s to %s, not %s", what,
                            lo_, hi_, n->str);
    }
    return LC_OK;
}

/* A month index: a whole number from 0 to horizon - 1. */
static int month_of(lc_org *o, const lc_yaml_node *n, const char *what, size_t *out, lc_error *err)
{
    double v;
    if (n->kind != LC_YAML_SCALAR)
        return lc_error_set(err, LC_EINPUT, n->mark, "%s must be a month number", what);
    if (lc_scenario_quantity(o->s, n, lc_dim_none(), what, &v, err) != LC_OK)
        return err->code;
    if (!(v >= 0) || v != floor(v) || v > (double)o->horizon - 1)
        return lc_error_set(err, LC_EINPUT, text_mark(n),
                            "%s must be a whole month from 0 (the first month) to %zu (the "
                            "horizon's last), not %s",
                            what, o->horizon - 1, n->str);
    *out = (size_t)v;
    return LC_OK;
}

static int opt_month(lc_org *o, const lc_yaml_node *map, const char *key, const char *what,
                     size_t *out, lc_error *err)
{
    const lc_yaml_node *n = lc_yaml_get(map, key);
    *out = 0;
    return n ? month_of(o, n, what, out, err) : LC_OK;
}

static int need(const lc_yaml_node *map, const char *key, const char *what, lc_error *err,
                const lc_yaml_node **out)
{
    *out = lc_yaml_get(map, key);
    if (*out == NULL)
        return lc_error_set(err, LC_EINPUT, map->mark, "%s needs %s:", what, key);
    return LC_OK;
}

/* --- sections ------------------------------------------------------------------ */

static int parse_funding(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"month", "amount", "probability", "note"};
    size_t i;
    if (expect(n, LC_YAML_SEQ, "org funding", err))
        return LC_EINPUT;
    o->rounds = calloc(n->n ? n->n : 1, sizeof *o->rounds);
    if (o->rounds == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n->n; i++) {
        const lc_yaml_node *r = n->items[i], *x;
        round_ *d = &o->rounds[o->nrounds];
        if (expect(r, LC_YAML_MAP, "a funding round", err) ||
            lc_scenario_check_keys(r, keys, NKEYS(keys), "a funding round", err))
            return LC_EINPUT;
        if (need(r, "month", "a funding round", err, &x) ||
            month_of(o, x, "a funding round's month", &d->month, err))
            return LC_EINPUT;
        if (need(r, "amount", "a funding round", err, &x) ||
            opt_qty(o, r, "amount", dim_of(0, 1, 0), "a funding round's amount", 0, INFINITY,
                    &d->amount, err) ||
            opt_qty(o, r, "probability", lc_dim_none(), "a funding round's probability", 0, 1,
                    &d->probability, err))
            return LC_EINPUT;
        o->nrounds++;
    }
    return LC_OK;
}

static int parse_staff(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"role",       "count",           "salary",
                                       "from_month", "growth_per_year", "max"};
    size_t i;
    if (expect(n, LC_YAML_SEQ, "org staff", err))
        return LC_EINPUT;
    o->roles = calloc(n->n ? n->n : 1, sizeof *o->roles);
    if (o->roles == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n->n; i++) {
        const lc_yaml_node *r = n->items[i], *x;
        role *d = &o->roles[o->nroles];
        if (expect(r, LC_YAML_MAP, "a staff entry", err) ||
            lc_scenario_check_keys(r, keys, NKEYS(keys), "a staff entry", err))
            return LC_EINPUT;
        if (need(r, "role", "a staff entry", err, &x) || expect(x, LC_YAML_SCALAR, "role", err))
            return LC_EINPUT;
        d->name = x->str;
        if (need(r, "count", "a staff entry", err, &x) ||
            need(r, "salary", "a staff entry", err, &x))
            return LC_EINPUT;
        if (opt_qty(o, r, "count", lc_dim_none(), "a staff count", 0, INFINITY, &d->count, err) ||
            opt_qty(o, r, "salary", dim_of(-1, 1, 0), "a salary", 0, INFINITY, &d->salary, err) ||
            opt_qty(o, r, "growth_per_year", lc_dim_none(), "growth_per_year", -1, 100, &d->growth,
                    err) ||
            opt_qty(o, r, "max", lc_dim_none(), "max", 0, INFINITY, &d->max, err) ||
            opt_month(o, r, "from_month", "from_month", &d->from, err))
            return LC_EINPUT;
        if (point(o, &d->growth) > 0 && !d->max.set)
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(r, "growth_per_year")->mark,
                                "staff growth needs a ceiling: give max: (the most people in "
                                "role %s)",
                                d->name);
        o->nroles++;
    }
    return LC_OK;
}

/* A list of { month, KEY: value } points: months increasing from 0; linear
 * between points, constant after the last (points_at). */
static int parse_points(lc_org *o, const lc_yaml_node *n, const char *key, lc_dim dim, double hi,
                        upoint **out, size_t *nout, lc_error *err)
{
    const char *pkeys[2];
    char what[64], mwhat[64];
    size_t i;
    pkeys[0] = "month";
    pkeys[1] = key;
    snprintf(what, sizeof what, "a %s point", key);
    snprintf(mwhat, sizeof mwhat, "a %s point's month", key);
    *nout = 0;
    if ((*out = calloc(n->n ? n->n : 1, sizeof **out)) == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n->n; i++) {
        const lc_yaml_node *p = n->items[i], *x;
        upoint *u = &(*out)[i];
        if (expect(p, LC_YAML_MAP, what, err) || lc_scenario_check_keys(p, pkeys, 2, what, err) ||
            need(p, "month", what, err, &x) || month_of(o, x, mwhat, &u->month, err) ||
            need(p, key, what, err, &x) || opt_qty(o, p, key, dim, key, 0, hi, &u->value, err))
            return LC_EINPUT;
        if (i == 0 && u->month != 0)
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(p, "month")->mark,
                                "the first %s point must be month 0", key);
        if (i > 0 && u->month <= (*out)[i - 1].month)
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(p, "month")->mark,
                                "%s points must have increasing months", key);
        (*nout)++;
    }
    return LC_OK;
}

static double points_at(const upoint *p, size_t n, const double *refs, size_t m)
{
    size_t i;
    for (i = 1; i < n; i++)
        if (m < p[i].month) {
            double va = val(&p[i - 1].value, refs), vb = val(&p[i].value, refs);
            return va +
                   (vb - va) * (double)(m - p[i - 1].month) / (double)(p[i].month - p[i - 1].month);
        }
    return val(&p[n - 1].value, refs);
}

/* --- money over time: rates, financing, depreciation, generations ------------ */

/* Optional yearly rate (dimension 1/time, e.g. "20 %/year") from 0 to max a year. */
static int opt_rate(lc_org *o, const lc_yaml_node *map, const char *key, double max_per_year,
                    oval *out, lc_error *err)
{
    const lc_yaml_node *x = lc_yaml_get(map, key);
    if (opt_qty(o, map, key, dim_of(-1, 0, 0), key, 0, INFINITY, out, err))
        return LC_EINPUT;
    if (x && point(o, out) * YEAR_S > max_per_year * (1 + 1e-12))
        return lc_error_set(err, LC_EINPUT, text_mark(x), "%s must be at most %g %%/year, not %s",
                            key, 100 * max_per_year, x->str);
    return LC_OK;
}

/* A length of time that is a whole number of months from 1 to the limit. */
static int opt_months(lc_org *o, const lc_yaml_node *map, const char *key, const char *what,
                      oval *out, lc_error *err)
{
    const lc_yaml_node *x = lc_yaml_get(map, key);
    double mo;
    if (opt_qty(o, map, key, dim_of(1, 0, 0), what, 0, INFINITY, out, err))
        return LC_EINPUT;
    if (x == NULL)
        return LC_OK;
    mo = point(o, out) / MONTH_S;
    if (fabs(mo - floor(mo + 0.5)) > 1e-9 || mo < 0.5 || mo > LC_ORG_MAX_HORIZON + 0.5)
        return lc_error_set(err, LC_EINPUT, text_mark(x),
                            "%s must be a whole number of months from 1 to %d, not %s", what,
                            LC_ORG_MAX_HORIZON, x->str);
    return LC_OK;
}

/* Optional yearly decline of a price (1/time): at most 100 %/year (the price
 * gone in a year), at least -1000 %/year (a rise, as electricity_escalation's
 * limit); gpu.rent_decline's domain (LC_DOM_DECLINE) is the same. */
static int opt_decline(lc_org *o, const lc_yaml_node *map, const char *key, oval *out,
                       lc_error *err)
{
    const lc_yaml_node *x = lc_yaml_get(map, key);
    double v;
    if (opt_qty(o, map, key, dim_of(-1, 0, 0), key, -INFINITY, INFINITY, out, err))
        return LC_EINPUT;
    if (x == NULL)
        return LC_OK;
    v = point(o, out) * YEAR_S;
    if (v > 1 + 1e-12)
        return lc_error_set(err, LC_EINPUT, text_mark(x), "%s must be at most 100 %%/year, not %s",
                            key, x->str);
    if (v < -10 * (1 + 1e-12))
        return lc_error_set(err, LC_EINPUT, text_mark(x),
                            "%s must be at least -1000 %%/year (a rise of 1000 %%/year), not %s",
                            key, x->str);
    return LC_OK;
}

static int parse_prices(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    if (opt_decline(o, n, "rent_decline", &o->rent_decline, err) ||
        opt_decline(o, n, "price_decline", &o->price_decline, err) ||
        opt_rate(o, n, "electricity_escalation", 10, &o->elec_escalation, err))
        return LC_EINPUT;
    /* Issue 15: an unset rent decline is what the catalog's dated rents of the
     * chip imply (gpu.rent_decline, fitted by lc_catalog_apply; 0 without a
     * catalog GPU or a fit), unless the rent is dated points.  The catalog has
     * one dated purchase price per chip, no series: price_decline stays 0. */
    o->has_compute = 1;
    if (!o->rent_decline.set && o->nrent_pts == 0 &&
        def_ref(o, &o->rent_decline, "gpu.rent_decline", err))
        return err->code;
    return LC_OK;
}

static int parse_generations(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"name",       "from_month",  "peak", "gpu_price",
                                       "rent_price", "electricity", "note"};
    const lc_yaml_node *list = lc_yaml_get(n, "generations"), *x;
    lc_dim flops = lc_dim_none();
    size_t i;
    gen *g0 = &o->gens[0];
    flops.e[LC_DIM_COMPUTE] = 1;
    flops.e[LC_DIM_TIME] = -1;
    o->ngens = 1;
    g0->name = "base";
    g0->gpu_price = o->gpu_price;
    g0->rent_price = o->rent_price;
    g0->electricity = o->electricity;
    if (opt_qty(o, n, "peak", flops, "peak", 1e-300, INFINITY, &g0->peak, err))
        return LC_EINPUT;
    if (list == NULL)
        return LC_OK;
    if (expect(list, LC_YAML_SEQ, "generations", err))
        return LC_EINPUT;
    if (list->n + 1 > LC_ORG_MAX_GENERATIONS)
        return lc_error_set(err, LC_EINPUT, list->mark, "at most %d generations",
                            LC_ORG_MAX_GENERATIONS - 1);
    if (def_ref(o, &g0->peak, "gpu.peak", err))
        return err->code;
    if (!g0->peak.set)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "generations need the first chip's peak: (or the model's gpu.peak)");
    for (i = 0; i < list->n; i++) {
        const lc_yaml_node *e = list->items[i];
        gen *g = &o->gens[o->ngens];
        if (expect(e, LC_YAML_MAP, "a generation", err) ||
            lc_scenario_check_keys(e, keys, NKEYS(keys), "a generation", err) ||
            need(e, "name", "a generation", err, &x) || expect(x, LC_YAML_SCALAR, "name", err))
            return LC_EINPUT;
        g->name = x->str;
        if (need(e, "from_month", "a generation", err, &x) ||
            month_of(o, x, "a generation's from_month", &g->from, err) ||
            need(e, "peak", "a generation", err, &x) ||
            opt_qty(o, e, "peak", flops, "peak", 1e-300, INFINITY, &g->peak, err) ||
            opt_qty(o, e, "gpu_price", dim_of(0, 1, 0), "gpu_price", 0, INFINITY, &g->gpu_price,
                    err) ||
            opt_qty(o, e, "rent_price", dim_of(-1, 1, 0), "rent_price", 0, INFINITY, &g->rent_price,
                    err) ||
            opt_qty(o, e, "electricity", dim_of(-1, 1, 0), "electricity", 0, INFINITY,
                    &g->electricity, err))
            return LC_EINPUT;
        if (g->from <= o->gens[o->ngens - 1].from)
            return lc_error_set(err, LC_EINPUT, text_mark(x = lc_yaml_get(e, "from_month")),
                                "generations must come in order of from_month, each after the "
                                "one before (the first chip is available from month 0)");
        if ((o->strategy == STRAT_OWN || o->strategy == STRAT_MIX) &&
            (!g->gpu_price.set || !g->electricity.set))
            return lc_error_set(err, LC_EINPUT, e->mark,
                                "generation %s needs gpu_price: and electricity: (owned GPUs)",
                                g->name);
        if (o->rent_price.set && !g->rent_price.set)
            return lc_error_set(err, LC_EINPUT, e->mark,
                                "generation %s needs rent_price:", g->name);
        o->ngens++;
    }
    return LC_OK;
}

static int parse_financing(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const lkeys[] = {"kind", "rate", "term", "repayment"};
    static const char *const skeys[] = {"kind", "payment", "term", "buyout"};
    const lc_yaml_node *f = lc_yaml_get(n, "financing"), *k, *x;
    o->financing = FIN_CASH;
    if (f == NULL || (f->kind == LC_YAML_SCALAR && strcmp(f->str, "cash") == 0))
        return LC_OK;
    if (f->kind != LC_YAML_MAP || (k = lc_yaml_get(f, "kind")) == NULL ||
        k->kind != LC_YAML_SCALAR || (strcmp(k->str, "loan") != 0 && strcmp(k->str, "lease") != 0))
        return lc_error_set(err, LC_EINPUT, f->mark,
                            "financing must be cash, { kind: loan, rate: 8 %%/year, term: 36 "
                            "month } or { kind: lease, payment: 3 %%/month, term: 36 month }");
    if (strcmp(k->str, "loan") == 0) {
        o->financing = FIN_LOAN;
        if (lc_scenario_check_keys(f, lkeys, NKEYS(lkeys), "a loan", err) ||
            need(f, "rate", "a loan", err, &x) || need(f, "term", "a loan", err, &x) ||
            opt_rate(o, f, "rate", 10, &o->loan_rate, err) ||
            opt_months(o, f, "term", "a loan's term", &o->term, err))
            return LC_EINPUT;
        if ((x = lc_yaml_get(f, "repayment"))) {
            if (x->kind != LC_YAML_SCALAR ||
                (strcmp(x->str, "amortising") != 0 && strcmp(x->str, "bullet") != 0))
                return lc_error_set(err, LC_EINPUT, x->mark,
                                    "repayment must be amortising (equal monthly payments) or "
                                    "bullet (interest only, principal at the end)");
            o->bullet = strcmp(x->str, "bullet") == 0;
        }
        return LC_OK;
    }
    o->financing = FIN_LEASE;
    if (lc_scenario_check_keys(f, skeys, NKEYS(skeys), "a lease", err) ||
        need(f, "payment", "a lease", err, &x) || need(f, "term", "a lease", err, &x) ||
        opt_qty(o, f, "payment", dim_of(-1, 0, 0), "a lease's payment", 0, INFINITY,
                &o->lease_payment, err) ||
        opt_months(o, f, "term", "a lease's term", &o->term, err) ||
        opt_qty(o, f, "buyout", lc_dim_none(), "buyout", 0, 1, &o->buyout, err))
        return LC_EINPUT;
    o->has_buyout = o->buyout.set;
    return LC_OK;
}

static int parse_depreciation(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const dkeys[] = {"method", "factor", "curve"};
    static const char *const ckeys[] = {"age", "value"};
    const lc_yaml_node *d = lc_yaml_get(n, "depreciation"), *m, *c;
    size_t i;
    o->depreciation = DEP_STRAIGHT;
    if (d == NULL)
        return LC_OK;
    if (d->kind == LC_YAML_SCALAR)
        m = d;
    else if (d->kind == LC_YAML_MAP) {
        if (lc_scenario_check_keys(d, dkeys, NKEYS(dkeys), "depreciation", err))
            return LC_EINPUT;
        m = lc_yaml_get(d, "method");
    } else
        m = NULL;
    if (m && m->kind == LC_YAML_SCALAR && strcmp(m->str, "straight_line") == 0)
        return LC_OK;
    if (m && m->kind == LC_YAML_SCALAR && strcmp(m->str, "declining_balance") == 0) {
        o->depreciation = DEP_DECLINING;
        if (d->kind == LC_YAML_MAP &&
            opt_qty(o, d, "factor", lc_dim_none(), "factor", 0.1, 10, &o->dep_factor, err))
            return LC_EINPUT;
        return LC_OK;
    }
    if (m != NULL || d->kind != LC_YAML_MAP || (c = lc_yaml_get(d, "curve")) == NULL ||
        c->kind != LC_YAML_SEQ || c->n == 0)
        return lc_error_set(err, LC_EINPUT, d->mark,
                            "depreciation must be straight_line, declining_balance, { method: "
                            "declining_balance, factor: 2 } or { curve: [ { age: 12 month, "
                            "value: 60%% }, ... ] }");
    if (lc_yaml_get(n, "resale"))
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "resale")->mark,
                            "resale: and a depreciation curve: exclude each other (the curve's "
                            "value at the end of life is the resale)");
    o->depreciation = DEP_CURVE;
    if ((o->curve = calloc(c->n, sizeof *o->curve)) == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < c->n; i++) {
        const lc_yaml_node *p = c->items[i], *x;
        vpoint *v = &o->curve[i];
        oval age;
        if (expect(p, LC_YAML_MAP, "a curve point", err) ||
            lc_scenario_check_keys(p, ckeys, NKEYS(ckeys), "a curve point", err) ||
            need(p, "age", "a curve point", err, &x) ||
            need(p, "value", "a curve point", err, &x) ||
            opt_qty(o, p, "age", dim_of(1, 0, 0), "age", 0, INFINITY, &age, err) ||
            opt_qty(o, p, "value", lc_dim_none(), "value", 0, 1, &v->value, err))
            return LC_EINPUT;
        v->age_m = point(o, &age) / MONTH_S;
        if ((i > 0 && v->age_m <= o->curve[i - 1].age_m) ||
            (i > 0 && point(o, &v->value) > point(o, &o->curve[i - 1].value)))
            return lc_error_set(err, LC_EINPUT, p->mark,
                                "curve points need increasing ages and values that do not rise");
        o->ncurve++;
    }
    return LC_OK;
}

/* A price: one quantity, or dated points [ { month: 0, price: ... }, ... ]
 * (then *out is the first point's, for the checks that it is set). */
static int price_arg(lc_org *o, const lc_yaml_node *map, const char *key, lc_dim dim, oval *out,
                     upoint **pts, size_t *npts, lc_error *err)
{
    const lc_yaml_node *x = lc_yaml_get(map, key);
    if (x == NULL || x->kind != LC_YAML_SEQ)
        return opt_qty(o, map, key, dim, key, 0, INFINITY, out, err);
    if (x->n == 0)
        return lc_error_set(err, LC_EINPUT, x->mark,
                            "%s must be a price or a list of { month, price } points", key);
    if (parse_points(o, x, "price", dim, INFINITY, pts, npts, err))
        return LC_EINPUT;
    *out = (*pts)[0].value;
    return LC_OK;
}

static int parse_compute(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {
        "strategy",  "own_share",    "commit",       "purchases",     "buy_to_need",
        "life",      "resale",       "rent_price",   "gpu_price",     "electricity",
        "financing", "depreciation", "rent_decline", "price_decline", "electricity_escalation",
        "peak",      "generations"};
    static const char *const strategies[] = {"rent", "commit", "own", "mix"};
    static const char *const ckeys[] = {"gpus", "discount"};
    static const char *const pkeys[] = {"month", "gpus", "note"};
    const lc_yaml_node *x;
    size_t i;
    if (expect(n, LC_YAML_MAP, "org compute", err) ||
        lc_scenario_check_keys(n, keys, NKEYS(keys), "org compute", err))
        return LC_EINPUT;
    o->strategy = STRAT_RENT;
    if ((x = lc_yaml_get(n, "strategy"))) {
        int k = -1;
        if (expect(x, LC_YAML_SCALAR, "strategy", err))
            return LC_EINPUT;
        for (i = 0; i < NKEYS(strategies); i++)
            if (strcmp(x->str, strategies[i]) == 0)
                k = (int)i;
        if (k < 0) {
            const char *best = lc_suggest(x->str, strategies, NKEYS(strategies));
            return lc_error_set(err, LC_EINPUT, text_mark(x), "unknown compute strategy '%s'%s%s%s",
                                x->str,
                                best ? " (did you mean " : " (known: rent, commit, own, mix",
                                best ? best : "", best ? "?)" : ")");
        }
        o->strategy = k;
    }
    if (opt_qty(o, n, "own_share", lc_dim_none(), "own_share", 0, 1, &o->own_share, err) ||
        opt_qty(o, n, "life", dim_of(1, 0, 0), "life", 0, INFINITY, &o->life, err) ||
        opt_qty(o, n, "resale", lc_dim_none(), "resale", 0, 1, &o->resale, err) ||
        price_arg(o, n, "rent_price", dim_of(-1, 1, 0), &o->rent_price, &o->rent_pts, &o->nrent_pts,
                  err) ||
        price_arg(o, n, "gpu_price", dim_of(0, 1, 0), &o->gpu_price, &o->price_pts, &o->nprice_pts,
                  err) ||
        opt_qty(o, n, "electricity", dim_of(-1, 1, 0), "electricity", 0, INFINITY, &o->electricity,
                err))
        return LC_EINPUT;
    if (o->strategy == STRAT_MIX && !o->own_share.set)
        return lc_error_set(err, LC_EINPUT, n->mark, "strategy mix needs own_share: (e.g. 50%%)");
    if (o->strategy != STRAT_MIX && o->own_share.set)
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "own_share")->mark,
                            "own_share: is for strategy: mix");
    if ((x = lc_yaml_get(n, "commit"))) {
        if (o->strategy != STRAT_COMMIT)
            return lc_error_set(err, LC_EINPUT, x->mark, "commit: is for strategy: commit");
        if (expect(x, LC_YAML_MAP, "commit", err) ||
            lc_scenario_check_keys(x, ckeys, NKEYS(ckeys), "commit", err))
            return LC_EINPUT;
        if (opt_qty(o, x, "gpus", lc_dim_none(), "committed gpus", 0, INFINITY, &o->commit_gpus,
                    err) ||
            opt_qty(o, x, "discount", lc_dim_none(), "discount", 0, 1, &o->commit_discount, err))
            return LC_EINPUT;
    } else if (o->strategy == STRAT_COMMIT)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "strategy commit needs commit: { gpus: N, discount: P%% }");
    o->buy_to_need = o->strategy == STRAT_OWN || o->strategy == STRAT_MIX;
    if ((x = lc_yaml_get(n, "buy_to_need"))) {
        if (x->kind != LC_YAML_SCALAR ||
            (strcmp(x->str, "true") != 0 && strcmp(x->str, "false") != 0))
            return lc_error_set(err, LC_EINPUT, x->mark, "buy_to_need must be true or false");
        if (o->strategy != STRAT_OWN && o->strategy != STRAT_MIX)
            return lc_error_set(err, LC_EINPUT, x->mark, "buy_to_need: is for strategy own or mix");
        o->buy_to_need = strcmp(x->str, "true") == 0;
    }
    if ((x = lc_yaml_get(n, "purchases"))) {
        if (o->strategy != STRAT_OWN && o->strategy != STRAT_MIX)
            return lc_error_set(err, LC_EINPUT, x->mark, "purchases: are for strategy own or mix");
        if (expect(x, LC_YAML_SEQ, "purchases", err))
            return LC_EINPUT;
        o->buys = calloc(x->n ? x->n : 1, sizeof *o->buys);
        if (o->buys == NULL)
            return lc_error_nomem(err);
        for (i = 0; i < x->n; i++) {
            const lc_yaml_node *p = x->items[i], *y;
            purchase *b = &o->buys[o->nbuys];
            if (expect(p, LC_YAML_MAP, "a purchase", err) ||
                lc_scenario_check_keys(p, pkeys, NKEYS(pkeys), "a purchase", err) ||
                need(p, "month", "a purchase", err, &y) ||
                month_of(o, y, "a purchase's month", &b->month, err) ||
                need(p, "gpus", "a purchase", err, &y) ||
                opt_qty(o, p, "gpus", lc_dim_none(), "gpus bought", 0, 1e9, &b->gpus, err))
                return LC_EINPUT;
            o->nbuys++;
        }
    }
    /* Model values as defaults: the library's formulas, not ours. */
    if (def_ref(o, &o->rent_price, "gpu.rent", err) ||
        def_ref(o, &o->gpu_price, "own.capex_per_gpu", err) ||
        def_ref(o, &o->life, "own.life", err) ||
        def_ref(o, &o->electricity, "electricity.cost_per_gpu_hour", err))
        return err->code;
    if (!o->rent_price.set && (o->strategy != STRAT_OWN || !o->buy_to_need))
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "compute needs rent_price: (the model's gpu.rent is not set)");
    if (o->life.set && (o->strategy == STRAT_OWN || o->strategy == STRAT_MIX)) {
        double l = point(o, &o->life) / MONTH_S;
        if (!(l >= 1 - 1e-9) || l > 12.0 * 50 + 1e-9)
            return lc_error_set(err, LC_EINPUT,
                                lc_yaml_get(n, "life") ? text_mark(lc_yaml_get(n, "life"))
                                                       : n->mark,
                                "life must be from 1 month to 50 years");
    }
    if (parse_prices(o, n, err) || parse_generations(o, n, err))
        return err->code;
    if ((o->nrent_pts && lc_yaml_get(n, "rent_decline")) ||
        (o->nprice_pts && lc_yaml_get(n, "price_decline")))
        return lc_error_set(err, LC_EINPUT,
                            lc_yaml_get(n, o->nrent_pts && lc_yaml_get(n, "rent_decline")
                                               ? "rent_decline"
                                               : "price_decline")
                                ->mark,
                            "dated prices and a yearly decline exclude each other: give one");
    if (o->strategy == STRAT_OWN || o->strategy == STRAT_MIX) {
        if (parse_financing(o, n, err) || parse_depreciation(o, n, err))
            return err->code;
    } else if ((x = lc_yaml_get(n, "financing")) || (x = lc_yaml_get(n, "depreciation")))
        return lc_error_set(err, LC_EINPUT, x->mark,
                            "financing: and depreciation: are for strategy own or mix");
    if (o->has_buyout && o->life.set &&
        floor(point(o, &o->term) / MONTH_S + 0.5) >= floor(point(o, &o->life) / MONTH_S + 0.5))
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "financing")->mark,
                            "a lease with buyout: needs a term shorter than the GPUs' life");
    if (o->strategy == STRAT_OWN || o->strategy == STRAT_MIX) {
        if (!o->gpu_price.set)
            return lc_error_set(err, LC_EINPUT, n->mark,
                                "owning GPUs needs gpu_price: (the model's own.capex_per_gpu "
                                "cannot be computed: set fleet.server or server.*)");
        if (!o->life.set)
            return lc_error_set(err, LC_EINPUT, n->mark,
                                "owning GPUs needs life: (or own.life in the model)");
        if (!o->electricity.set)
            return lc_error_set(err, LC_EINPUT, n->mark,
                                "owning GPUs needs electricity: (the model's "
                                "electricity.cost_per_gpu_hour cannot be computed: set "
                                "electricity.price and the server)");
    }
    return LC_OK;
}

static int parse_training(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"gpu_hours",  "runs_per_year", "first_month",
                                       "run_months", "growth",        "max_growth"};
    const lc_yaml_node *x;
    if (expect(n, LC_YAML_MAP, "org training", err) ||
        lc_scenario_check_keys(n, keys, NKEYS(keys), "org training", err))
        return LC_EINPUT;
    o->training = 1;
    if (opt_qty(o, n, "gpu_hours", dim_of(1, 0, 0), "gpu_hours", 0, INFINITY, &o->gpu_hours, err) ||
        opt_qty(o, n, "runs_per_year", dim_of(-1, 0, 0), "runs_per_year", 0, INFINITY,
                &o->runs_per_year, err) ||
        opt_qty(o, n, "run_months", lc_dim_none(), "run_months", 1, LC_ORG_MAX_HORIZON,
                &o->run_months, err) ||
        opt_qty(o, n, "growth", lc_dim_none(), "growth", 0, 1000, &o->growth, err) ||
        opt_qty(o, n, "max_growth", lc_dim_none(), "max_growth", 0, 1e12, &o->max_growth, err) ||
        opt_month(o, n, "first_month", "first_month", &o->first_month, err))
        return LC_EINPUT;
    if ((x = lc_yaml_get(n, "runs_per_year")) && point(o, &o->runs_per_year) * YEAR_S > 12 + 1e-9)
        return lc_error_set(err, LC_EINPUT, text_mark(x),
                            "runs_per_year must be at most 12 runs/year (one run starting a "
                            "month), not %s",
                            x->str);
    if (o->run_months.set && point(o, &o->run_months) != floor(point(o, &o->run_months)))
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "run_months")->mark,
                            "run_months must be a whole number of months");
    if (o->growth.set && point(o, &o->growth) > 1 && !o->max_growth.set)
        return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "growth")->mark,
                            "training growth needs a ceiling: give max_growth: (the largest run "
                            "as a multiple of the first)");
    if (def_ref(o, &o->gpu_hours, "train.gpu_hours", err) ||
        def_ref(o, &o->runs_per_year, "train.runs_per_year", err))
        return err->code;
    if (!o->gpu_hours.set)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "training needs gpu_hours: (the model's train.gpu_hours cannot be "
                            "computed: set model.params, train.tokens and the GPU)");
    if (!o->runs_per_year.set)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "training needs runs_per_year: (or train.runs_per_year in the model)");
    return LC_OK;
}

static int parse_users(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const lkeys[] = {"start", "cap", "growth_per_year"};
    if (n->kind == LC_YAML_MAP) {
        const lc_yaml_node *x;
        if (lc_scenario_check_keys(n, lkeys, NKEYS(lkeys), "users", err))
            return LC_EINPUT;
        o->users_kind = USERS_LOGISTIC;
        if (need(n, "start", "a logistic users curve", err, &x) ||
            need(n, "growth_per_year", "a logistic users curve", err, &x))
            return LC_EINPUT;
        if (lc_yaml_get(n, "cap") == NULL)
            return lc_error_set(err, LC_EINPUT, n->mark,
                                "a users curve that grows needs a ceiling: give cap: (a logistic "
                                "curve never ends without one)");
        if (opt_qty(o, n, "start", lc_dim_none(), "start", 1e-9, INFINITY, &o->u_start, err) ||
            opt_qty(o, n, "cap", lc_dim_none(), "cap", 0, 1e11, &o->u_cap, err) ||
            opt_qty(o, n, "growth_per_year", lc_dim_none(), "growth_per_year", 0, 1000,
                    &o->u_growth, err))
            return LC_EINPUT;
        if (point(o, &o->u_cap) < point(o, &o->u_start))
            return lc_error_set(err, LC_EINPUT, lc_yaml_get(n, "cap")->mark,
                                "cap must be at least start");
        return LC_OK;
    }
    if (n->kind != LC_YAML_SEQ || n->n == 0)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "users must be { start, cap, growth_per_year } or a list of "
                            "{ month, users } points");
    o->users_kind = USERS_POINTS;
    return parse_points(o, n, "users", lc_dim_none(), 1e11, &o->points, &o->npoints, err);
}

static int parse_demand(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"users",
                                       "churn",
                                       "acquisition_cost",
                                       "queries_per_user",
                                       "tokens_per_query",
                                       "gpu_hours_per_user_month"};
    const lc_yaml_node *x;
    if (expect(n, LC_YAML_MAP, "org demand", err) ||
        lc_scenario_check_keys(n, keys, NKEYS(keys), "org demand", err))
        return LC_EINPUT;
    if (need(n, "users", "demand", err, &x) || parse_users(o, x, err))
        return LC_EINPUT;
    if (opt_qty(o, n, "churn", dim_of(-1, 0, 0), "churn", 0, INFINITY, &o->churn, err) ||
        opt_qty(o, n, "acquisition_cost", dim_of(0, 1, 0), "acquisition_cost", 0, INFINITY,
                &o->acq_cost, err) ||
        opt_qty(o, n, "queries_per_user", dim_of(-1, 0, 0), "queries_per_user", 0, INFINITY,
                &o->queries, err) ||
        opt_qty(o, n, "tokens_per_query", dim_of(0, 0, 1), "tokens_per_query", 0, INFINITY,
                &o->tokens, err) ||
        opt_qty(o, n, "gpu_hours_per_user_month", lc_dim_none(), "gpu_hours_per_user_month", 0,
                INFINITY, &o->gpus_per_user, err))
        return LC_EINPUT;
    if (o->churn.set && point(o, &o->churn) * MONTH_S > 1 + 1e-12)
        return lc_error_set(err, LC_EINPUT, text_mark(lc_yaml_get(n, "churn")),
                            "churn must be at most 100 %%/month");
    if (def_ref(o, &o->queries, "inf.queries_per_user", err))
        return err->code;
    if (!o->gpus_per_user.set) {
        /* GPUs the model sizes for its daily users, per user. */
        oval g, u;
        memset(&g, 0, sizeof g);
        memset(&u, 0, sizeof u);
        if (def_ref(o, &g, "inf.gpus", err) || def_ref(o, &u, "inf.daily_users", err))
            return err->code;
        if (!g.set || !u.set)
            return lc_error_set(err, LC_EINPUT, n->mark,
                                "demand needs gpu_hours_per_user_month: (or the model's inf.* "
                                "inputs, so that inf.gpus and inf.daily_users have values)");
        o->gpus_per_user.set = 1;
        o->gpus_per_user.ref = g.ref;
        o->gpus_per_user.ref2 = u.ref;
    }
    return LC_OK;
}

static int parse_revenue(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"subscription", "paying_share", "api_price", "api_share",
                                       "contracts"};
    static const char *const ckeys[] = {"per_month", "value", "from_month"};
    const lc_yaml_node *x;
    if (expect(n, LC_YAML_MAP, "org revenue", err) ||
        lc_scenario_check_keys(n, keys, NKEYS(keys), "org revenue", err))
        return LC_EINPUT;
    if (opt_qty(o, n, "subscription", dim_of(-1, 1, 0), "subscription", 0, INFINITY,
                &o->subscription, err) ||
        opt_qty(o, n, "paying_share", lc_dim_none(), "paying_share", 0, 1, &o->paying, err) ||
        opt_qty(o, n, "api_price", dim_of(0, 1, -1), "api_price", 0, INFINITY, &o->api_price,
                err) ||
        opt_qty(o, n, "api_share", lc_dim_none(), "api_share", 0, 1, &o->api_share, err))
        return LC_EINPUT;
    if ((o->subscription.set || o->api_price.set) && o->users_kind == USERS_NONE)
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "subscription and API revenue need users: give demand:");
    if (o->subscription.set && !o->paying.set)
        return lc_error_set(err, LC_EINPUT, n->mark, "subscription needs paying_share:");
    if (o->api_price.set && (!o->api_share.set || !o->queries.set || !o->tokens.set))
        return lc_error_set(err, LC_EINPUT, n->mark,
                            "api_price needs api_share: here and queries_per_user: and "
                            "tokens_per_query: under demand:");
    if ((x = lc_yaml_get(n, "contracts"))) {
        const lc_yaml_node *y;
        if (expect(x, LC_YAML_MAP, "contracts", err) ||
            lc_scenario_check_keys(x, ckeys, NKEYS(ckeys), "contracts", err) ||
            need(x, "per_month", "contracts", err, &y) || need(x, "value", "contracts", err, &y) ||
            opt_qty(o, x, "per_month", lc_dim_none(), "contracts per_month", 0, 1e6,
                    &o->c_per_month, err) ||
            opt_qty(o, x, "value", dim_of(0, 1, 0), "a contract's value", 0, INFINITY, &o->c_value,
                    err) ||
            opt_month(o, x, "from_month", "from_month", &o->c_from, err))
            return LC_EINPUT;
    }
    return LC_OK;
}

/* finance: { discount_rate, inflation, base_month }.  The default cost of
 * capital is DEFAULT_DISCOUNT (README, "Money over time"). */
#define DEFAULT_DISCOUNT 0.07 /* a year: US OMB Circular A-94 (1992), base-case rate */

/* Consumer prices a year, by the scenario's currency: the default inflation
 * of constant-money results (0 for other currencies). */
static const struct {
    const char *currency;
    double per_year;
} cpi[] = {
    {"CNY", 0.002}, /* China NBS (2025-01-09): CPI rose 0.2% in 2024 */
    {"USD", 0.029}, /* US BLS CPI-U, December 2023 to December 2024: +2.9% */
};

static int parse_finance(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"discount_rate", "inflation", "base_month"};
    size_t i;
    o->discount.set = 1;
    o->discount.ref = o->discount.ref2 = -1;
    o->discount.v = DEFAULT_DISCOUNT / YEAR_S;
    o->inflation.ref = o->inflation.ref2 = -1;
    for (i = 0; i < NKEYS(cpi); i++)
        if (strcmp(o->s->units.base, cpi[i].currency) == 0) {
            o->inflation.set = 1;
            o->inflation.v = cpi[i].per_year / YEAR_S;
        }
    if (n == NULL)
        return LC_OK;
    if (expect(n, LC_YAML_MAP, "org finance", err) ||
        lc_scenario_check_keys(n, keys, NKEYS(keys), "org finance", err))
        return LC_EINPUT;
    if (lc_yaml_get(n, "discount_rate") && opt_rate(o, n, "discount_rate", 10, &o->discount, err))
        return LC_EINPUT;
    if ((lc_yaml_get(n, "inflation") && opt_rate(o, n, "inflation", 10, &o->inflation, err)) ||
        opt_month(o, n, "base_month", "base_month", &o->base_month, err))
        return LC_EINPUT;
    return LC_OK;
}

static int sim_index(const char *name)
{
    int i;
    for (i = 0; i < LC_SIM_NMETRICS; i++)
        if (strcmp(lc_sim_metrics[i].name, name) == 0)
            return i;
    return -1;
}

static int sim_dim(const lc_org *o, int i, lc_dim *d)
{
    lc_unit u;
    size_t at;
    const char *unit = lc_sim_metrics[i].unit;
    if (lc_units_parse_unit(&o->s->units, unit, strlen(unit), &u, NULL, 0, &at) != 0)
        return -1;
    *d = u.dim;
    return 0;
}

static int parse_claims(lc_org *o, const lc_yaml_node *n, lc_error *err)
{
    static const char *const keys[] = {"id",   "claim", "metric",    "stated", "low",
                                       "high", "kind",  "tolerance", "source", "note"};
    static const char *const kinds[] = {"about", "at_least", "at_most", "range"};
    const char *names[LC_SIM_NMETRICS];
    size_t i, k;
    for (k = 0; k < LC_SIM_NMETRICS; k++)
        names[k] = lc_sim_metrics[k].name;
    if (expect(n, LC_YAML_SEQ, "org claims", err))
        return LC_EINPUT;
    o->claims = calloc(n->n ? n->n : 1, sizeof *o->claims);
    if (o->claims == NULL)
        return lc_error_nomem(err);
    for (i = 0; i < n->n; i++) {
        const lc_yaml_node *c = n->items[i], *x;
        lc_claim *cl = &o->claims[o->nclaims];
        lc_dim d;
        int si;
        if (expect(c, LC_YAML_MAP, "a claim", err) ||
            lc_scenario_check_keys(c, keys, NKEYS(keys), "a claim", err))
            return LC_EINPUT;
        cl->mark = c->mark;
        if ((x = lc_yaml_get(c, "id")) == NULL || x->kind != LC_YAML_SCALAR)
            return lc_error_set(err, LC_EINPUT, c->mark, "a claim needs id: (B1, T4, ...)");
        cl->id = x->str;
        if ((x = lc_yaml_get(c, "metric")) == NULL || x->kind != LC_YAML_SCALAR)
            return lc_error_set(err, LC_EINPUT, c->mark, "claim %s needs metric:", cl->id);
        if ((si = sim_index(x->str)) < 0) {
            const char *best = lc_suggest(x->str, names, LC_SIM_NMETRICS);
            return lc_error_set(err, LC_EINPUT, text_mark(x),
                                "org claims are on simulation results: unknown metric '%s'%s%s%s",
                                x->str,
                                best ? " (did you mean "
                                     : " (known: sim.runway, "
                                       "sim.compute_per_year, ...",
                                best ? best : "", best ? "?)" : ")");
        }
        cl->metric = x->str;
        cl->qi = (size_t)si;
        if (sim_dim(o, si, &d) != 0)
            return lc_error_set(err, LC_EINPUT, text_mark(x), "internal: bad unit of %s", x->str);
        cl->kind = LC_CLAIM_ABOUT;
        if ((x = lc_yaml_get(c, "kind"))) {
            int kk = -1;
            for (k = 0; k < NKEYS(kinds) && x->kind == LC_YAML_SCALAR; k++)
                if (strcmp(x->str, kinds[k]) == 0)
                    kk = (int)k;
            if (kk < 0)
                return lc_error_set(err, LC_EINPUT, x->mark,
                                    "kind: must be about, at_least, at_most or range");
            cl->kind = (lc_claim_kind)kk;
        }
        if (cl->kind == LC_CLAIM_RANGE) {
            const lc_yaml_node *lo = lc_yaml_get(c, "low"), *hi = lc_yaml_get(c, "high");
            if (lo == NULL || hi == NULL)
                return lc_error_set(err, LC_EINPUT, c->mark, "a range claim needs low: and high:");
            if (lc_scenario_quantity(o->s, lo, d, "low", &cl->stated, err) ||
                lc_scenario_quantity(o->s, hi, d, "high", &cl->stated_hi, err))
                return LC_EINPUT;
            cl->stated_text = lo->str;
            cl->stated_hi_text = hi->str;
        } else {
            if ((x = lc_yaml_get(c, "stated")) == NULL)
                return lc_error_set(err, LC_EINPUT, c->mark, "claim %s needs stated:", cl->id);
            if (lc_scenario_quantity(o->s, x, d, "stated", &cl->stated, err))
                return LC_EINPUT;
            cl->stated_text = x->str;
        }
        /* the scenario's rule: tolerance: 5 is an error, not 500% */
        if (lc_scenario_tolerance(o->s, lc_yaml_get(c, "tolerance"), d, cl, err))
            return LC_EINPUT;
        if ((x = lc_yaml_get(c, "claim")) && x->kind == LC_YAML_SCALAR)
            cl->text = x->str;
        if ((x = lc_yaml_get(c, "source")) && x->kind == LC_YAML_SCALAR)
            cl->source = x->str;
        if ((x = lc_yaml_get(c, "note")) && x->kind == LC_YAML_SCALAR)
            cl->note = x->str;
        o->nclaims++;
    }
    return LC_OK;
}

lc_org *lc_org_parse(const lc_scenario *s, const lc_yaml_node *node, lc_error *err)
{
    static const char *const keys[] = {"horizon",     "cash",    "funding",  "staff",
                                       "other_costs", "compute", "training", "demand",
                                       "revenue",     "claims",  "finance"};
    lc_org *o = calloc(1, sizeof *o);
    const lc_yaml_node *x;
    if (o == NULL) {
        lc_error_nomem(err);
        return NULL;
    }
    o->s = s;
    o->horizon = LC_ORG_DEFAULT_HORIZON;
    if (expect(node, LC_YAML_MAP, "org", err) ||
        lc_scenario_check_keys(node, keys, NKEYS(keys), "org", err))
        goto fail;
    if ((x = lc_yaml_get(node, "horizon"))) {
        double h;
        if (lc_scenario_quantity(s, x, dim_of(1, 0, 0), "horizon", &h, err))
            goto fail;
        h /= MONTH_S;
        if (fabs(h - floor(h + 0.5)) > 1e-9 || h < 0.5 || h > LC_ORG_MAX_HORIZON + 0.5) {
            lc_error_set(err, LC_EINPUT, text_mark(x),
                         "horizon must be a whole number of months from 1 to %d (50 years), not "
                         "'%s'",
                         LC_ORG_MAX_HORIZON, x->str);
            goto fail;
        }
        o->horizon = (size_t)floor(h + 0.5);
    }
    if (opt_qty(o, node, "cash", dim_of(0, 1, 0), "cash", -INFINITY, INFINITY, &o->cash, err) ||
        opt_qty(o, node, "other_costs", dim_of(-1, 1, 0), "other_costs", 0, INFINITY,
                &o->other_costs, err))
        goto fail;
    if (parse_finance(o, lc_yaml_get(node, "finance"), err))
        goto fail;
    if ((x = lc_yaml_get(node, "funding")) && parse_funding(o, x, err))
        goto fail;
    if ((x = lc_yaml_get(node, "staff")) && parse_staff(o, x, err))
        goto fail;
    if ((x = lc_yaml_get(node, "training")) && parse_training(o, x, err))
        goto fail;
    if ((x = lc_yaml_get(node, "demand")) && parse_demand(o, x, err))
        goto fail;
    if ((x = lc_yaml_get(node, "compute"))) {
        if (parse_compute(o, x, err))
            goto fail;
    } else if (o->training || o->users_kind != USERS_NONE) {
        lc_error_set(err, LC_EINPUT, node->mark,
                     "org needs compute: (strategy rent, commit, own or mix) to run its training "
                     "and serve its users");
        goto fail;
    }
    if ((x = lc_yaml_get(node, "revenue")) && parse_revenue(o, x, err))
        goto fail;
    if ((x = lc_yaml_get(node, "claims")) && parse_claims(o, x, err))
        goto fail;
    return o;
fail:
    lc_org_free(o);
    return NULL;
}

void lc_org_free(lc_org *o)
{
    if (o == NULL)
        return;
    free(o->refs);
    free(o->rounds);
    free(o->roles);
    free(o->buys);
    free(o->points);
    free(o->curve);
    free(o->rent_pts);
    free(o->price_pts);
    free(o->claims);
    free(o);
}

size_t lc_org_horizon(const lc_org *o)
{
    return o->horizon;
}

double lc_org_rent_decline(const lc_org *o, const char **name, const char **source)
{
    *name = NULL;
    if (!o->has_compute) {
        *source = "no compute: section (no GPUs)";
        return NAN;
    }
    if (o->nrent_pts) {
        *source = "dated rent_price: points (no yearly decline)";
        return 0;
    }
    if (o->rent_decline.set && o->rent_decline.ref >= 0) {
        lc_qty *q = lc_model_qty(o->s->model, o->refs[o->rent_decline.ref]);
        *name = q->name;
        *source = q->source ? q->source : "no source";
    } else
        *source = "compute: rent_decline";
    return point(o, &o->rent_decline);
}

void lc_org_refs(const lc_org *o, const size_t **out, size_t *n)
{
    *out = o->refs;
    *n = o->nrefs;
}

void lc_org_point_refs(const lc_org *o, const lc_scenario *s, double *vals)
{
    size_t i;
    for (i = 0; i < o->nrefs; i++)
        vals[i] = lc_model_qty(s->model, o->refs[i])->value;
}

void lc_org_claims(const lc_org *o, const lc_claim **out, size_t *n)
{
    *out = o->claims;
    *n = o->nclaims;
}

int lc_org_timeline_alloc(lc_org_timeline *t, size_t months)
{
    size_t k;
    memset(t, 0, sizeof *t);
    t->months = months;
    if ((t->root = gsl_root_fsolver_alloc(gsl_root_fsolver_brent)) == NULL)
        return LC_ENOMEM;
    for (k = 0; k < LC_ORG_NSERIES; k++)
        if ((t->s[k] = calloc(months ? months : 1, sizeof(double))) == NULL) {
            lc_org_timeline_free(t);
            return LC_ENOMEM;
        }
    return LC_OK;
}

void lc_org_timeline_free(lc_org_timeline *t)
{
    size_t k;
    for (k = 0; k < LC_ORG_NSERIES; k++) {
        free(t->s[k]);
        t->s[k] = NULL;
    }
    if (t->root)
        gsl_root_fsolver_free(t->root);
    t->root = NULL;
}

/* --- simulation ------------------------------------------------------------------ */

static double users_at(const lc_org *o, const double *refs, size_t m)
{
    if (o->users_kind == USERS_LOGISTIC) {
        double u0 = val(&o->u_start, refs), cap = val(&o->u_cap, refs);
        double r = log1p(val(&o->u_growth, refs)), t = (double)m / 12.0;
        if (cap <= u0)
            return cap;
        return cap / (1 + (cap / u0 - 1) * exp(-r * t));
    }
    if (o->users_kind == USERS_POINTS)
        return points_at(o->points, o->npoints, refs, m);
    return 0;
}

static double heads_at(const role *r, const double *refs, size_t m)
{
    double h, g = val(&r->growth, refs);
    if (m < r->from)
        return 0;
    h = val(&r->count, refs) * pow(1 + g, (double)((m - r->from) / 12));
    if (r->max.set && h > val(&r->max, refs))
        h = val(&r->max, refs);
    return floor(h + 0.5);
}

typedef struct cohort {
    size_t month; /* arrival */
    size_t gen;   /* index into o->gens */
    double gpus;
    double price;   /* CUR per GPU in the month it arrived */
    double loan;    /* CUR borrowed for it (0: paid in cash or leased) */
    int leased;     /* 1: under lease; bought out (0) at the end of the term with buyout: */
    int from_lease; /* bought out of a lease: depreciates from the buy-out value */
    int gone;
} cohort;

size_t lc_org_ndraws(const lc_org *o)
{
    size_t i;
    for (i = 0; i < o->nrounds; i++)
        if (o->rounds[i].probability.set)
            return o->nrounds;
    return 0;
}

/* The yearly rate r (given per second) compounded over `months`: (1 + r)^(months/12). */
static double compound(double rate_per_s, double months)
{
    return rate_per_s == 0 ? 1 : pow(1 + rate_per_s * YEAR_S, months / 12.0);
}

/* Linear between the curve's points, 100% at age 0, constant after the last. */
static double curve_at(const lc_org *o, const double *refs, double age_m)
{
    double a0 = 0, v0 = 1;
    size_t i;
    for (i = 0; i < o->ncurve; i++) {
        double a1 = o->curve[i].age_m, v1 = val(&o->curve[i].value, refs);
        if (age_m <= a1)
            return a1 == a0 ? v1 : v0 + (v1 - v0) * (age_m - a0) / (a1 - a0);
        a0 = a1;
        v0 = v1;
    }
    return v0;
}

/* Share of its price a cohort is worth after age_m months (depreciated). */
static double value_share(const lc_org *o, const double *refs, const cohort *c, double age_m,
                          double life_m, double resale)
{
    if (c->from_lease) {
        double term = floor(val(&o->term, refs) / MONTH_S + 0.5), b = val(&o->buyout, refs);
        if (age_m >= life_m)
            return resale;
        return b - (b - resale) * (age_m - term) / (life_m - term);
    }
    switch (o->depreciation) {
    case DEP_DECLINING: {
        double f = o->dep_factor.set ? val(&o->dep_factor, refs) : 2;
        double v = f >= life_m ? 0 : pow(1 - f / life_m, age_m);
        return v > resale ? v : resale;
    }
    case DEP_CURVE:
        return curve_at(o, refs, age_m);
    default:
        return 1 - (1 - resale) * (age_m < life_m ? age_m : life_m) / life_m;
    }
}

/* Interest and principal of payment k (1..n) of a loan L at monthly rate i,
 * and the principal still owed after it. */
static void loan_payment(double L, double i, double n, int bullet, double k, double *interest,
                         double *principal, double *owed)
{
    *interest = *principal = 0;
    *owed = L;
    if (k > n) {
        *owed = 0;
        return;
    }
    if (bullet) {
        *interest = k >= 1 ? L * i : 0;
        *principal = k >= n ? L : 0;
        *owed = k >= n ? 0 : L;
        return;
    }
    if (i == 0) {
        *principal = k >= 1 ? L / n : 0;
        *owed = L * (1 - k / n);
        return;
    }
    {
        double pay = L * i / (1 - pow(1 + i, -n)), g0 = pow(1 + i, k - 1), g1 = g0 * (1 + i);
        double before = L * g0 - pay * (g0 - 1) / i;
        *owed = k >= n ? 0 : L * g1 - pay * (g1 - 1) / i;
        if (k >= 1) {
            *interest = before * i;
            *principal = pay - *interest;
        }
    }
}

/* The month-by-month run; all_rented: the counterfactual where every GPU of
 * the need is rented on demand (no purchases). */
static int simulate(const lc_org *o, const double *refs, const double *draws, int all_rented,
                    lc_org_timeline *t, lc_error *err)
{
    size_t H = o->horizon, m, i, k, g, ncoh = 0, G = o->ngens ? o->ngens : 1;
    double *train = calloc(H, sizeof *train);
    cohort *coh = malloc((H + o->nbuys + 1) * sizeof *coh);
    double cash = val(&o->cash, refs), prev_users = 0, dcf = 0;
    double share = all_rented                 ? 0
                   : o->strategy == STRAT_OWN ? 1
                   : o->strategy == STRAT_MIX ? val(&o->own_share, refs)
                                              : 0;
    double resale = o->depreciation == DEP_CURVE ? 0 : val(&o->resale, refs);
    double commit = o->strategy == STRAT_COMMIT ? val(&o->commit_gpus, refs) : 0;
    double discount = val(&o->commit_discount, refs);
    double life_m = floor(val(&o->life, refs) / MONTH_S + 0.5);
    double rate = val(&o->discount, refs), term = floor(val(&o->term, refs) / MONTH_S + 0.5);
    double loan_i = val(&o->loan_rate, refs) * YEAR_S / 12; /* a month */
    double pd = val(&o->price_decline, refs), rd = val(&o->rent_decline, refs);
    double speed[LC_ORG_MAX_GENERATIONS];
    int rc = LC_OK;

    if (train == NULL || coh == NULL) {
        rc = lc_error_nomem(err);
        goto done;
    }
    if (life_m < 1)
        life_m = 1;
    if (o->depreciation == DEP_CURVE)
        resale = curve_at(o, refs, life_m);
    for (g = 0; g < G; g++)
        speed[g] = g == 0 || G == 1 ? 1 : val(&o->gens[g].peak, refs) / val(&o->gens[0].peak, refs);
    /* Training: each run's GPU-hours spread evenly over its months. */
    if (o->training) {
        double rpy = val(&o->runs_per_year, refs) * YEAR_S, h0 = val(&o->gpu_hours, refs);
        double gr = o->growth.set ? val(&o->growth, refs) : 1;
        double gmax = o->max_growth.set ? val(&o->max_growth, refs) : INFINITY;
        if (rpy > 0 && h0 > 0) {
            double spacing = 12.0 / (rpy > 12 ? 12 : rpy);
            double d = o->run_months.set ? val(&o->run_months, refs) : floor(spacing + 1e-9);
            if (d < 1)
                d = 1;
            for (k = 0;; k++) {
                size_t start = o->first_month + (size_t)floor((double)k * spacing + 1e-9), j;
                double f = pow(gr, (double)k), per;
                if (start >= H || k > 100000)
                    break;
                if (f > gmax)
                    f = gmax;
                per = h0 * f / (d * MONTH_S); /* GPUs busy each month of the run */
                for (j = start; j < H && j < start + (size_t)d; j++)
                    train[j] += per;
            }
        }
    }
    for (m = 0; m < H; m++) {
        double users = users_at(o, refs, m), g_inf, need, used, rented, rent_cost, paid;
        double staff = 0, bought = 0, resale_cash = 0, acquired, revenue, other, dep = 0;
        double tokens_user, owned = 0, units = 0, capex = 0, borrowed = 0, interest = 0;
        double principal = 0, lease = 0, debt = 0, book = 0, elec = 0, rent_unit, rent0, net;
        double efac = compound(val(&o->elec_escalation, refs), (double)m);
        double gen_gpus[LC_ORG_MAX_GENERATIONS] = {0};
        size_t gn = 0; /* the newest generation on sale */
        const gen *gs = o->gens;
        for (g = 1; g < G; g++)
            if (gs[g].from <= m)
                gn = g;
        /* Leases end: bought out (capex) or handed back. */
        for (k = 0; k < ncoh; k++) {
            cohort *c = &coh[k];
            if (c->gone || !c->leased || (double)(m - c->month) < term)
                continue;
            if (o->has_buyout) {
                capex += c->gpus * c->price * val(&o->buyout, refs);
                c->leased = 0;
                c->from_lease = 1;
            } else
                c->gone = 1;
        }
        /* Retire owned cohorts at the end of their life; sell them. */
        for (k = 0; k < ncoh; k++) {
            cohort *c = &coh[k];
            if (c->gone || c->leased || (double)(m - c->month) < life_m)
                continue;
            c->gone = 1;
            resale_cash += c->gpus * c->price * resale;
            /* what is left of the book value beyond the resale is a loss */
            dep += c->gpus * c->price * (value_share(o, refs, c, life_m, life_m, resale) - resale);
        }
        for (k = 0; k < ncoh; k++)
            if (!coh[k].gone) {
                owned += coh[k].gpus;
                units += coh[k].gpus * speed[coh[k].gen];
            }
        for (i = 0; i < o->nbuys && !all_rented; i++)
            if (o->buys[i].month == m)
                bought += val(&o->buys[i].gpus, refs);
        g_inf = users * val(&o->gpus_per_user, refs);
        need = train[m] + g_inf; /* in GPUs of the first generation */
        if (o->buy_to_need && share > 0) {
            double target = ceil(share * need - 1e-9);
            if (units + bought * speed[gn] < target)
                bought =
                    speed[gn] == 1 ? target - units : ceil((target - units) / speed[gn] - 1e-9);
        }
        if (bought > 0) {
            cohort *c = &coh[ncoh++];
            double price =
                gn == 0 && o->nprice_pts
                    ? points_at(o->price_pts, o->nprice_pts, refs, m)
                    : val(&gs[gn].gpu_price, refs) * compound(-pd, (double)(m - gs[gn].from));
            memset(c, 0, sizeof *c);
            c->month = m;
            c->gen = gn;
            c->gpus = bought;
            c->price = price;
            if (o->financing == FIN_LEASE)
                c->leased = 1;
            else {
                capex += bought * price;
                if (o->financing == FIN_LOAN)
                    borrowed += c->loan = bought * price;
            }
            owned += bought;
            units += bought * speed[gn];
        }
        used = units < need ? units : need;
        rented = need - used;
        rent0 = (o->nrent_pts ? points_at(o->rent_pts, o->nrent_pts, refs, m)
                              : val(&gs[0].rent_price, refs) * compound(-rd, (double)m)) *
                MONTH_S;
        rent_unit = gn == 0 ? rent0
                            : val(&gs[gn].rent_price, refs) * MONTH_S *
                                  compound(-rd, (double)(m - gs[gn].from)) / speed[gn];
        if (o->strategy == STRAT_COMMIT && !all_rented) {
            double over = rented > commit ? rented - commit : 0;
            paid = commit + over / speed[gn];
            rent_cost = commit * rent0 * (1 - discount) + over * rent_unit;
        } else {
            paid = rented / speed[gn];
            rent_cost = rented * rent_unit;
        }
        /* Owned cohorts: electricity (the used share of each), loans, leases,
         * depreciation and book value. */
        for (k = 0; k < ncoh; k++) {
            cohort *c = &coh[k];
            double age = (double)(m - c->month), in, pr, ow;
            if (c->loan > 0) {
                loan_payment(c->loan, loan_i, term, o->bullet, age, &in, &pr, &ow);
                interest += in;
                principal += pr;
                debt += ow;
            }
            if (c->gone)
                continue;
            gen_gpus[c->gen] += c->gpus;
            if (c->leased) {
                lease += c->gpus * c->price * val(&o->lease_payment, refs) * MONTH_S;
                continue;
            }
            if (o->depreciation == DEP_STRAIGHT && !c->from_lease)
                dep += c->gpus * c->price * (1 - resale) / life_m; /* the same every month */
            else
                dep += c->gpus * c->price *
                       (value_share(o, refs, c, age, life_m, resale) -
                        value_share(o, refs, c, age + 1, life_m, resale));
            book += c->gpus * c->price * value_share(o, refs, c, age + 1, life_m, resale);
        }
        if (G == 1)
            elec = used * val(&gs[0].electricity, refs) * MONTH_S * efac;
        else if (units > 0)
            for (g = 0; g < G; g++)
                elec += used / units * gen_gpus[g] * val(&gs[g].electricity, refs) * MONTH_S * efac;
        for (i = 0; i < o->nroles; i++)
            staff += heads_at(&o->roles[i], refs, m) * val(&o->roles[i].salary, refs) * MONTH_S;
        acquired = (users > prev_users ? users - prev_users : 0) +
                   val(&o->churn, refs) * MONTH_S * prev_users;
        tokens_user = val(&o->queries, refs) * MONTH_S * val(&o->tokens, refs);
        revenue =
            users * val(&o->paying, refs) * val(&o->subscription, refs) * MONTH_S +
            users * tokens_user * val(&o->api_share, refs) * val(&o->api_price, refs) +
            (o->c_value.set && m >= o->c_from ? val(&o->c_per_month, refs) * val(&o->c_value, refs)
                                              : 0);
        other = val(&o->other_costs, refs) * MONTH_S + acquired * val(&o->acq_cost, refs);

        t->s[LC_ORG_FUNDING][m] = 0;
        for (i = 0; i < o->nrounds; i++)
            if (o->rounds[i].month == m && (draws == NULL || !o->rounds[i].probability.set ||
                                            draws[i] < val(&o->rounds[i].probability, refs)))
                t->s[LC_ORG_FUNDING][m] += val(&o->rounds[i].amount, refs);
        t->s[LC_ORG_REVENUE][m] = revenue;
        t->s[LC_ORG_RESALE][m] = resale_cash;
        t->s[LC_ORG_STAFF][m] = staff;
        t->s[LC_ORG_TRAINING][m] = need > 0 ? rent_cost * train[m] / need : 0;
        t->s[LC_ORG_INFERENCE][m] = rent_cost - t->s[LC_ORG_TRAINING][m];
        t->s[LC_ORG_ELECTRICITY][m] = elec;
        t->s[LC_ORG_CAPEX][m] = capex;
        t->s[LC_ORG_OTHER][m] = other;
        t->s[LC_ORG_BORROWED][m] = borrowed;
        t->s[LC_ORG_INTEREST][m] = interest;
        t->s[LC_ORG_PRINCIPAL][m] = principal;
        t->s[LC_ORG_LEASE][m] = lease;
        t->s[LC_ORG_DEBT][m] = debt;
        t->s[LC_ORG_BOOK_VALUE][m] = book;
        t->s[LC_ORG_SPEND][m] =
            staff + rent_cost + elec + capex + other + interest + principal + lease;
        t->s[LC_ORG_DEPRECIATION][m] = dep;
        t->s[LC_ORG_COSTS][m] = t->s[LC_ORG_SPEND][m] - capex - principal + dep;
        t->s[LC_ORG_GPUS_OWNED][m] = owned;
        t->s[LC_ORG_GPUS_RENTED][m] = paid;
        t->s[LC_ORG_GPUS_NEEDED][m] = need;
        t->s[LC_ORG_USERS][m] = users;
        for (g = 0; g < LC_ORG_MAX_GENERATIONS; g++)
            t->s[LC_ORG_GEN_FIRST + g][m] = gen_gpus[g];
        {
            double heads = 0;
            for (i = 0; i < o->nroles; i++)
                heads += heads_at(&o->roles[i], refs, m);
            t->s[LC_ORG_HEADCOUNT][m] = heads;
        }
        net = revenue + resale_cash + borrowed - t->s[LC_ORG_SPEND][m];
        dcf += net / compound(rate, (double)m);
        t->s[LC_ORG_DCF_CUM][m] = dcf;
        /* compute cost net of the loans that paid for it and of resale */
        t->s[LC_ORG_RENT_COMPUTE][m] =
            rent_cost + elec + capex + interest + principal + lease - borrowed - resale_cash;
        cash += t->s[LC_ORG_FUNDING][m] + net;
        t->s[LC_ORG_CASH][m] = cash;
        t->s[LC_ORG_CASH_REAL][m] =
            cash / compound(val(&o->inflation, refs), (double)m - (double)o->base_month);
        if (!isfinite(cash)) {
            rc = lc_error_set(err, LC_ENUMERIC, lc_mark_none(),
                              "the simulation's cash is not a finite number in month %zu (an "
                              "org value or a model value it uses is not finite)",
                              m);
            goto done;
        }
        prev_users = users;
    }
    t->months = H;
    t->runway = -1;
    t->breakeven = -1;
    t->discount_rate = rate;
    t->inflation = val(&o->inflation, refs);
    t->base_month = o->base_month;
    t->ngens = G;
    for (g = 0; g < G; g++)
        t->gen_names[g] = o->gens[g].name ? o->gens[g].name : "base";
    for (m = 0; m < H; m++) {
        if (t->runway < 0 && t->s[LC_ORG_CASH][m] < 0)
            t->runway = (long)m;
        if (t->breakeven < 0 && t->s[LC_ORG_REVENUE][m] > 0 &&
            t->s[LC_ORG_REVENUE][m] >= t->s[LC_ORG_COSTS][m])
            t->breakeven = (long)m;
    }
done:
    free(train);
    free(coh);
    return rc;
}

int lc_org_run(const lc_org *o, const double *refs, const double *draws, lc_org_timeline *t,
               lc_error *err)
{
    size_t H = o->horizon, m;
    double *rented = NULL;
    int rc;
    /* Owning against renting: the same org with every GPU rented, first. */
    if ((o->strategy == STRAT_OWN || o->strategy == STRAT_MIX) && o->rent_price.set) {
        if ((rented = malloc(H * sizeof *rented)) == NULL)
            return lc_error_nomem(err);
        if ((rc = simulate(o, refs, draws, 1, t, err)) != LC_OK) {
            free(rented);
            return rc;
        }
        memcpy(rented, t->s[LC_ORG_RENT_COMPUTE], H * sizeof *rented);
    }
    rc = simulate(o, refs, draws, 0, t, err);
    for (m = 0; m < H && rc == LC_OK; m++)
        t->s[LC_ORG_RENT_COMPUTE][m] = rented ? rented[m] : NAN;
    free(rented);
    return rc;
}

static double mean_per_year(const lc_org_timeline *t, const double *a, const double *b)
{
    size_t m;
    double sum = 0;
    for (m = 0; m < t->months; m++)
        sum += a[m] + (b ? b[m] : 0);
    return sum / ((double)t->months * MONTH_S);
}

/* --- money over time: NPV, payback, IRR ------------------------------------------ */

/* Monthly flows, from an array or from a timeline. */
typedef struct flows {
    const double *f; /* or NULL: the timeline's savings of owning */
    const lc_org_timeline *t;
    size_t n;
} flows;

static double flow_at(const flows *c, size_t m)
{
    return c->f ? c->f[m] : lc_org_own_saving(c->t, m);
}

static double npv_at(double r_year, void *params)
{
    const flows *c = params;
    double sum = 0, x = log1p(r_year) / 12;
    size_t m;
    for (m = 0; m < c->n; m++)
        sum += flow_at(c, m) * exp(-x * (double)m);
    return sum;
}

#define IRR_SCAN     400 /* grid points in ln(1 + r) from -99% to +10000% a year */
#define IRR_MAX_ITER 200

/* Brent on [a, b] (gsl_root_fsolver_set refuses a bracket whose ends do not
 * straddle a root); NaN when it does not converge. */
static double brent(gsl_root_fsolver *s, flows *c, double a, double b)
{
    gsl_function fn;
    int it, status;
    fn.function = npv_at;
    fn.params = c;
    if (gsl_root_fsolver_set(s, &fn, a, b) != GSL_SUCCESS)
        return NAN;
    for (it = 0; it < IRR_MAX_ITER; it++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            return NAN;
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                        1e-12, 1e-10);
        if (status == GSL_SUCCESS)
            return gsl_root_fsolver_root(s);
    }
    return NAN;
}

/* Sign changes of the NPV over the grid; the lowest root into *irr (1/s). */
static int irr_scan(gsl_root_fsolver *s, flows *c, double *irr)
{
    double lo = log(0.01), hi = log(101.0), prev_r = 0, prev_v = 0;
    int roots = 0, j;
    *irr = NAN;
    gsl_set_error_handler_off();
    for (j = 0; j <= IRR_SCAN; j++) {
        double r = expm1(lo + (hi - lo) * j / IRR_SCAN), v = npv_at(r, c);
        if (!isfinite(v))
            return 0;
        if (j > 0 && ((prev_v < 0 && v >= 0) || (prev_v > 0 && v <= 0))) {
            if (roots == 0)
                *irr = (v == 0 ? r : brent(s, c, prev_r, r)) / YEAR_S;
            roots++;
        }
        prev_r = r;
        prev_v = v;
    }
    return roots;
}

int lc_org_irr(const double *f, size_t n, double *irr)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    flows c;
    int roots;
    *irr = NAN;
    if (s == NULL)
        return -2;
    c.f = f;
    c.t = NULL;
    c.n = n;
    roots = irr_scan(s, &c, irr);
    gsl_root_fsolver_free(s);
    return roots;
}

double lc_org_compute_net(const lc_org_timeline *t, size_t m)
{
    double *const *s = t->s;
    return s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
           s[LC_ORG_CAPEX][m] + s[LC_ORG_INTEREST][m] + s[LC_ORG_PRINCIPAL][m] +
           s[LC_ORG_LEASE][m] - s[LC_ORG_BORROWED][m] - s[LC_ORG_RESALE][m];
}

double lc_org_own_saving(const lc_org_timeline *t, size_t m)
{
    double *const *s = t->s;
    return s[LC_ORG_RENT_COMPUTE][m] -
           (s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
            s[LC_ORG_CAPEX][m] + s[LC_ORG_LEASE][m] - s[LC_ORG_RESALE][m]);
}

double lc_org_discount_factor(const lc_org_timeline *t, size_t m)
{
    return compound(t->discount_rate, (double)m);
}

/* Payback: the first month (in seconds) a cumulative series is at or above 0
 * after having been below; 0 when it never was; NaN when it does not come
 * back (censored). */
typedef struct payback {
    int below;
    double month;
} payback;

static void payback_step(payback *p, double cum, size_t m)
{
    if (!isnan(p->month))
        return;
    if (cum < 0)
        p->below = 1;
    else if (p->below)
        p->month = (double)m * MONTH_S;
}

static double payback_end(const payback *p)
{
    return p->below ? p->month : 0;
}

/* Whether the run has a renting counterfactual and owned or leased any GPU. */
static int owns(const lc_org_timeline *t)
{
    size_t m;
    if (t->months == 0 || isnan(t->s[LC_ORG_RENT_COMPUTE][0]))
        return 0;
    for (m = 0; m < t->months; m++)
        if (t->s[LC_ORG_GPUS_OWNED][m] > 0)
            return 1;
    return 0;
}

int lc_org_own_irr(const lc_org_timeline *t, double *irr)
{
    flows c;
    int roots;
    *irr = NAN;
    if (!owns(t))
        return -1;
    c.f = NULL;
    c.t = t;
    c.n = t->months;
    roots = irr_scan(t->root, &c, irr);
    if (roots != 1)
        *irr = NAN;
    return roots;
}

/* Money over time, without allocating (Monte Carlo calls it per sample). */
static void money_metrics(const lc_org_timeline *t, double *out)
{
    size_t H = t->months, m;
    double *const *s = t->s;
    double npv_rev = 0, npv_comp = 0, npv_save = 0, c0 = 0, c1 = 0, interest = 0;
    payback whole = {0, NAN}, own0 = {0, NAN}, own1 = {0, NAN};
    int own = owns(t);
    for (m = LC_SIM_NPV; m < LC_SIM_NMETRICS; m++)
        out[m] = NAN;
    for (m = 0; m < H; m++) {
        double d = lc_org_discount_factor(t, m), saving = own ? lc_org_own_saving(t, m) : 0;
        npv_rev += s[LC_ORG_REVENUE][m] / d;
        npv_comp += lc_org_compute_net(t, m) / d;
        interest += s[LC_ORG_INTEREST][m];
        npv_save += saving / d;
        c0 += saving;
        c1 += saving / d;
        payback_step(&whole, s[LC_ORG_DCF_CUM][m], m);
        payback_step(&own0, c0, m);
        payback_step(&own1, c1, m);
    }
    out[LC_SIM_NPV] = s[LC_ORG_DCF_CUM][H - 1];
    out[LC_SIM_NPV_REVENUE] = npv_rev;
    out[LC_SIM_NPV_COMPUTE] = npv_comp;
    out[LC_SIM_PAYBACK_DISCOUNTED] = payback_end(&whole);
    if (own) {
        out[LC_SIM_OWN_SAVING_NPV] = npv_save;
        out[LC_SIM_OWN_PAYBACK] = payback_end(&own0);
        out[LC_SIM_OWN_PAYBACK_DISCOUNTED] = payback_end(&own1);
        lc_org_own_irr(t, &out[LC_SIM_OWN_IRR]);
    }
    out[LC_SIM_CASH_END_REAL] = s[LC_ORG_CASH_REAL][H - 1];
    out[LC_SIM_BOOK_VALUE_END] = s[LC_ORG_BOOK_VALUE][H - 1];
    out[LC_SIM_DEBT_END] = s[LC_ORG_DEBT][H - 1];
    out[LC_SIM_INTEREST_PER_YEAR] = interest / ((double)H * MONTH_S);
}

void lc_org_metrics(const lc_org_timeline *t, double *out)
{
    size_t H = t->months, m, y;
    double sum, peak = 0, peak_need = 0, fund = 0;
    double *const *s = t->s;
    out[LC_SIM_RUNWAY] = (double)(t->runway >= 0 ? (size_t)t->runway : H) * MONTH_S;
    /* Censored: no break-even within the horizon is +inf, not the horizon. */
    out[LC_SIM_BREAKEVEN] = t->breakeven >= 0 ? (double)t->breakeven * MONTH_S : INFINITY;
    out[LC_SIM_CASH_END] = s[LC_ORG_CASH][H - 1];
    for (m = 0; m < H; m++) {
        fund += s[LC_ORG_FUNDING][m];
        if (s[LC_ORG_GPUS_NEEDED][m] > peak_need)
            peak_need = s[LC_ORG_GPUS_NEEDED][m];
    }
    out[LC_SIM_FUNDING] = fund;
    out[LC_SIM_SPEND_PER_YEAR] = mean_per_year(t, s[LC_ORG_SPEND], NULL);
    sum = 0;
    for (m = 0; m < H; m++)
        sum += s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
               s[LC_ORG_CAPEX][m];
    out[LC_SIM_COMPUTE_PER_YEAR] = sum / ((double)H * MONTH_S);
    /* Full calendar years (a horizon under a year: its months at their rate). */
    for (y = 0; y * 12 < H; y++) {
        size_t n = 0;
        if (H >= 12 && y * 12 + 12 > H)
            break;
        sum = 0;
        for (m = y * 12; m < H && m < y * 12 + 12; m++, n++)
            sum += s[LC_ORG_TRAINING][m] + s[LC_ORG_INFERENCE][m] + s[LC_ORG_ELECTRICITY][m] +
                   s[LC_ORG_CAPEX][m];
        sum = sum / ((double)n * MONTH_S);
        if (sum > peak)
            peak = sum;
    }
    out[LC_SIM_COMPUTE_PEAK_YEAR] = peak;
    out[LC_SIM_REVENUE_PER_YEAR] = mean_per_year(t, s[LC_ORG_REVENUE], NULL);
    out[LC_SIM_STAFF_PER_YEAR] = mean_per_year(t, s[LC_ORG_STAFF], NULL);
    out[LC_SIM_RENTAL_PER_YEAR] = mean_per_year(t, s[LC_ORG_TRAINING], s[LC_ORG_INFERENCE]);
    out[LC_SIM_ELECTRICITY_PER_YEAR] = mean_per_year(t, s[LC_ORG_ELECTRICITY], NULL);
    out[LC_SIM_CAPEX_PER_YEAR] = mean_per_year(t, s[LC_ORG_CAPEX], NULL);
    out[LC_SIM_OTHER_PER_YEAR] = mean_per_year(t, s[LC_ORG_OTHER], NULL);
    out[LC_SIM_GPUS_OWNED_END] = s[LC_ORG_GPUS_OWNED][H - 1];
    out[LC_SIM_GPUS_PEAK] = peak_need;
    out[LC_SIM_USERS_END] = s[LC_ORG_USERS][H - 1];
    out[LC_SIM_SURVIVAL_36] = H < 36 ? NAN : (t->runway < 0 || t->runway >= 36) ? 1 : 0;
    out[LC_SIM_SURVIVAL_60] = H < 60 ? NAN : (t->runway < 0 || t->runway >= 60) ? 1 : 0;
    money_metrics(t, out);
}

int lc_org_runway_censored(size_t horizon, double runway)
{
    return runway >= (double)horizon * MONTH_S;
}

int lc_org_publish(const lc_org *o, lc_scenario *s, const double *vals, lc_claim **claims,
                   lc_error *err)
{
    lc_model *m = s->model;
    size_t i;
    long idx[LC_SIM_NMETRICS];
    lc_claim *cl = NULL;
    int defined = 0;

    *claims = NULL;
    for (i = 0; i < LC_SIM_NMETRICS; i++) {
        const lc_sim_info *si = &lc_sim_metrics[i];
        if (lc_model_find(m, si->name) < 0) {
            char expr[LC_UNIT_TEXT_MAX + 2]; /* "0 unit" */
            snprintf(expr, sizeof expr, "0 %s", si->unit);
            if (lc_model_define(m, si->name, expr, si->unit, si->doc, lc_mark_none(), err))
                return err->code;
            defined = 1;
        }
    }
    if (defined && lc_model_compile(m, err))
        return err->code;
    for (i = 0; i < LC_SIM_NMETRICS; i++) {
        /* a reader's label, unless the scenario gave its own */
        size_t qi = (size_t)lc_model_find(m, lc_sim_metrics[i].name);
        const lc_qty *q = lc_model_qty(m, qi);
        if (strcmp(q->label, q->name) == 0 &&
            lc_model_set_label(m, qi, lc_sim_metrics[i].label, err) != LC_OK)
            return err->code;
    }
    for (i = 0; i < LC_SIM_NMETRICS; i++) {
        char text[LC_UNITS_FORMAT_MAX];
        idx[i] = lc_model_find(m, lc_sim_metrics[i].name);
        if (lc_units_format(&s->units, vals[i], lc_sim_metrics[i].unit, text, sizeof text) != 0)
            snprintf(text, sizeof text, "%g", vals[i]);
        if (lc_model_set_value(m, (size_t)idx[i], vals[i], text, LC_FROM_LIBRARY,
                               "llmcost simulate", err))
            return err->code;
    }
    if (lc_model_compile(m, err))
        return err->code;
    for (i = 0; i < LC_SIM_NMETRICS; i++) {
        lc_qty *q = lc_model_qty(m, (size_t)idx[i]);
        q->value = vals[i]; /* NaN stays NaN */
        q->lower_bound = 0;
    }
    /* cash that lasts the horizon: the runway is the horizon or more */
    lc_model_qty(m, (size_t)idx[LC_SIM_RUNWAY])->lower_bound =
        lc_org_runway_censored(lc_org_horizon(o), vals[LC_SIM_RUNWAY]);
    if (o->nclaims) {
        cl = malloc(o->nclaims * sizeof *cl);
        if (cl == NULL)
            return lc_error_nomem(err);
        for (i = 0; i < o->nclaims; i++) {
            cl[i] = o->claims[i];
            cl[i].qi = (size_t)idx[o->claims[i].qi];
        }
    }
    *claims = cl;
    return LC_OK;
}
