/* lc_org — an organisation over time: cash, funding rounds, staff, a compute
 * strategy, a training programme, inference demand and revenue, simulated
 * month by month (llmcost simulate, llmcost compare).
 *
 * Owns: the parsed org (lc_org_free) and the timelines it fills.  Borrows the
 * scenario given to lc_org_parse: its tree (strings, marks) and its model
 * (quantities the org refers to) must outlive the org.
 *
 * Schema (under the scenario's org: key; every key optional unless said, every
 * number a quantity with its unit checked; a QTY may instead name a model
 * quantity of the same dimension, e.g. gpu.rent, whose value (and, for
 * simulate's Monte Carlo, whose distribution) it takes):
 *
 *   org:
 *     horizon: 60 month        # time, whole months, 1..600 (default 60 month)
 *     cash: 300M CNY           # money at the start (default 0)
 *     funding:                 # rounds: cash received in a month
 *       - { month: 12, amount: 1B CNY, probability: 60%, note: "series B" }
 *         # month 0..horizon-1; probability (default 100%): the chance the round
 *         # closes, drawn in each Monte Carlo sample (the base case assumes it does)
 *     staff:                   # headcount by role
 *       - { role: researchers, count: 80, salary: 70000 CNY/month,
 *           from_month: 0, growth_per_year: 30%, max: 300 }
 *         # heads in month m >= from_month: min(max, round(count x (1 + growth)^y)),
 *         # y = whole years since from_month (hires once a year); growth > 0 needs max:
 *     other_costs: 3M CNY/month   # offices, data, ... (money/time)
 *     compute:
 *       strategy: rent          # rent | commit | own | mix
 *       own_share: 50%          # mix: share of the GPU need that is bought
 *       commit: { gpus: 2000, discount: 30% }  # commit: reserved GPUs paid every
 *                               # month at rent x (1 - discount); the rest on demand
 *       purchases: [ { month: 0, gpus: 1000 } ]  # own/mix: explicit purchases
 *       buy_to_need: true       # own/mix: buy GPUs when the need exceeds the fleet
 *       life: own.life          # time a GPU is kept (default own.life)
 *       resale: 10%             # of its price, received when a GPU retires
 *       rent_price: gpu.rent    # money/time per GPU (default gpu.rent)
 *       gpu_price: own.capex_per_gpu          # money per GPU (default own.capex_per_gpu)
 *       electricity: electricity.cost_per_gpu_hour  # per used owned GPU-hour (default)
 *       financing: cash         # or { kind: loan, rate: 8 %/year, term: 36 month,
 *                               #   repayment: amortising | bullet }
 *                               # or { kind: lease, payment: 3 %/month, term: 36 month,
 *                               #   buyout: 10% } (own/mix)
 *       depreciation: straight_line   # or declining_balance, { method: declining_balance,
 *                               # factor: 2 }, { curve: [ { age: 12 month, value: 60% } ] }
 *       # rent_price: and gpu_price: may be dated: [ { month: 0, price: ... }, ... ]
 *       rent_decline: gpu.rent_decline  # 1/time: prices of a chip fall from the month
 *                               # it is on sale; negative: they rise (-1000 to 100 %/year).
 *                               # Default: the model's gpu.rent_decline, which the catalog
 *                               # fits to the chosen GPU's dated rents of one provider kind
 *                               # (lc_catalog_apply; 0 without a fit or a catalog GPU);
 *                               # none with dated rent_price: points
 *       price_decline: 0 %/year # default 0: the catalog has one dated price per chip
 *       electricity_escalation: 0 %/year   # electricity rises from month 0
 *       peak: gpu.peak          # FLOP/s of this chip (needed with generations:)
 *       generations:            # newer chips; need is in GPUs of the first chip
 *         - { name: h100, from_month: 12, peak: 989 TFLOP/s, gpu_price: ...,
 *             rent_price: ..., electricity: ... }
 *     finance:
 *       discount_rate: 7 %/year # cost of capital (default: US OMB Circular A-94)
 *       inflation: 0.2 %/year   # default by currency: CNY 0.2% (NBS 2024), USD 2.9%
 *       base_month: 0           #   (BLS CPI-U 2024); constant money in this month's
 *     training:
 *       gpu_hours: train.gpu_hours   # first run (default: the model's train.gpu_hours)
 *       runs_per_year: 2        # 1/time or a number a year (default train.runs_per_year)
 *       first_month: 0
 *       run_months: 6           # a run's GPU-hours spread evenly over these months
 *                               # (default 12 / runs_per_year, at least 1)
 *       growth: 2               # run k needs gpu_hours x min(growth^k, max_growth)
 *       max_growth: 16          # required when growth > 1
 *     demand:
 *       users: { start: 10K, cap: 5M, growth_per_year: 300% }
 *         # logistic: cap / (1 + (cap/start - 1) exp(-ln(1 + growth) t)), t in years;
 *         # or points, linear between, constant after the last:
 *         # users: [ { month: 0, users: 0 }, { month: 24, users: 1M } ]
 *       churn: 4 %/month        # users lost and replaced each month (1/time)
 *       acquisition_cost: 30 CNY   # money per user acquired (new and replacing churn)
 *       queries_per_user: inf.queries_per_user   # 1/time (query/day)
 *       tokens_per_query: 600 tokens
 *       gpu_hours_per_user_month: 0.5 GPU-hour/user/month
 *         # default: inf.gpus / inf.daily_users, GPUs the model sizes per daily user
 *     revenue:
 *       subscription: 30 CNY/user/month   # money/time per paying user
 *       paying_share: 5%
 *       api_price: 8 CNY/Mtoken           # money per token
 *       api_share: 20%                    # share of users' tokens billed at api_price
 *       contracts: { per_month: 1, value: 2M CNY, from_month: 6 }
 *     claims:                  # judged by llmcost simulate against the sim.* results
 *       - { id: B1, metric: sim.compute_per_year, kind: range, low: 1B CNY/year,
 *           high: 10B CNY/year, tolerance: 0% }
 *
 * Simulation (month m = 0 .. horizon-1; month 0 is the first month):
 *   need N = training GPUs + users x GPUs per user (fractional GPU-months);
 *   owned GPUs: cohorts bought (explicit purchases, then with buy_to_need up to
 *   ceil(share x N), share 1 for own, own_share for mix, 0 for rent/commit),
 *   retired after life with resale x price back in cash; used owned =
 *   min(owned, N), the rest is rented (commit: the committed GPUs are paid
 *   anyway).  Rental is split between training and inference by their shares of
 *   N; owned GPUs cost electricity per used GPU-hour and their price as capex
 *   when bought.  A month has 730 hours (a twelfth of 365 days).
 *   spend = staff + training + inference + electricity + capex + other +
 *   interest + principal + lease (other = other_costs + acquisition);
 *   cash(m) = cash(m-1) + funding + revenue + resale + borrowed - spend.
 *   Costs for break-even replace capex and principal by depreciation.
 *   Generations: new GPUs (bought or rented) are of the newest chip on sale;
 *   a chip of peak p does p / peak of the first chip's work.  Month m's money
 *   is discounted by (1 + discount_rate)^(-m/12).  Renting counterfactual
 *   (own/mix with a rent price): the org run again with every GPU rented,
 *   in LC_ORG_RENT_COMPUTE; owning's saving = that minus lc_org_compute_net.
 *   README, "Money over time", has every rule.
 *   Runway: the month cash first goes below 0 (= months it lasted); break-even:
 *   the first month revenue >= costs.  Survival to month T: cash >= 0 at the end
 *   of each of the first T months.
 *
 * Uncertainty (llmcost simulate --samples N --seed S --threads T): every
 * scenario input with a distribution (inputs: { NAME: { low, high } } ...)
 * is sampled, the model values the org reads are recomputed from them through
 * the library's formulas, and each funding round with a probability closes or
 * not by a uniform draw; the whole timeline is simulated per sample.  Sample
 * blocks draw from lc_mc_rng_seed(seed, block), so the results do not depend
 * on the thread count.  Spend columns "training" and "inference" are rental;
 * owned GPUs show as capex and electricity.
 *
 * Results as metrics (sim.*, lc_sim_metrics below): org: claims: are judged on
 * them by simulate; a scenario may also define a sim.* name under metrics:
 * (a static estimate that run and claims judge) which simulate pins to the
 * simulated value before judging its top-level claims on sim.* metrics.
 *
 * Rules against curves that never end: horizon <= 600 months; a logistic user
 * curve needs cap: (>= start); staff growth needs max:, training growth needs
 * max_growth:; point lists need increasing months starting at 0. */
