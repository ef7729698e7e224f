/* lc_models — the built-in model catalog (src/engine/catalog-models.yaml,
 * embedded in the binary): transformer architectures and dated API price lists,
 * and how model.arch and api.model set the model's inputs.
 *
 * Owns: nothing between calls (the embedded tree is parsed per call).
 * Borrows: the model it fills. */
#ifndef LC_MODELS_H
#define LC_MODELS_H

#include "lc_error.h"
#include "lc_model.h"
#include "lc_yaml.h"

/* The embedded model catalog text (NUL-terminated). */
const char *lc_models_text(void);

/* The parsed model catalog, or NULL with err.  Free with lc_yaml_free. */
lc_yaml_node *lc_models_load(lc_error *err);

/* Apply the model's model.arch and api.model choices: fill the architecture and
 * price inputs that the scenario and the command line left unset. */
int lc_models_apply(lc_model *m, lc_error *err);

/* Check every numeric field of the embedded catalog parses and has a source. */
int lc_models_check(const lc_units *u, lc_error *err);

#endif
