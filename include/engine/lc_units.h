/* lc_units — quantities with units: parsing ("6.5 kW", "0.63 CNY/kWh", "2T tokens",
 * "175B", "90%"), dimensions, conversion to base units, currencies and formatting.
 *
 * Base units (every value inside llmcost is in these): time s, energy J, money
 * one unit of the scenario currency, compute FLOP, data byte, tokens token, CO2
 * kg CO2e.  Counts (GPUs, servers, users, queries) are dimensionless; their
 * names are accepted in units as labels ("USD/GPU-hour").  Owns: the currency
 * table of an lc_units context (caller-owned storage).  No allocation. */
#ifndef LC_UNITS_H
#define LC_UNITS_H

#include <stddef.h>

enum {
    LC_DIM_TIME,
    LC_DIM_ENERGY,
    LC_DIM_MONEY,
    LC_DIM_COMPUTE,
    LC_DIM_DATA,
    LC_DIM_TOKEN,
    LC_DIM_CO2,
    LC_NDIM
};

typedef struct lc_dim {
    signed char e[LC_NDIM]; /* exponent of each base dimension */
} lc_dim;

typedef struct lc_unit {
    double factor; /* value in base units of 1 of this unit */
    lc_dim dim;
} lc_unit;

#define LC_UNITS_MAX_CURRENCIES 16
#define LC_CURRENCY_LEN         8

/* Text bounds, so that buffers sized by them cut nothing.  Every unit a
 * quantity carries is the library's or a scenario's unit: (refused above
 * LC_MODEL_UNIT_MAX bytes); currency codes are three letters, as CUR, so a
 * unit's display name is as long as the unit. */
#define LC_UNIT_TEXT_MAX    64 /* a unit's text or display name, with its NUL */
#define LC_NUMBER_TEXT_MAX  32 /* lc_units_format_number: "-1.23457e+308", "-0.000123457" */
#define LC_UNITS_FORMAT_MAX (LC_NUMBER_TEXT_MAX + LC_UNIT_TEXT_MAX) /* "number unit" */
/* A parse message of lc_units_parse_unit / _quantity: fixed words and at most
 * one unknown unit word, quoted; a word of LC_UNIT_WORD_MAX bytes or more is
 * refused without being quoted, so a buffer of this size holds every message
 * whole. */
#define LC_UNIT_WORD_MAX 256
#define LC_UNITS_MSG_MAX (LC_UNIT_WORD_MAX + 64)

typedef struct lc_units {
    char base[LC_CURRENCY_LEN];    /* the scenario currency: money's base unit */
    char display[LC_CURRENCY_LEN]; /* the currency results are shown in ("CUR") */
    size_t ncur;
    struct {
        char code[LC_CURRENCY_LEN];
        double value; /* base-currency units per one unit of code */
        int from_scenario;
    } cur[LC_UNITS_MAX_CURRENCIES];
} lc_units;

/* A context whose base and display currency is `base` ("CNY", "USD", ...), with
 * the default exchange rates (see units.c for their source).  Returns 0, or -1
 * when the currency is unknown. */
int lc_units_init(lc_units *u, const char *base);

/* Set 1 `code` = `value` base-currency units (a scenario's fx: entry). 0 or -1. */
int lc_units_set_rate(lc_units *u, const char *code, double value);

/* Show results in `code` instead of the base currency.  0 or -1 if unknown. */
int lc_units_set_display(lc_units *u, const char *code);

/* Parse a unit expression: atoms with SI prefixes joined by '*', '-' or '·'
 * (product) and '/' (everything after a '/' up to the next '/' divides),
 * with '^N' exponents.  "CUR" is the display currency.  On error returns -1,
 * writes a message into msg and the byte offset of the problem into *at. */
int lc_units_parse_unit(const lc_units *u, const char *s, size_t len, lc_unit *out, char *msg,
                        size_t msgsize, size_t *at);

/* Parse a quantity: number, optional magnitude suffix directly after it
 * (K M B T: thousand .. trillion, or %), optional space and unit.  The whole
 * string must be consumed and the number finite.  *value is in base units. */
int lc_units_parse_quantity(const lc_units *u, const char *s, double *value, lc_dim *dim, char *msg,
                            size_t msgsize, size_t *at);

/* Length of the unit word at s (letters, digits, %, '/', '-', '*', '^', '·'),
 * as the expression lexer uses it after a number. */
size_t lc_units_word_len(const char *s);

int lc_dim_eq(lc_dim a, lc_dim b);
int lc_dim_is_none(lc_dim a);
lc_dim lc_dim_none(void);
/* Checked dimension arithmetic: *out = a * b, a / b, a^k.  Returns 0, or -1
 * (and leaves *out alone) when an exponent would pass +-LC_DIM_EXP_MAX. */
#define LC_DIM_EXP_MAX 32
#define LC_STR_(x)     #x
#define LC_STR(x)      LC_STR_(x)
int lc_dim_mul(lc_dim a, lc_dim b, lc_dim *out);
int lc_dim_div(lc_dim a, lc_dim b, lc_dim *out);
int lc_dim_scale(lc_dim a, int k, lc_dim *out);

/* "money/energy", "energy/time", "dimensionless": for messages.  At most
 * LC_DIM_TEXT_MAX bytes with the NUL: seven names (35 bytes), their
 * separators and exponents up to ^32. */
#define LC_DIM_TEXT_MAX 80
void lc_dim_describe(lc_dim d, char *buf, size_t size);

/* A display unit for a dimension with no declared unit ("CUR/day" for
 * money/time, "kWh" for energy ...); "" when nothing fits (base units). */
const char *lc_dim_default_unit(lc_dim d);

/* Format a number for people: up to 6 significant digits, no exponent
 * between 1e-4 and 1e15, trailing zeros dropped. */
void lc_units_format_number(double v, char *buf, size_t size);

/* Format base value v in display unit `unit` (its dimension must match):
 * "196.56 CNY/day".  "CUR" in the unit prints as the display currency. */
int lc_units_format(const lc_units *u, double v, const char *unit, char *buf, size_t size);

/* The unit string with CUR replaced by the display currency (size:
 * LC_UNIT_TEXT_MAX holds a quantity's unit whole). */
void lc_units_display_name(const lc_units *u, const char *unit, char *buf, size_t size);

/* The unit with every currency code in it (CNY, USD, ...) written as CUR, the
 * display currency: "CNY/year" -> "CUR/year".  Same dimension. */
void lc_units_currency_as_cur(const lc_units *u, const char *unit, char *buf, size_t size);

/* Display-currency units per 1 `code` (7.084 for CNY per USD when CNY is
 * shown); NaN when code is unknown. */
double lc_units_rate(const lc_units *u, const char *code, size_t len);

/* The currency code in unit, if any: its start and length (*len 0: none). */
const char *lc_units_find_currency(const lc_units *u, const char *unit, size_t *len);

/* Value of base value v expressed in `unit` (v / factor); NaN if unit is bad. */
double lc_units_to(const lc_units *u, double v, const char *unit);

#endif