#ifndef LC_ORG_H
#define LC_ORG_H

#include <stddef.h>

#include "lc_error.h"
#include "lc_scenario.h"

#define LC_ORG_MAX_HORIZON     600 /* months */
#define LC_ORG_DEFAULT_HORIZON 60

typedef struct lc_org lc_org;

/* Per-month results, each array horizon long; money in base units (the
 * scenario currency), GPU and user counts as plain numbers. */
typedef enum {
    LC_ORG_CASH,        /* at the end of the month */
    LC_ORG_FUNDING,     /* received */
    LC_ORG_REVENUE,     /* subscription + API + contracts */
    LC_ORG_RESALE,      /* retired GPUs sold */
    LC_ORG_STAFF,       /* spend ... */
    LC_ORG_TRAINING,    /* rental for training */
    LC_ORG_INFERENCE,   /* rental for serving */
    LC_ORG_ELECTRICITY, /* owned GPUs' electricity */
    LC_ORG_CAPEX,       /* GPUs bought */
    LC_ORG_OTHER,       /* other costs + user acquisition */
    LC_ORG_SPEND,       /* sum of the six spend columns */
    LC_ORG_DEPRECIATION,
    LC_ORG_COSTS, /* spend with capex replaced by depreciation */
    LC_ORG_GPUS_OWNED,
    LC_ORG_GPUS_RENTED, /* GPUs paid for by the month (committed or on demand) */
    LC_ORG_GPUS_NEEDED,
    LC_ORG_USERS,
    LC_ORG_HEADCOUNT,
    LC_ORG_BORROWED,     /* loans drawn to pay for GPUs (cash in; capex shows the purchase) */
    LC_ORG_INTEREST,     /* spend: interest on GPU loans */
    LC_ORG_PRINCIPAL,    /* spend: loan principal repaid */
    LC_ORG_LEASE,        /* spend: lease payments (leased GPUs' buy-outs are capex) */
    LC_ORG_DEBT,         /* loan principal outstanding at the end of the month */
    LC_ORG_BOOK_VALUE,   /* GPUs owned at their depreciated value, end of the month */
    LC_ORG_DCF_CUM,      /* cumulative net cash flow before funding, discounted to month 0 */
    LC_ORG_CASH_REAL,    /* cash in month-`base_month` money (finance: inflation:) */
    LC_ORG_RENT_COMPUTE, /* net compute cost had every GPU been rented (own/mix; else NaN) */
    LC_ORG_GEN_FIRST,    /* GPUs owned of generation g: LC_ORG_GEN_FIRST + g */
    LC_ORG_NSERIES = LC_ORG_GEN_FIRST + 6
} lc_org_series;

