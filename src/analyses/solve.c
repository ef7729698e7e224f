/* solve.c — one-dimensional root finding: bracket check, sign-change scan, Brent. */
#include "lc_solve.h"

#include <math.h>
#include <stddef.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

typedef struct solve_ctx {
    lc_solve_fn g;
    void *user;
    double target;
    lc_error *err;
    lc_error own; /* used when the caller passes err = NULL */
    int status;   /* first error from g */
    lc_solve_result *res;
} solve_ctx;

/* g(x) - target; NaN after g failed, which makes Brent stop. */
static double shifted(double x, void *params)
{
    solve_ctx *c = params;
    double y = NAN;
    int rc;

    if (c->status != LC_OK)
        return NAN;
    rc = c->g(c->user, x, &y, c->err ? c->err : &c->own);
    c->res->evaluations++;
    if (rc != LC_OK) {
        c->status = rc;
        return NAN;
    }
    if (isfinite(y)) {
        if (isnan(c->res->ymin) || y < c->res->ymin)
            c->res->ymin = y;
        if (isnan(c->res->ymax) || y > c->res->ymax)
            c->res->ymax = y;
    }
    return y - c->target;
}

static int opposite(double fa, double fb)
{
    return (fa < 0.0 && fb > 0.0) || (fa > 0.0 && fb < 0.0);
}

static int brent(solve_ctx *c, double a, double b, double abs_floor, const char *x_name,
                 const char *y_name)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_function f;
    lc_solve_result *res = c->res;
    int status, iter;

    if (s == NULL)
        return lc_error_nomem(c->err);
    f.function = shifted;
    f.params = c;
    status = gsl_root_fsolver_set(s, &f, a, b);
    for (iter = 0; status == GSL_SUCCESS && c->status == LC_OK; iter++) {
        double xl, xh, r;
        if (iter >= LC_SOLVE_MAX_ITER) {
            status = GSL_EMAXITER;
            break;
        }
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS || c->status != LC_OK)
            break;
        r = gsl_root_fsolver_root(s);
        xl = gsl_root_fsolver_x_lower(s);
        xh = gsl_root_fsolver_x_upper(s);
        res->iterations = iter + 1;
        res->x = r;
        if (gsl_root_test_interval(xl, xh, abs_floor, LC_SOLVE_TOLERANCE) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    if (c->status != LC_OK)
        return c->status;
    if (status != GSL_SUCCESS)
        return lc_error_set(c->err, LC_ENUMERIC, lc_mark_none(),
                            "cannot solve for %s in [%g, %g] (%s): %s is not finite or not "
                            "continuous there",
                            x_name, a, b, gsl_strerror(status), y_name);
    return LC_OK;
}

int lc_solve(lc_solve_fn g, void *user, double lo, double hi, double target, const char *x_name,
             const char *y_name, lc_solve_result *res, lc_error *err)
{
    solve_ctx c;
    double flo, fhi, abs_floor;
    int rc, i;

    gsl_set_error_handler_off();
    if (x_name == NULL)
        x_name = "x";
    if (y_name == NULL)
        y_name = "y";
    res->x = res->y = NAN;
    res->ymin = res->ymax = NAN;
    res->iterations = res->scanned = res->evaluations = 0;
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "the range of %s must be finite with lo below hi (got [%g, %g])",
                            x_name, lo, hi);
    if (!isfinite(target))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "the target of %s must be finite",
                            y_name);
    c.g = g;
    c.user = user;
    c.target = target;
    c.err = err;
    lc_error_clear(&c.own);
    c.status = LC_OK;
    c.res = res;
    abs_floor = 1e-15 * fmax(fabs(lo), fabs(hi));

    flo = shifted(lo, &c);
    if (c.status == LC_OK && flo == 0.0) {
        res->x = lo;
        res->y = target;
        return LC_OK;
    }
    fhi = shifted(hi, &c);
    if (c.status != LC_OK)
        return c.status;
    if (fhi == 0.0) {
        res->x = hi;
        res->y = target;
        return LC_OK;
    }
    if (opposite(flo, fhi)) {
        rc = brent(&c, lo, hi, abs_floor, x_name, y_name);
    } else {
        /* Same sign (or not finite) at both ends: look for a sign change. */
        double xa = lo, fa = flo;
        int found = 0;
        for (i = 1; i <= LC_SOLVE_SCAN && !found; i++) {
            double xb = i == LC_SOLVE_SCAN ? hi : lo + (hi - lo) * i / LC_SOLVE_SCAN;
            double fb = i == LC_SOLVE_SCAN ? fhi : shifted(xb, &c);
            if (c.status != LC_OK)
                return c.status;
            if (fb == 0.0) {
                res->x = xb;
                res->y = target;
                res->scanned = 1;
                return LC_OK;
            }
            if (!isfinite(fb))
                continue;
            if (isfinite(fa) && opposite(fa, fb)) {
                found = 1;
                res->scanned = 1;
                rc = brent(&c, xa, xb, abs_floor, x_name, y_name);
                if (rc != LC_OK)
                    return rc;
            }
            xa = xb;
            fa = fb;
        }
        if (!found) {
            if (isnan(res->ymin))
                return lc_error_set(err, LC_ENUMERIC, lc_mark_none(),
                                    "no value of %s in [%g, %g] makes %s reach %g: %s is not "
                                    "finite anywhere there",
                                    x_name, lo, hi, y_name, target, y_name);
            return lc_error_set(err, LC_ENUMERIC, lc_mark_none(),
                                "no value of %s in [%g, %g] makes %s reach %g: %s ranges from %g "
                                "to %g there",
                                x_name, lo, hi, y_name, target, y_name, res->ymin, res->ymax);
        }
        rc = LC_OK;
    }
    if (rc != LC_OK)
        return rc;
    /* g at the solution, for the caller to show. */
    res->y = shifted(res->x, &c) + target;
    return c.status;
}
