/* lc_solve — find x in [lo, hi] with g(x) = target for a scalar function
 * (the caller wraps the model as g: one input varied, one metric read), and
 * every place in the range where g crosses the target.
 *
 * Borrows g and its user pointer for the call; owns nothing.
 *
 * lc_solve (a continuous input): g is evaluated at lo, hi and 63 equally
 * spaced interior points; on every sub-interval where g - target changes
 * sign, Brent (gsl_root_fsolver_brent) finds the root; a scan point where g
 * equals the target is a root itself.  res->x is the root nearest lo and
 * res->cross the roots in increasing order (so several crossings, a step
 * function going up and down, are all reported).  Points where g is not
 * finite are skipped.  Tolerance: relative 1e-10 on x (plus an absolute floor
 * of 1e-15 max(|lo|, |hi|) so a root at 0 converges), at most 200 iterations
 * per root.  Crossings between two scan points, in an interval 1/64 of the
 * range wide, can be missed: lc_solve_whole has no such gap.
 *
 * lc_solve_whole (an input that is a count): g is evaluated at every whole
 * value from ceil(lo) to floor(hi), at most LC_SOLVE_WHOLE_MAX of them, in
 * blocks.  res->x is the smallest whole value that reaches the target: g
 * equals it there, or g - target has changed sign since ceil(lo) (g(lo)
 * already equal to the target: lo).  Each whole value where g reaches the
 * target again from the other side is a crossing in res->cross.
 *
 * All values in base units.  Calls gsl_set_error_handler_off(). */
#ifndef LC_SOLVE_H
#define LC_SOLVE_H

#include <stddef.h>

#include "lc_error.h"

#define LC_SOLVE_SCAN        64 /* sub-intervals of the sign-change scan */
#define LC_SOLVE_MAX_ITER    200
#define LC_SOLVE_TOLERANCE   1e-10
#define LC_SOLVE_CROSS_MAX   16       /* crossings kept (all are counted) */
#define LC_SOLVE_WHOLE_MAX   10000000 /* whole values lc_solve_whole tries */
#define LC_SOLVE_WHOLE_BLOCK 256      /* whole values per call of g */

/* y = g(x).  Return LC_OK (y may be NaN or infinite where the model is
 * undefined), or an error set in err, which stops the solve. */
typedef int (*lc_solve_fn)(void *user, double x, double *y, lc_error *err);

/* y[i] = g(x[i]) for 1 <= n <= LC_SOLVE_WHOLE_BLOCK points. */
typedef int (*lc_solve_block_fn)(void *user, const double *x, double *y, size_t n, lc_error *err);

typedef struct lc_solve_result {
    double x;          /* the solution: the crossing nearest lo */
    double y;          /* g(x) */
    int iterations;    /* Brent iterations, all roots together */
    int scanned;       /* 1 when the ends did not bracket a root */
    long evaluations;  /* points g was evaluated at */
    double ymin, ymax; /* finite g values seen; NaN when none was finite */
    size_t ncross;     /* crossings of the target found in [lo, hi], >= 1 on success */
    double cross[LC_SOLVE_CROSS_MAX]; /* the first min(ncross, LC_SOLVE_CROSS_MAX), increasing */
} lc_solve_result;

/* On success fills *res and returns LC_OK.  When nothing in [lo, hi] reaches
 * target, returns LC_ENUMERIC with the message
 *   "no value of X in [lo, hi] makes Y reach target: Y ranges from a to b there"
 * where X and Y are x_name and y_name (NULL: "x" and "y") and numbers are
 * printed with %g in base units.  A caller that wants other wording (units,
 * say) passes err = NULL and words it from res->ymin and res->ymax, which
 * are filled on this failure too.  LC_EINPUT for a bad interval or target
 * (lc_solve_whole: also no whole value in it, or more than
 * LC_SOLVE_WHOLE_MAX); g's own error is passed through. */
int lc_solve(lc_solve_fn g, void *user, double lo, double hi, double target, const char *x_name,
             const char *y_name, lc_solve_result *res, lc_error *err);
int lc_solve_whole(lc_solve_block_fn g, void *user, double lo, double hi, double target,
                   const char *x_name, const char *y_name, lc_solve_result *res, lc_error *err);

#endif
