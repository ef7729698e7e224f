/* lc_catalog — hardware data: the built-in catalog (src/catalog.yaml, embedded
 * in the binary) plus entries a scenario adds or overrides, and how a chosen
 * server or GPU sets the model's server.* and gpu.* inputs, which dated rent
 * row fleet.rent picks, the yearly rent decline fitted to the GPU's dated
 * rents of one provider kind (gpu.rent_decline, issue 15: least squares of
 * ln(rent) on years by gsl_fit_linear, 1 - exp(slope); 0 with fewer than 2
 * rows or a span under 12 months, the source saying why), and the fitted
 * training distributions (training: mfu, failure_rate) a training scenario's
 * defaults get.
 *
 * Owns: the built-in tree.  Borrows: the scenario's catalog: node. */
#ifndef LC_CATALOG_H
#define LC_CATALOG_H

#include "lc_error.h"
#include "lc_model.h"
#include "lc_yaml.h"

typedef struct lc_catalog {
    lc_yaml_node *builtin;    /* owned */
    const lc_yaml_node *user; /* the scenario's catalog: mapping, or NULL */
} lc_catalog;

/* The embedded catalog text (NUL-terminated). */
const char *lc_catalog_text(void);

int lc_catalog_init(lc_catalog *c, const lc_yaml_node *user, lc_error *err);
void lc_catalog_release(lc_catalog *c);

/* Entry `id` of section "gpus" or "servers" (the scenario's first), or NULL. */
const lc_yaml_node *lc_catalog_entry(const lc_catalog *c, const char *section, const char *id);

/* A numeric field of an entry: plain quantity or { value, source, date, note }.
 * Returns 1 found, 0 absent, or -LC_EINPUT with err on a bad value.
 * *text, *source, *date point into the tree (source falls back to the entry's). */
int lc_catalog_field(const lc_units *u, const lc_yaml_node *entry, const char *field, double *value,
                     lc_dim *dim, const char **text, const char **source, const char **date,
                     lc_error *err);

/* Set model input `name` from field `field` of catalog entry `entry` (id `id`
 * names it in the source), unless the scenario or command line set it; an
 * absent field leaves the input alone. */
int lc_catalog_fill(lc_model *m, const lc_yaml_node *entry, const char *id, const char *field,
                    const char *name, lc_error *err);

/* Apply the model's fleet.server / fleet.gpu / gpu.precision / fleet.rent
 * choices: fill server.* and gpu.* inputs (gpu.rent_decline included) that the
 * scenario and command line left unset.  Positioned LC_EINPUT on a bad entry
 * or rent row of the chosen GPU. */
int lc_catalog_apply(const lc_catalog *c, lc_model *m, lc_error *err);

/* Index of a rent row's provider kind (hyperscaler, reserved, neocloud,
 * china-cloud), or -1. */
int lc_catalog_rent_kind(const char *kind);

/* Check every entry of the built-in catalog parses (for tests). */
int lc_catalog_check(const lc_catalog *c, const lc_units *u, lc_error *err);

#endif