#define LC_ORG_MAX_GENERATIONS 6 /* the compute: section's chip plus 5 under generations: */

typedef struct lc_org_timeline {
    size_t months;
    double *s[LC_ORG_NSERIES]; /* s[series][month] */
    long runway;               /* first month with cash < 0, or -1 when cash lasts the horizon */
    long breakeven;            /* first month with revenue >= costs, or -1 */
    double discount_rate;      /* 1/s: the cost of capital the run discounted with */
    double inflation;          /* 1/s: consumer prices a year (LC_ORG_CASH_REAL) */
    size_t base_month;         /* the month whose money LC_ORG_CASH_REAL is in */
    size_t ngens;              /* generations of the fleet (1 without generations:) */
    const char *gen_names[LC_ORG_MAX_GENERATIONS]; /* borrowed from the org */
    void *root; /* owned: the gsl_root_fsolver (Brent) the IRR uses, so that
                 * lc_org_metrics allocates nothing */
} lc_org_timeline;

/* Parse and check org: (s->org must be non-NULL) against the scenario's
 * model.  Positioned LC_EINPUT errors; NULL on failure. */
lc_org *lc_org_parse(const lc_scenario *s, const lc_yaml_node *node, lc_error *err);
void lc_org_free(lc_org *o);

size_t lc_org_horizon(const lc_org *o);

