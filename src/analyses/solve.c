/* solve.c — one-dimensional root finding: a sign-change scan with Brent on
 * every change (continuous inputs), or every whole value in turn (counts). */
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

static void seen(lc_solve_result *res, double y)
{
    if (!isfinite(y))
        return;
    if (isnan(res->ymin) || y < res->ymin)
        res->ymin = y;
    if (isnan(res->ymax) || y > res->ymax)
        res->ymax = y;
}

static void add_cross(lc_solve_result *res, double x)
{
    if (res->ncross < LC_SOLVE_CROSS_MAX)
        res->cross[res->ncross] = x;
    res->ncross++;
}

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
    seen(c->res, y);
    return y - c->target;
}

static int opposite(double fa, double fb)
{
    return (fa < 0.0 && fb > 0.0) || (fa > 0.0 && fb < 0.0);
}

/* The root of g - target in [a, b], where it changes sign. */
static int brent(solve_ctx *c, double a, double b, double abs_floor, const char *x_name,
                 const char *y_name, double *root)
{
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_function f;
    int status, iter;

    if (s == NULL)
        return lc_error_nomem(c->err);
    f.function = shifted;
    f.params = c;
    *root = 0.5 * (a + b);
    status = gsl_root_fsolver_set(s, &f, a, b);
    for (iter = 0; status == GSL_SUCCESS && c->status == LC_OK; iter++) {
        double xl, xh;
        if (iter >= LC_SOLVE_MAX_ITER) {
            status = GSL_EMAXITER;
            break;
        }
        status = gsl_root_fsolver_iterate(s);
        if (status != GSL_SUCCESS || c->status != LC_OK)
            break;
        *root = gsl_root_fsolver_root(s);
        xl = gsl_root_fsolver_x_lower(s);
        xh = gsl_root_fsolver_x_upper(s);
        c->res->iterations++;
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

static int start(double lo, double hi, double target, const char *x_name, const char *y_name,
                 lc_solve_result *res, lc_error *err)
{
    gsl_set_error_handler_off();
    res->x = res->y = NAN;
    res->ymin = res->ymax = NAN;
    res->iterations = res->scanned = 0;
    res->evaluations = 0;
    res->ncross = 0;
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "the range of %s must be finite with lo below hi (got [%g, %g])",
                            x_name, lo, hi);
    if (!isfinite(target))
        return lc_error_set(err, LC_EINPUT, lc_mark_none(), "the target of %s must be finite",
                            y_name);
    return LC_OK;
}

static int no_root(const lc_solve_result *res, double lo, double hi, double target,
                   const char *x_name, const char *y_name, lc_error *err)
{
    if (isnan(res->ymin))
        return lc_error_set(err, LC_ENUMERIC, lc_mark_none(),
                            "no value of %s in [%g, %g] makes %s reach %g: %s is not finite "
                            "anywhere there",
                            x_name, lo, hi, y_name, target, y_name);
    return lc_error_set(err, LC_ENUMERIC, lc_mark_none(),
                        "no value of %s in [%g, %g] makes %s reach %g: %s ranges from %g to %g "
                        "there",
                        x_name, lo, hi, y_name, target, y_name, res->ymin, res->ymax);
}

int lc_solve(lc_solve_fn g, void *user, double lo, double hi, double target, const char *x_name,
             const char *y_name, lc_solve_result *res, lc_error *err)
{
    solve_ctx c;
    double xa, fa, flo, fb = NAN, abs_floor;
    int rc, i, have_a;

    x_name = x_name ? x_name : "x";
    y_name = y_name ? y_name : "y";
    if ((rc = start(lo, hi, target, x_name, y_name, res, err)) != LC_OK)
        return rc;
    c.g = g;
    c.user = user;
    c.target = target;
    c.err = err;
    lc_error_clear(&c.own);
    c.status = LC_OK;
    c.res = res;
    abs_floor = 1e-15 * fmax(fabs(lo), fabs(hi));

    /* Walk lo, the interior points and hi; (xa, fa) is the last finite point. */
    xa = lo;
    fa = flo = shifted(lo, &c);
    if (c.status != LC_OK)
        return c.status;
    if (fa == 0.0)
        add_cross(res, lo);
    have_a = isfinite(fa);
    for (i = 1; i <= LC_SOLVE_SCAN; i++) {
        double xb = i == LC_SOLVE_SCAN ? hi : lo + (hi - lo) * i / LC_SOLVE_SCAN;
        fb = shifted(xb, &c);
        if (c.status != LC_OK)
            return c.status;
        if (!isfinite(fb))
            continue;
        if (fb == 0.0) {
            if (!(have_a && fa == 0.0)) /* a run of exact hits is one crossing */
                add_cross(res, xb);
        } else if (have_a && opposite(fa, fb)) {
            double root = NAN;
            if ((rc = brent(&c, xa, xb, abs_floor, x_name, y_name, &root)) != LC_OK)
                return rc;
            add_cross(res, root);
        }
        xa = xb;
        fa = fb;
        have_a = 1;
    }
    res->scanned = !(opposite(flo, fb) || flo == 0.0 || fb == 0.0);
    if (res->ncross == 0)
        return no_root(res, lo, hi, target, x_name, y_name, err);
    res->x = res->cross[0];
    /* g at the solution, for the caller to show. */
    res->y = shifted(res->x, &c) + target;
    return c.status;
}

static int sign_of(double f)
{
    return f > 0.0 ? 1 : f < 0.0 ? -1 : 0;
}

int lc_solve_whole(lc_solve_block_fn g, void *user, double lo, double hi, double target,
                   const char *x_name, const char *y_name, lc_solve_result *res, lc_error *err)
{
    double first, last, x[LC_SOLVE_WHOLE_BLOCK], y[LC_SOLVE_WHOLE_BLOCK];
    long total, done;
    int rc, prev = 0, have_prev = 0;
    lc_error own;

    x_name = x_name ? x_name : "x";
    y_name = y_name ? y_name : "y";
    if ((rc = start(lo, hi, target, x_name, y_name, res, err)) != LC_OK)
        return rc;
    first = ceil(lo);
    last = floor(hi);
    /* beyond 2^53, consecutive doubles are no longer consecutive whole numbers */
    if (!(first <= last) || fabs(first) > 9007199254740992.0 || fabs(last) > 9007199254740992.0)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "%s is a count, and no whole value lies in [%g, %g]", x_name, lo, hi);
    if (last - first + 1 > LC_SOLVE_WHOLE_MAX)
        return lc_error_set(err, LC_EINPUT, lc_mark_none(),
                            "%s is a count: [%g, %g] holds %.0f whole values and at most %d are "
                            "tried; narrow the range",
                            x_name, lo, hi, last - first + 1, LC_SOLVE_WHOLE_MAX);
    lc_error_clear(&own);
    total = (long)(last - first) + 1;
    res->scanned = 1;
    for (done = 0; done < total;) {
        size_t n =
            (size_t)(total - done < LC_SOLVE_WHOLE_BLOCK ? total - done : LC_SOLVE_WHOLE_BLOCK);
        size_t i;
        for (i = 0; i < n; i++)
            x[i] = first + (double)(done + (long)i);
        if ((rc = g(user, x, y, n, err ? err : &own)) != LC_OK)
            return rc;
        res->evaluations += (long)n;
        for (i = 0; i < n; i++) {
            double f = y[i] - target;
            int s = sign_of(f), crosses;
            seen(res, y[i]);
            if (!isfinite(f))
                continue;
            /* Reached: equal to the target, or past it from the other side. */
            crosses = have_prev ? (s == 0 ? prev != 0 : prev == -s) : s == 0;
            if (crosses) {
                if (res->ncross == 0)
                    res->y = y[i];
                add_cross(res, x[i]);
            }
            prev = s;
            have_prev = 1;
        }
        done += (long)n;
    }
    if (res->ncross == 0)
        return no_root(res, lo, hi, target, x_name, y_name, err);
    res->x = res->cross[0];
    return LC_OK;
}
