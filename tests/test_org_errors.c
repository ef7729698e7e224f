/* test_org_errors.c — every error of the org: schema (lc_org_parse) with its exact
 * message and position, as llmcost simulate prints it.  Each case is a whole
 * scenario; line 1 names it, line 2 opens org:, the org's keys start on line 3 at
 * column 3, so a value after "  key: " starts at column len("  key: ") + 1.
 * Messages are those of src/org.c; numbers in them are formatted by
 * lc_units_format_number (6 significant digits, no exponent below 1e15). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_org.h"
#include "lc_scenario.h"

#define PRE "scenario: x\norg:\n"
/* A compute section that parses: renting at 2 USD per GPU-hour. */
#define RENT "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour }\n"
/* Users from a point list, and the GPU-hours each needs a month. */
#define OWN                                                                                        \
    "  compute: { strategy: own, gpu_price: 1 USD, life: 2 year, electricity: 1 USD/GPU-hour, "
#define USERS "  demand: { users: [ { month: 0, users: 100 } ], gpu_hours_per_user_month: 1 }\n"

typedef struct bad_case {
    const char *text;
    const char *want;
} bad_case;

static const bad_case cases[] = {
    /* --- the org mapping and its scalars ---------------------------------------------- */
    {"scenario: x\norg: 5\n", "o.yaml:2:6: error: org must be a mapping, not a scalar"},
    /* 'horizn' is one insertion from horizon */
    {PRE "  horizn: 12 month\n", "o.yaml:3:3: error: unknown key 'horizn' in org (did you mean "
                                 "horizon?)"},
    /* "  horizon: " is 11 characters: col 12 */
    {PRE "  horizon: 12.5 month\n",
     "o.yaml:3:12: error: horizon must be a whole number of months from 1 to 600 (50 years), not "
     "'12.5 month'"},
    {PRE "  horizon: 5 kW\n",
     "o.yaml:3:12: error: horizon must be time, but '5 kW' is energy/time"},
    /* "  cash: " is 8 characters: col 9 */
    {PRE "  cash: 5 kW\n", "o.yaml:3:9: error: cash must be money, but '5 kW' is energy/time"},
    {PRE "  cash: zzzz\n",
     "o.yaml:3:9: error: unknown model quantity 'zzzz' (run 'llmcost params' for the list of "
     "names)"},
    {PRE "  cash: fleet.server\n",
     "o.yaml:3:9: error: cash: fleet.server is a choice, not a number"},
    {PRE "  cash: fleet.servers\n",
     "o.yaml:3:9: error: cash must be money, but fleet.servers is dimensionless"},
    /* server.price is money, but without fleet.server: it has no value */
    {PRE "  cash: server.price\n",
     "o.yaml:3:9: error: cash: server.price has no value in this scenario (set its inputs; see "
     "llmcost explain)"},
    /* "  other_costs: " is 15 characters: col 16 */
    {PRE "  other_costs: -1 USD/month\n",
     "o.yaml:3:16: error: other_costs must not be negative, not -1 USD/month"},

    /* --- funding ------------------------------------------------------------------------ */
    /* "  funding: " is 11 characters: col 12, the first round at col 13 */
    {PRE "  funding: 5\n", "o.yaml:3:12: error: org funding must be a sequence, not a scalar"},
    {PRE "  funding: [5]\n", "o.yaml:3:13: error: a funding round must be a mapping, not a scalar"},
    /* "  funding: [{ month: 1, amount: 1M USD, " is 40 characters: col 41 */
    {PRE "  funding: [{ month: 1, amount: 1M USD, prob: 1 }]\n",
     "o.yaml:3:41: error: unknown key 'prob' in a funding round (expected one of: month, amount, "
     "probability, note)"},
    {PRE "  funding: [{ amount: 1M USD }]\n", "o.yaml:3:13: error: a funding round needs month:"},
    /* "  funding: [{ month: " is 21 characters: col 22 */
    {PRE "  funding: [{ month: [1], amount: 1 USD }]\n",
     "o.yaml:3:22: error: a funding round's month must be a month number"},
    {PRE "  funding: [{ month: 1.5, amount: 1 USD }]\n",
     "o.yaml:3:22: error: a funding round's month must be a whole month from 0 (the first month) "
     "to 59 (the horizon's last), not 1.5"},
    {PRE "  funding: [{ month: 1 }]\n", "o.yaml:3:13: error: a funding round needs amount:"},
    /* "  funding: [{ month: 1, amount: 1 USD, probability: " is 52 characters: col 53 */
    {PRE "  funding: [{ month: 1, amount: 1 USD, probability: 150% }]\n",
     "o.yaml:3:53: error: a funding round's probability must be from 0% to 100%, not 150%"},

    /* --- staff -------------------------------------------------------------------------- */
    /* "  staff: " is 9 characters: col 10, the first entry at col 11 */
    {PRE "  staff: 5\n", "o.yaml:3:10: error: org staff must be a sequence, not a scalar"},
    {PRE "  staff: [5]\n", "o.yaml:3:11: error: a staff entry must be a mapping, not a scalar"},
    {PRE "  staff: [{ count: 1, salary: 1 USD/month }]\n",
     "o.yaml:3:11: error: a staff entry needs role:"},
    /* "  staff: [{ role: " is 18 characters: col 19 */
    {PRE "  staff: [{ role: [a], count: 1, salary: 1 USD/month }]\n",
     "o.yaml:3:19: error: role must be a scalar, not a sequence"},
    {PRE "  staff: [{ role: a, salary: 1 USD/month }]\n",
     "o.yaml:3:11: error: a staff entry needs count:"},
    {PRE "  staff: [{ role: a, count: 1 }]\n", "o.yaml:3:11: error: a staff entry needs salary:"},
    /* "  staff: [{ role: a, count: " is 28 characters: col 29 */
    {PRE "  staff: [{ role: a, count: -1, salary: 1 USD/month }]\n",
     "o.yaml:3:29: error: a staff count must not be negative, not -1"},
    /* growth_per_year lies in [-1, 100]; "  staff: [{ role: a, count: 1, salary: 1 USD/month,
     * growth_per_year: " is 69 characters: col 70 */
    {PRE "  staff: [{ role: a, count: 1, salary: 1 USD/month, growth_per_year: 200 }]\n",
     "o.yaml:3:70: error: growth_per_year must be from -1 to 100, not 200"},
    {PRE "  staff: [{ role: a, count: 1, salary: 1 USD/month, growth_per_year: 10% }]\n",
     "o.yaml:3:70: error: staff growth needs a ceiling: give max: (the most people in role a)"},
    /* "  staff: [{ role: a, count: 1, salary: 1 USD/month, from_month: " is 64: col 65 */
    {PRE "  staff: [{ role: a, count: 1, salary: 1 USD/month, from_month: 60 }]\n",
     "o.yaml:3:65: error: from_month must be a whole month from 0 (the first month) to 59 (the "
     "horizon's last), not 60"},

    /* --- compute ------------------------------------------------------------------------ */
    /* "  compute: " is 11 characters: col 12 */
    {PRE "  compute: 5\n", "o.yaml:3:12: error: org compute must be a mapping, not a scalar"},
    /* 'rent' is more than 2 edits from every key; "  compute: { strategy: rent, " is 29 */
    {PRE "  compute: { strategy: rent, rent: 1 }\n",
     "o.yaml:3:30: error: unknown key 'rent' in org compute (expected one of: strategy, "
     "own_share, commit, purchases, buy_to_need, life, resale, rent_price, gpu_price, "
     "electricity, financing, depreciation, rent_decline, price_decline, "
     "electricity_escalation, peak, generations)"},
    /* "  compute: { strategy: " is 23 characters: col 24 */
    {PRE "  compute: { strategy: [rent] }\n",
     "o.yaml:3:24: error: strategy must be a scalar, not a sequence"},
    {PRE "  compute: { strategy: rnet }\n",
     "o.yaml:3:24: error: unknown compute strategy 'rnet' (did you mean rent?)"},
    {PRE "  compute: { strategy: lease }\n",
     "o.yaml:3:24: error: unknown compute strategy 'lease' (known: rent, commit, own, mix)"},
    {PRE "  compute: { strategy: mix, rent_price: 2 USD/GPU-hour }\n",
     "o.yaml:3:12: error: strategy mix needs own_share: (e.g. 50%)"},
    /* "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, own_share: " is 68: col 69 */
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, own_share: 50% }\n",
     "o.yaml:3:69: error: own_share: is for strategy: mix"},
    /* "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, commit: " is 65: col 66 */
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, commit: { gpus: 1 } }\n",
     "o.yaml:3:66: error: commit: is for strategy: commit"},
    /* "  compute: { strategy: commit, commit: " is 39 characters: col 40 */
    {PRE "  compute: { strategy: commit, commit: 5 }\n",
     "o.yaml:3:40: error: commit must be a mapping, not a scalar"},
    {PRE "  compute: { strategy: commit, commit: { gpu: 1 } }\n",
     "o.yaml:3:42: error: unknown key 'gpu' in commit (did you mean gpus?)"},
    /* "  compute: { strategy: commit, commit: { gpus: 1, discount: " is 60: col 61 */
    {PRE "  compute: { strategy: commit, commit: { gpus: 1, discount: 150% } }\n",
     "o.yaml:3:61: error: discount must be from 0% to 100%, not 150%"},
    {PRE "  compute: { strategy: commit, rent_price: 2 USD/GPU-hour }\n",
     "o.yaml:3:12: error: strategy commit needs commit: { gpus: N, discount: P% }"},
    /* "  compute: { strategy: own, buy_to_need: " is 41 characters: col 42 */
    {PRE "  compute: { strategy: own, buy_to_need: maybe }\n",
     "o.yaml:3:42: error: buy_to_need must be true or false"},
    {PRE "  compute: { strategy: rent, buy_to_need: true }\n",
     "o.yaml:3:43: error: buy_to_need: is for strategy own or mix"},
    /* "  compute: { strategy: rent, purchases: " is 40 characters: col 41 */
    {PRE "  compute: { strategy: rent, purchases: [] }\n",
     "o.yaml:3:41: error: purchases: are for strategy own or mix"},
    {PRE "  compute: { strategy: own, purchases: 5 }\n",
     "o.yaml:3:40: error: purchases must be a sequence, not a scalar"},
    {PRE "  compute: { strategy: own, purchases: [5] }\n",
     "o.yaml:3:41: error: a purchase must be a mapping, not a scalar"},
    {PRE "  compute: { strategy: own, purchases: [{ month: 0 }] }\n",
     "o.yaml:3:41: error: a purchase needs gpus:"},
    /* "  compute: { strategy: own, purchases: [{ month: 0, gpus: " is 58: col 59 */
    {PRE "  compute: { strategy: own, purchases: [{ month: 0, gpus: 2e9 }] }\n",
     "o.yaml:3:59: error: gpus bought must be from 0 to 1000000000, not 2e9"},
    /* gpu.rent is not set: renting needs a price */
    {PRE "  compute: { strategy: rent }\n",
     "o.yaml:3:12: error: compute needs rent_price: (the model's gpu.rent is not set)"},
    /* two weeks are 0.46 of a month; "  compute: { strategy: own, gpu_price: 1 USD, life: " 52: col
       53 */
    {PRE "  compute: { strategy: own, gpu_price: 1 USD, life: 2 week }\n",
     "o.yaml:3:53: error: life must be from 1 month to 50 years"},
    {PRE "  compute: { strategy: own }\n",
     "o.yaml:3:12: error: owning GPUs needs gpu_price: (the model's own.capex_per_gpu cannot be "
     "computed: set fleet.server or server.*)"},
    {PRE "  compute: { strategy: own, gpu_price: 10000 USD }\n",
     "o.yaml:3:12: error: owning GPUs needs life: (or own.life in the model)"},
    {PRE "  compute: { strategy: own, gpu_price: 10000 USD, life: 3 year }\n",
     "o.yaml:3:12: error: owning GPUs needs electricity: (the model's "
     "electricity.cost_per_gpu_hour cannot be computed: set electricity.price and the server)"},

    /* --- training ----------------------------------------------------------------------- */
    /* "  training: " is 12 characters: col 13 */
    {PRE "  training: 5\n" RENT,
     "o.yaml:3:13: error: org training must be a mapping, not a scalar"},
    {PRE "  training: { gpu_hour: 1 h }\n" RENT,
     "o.yaml:3:15: error: unknown key 'gpu_hour' in org training (did you mean gpu_hours?)"},
    /* 24 runs a year: more than one starting each month; "  training: { gpu_hours: 1 h,
     * runs_per_year: " is 45 characters: col 46 */
    {PRE "  training: { gpu_hours: 1 h, runs_per_year: 24/year }\n" RENT,
     "o.yaml:3:46: error: runs_per_year must be at most 12 runs/year (one run starting a month), "
     "not 24/year"},
    /* "  training: { gpu_hours: 1 h, runs_per_year: 1/year, run_months: " is 65: col 66 */
    {PRE "  training: { gpu_hours: 1 h, runs_per_year: 1/year, run_months: 1.5 }\n" RENT,
     "o.yaml:3:66: error: run_months must be a whole number of months"},
    /* "  training: { gpu_hours: 1 h, runs_per_year: 1/year, growth: " is 61: col 62 */
    {PRE "  training: { gpu_hours: 1 h, runs_per_year: 1/year, growth: 2 }\n" RENT,
     "o.yaml:3:62: error: training growth needs a ceiling: give max_growth: (the largest run as a "
     "multiple of the first)"},
    {PRE "  training: { runs_per_year: 1/year }\n" RENT,
     "o.yaml:3:13: error: training needs gpu_hours: (the model's train.gpu_hours cannot be "
     "computed: set model.params, train.tokens and the GPU)"},
    {PRE "  training: { gpu_hours: 1000 h }\n" RENT,
     "o.yaml:3:13: error: training needs runs_per_year: (or train.runs_per_year in the model)"},
    /* training without compute: the org mapping (line 3, col 3) is blamed */
    {PRE "  training: { gpu_hours: 1000 h, runs_per_year: 1/year }\n",
     "o.yaml:3:3: error: org needs compute: (strategy rent, commit, own or mix) to run its "
     "training and serve its users"},

    /* --- demand ------------------------------------------------------------------------- */
    /* "  demand: " is 10 characters: col 11 */
    {PRE "  demand: 5\n" RENT, "o.yaml:3:11: error: org demand must be a mapping, not a scalar"},
    {PRE "  demand: { churn: 1 %/month }\n" RENT, "o.yaml:3:11: error: demand needs users:"},
    /* "  demand: { users: { start: 1, cap: 10, growth_per_year: 1, " is 60: col 61 */
    {PRE "  demand: { users: { start: 1, cap: 10, growth_per_year: 1, x: 1 } }\n" RENT,
     "o.yaml:3:61: error: unknown key 'x' in users (expected one of: start, cap, "
     "growth_per_year)"},
    /* "  demand: { users: " is 19 characters: col 20 */
    {PRE "  demand: { users: { cap: 10, growth_per_year: 1 } }\n" RENT,
     "o.yaml:3:20: error: a logistic users curve needs start:"},
    {PRE "  demand: { users: { start: 1, cap: 10 } }\n" RENT,
     "o.yaml:3:20: error: a logistic users curve needs growth_per_year:"},
    /* "  demand: { users: { start: 10, cap: " is 37 characters: col 38 */
    {PRE "  demand: { users: { start: 10, cap: 5, growth_per_year: 1 } }\n" RENT,
     "o.yaml:3:38: error: cap must be at least start"},
    /* "  demand: { users: { start: " is 28 characters: col 29 */
    {PRE "  demand: { users: { start: 0, cap: 5, growth_per_year: 1 } }\n" RENT,
     "o.yaml:3:29: error: start must be above 0, not 0"},
    {PRE "  demand: { users: 5 }\n" RENT,
     "o.yaml:3:20: error: users must be { start, cap, growth_per_year } or a list of { month, "
     "users } points"},
    {PRE "  demand: { users: [] }\n" RENT,
     "o.yaml:3:20: error: users must be { start, cap, growth_per_year } or a list of { month, "
     "users } points"},
    {PRE "  demand: { users: [5] }\n" RENT,
     "o.yaml:3:21: error: a users point must be a mapping, not a scalar"},
    /* the second point repeats month 0; "  demand: { users: [{ month: 0, users: 1 }, { month: "
     * is 53 characters: col 54 */
    {PRE "  demand: { users: [{ month: 0, users: 1 }, { month: 0, users: 2 }] }\n" RENT,
     "o.yaml:3:54: error: users points must have increasing months"},
    /* 200 %/month is two users lost per user a month; "  demand: { users: [{ month: 0,
     * users: 1 }], churn: " is 52 characters: col 53 */
    {PRE "  demand: { users: [{ month: 0, users: 1 }], churn: 200 %/month }\n" RENT,
     "o.yaml:3:53: error: churn must be at most 100 %/month"},
    /* no inf.* model: the GPUs a user needs cannot be derived */
    {PRE "  demand: { users: [{ month: 0, users: 1 }] }\n" RENT,
     "o.yaml:3:11: error: demand needs gpu_hours_per_user_month: (or the model's inf.* inputs, "
     "so that inf.gpus and inf.daily_users have values)"},

    /* --- revenue ------------------------------------------------------------------------ */
    /* "  revenue: " is 11 characters: col 12 */
    {PRE "  revenue: 5\n", "o.yaml:3:12: error: org revenue must be a mapping, not a scalar"},
    {PRE "  revenue: { subscription: 10 USD/month }\n",
     "o.yaml:3:12: error: subscription and API revenue need users: give demand:"},
    {PRE "  revenue: { subscription: 10 USD/month }\n" USERS RENT,
     "o.yaml:3:12: error: subscription needs paying_share:"},
    {PRE "  revenue: { api_price: 1 USD/token }\n" USERS RENT,
     "o.yaml:3:12: error: api_price needs api_share: here and queries_per_user: and "
     "tokens_per_query: under demand:"},
    /* "  revenue: { contracts: " is 24 characters: col 25 */
    {PRE "  revenue: { contracts: 5 }\n", "o.yaml:3:25: error: contracts must be a mapping, not a "
                                          "scalar"},
    {PRE "  revenue: { contracts: { per_month: 1 } }\n",
     "o.yaml:3:25: error: contracts needs value:"},
    {PRE "  revenue: { contracts: { value: 1 USD } }\n",
     "o.yaml:3:25: error: contracts needs per_month:"},
    /* "  revenue: { contracts: { per_month: 1, value: 1 USD, " is 54 characters: col 55 */
    {PRE "  revenue: { contracts: { per_month: 1, value: 1 USD, from: 2 } }\n",
     "o.yaml:3:55: error: unknown key 'from' in contracts (expected one of: per_month, value, "
     "from_month)"},

    /* --- claims ------------------------------------------------------------------------- */
    /* "  claims: " is 10 characters: col 11, the first claim at col 12 */
    {PRE "  claims: 5\n", "o.yaml:3:11: error: org claims must be a sequence, not a scalar"},
    {PRE "  claims: [{ metric: sim.runway, stated: 5 month }]\n",
     "o.yaml:3:12: error: a claim needs id: (B1, T4, ...)"},
    {PRE "  claims: [{ id: B1, stated: 5 month }]\n", "o.yaml:3:12: error: claim B1 needs metric:"},
    /* "  claims: [{ id: B1, metric: " is 29 characters: col 30 */
    {PRE "  claims: [{ id: B1, metric: sim.runwy, stated: 5 month }]\n",
     "o.yaml:3:30: error: org claims are on simulation results: unknown metric 'sim.runwy' (did "
     "you mean sim.runway?)"},
    {PRE "  claims: [{ id: B1, metric: zzzz, stated: 5 month }]\n",
     "o.yaml:3:30: error: org claims are on simulation results: unknown metric 'zzzz' (known: "
     "sim.runway, sim.compute_per_year, ...)"},
    /* "  claims: [{ id: B1, metric: sim.runway, kind: " is 47 characters: col 48 */
    {PRE "  claims: [{ id: B1, metric: sim.runway, kind: sideways, stated: 5 month }]\n",
     "o.yaml:3:48: error: kind: must be about, at_least, at_most or range"},
    {PRE "  claims: [{ id: B1, metric: sim.runway, kind: range, low: 5 month }]\n",
     "o.yaml:3:12: error: a range claim needs low: and high:"},
    /* sim.runway is in months (time); "  claims: [{ id: B1, metric: sim.runway, kind: range,
     * low: " is 59 characters: col 60 */
    {PRE "  claims: [{ id: B1, metric: sim.runway, kind: range, low: 5 USD, high: 9 month }]\n",
     "o.yaml:3:60: error: low must be time, but '5 USD' is money"},
    {PRE "  claims: [{ id: B1, metric: sim.runway }]\n",
     "o.yaml:3:12: error: claim B1 needs stated:"},
    /* "  claims: [{ id: B1, metric: sim.runway, stated: 5 month, tolerance: " is 69: col 70 */
    {PRE "  claims: [{ id: B1, metric: sim.runway, stated: 5 month, tolerance: -1% }]\n",
     "o.yaml:3:70: error: tolerance must not be negative"},
    {PRE "  claims: [{ id: B1, metric: sim.runway, stated: 5 month, tolerance: 5 USD }]\n",
     "o.yaml:3:70: error: tolerance must be a share (5%) or an amount of time like the metric, "
     "not 5 USD"},
    /* the scenario's rule: a bare 5 would be 500% */
    {PRE "  claims: [{ id: B1, metric: sim.runway, stated: 5 month, tolerance: 5 }]\n",
     "o.yaml:3:70: error: tolerance must be a share between 0% and 100% or an amount with the "
     "metric's unit; 5 would be 500% \xe2\x80\x94 write 5% (or give a unit)"},
    /* money over time; OWN is 89 characters, so its next key starts at column 90; a value after
     * "financing: " at column 101 */
    {PRE OWN "financing: { kind: loan, rate: 8 %/year } }\n",
     "o.yaml:3:101: error: a loan needs term:"},
    {PRE OWN "financing: { kind: mortgage } }\n",
     "o.yaml:3:101: error: financing must be cash, { kind: loan, rate: 8 %/year, term: 36 month } "
     "or { kind: lease, payment: 3 %/month, term: 36 month }"},
    /* "financing: { kind: loan, rate: 8 %/year, term: " is 47: col 90 + 47 = 137 */
    {PRE OWN "financing: { kind: loan, rate: 8 %/year, term: 2.5 month } }\n",
     "o.yaml:3:137: error: a loan's term must be a whole number of months from 1 to 600, not "
     "2.5 month"},
    /* "financing: { kind: loan, rate: " is 31: col 121 */
    {PRE OWN "financing: { kind: loan, rate: 2000 %/year, term: 12 month } }\n",
     "o.yaml:3:121: error: rate must be at most 1000 %/year, not 2000 %/year"},
    {PRE OWN "financing: { kind: loan, rate: 8 %/year, term: 12 month, repayment: balloon } }\n",
     "o.yaml:3:158: error: repayment must be amortising (equal monthly payments) or bullet "
     "(interest only, principal at the end)"},
    {PRE OWN "financing: { kind: lease, payment: 3 %/month, term: 36 month, buyout: 10% } }\n",
     "o.yaml:3:101: error: a lease with buyout: needs a term shorter than the GPUs' life"},
    {PRE OWN "depreciation: sum_of_years }\n",
     "o.yaml:3:104: error: depreciation must be straight_line, declining_balance, { method: "
     "declining_balance, factor: 2 } or { curve: [ { age: 12 month, value: 60% }, ... ] }"},
    {PRE OWN "resale: 5%, depreciation: { curve: [ { age: 1 year, value: 50% } ] } }\n",
     "o.yaml:3:98: error: resale: and a depreciation curve: exclude each other (the curve's value "
     "at the end of life is the resale)"},
    {PRE OWN "depreciation: { curve: [ { age: 2 year, value: 50% }, { age: 1 year, value: 40% } "
             "] } }\n",
     "o.yaml:3:144: error: curve points need increasing ages and values that do not rise"},
    /* "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, rent_decline: " is 71 */
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, rent_decline: 120 %/year }\n",
     "o.yaml:3:72: error: rent_decline must be at most 100 %/year, not 120 %/year"},
    /* a rise is a negative decline, down to -1000 %/year (issue 15) */
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, rent_decline: -2000 %/year }\n",
     "o.yaml:3:72: error: rent_decline must be at least -1000 %/year (a rise of 1000 %/year), not "
     "-2000 %/year"},
    /* "  compute: { strategy: own, gpu_price: 1 USD, life: 1 year, electricity: 0 USD/GPU-hour, "
     * is 89 characters; "price_decline: " 15 more: col 105 */
    {PRE "  compute: { strategy: own, gpu_price: 1 USD, life: 1 year, electricity: 0 USD/GPU-hour, "
         "price_decline: 101 %/year }\n",
     "o.yaml:3:105: error: price_decline must be at most 100 %/year, not 101 %/year"},
    /* "  compute: { strategy: rent, rent_price: [ { month: 0, price: 2 USD/GPU-hour } ], "
     * is 82 characters; "rent_decline: " 14 more: col 97 */
    {PRE "  compute: { strategy: rent, rent_price: [ { month: 0, price: 2 USD/GPU-hour } ], "
         "rent_decline: 10 %/year }\n",
     "o.yaml:3:97: error: dated prices and a yearly decline exclude each other: give one"},
    {PRE "  compute: { strategy: rent, rent_price: [ { month: 3, price: 2 USD/GPU-hour } ] }\n",
     "o.yaml:3:53: error: the first price point must be month 0"},
    {PRE RENT "  finance: { discount_rate: 10% }\n",
     "o.yaml:4:29: error: discount_rate must be 1/time, but '10%' is dimensionless"},
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, financing: cash }\n",
     "o.yaml:3:69: error: financing: and depreciation: are for strategy own or mix"},
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, peak: 1 TFLOP/s, generations: "
         "[ { name: b, from_month: 0, peak: 2 TFLOP/s, rent_price: 1 USD/GPU-hour } ] }\n",
     "o.yaml:3:113: error: generations must come in order of from_month, each after the one "
     "before (the first chip is available from month 0)"},
    {PRE "  compute: { strategy: rent, rent_price: 2 USD/GPU-hour, peak: 1 TFLOP/s, generations: "
         "[ { name: b, from_month: 3, peak: 2 TFLOP/s } ] }\n",
     "o.yaml:3:90: error: generation b needs rent_price:"},
};

static void first_error(const char *text, char *buf, size_t size)
{
    lc_error err;
    lc_scenario *s;
    lc_org *o;
    buf[0] = '\0';
    lc_error_clear(&err);
    s = lc_scenario_load_text("o.yaml", text, strlen(text), NULL, 0, NULL, &err);
    if (s == NULL) {
        snprintf(buf, size, "load failed: %s", err.msg);
        return;
    }
    o = lc_org_parse(s, s->org, &err);
    if (o == NULL) {
        char *p;
        FILE *m = fmemopen(buf, size, "w");
        assert_non_null(m);
        lc_error_print(&err, m);
        fclose(m);
        if ((p = strchr(buf, '\n')) != NULL)
            *p = '\0';
    }
    lc_org_free(o);
    lc_scenario_free(s);
}

static void every_error(void **state)
{
    size_t i, bad = 0;
    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[1024];
        first_error(cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].want) != 0) {
            print_error("case %zu:\n  text: %s  want: %s\n  got:  %s\n", i, cases[i].text,
                        cases[i].want, got[0] ? got : "(no error)");
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