/* The yearly rent decline of the first chip (1/s, at the model's point
 * values; negative: a rise) and where it comes from: *name the model quantity
 * it defaults to or names (gpu.rent_decline: the catalog's fit or the
 * library's 0), with that quantity's source in *source; or *name NULL and
 * *source "compute: rent_decline" (a number the scenario wrote) or "dated
 * rent_price: points (no yearly decline)"; NaN and "no compute: section (no
 * GPUs)" for an org without compute:.  Borrowed. */
double lc_org_rent_decline(const lc_org *o, const char **name, const char **source);

/* The model quantities the org reads, in a fixed order (their values are the
 * `refs` argument of lc_org_run); *out is borrowed from the org. */
void lc_org_refs(const lc_org *o, const size_t **out, size_t *n);
/* Their point values (the model's), into vals[0..n). */
void lc_org_point_refs(const lc_org *o, const lc_scenario *s, double *vals);

int lc_org_timeline_alloc(lc_org_timeline *t, size_t months);
void lc_org_timeline_free(lc_org_timeline *t);

/* Uniform draws a Monte Carlo sample needs: one per funding round when any
 * round has a probability, else 0. */
size_t lc_org_ndraws(const lc_org *o);

/* Simulate with the referenced model values refs (see lc_org_refs) and
 * draws[0..lc_org_ndraws) uniform in [0, 1) (a round closes when its draw is
 * below its probability; NULL = the base case, every round closes).  Pure:
 * safe to call from several threads on one org.  LC_ENUMERIC (with a message)
 * when the cash is not finite. */
int lc_org_run(const lc_org *o, const double *refs, const double *draws, lc_org_timeline *t,
               lc_error *err);

/* --- results as named metrics (sim.*) ------------------------------------ */

typedef enum {
    LC_SIM_RUNWAY,            /* month: months the cash lasts (the horizon if it does) */
    LC_SIM_BREAKEVEN,         /* month: first month revenue covers costs (the horizon if none) */
    LC_SIM_CASH_END,          /* CUR */
    LC_SIM_FUNDING,           /* CUR: all rounds */
    LC_SIM_SPEND_PER_YEAR,    /* CUR/year: mean over the horizon */
    LC_SIM_COMPUTE_PER_YEAR,  /* CUR/year: training + inference + electricity + capex */
    LC_SIM_COMPUTE_PEAK_YEAR, /* CUR/year: the largest calendar year of compute spend */
    LC_SIM_REVENUE_PER_YEAR,
    LC_SIM_STAFF_PER_YEAR,
    LC_SIM_RENTAL_PER_YEAR, /* training + inference rental */
    LC_SIM_ELECTRICITY_PER_YEAR,
    LC_SIM_CAPEX_PER_YEAR,
    LC_SIM_OTHER_PER_YEAR,
    LC_SIM_GPUS_OWNED_END,
    LC_SIM_GPUS_PEAK, /* largest GPU need */
    LC_SIM_USERS_END,
    LC_SIM_SURVIVAL_36,        /* %: probability cash lasts 36 months (Monte Carlo; 0 or 100% */
    LC_SIM_SURVIVAL_60,        /*    from one run) */
    LC_SIM_NPV,                /* CUR: net cash flow before funding, discounted to month 0 */
    LC_SIM_NPV_REVENUE,        /* CUR: revenue discounted */
    LC_SIM_NPV_COMPUTE,        /* CUR: compute cost (net of loans drawn and resale) discounted */
    LC_SIM_PAYBACK_DISCOUNTED, /* month: first month the cumulative discounted net cash
                                * flow is >= 0 after it was negative; NaN = censored
                                * (not within the horizon) */
    LC_SIM_OWN_SAVING_NPV,     /* CUR: renting's compute cost minus owning's, discounted */
    LC_SIM_OWN_PAYBACK,        /* month: owning's cumulative saving first >= 0; NaN = censored */
    LC_SIM_OWN_PAYBACK_DISCOUNTED,
    LC_SIM_OWN_IRR,       /* 1/time: internal rate of return of owning instead of renting;
                           * NaN when none or several exist (lc_org_irr says which) */
    LC_SIM_CASH_END_REAL, /* CUR of the base month (finance: inflation:) */
    LC_SIM_BOOK_VALUE_END,
    LC_SIM_DEBT_END,
    LC_SIM_INTEREST_PER_YEAR,
    LC_SIM_NMETRICS
} lc_sim_metric;

