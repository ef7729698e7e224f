/* lc_solve — find x in [lo, hi] with g(x) = target for a scalar function
 * (the caller wraps the model as g: one input varied, one metric read).
 *
 * Borrows g and its user pointer for the call; owns nothing.  Method: if
 * g(lo) - target and g(hi) - target have opposite signs (or one is zero), Brent
 * (gsl_root_fsolver_brent) on [lo, hi]; otherwise g is evaluated at 63
 * equally spaced interior points and Brent runs on the first sub-interval
 * where g - target changes sign (so of several roots the one nearest lo is
 * found).  Points where g is not finite are skipped by the scan.  Tolerance:
 * relative 1e-10 on x (plus an absolute floor of 1e-15 max(|lo|, |hi|) so a
 * root at 0 converges), at most 200 iterations.  All values in base units.
 * Calls gsl_set_error_handler_off(). */
#ifndef LC_SOLVE_H
#define LC_SOLVE_H

#include "lc_error.h"

#define LC_SOLVE_SCAN      64 /* sub-intervals of the sign-change scan */
#define LC_SOLVE_MAX_ITER  200
#define LC_SOLVE_TOLERANCE 1e-10

/* y = g(x).  Return LC_OK (y may be NaN or infinite where the model is
 * undefined), or an error set in err, which stops the solve. */
typedef int (*lc_solve_fn)(void *user, double x, double *y, lc_error *err);

typedef struct lc_solve_result {
    double x;          /* the solution */
    double y;          /* g(x) */
    int iterations;    /* Brent iterations */
    int scanned;       /* 1 when the ends did not bracket and the scan did */
    int evaluations;   /* calls of g */
    double ymin, ymax; /* finite g values seen (ends and, if scanned, the scan
                        * points); NaN when none was finite */
} lc_solve_result;

/* On success fills *res and returns LC_OK.  When nothing in [lo, hi] reaches
 * target, returns LC_ENUMERIC with the message
 *   "no value of X in [lo, hi] makes Y reach target: Y ranges from a to b there"
 * where X and Y are x_name and y_name (NULL: "x" and "y") and numbers are
 * printed with %g in base units.  A caller that wants other wording (units,
 * say) passes err = NULL and words it from res->ymin and res->ymax, which
 * are filled on this failure too.  LC_EINPUT for a bad interval or target;
 * g's own error is passed through. */
int lc_solve(lc_solve_fn g, void *user, double lo, double hi, double target, const char *x_name,
             const char *y_name, lc_solve_result *res, lc_error *err);

#endif
