/* lc_yaml — a YAML document loaded through libyaml's event API into a small tree.
 *
 * Owns: the tree, every string in it, and a copy of the file name that every
 * node's mark points to.  Borrows nothing after lc_yaml_load returns.
 * Limits (our own; libyaml 0.2.5 has none): input size, nesting depth, scalar
 * length, node count; aliases and anchors are rejected; duplicate mapping keys,
 * non-scalar keys, tags other than the standard ones, NUL bytes and invalid
 * UTF-8 are errors.  Only the first document of a stream is read; a second one
 * is an error.  Duplicate keys are found when their mapping closes (sorted, so
 * O(n log n)); the one whose second occurrence comes first is reported.
 * Positions are 1-based and count characters, as libyaml does; a leading UTF-8
 * BOM takes no column. */
#ifndef LC_YAML_H
#define LC_YAML_H

#include <stddef.h>

#include "lc_error.h"

#define LC_YAML_MAX_BYTES (1u << 20) /* 1 MiB of input */
#define LC_YAML_MAX_DEPTH 64         /* nested sequences/mappings */
#define LC_YAML_MAX_SCALAR 65536     /* bytes in one scalar */
#define LC_YAML_MAX_NODES 100000     /* nodes in one document */

typedef struct lc_yaml_limits {
    size_t max_bytes;
    int max_depth;
    size_t max_scalar;
    size_t max_nodes;
} lc_yaml_limits;

typedef enum { LC_YAML_SCALAR, LC_YAML_SEQ, LC_YAML_MAP } lc_yaml_kind;

typedef struct lc_yaml_node lc_yaml_node;
struct lc_yaml_node {
    lc_yaml_kind kind;
    lc_mark mark;  /* where the node starts; mark.file points into the tree */
    char *str;     /* SCALAR: text, NUL-terminated (a NUL inside is an error) */
    size_t len;    /* SCALAR: strlen(str) */
    int quoted;    /* SCALAR: 1 when written in quotes, as a block scalar, or tagged !!str */
    size_t n;      /* SEQ: items; MAP: pairs */
    lc_yaml_node **items; /* SEQ: items[0..n-1]; MAP: items[2i] key, items[2i+1] value */
};

/* The default limits above. */
lc_yaml_limits lc_yaml_default_limits(void);

/* Parse buf[0..len) (need not be NUL-terminated); name is used in marks and
 * errors ("<input>" when NULL); limits NULL means the defaults.  Returns the
 * root node (an empty document, or one that is only "---", gives an empty MAP),
 * or NULL with err filled (code LC_EINPUT, or LC_ENOMEM). */
lc_yaml_node *lc_yaml_load(const char *name, const char *buf, size_t len,
                           const lc_yaml_limits *limits, lc_error *err);

/* Read a whole file ("-" is standard input, named "<stdin>" in marks) within
 * limits->max_bytes and parse it; limits NULL means the defaults. */
lc_yaml_node *lc_yaml_load_file(const char *path, const lc_yaml_limits *limits, lc_error *err);

/* Free a tree returned by lc_yaml_load*; NULL is a no-op. */
void lc_yaml_free(lc_yaml_node *root);

/* The value for key in a MAP node, or NULL. */
const lc_yaml_node *lc_yaml_get(const lc_yaml_node *map, const char *key);

/* "a scalar", "a sequence", "a mapping": for error messages. */
const char *lc_yaml_kind_name(lc_yaml_kind kind);

#endif