typedef struct lc_sim_info {
    const char *name; /* "sim.runway", ... */
    const char *unit;  /* display unit, CUR = the currency */
    const char *label; /* what a reader sees: "Months the cash lasts" */
    const char *doc;
} lc_sim_info;

extern const lc_sim_info lc_sim_metrics[LC_SIM_NMETRICS];

/* The sim.* values of one timeline, in base units (survival from this run). */
void lc_org_metrics(const lc_org_timeline *t, double *out);

/* The internal rate of return (1/s) of the monthly flows f[0..n), flow m at
 * m/12 years: the yearly rate r with sum f[m] (1 + r)^(-m/12) = 0, searched
 * for r in (-99%, 10000%]/year by a scan for sign changes of the NPV and GSL's
 * Brent solver (gsl_root_fsolver_brent) on the bracket, whose ends
 * gsl_root_fsolver_set checks.  Returns the number of sign changes found (0:
 * no IRR, *irr NaN; 1: *irr set; 2 or more: several, *irr the lowest; -2 out
 * of memory). */
int lc_org_irr(const double *f, size_t n, double *irr);

/* Net compute cost of month m (rental, electricity, capex, interest,
 * principal, lease payments, less loans drawn and resale) and the factor
 * (1 + discount_rate)^(m/12) that discounts month m to month 0. */
double lc_org_compute_net(const lc_org_timeline *t, size_t m);
double lc_org_discount_factor(const lc_org_timeline *t, size_t m);

/* What owning saves in month m against renting every GPU, unlevered (the
 * GPUs' price when bought, not the loan's flows: financing is judged apart,
 * by sim.npv and sim.npv_compute): the renting counterfactual's compute cost
 * minus rental, electricity, capex and lease payments less resale.  The own_*
 * metrics and lc_org_own_irr are on these savings. */
double lc_org_own_saving(const lc_org_timeline *t, size_t m);

/* The IRR of owning instead of renting in a run (on lc_org_own_saving): the
 * number of sign changes as lc_org_irr, -1 when the run owns nothing or has no
 * rent price to compare with; *irr NaN unless exactly one root.  Allocates
 * nothing (the timeline's solver). */
int lc_org_own_irr(const lc_org_timeline *t, double *irr);

/* Claims under org: claims:, parsed against the sim.* names (lc_claim::qi is
 * the lc_sim_metric); borrowed from the org. */
void lc_org_claims(const lc_org *o, const lc_claim **out, size_t *n);

/* 1 when a sim.runway value means the cash lasted the whole horizon (months): the
 * runway is then that many months or more (right-censored). */
int lc_org_runway_censored(size_t horizon, double runway);

/* Put the sim.* values into the scenario's model (defining the names the
 * scenario does not define, pinning those it does) so that lc_claims_judge can
 * judge the org's claims and any top-level claim on a sim.* metric; returns
 * the org claims with qi remapped to model indices in *claims (malloc'd). */
int lc_org_publish(const lc_org *o, lc_scenario *s, const double *vals, lc_claim **claims,
                   lc_error *err);

#endif
