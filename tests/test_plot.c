/* test_plot — charts through gnuplot: every kind to PNG and SVG, hostile
 * text, no gnuplot, a gnuplot killed or too slow, the script checker.
 * LC_PLOT_TEST_KEEP=1 keeps the temporary folders (printed) to look at. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lc_io.h"
#include "lc_plot.h"

/* ---- helpers -------------------------------------------------------------- */

static char *make_temp_dir(void)
{
    char tmpl[] = "/tmp/lc_plot_XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    d = strdup(d);
    assert_non_null(d);
    return d;
}

static void remove_tree(const char *dir)
{
    DIR *d;
    struct dirent *e;
    char path[PATH_MAX];
    struct stat st;

    if (getenv("LC_PLOT_TEST_KEEP")) {
        fprintf(stderr, "kept %s\n", dir);
        return;
    }
    d = opendir(dir);
    if (d == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static char *read_all(const char *path, size_t *len)
{
    char *buf = NULL;
    lc_error err;
    lc_error_clear(&err);
    if (lc_read_file(path, 64u << 20, &buf, len, &err) != LC_OK)
        return NULL;
    return buf;
}

static int exists(const char *dir, const char *name)
{
    char path[PATH_MAX * 2];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

/* Any file in dir whose name contains part. */
static int any_file_containing(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, part) != NULL)
            found = 1;
    closedir(d);
    return found;
}

static void check_png(const char *dir, const char *stem)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    char path[PATH_MAX];
    size_t len;
    char *buf;

    snprintf(path, sizeof path, "%s/%s.png", dir, stem);
    buf = read_all(path, &len);
    assert_non_null(buf);
    assert_true(len > 5 * 1024);
    assert_true(len < 5 * 1024 * 1024);
    assert_memory_equal(buf, sig, 8);
    free(buf);
}

/* Returns the SVG text (caller frees). */
static char *check_svg(const char *dir, const char *stem)
{
    char path[PATH_MAX];
    size_t len;
    char *buf;

    snprintf(path, sizeof path, "%s/%s.svg", dir, stem);
    buf = read_all(path, &len);
    assert_non_null(buf);
    assert_true(strncmp(buf, "<?xml", 5) == 0 || strncmp(buf, "<svg", 4) == 0);
    assert_non_null(strstr(buf, "</svg>"));
    return buf;
}

static void check_script_file(const char *dir, const char *stem)
{
    char path[PATH_MAX];
    size_t len;
    char *buf;
    lc_error err;

    snprintf(path, sizeof path, "%s/%s.gp", dir, stem);
    buf = read_all(path, &len);
    assert_non_null(buf);
    lc_error_clear(&err);
    assert_int_equal(lc_plot_check_script(buf, &err), LC_OK);
    free(buf);
}

/* ---- synthetic charts ------------------------------------------------------- */

#define MAXROWS 64
#define MAXCOLS 6

typedef struct sample {
    lc_chart c;
    double data[MAXROWS * MAXCOLS];
    const char *names[MAXCOLS];
    const char *rows[MAXROWS];
    char row_buf[MAXROWS][16];
    lc_plot_marker marks[3];
} sample;

/* A chart of each kind with plausible numbers; texts left for the caller. */
static void make_sample(sample *s, lc_plot_kind kind)
{
    lc_chart *c = &s->c;
    size_t i;

    memset(s, 0, sizeof *s);
    c->kind = kind;
    c->data = s->data;
    c->col_names = s->names;
    c->row_labels = s->rows;
    c->title = "test chart";
    c->xlabel = "x (unit)";
    c->ylabel = "y (USD)";
    switch (kind) {
    case LC_PLOT_LINE: /* cost per million tokens against batch size */
        c->nrows = 9;
        c->ncols = 3;
        c->logx = 1;
        s->names[0] = "batch";
        s->names[1] = "H100";
        s->names[2] = "A100";
        for (i = 0; i < c->nrows; i++) {
            double b = pow(2.0, (double)i);
            s->data[i * 3 + 0] = b;
            s->data[i * 3 + 1] = 52000.0 / (1.0 + b * 0.8) + 1200.0;
            s->data[i * 3 + 2] = 91000.0 / (1.0 + b * 0.5) + 2100.0;
        }
        s->marks[0].x = 32;
        s->marks[0].label = "chosen batch";
        c->markers = s->marks;
        c->nmarkers = 1;
        break;
    case LC_PLOT_HEATMAP: /* 6 x 5 grid: GPUs x utilisation -> cost */
        c->nrows = 30;
        c->ncols = 3;
        c->zlabel = "cost per day (USD)";
        for (i = 0; i < 30; i++) {
            double g = 8.0 * (double)(1 + i / 5), u = 0.2 * (double)(1 + i % 5);
            s->data[i * 3 + 0] = g;
            s->data[i * 3 + 1] = u;
            s->data[i * 3 + 2] = i == 7 ? NAN : g * 2400.0 / u;
        }
        break;
    case LC_PLOT_TORNADO: {
        static const double lo[5] = {1.7e6, 2.1e6, 2.25e6, 2.3e6, 2.36e6};
        static const double hi[5] = {3.3e6, 2.8e6, 2.6e6, 2.5e6, 2.45e6};
        static const char *const in[5] = {"GPU price", "electricity price", "utilisation", "PUE",
                                          "staff"};
        c->nrows = 5;
        c->ncols = 2;
        c->base = 2.4e6;
        s->names[0] = "input low (P5)";
        s->names[1] = "input high (P95)";
        for (i = 0; i < 5; i++) {
            s->data[i * 2 + 0] = lo[i];
            s->data[i * 2 + 1] = hi[i];
            s->rows[i] = in[i];
        }
        break;
    }
    case LC_PLOT_HISTOGRAM:
        c->nrows = 40;
        c->ncols = 2;
        c->ylabel = "samples";
        s->names[0] = "bin";
        s->names[1] = "Monte Carlo samples";
        for (i = 0; i < 40; i++) {
            double x = 1.0e6 + 50000.0 * (double)i, z = ((double)i - 15.0) / 6.0;
            s->data[i * 2 + 0] = x;
            s->data[i * 2 + 1] = floor(2000.0 * exp(-z * z / 2.0) * (1.0 + 0.02 * z * z * z));
        }
        s->marks[0] = (lc_plot_marker){1.3e6, "P5"};
        s->marks[1] = (lc_plot_marker){1.75e6, "P50"};
        s->marks[2] = (lc_plot_marker){2.3e6, "P95"};
        c->markers = s->marks;
        c->nmarkers = 3;
        break;
    case LC_PLOT_BARS: {
        static const double v[6] = {4.2e6, 310e6, 1.9e6, 95e6, 3.1, 1.4};
        c->nrows = 3;
        c->ncols = 2;
        c->logy = 1;
        s->names[0] = "startup";
        s->names[1] = "big tech";
        s->rows[0] = "capex";
        s->rows[1] = "opex per year";
        s->rows[2] = "per 1M tokens";
        memcpy(s->data, v, sizeof v);
        break;
    }
    case LC_PLOT_STACKED:
        c->nrows = 5;
        c->ncols = 4;
        s->names[0] = "capex";
        s->names[1] = "electricity";
        s->names[2] = "rental";
        s->names[3] = "staff";
        for (i = 0; i < 5; i++) {
            snprintf(s->row_buf[i], sizeof s->row_buf[i], "%zu", 2025 + i);
            s->rows[i] = s->row_buf[i];
            s->data[i * 4 + 0] = i == 0 ? 3.2e6 : 0.2e6;
            s->data[i * 4 + 1] = 0.41e6 * (1.0 + 0.05 * (double)i);
            s->data[i * 4 + 2] = 0.25e6;
            s->data[i * 4 + 3] = 0.9e6 + 0.1e6 * (double)i;
        }
        break;
    case LC_PLOT_TIMELINE:
        c->nrows = 36;
        c->ncols = 5;
        c->band = 1;
        c->xlabel = "month";
        s->names[0] = "month";
        s->names[1] = "P5";
        s->names[2] = "median";
        s->names[3] = "P95";
        s->names[4] = "budget";
        for (i = 0; i < 36; i++) {
            double m = (double)(i + 1), mid = -3.0e6 + 160000.0 * m;
            s->data[i * 5 + 0] = m;
            s->data[i * 5 + 1] = mid - 20000.0 * m;
            s->data[i * 5 + 2] = mid;
            s->data[i * 5 + 3] = mid + 25000.0 * m;
            s->data[i * 5 + 4] = 1.0e6;
        }
        s->marks[0] = (lc_plot_marker){19, "break-even"};
        c->markers = s->marks;
        c->nmarkers = 1;
        break;
    case LC_PLOT_SOBOL: {
        static const char *const in[5] = {"GPU price", "electricity price", "utilisation", "PUE",
                                          "staff"};
        c->nrows = 5;
        c->ncols = 6;
        c->ylabel = "Sobol index (1)";
        s->names[0] = "first order";
        s->names[3] = "total";
        for (i = 0; i < 5; i++) {
            double s1 = 0.5 / (double)(i + 1), st = s1 * 1.3;
            s->rows[i] = in[i];
            s->data[i * 6 + 0] = s1;
            s->data[i * 6 + 1] = s1 - 0.04;
            s->data[i * 6 + 2] = s1 + 0.04;
            s->data[i * 6 + 3] = st;
            s->data[i * 6 + 4] = st - 0.05;
            s->data[i * 6 + 5] = st + 0.05;
        }
        break;
    }
    default:
        fail();
    }
}

static int render(const lc_chart *c, lc_plot_format fmt, const char *dir, const char *stem,
                  double timeout, lc_error *err)
{
    lc_plot_options opt;
    lc_plot_options_init(&opt);
    if (timeout > 0)
        opt.timeout = timeout;
    lc_error_clear(err);
    lc_plot_new_run(); /* each call its own run: the same name replaces */
    return lc_plot_render(c, fmt, dir, stem, &opt, err);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_every_kind_png_svg(void **state)
{
    char *dir;
    int k;
    (void)state;

    if (!lc_plot_have_gnuplot())
        skip();
    dir = make_temp_dir();
    for (k = 0; k < LC_PLOT_KIND_COUNT; k++) {
        sample s;
        lc_error err;
        const char *stem = lc_plot_kind_name((lc_plot_kind)k);
        char dat[64];
        char *svg;

        make_sample(&s, (lc_plot_kind)k);
        if (render(&s.c, LC_PLOT_PNG, dir, stem, 0, &err) != LC_OK)
            fail_msg("%s png: %s", stem, err.msg);
        check_png(dir, stem);
        if (render(&s.c, LC_PLOT_SVG, dir, stem, 0, &err) != LC_OK)
            fail_msg("%s svg: %s", stem, err.msg);
        svg = check_svg(dir, stem);
        assert_non_null(strstr(svg, "test chart"));
        free(svg);
        snprintf(dat, sizeof dat, "%s.dat", stem);
        assert_true(exists(dir, dat));
        check_script_file(dir, stem);
    }
    assert_false(any_file_containing(dir, ".tmp"));
    remove_tree(dir);
    free(dir);
}

static void test_pdf(void **state)
{
    char *dir, path[PATH_MAX];
    sample s;
    lc_error err;
    size_t len;
    char *buf;
    (void)state;

    if (!lc_plot_have_gnuplot())
        skip();
    dir = make_temp_dir();
    make_sample(&s, LC_PLOT_STACKED);
    assert_int_equal(render(&s.c, LC_PLOT_PDF, dir, "costs", 0, &err), LC_OK);
    snprintf(path, sizeof path, "%s/costs.pdf", dir);
    buf = read_all(path, &len);
    assert_non_null(buf);
    assert_true(len > 1000 && strncmp(buf, "%PDF", 4) == 0);
    free(buf);
    remove_tree(dir);
    free(dir);
}

/* XML text as gnuplot's SVG writes it: '&' and '<' escaped. */
static void xml_text(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s && n + 6 < size; s++) {
        if (*s == '&')
            n += (size_t)snprintf(out + n, size - n, "&amp;");
        else if (*s == '<')
            n += (size_t)snprintf(out + n, size - n, "&lt;");
        else
            out[n++] = *s;
    }
    out[n] = '\0';
}

static void test_hostile_text(void **state)
{
    static const char *const titles[] = {
        "`touch PWNED`",
        "x' ; system(\"touch PWNED\") ; '",
        "\" . system('touch PWNED') . \" `touch PWNED` @GPVAL_TERM !touch PWNED <&>",
        "'; set output '|touch PWNED'; plot '<touch PWNED' #",
        "成本模型：每百万词元的费用",
        "ends in a backslash C:\\dir\\",
        "braces } { and # hash; ${x} $1",
    };
    const size_t n = sizeof titles / sizeof titles[0];
    char *dir, cwd[PATH_MAX], expect[512];
    size_t t;
    int k;
    (void)state;

    if (!lc_plot_have_gnuplot())
        skip();
    dir = make_temp_dir();
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    for (t = 0; t < n; t++) {
        for (k = 0; k < LC_PLOT_KIND_COUNT; k++) {
            sample s;
            lc_error err;
            char stem[32];
            char *svg;
            size_t j;

            make_sample(&s, (lc_plot_kind)k);
            s.c.title = titles[t];
            s.c.xlabel = titles[(t + 1) % n];
            s.c.ylabel = "y `touch PWNED` (USD)";
            s.c.zlabel = "z'\"`touch PWNED`";
            for (j = 0; j < MAXCOLS; j++)
                s.names[j] = titles[(t + j) % n];
            s.rows[0] = titles[(t + 2) % n];
            if (s.c.nmarkers > 0)
                s.marks[0].label = "P5 `touch PWNED` '\"";
            snprintf(stem, sizeof stem, "hostile%zu_%d", t, k);
            if (render(&s.c, LC_PLOT_SVG, ".", stem, 0, &err) != LC_OK)
                fail_msg("%s: %s", stem, err.msg);
            svg = check_svg(".", stem);
            xml_text(titles[t], expect, sizeof expect);
            if (strstr(svg, expect) == NULL)
                fail_msg("%s: title '%s' not found in the SVG", stem, expect);
            free(svg);
            check_script_file(".", stem);
            if (t == 0 && render(&s.c, LC_PLOT_PNG, ".", stem, 0, &err) != LC_OK)
                fail_msg("%s png: %s", stem, err.msg);
        }
    }
    assert_false(any_file_containing(".", "PWNED"));
    assert_int_equal(chdir(cwd), 0);
    assert_false(any_file_containing(cwd, "PWNED"));
    remove_tree(dir);
    free(dir);
}

/* A newline would end the gnuplot command: refused before anything is written. */
static void test_newline_refused(void **state)
{
    static const char *const bad[] = {
        "title\nsystem \"touch PWNED2\" 'x' \"y\"",
        "tab\there",
        "del\x7f",
        "bad utf-8 \xc3\x28",
    };
    char *dir = make_temp_dir();
    size_t b;
    int k;
    (void)state;

    for (b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        for (k = 0; k < LC_PLOT_KIND_COUNT; k++) {
            sample s;
            lc_error err;

            make_sample(&s, (lc_plot_kind)k);
            s.c.title = bad[b];
            assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "nl", 0, &err), LC_EINPUT);
            make_sample(&s, (lc_plot_kind)k);
            s.names[0] = bad[b];
            assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "nl", 0, &err), LC_EINPUT);
            assert_non_null(strstr(err.msg, "series name 1"));
        }
    }
    assert_false(exists(dir, "nl.gp"));
    assert_false(exists(dir, "nl.dat"));
    assert_false(any_file_containing(dir, "PWNED"));
    remove_tree(dir);
    free(dir);
}

static void test_stem(void **state)
{
    char out[128];
    char *dir = make_temp_dir();
    sample s;
    lc_error err;
    (void)state;

    lc_plot_stem("../etc/passwd", out, sizeof out);
    assert_string_equal(out, "_._etc_passwd");
    lc_plot_stem("-rf", out, sizeof out);
    assert_string_equal(out, "_rf");
    lc_plot_stem("<cmd | x", out, sizeof out);
    assert_string_equal(out, "_cmd_x");
    lc_plot_stem("", out, sizeof out);
    assert_string_equal(out, "chart");
    lc_plot_stem("成本 cost.v2", out, sizeof out);
    assert_string_equal(out, "_cost.v2");
    lc_plot_stem("abcdefghijkl", out, 8);
    assert_string_equal(out, "abcdefg");

    make_sample(&s, LC_PLOT_LINE);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "../x", 0, &err), LC_EINPUT);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "-x", 0, &err), LC_EINPUT);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, ".x", 0, &err), LC_EINPUT);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "|x", 0, &err), LC_EINPUT);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "", 0, &err), LC_EINPUT);
    remove_tree(dir);
    free(dir);
}

static void test_bad_charts(void **state)
{
    char *dir = make_temp_dir();
    sample s;
    lc_error err;
    (void)state;

    make_sample(&s, LC_PLOT_SOBOL);
    s.c.ncols = 5;
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    make_sample(&s, LC_PLOT_STACKED);
    s.c.logy = 1;
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    make_sample(&s, LC_PLOT_BARS);
    s.c.nmarkers = 1;
    s.c.markers = s.marks;
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    make_sample(&s, LC_PLOT_TIMELINE);
    s.c.ncols = 3;
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    make_sample(&s, LC_PLOT_HEATMAP);
    s.data[3] = NAN; /* an x coordinate */
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    make_sample(&s, LC_PLOT_LINE);
    s.c.nrows = 0;
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "bad", 0, &err), LC_EINPUT);
    assert_false(exists(dir, "bad.gp"));
    remove_tree(dir);
    free(dir);
}

static void test_template_dir_refused(void **state)
{
    char *dir = make_temp_dir();
    char path[PATH_MAX];
    const char *style = lc_plot_template("style");
    sample s;
    lc_error err;
    (void)state;

    snprintf(path, sizeof path, "%s/style.gp", dir);
    lc_error_clear(&err);
    assert_int_equal(lc_write_file(path, style, strlen(style), &err), LC_OK);
    make_sample(&s, LC_PLOT_LINE);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "line", 0, &err), LC_EOUTPUT);
    assert_false(exists(dir, "line.gp"));
    remove_tree(dir);
    free(dir);
}

static char *save_path(void)
{
    const char *p = getenv("PATH");
    char *copy = strdup(p ? p : "/usr/bin:/bin");
    assert_non_null(copy);
    return copy;
}

static void test_no_gnuplot(void **state)
{
    char *dir = make_temp_dir(), *bin = make_temp_dir(), *path = save_path();
    sample s;
    lc_error err;
    int rc;
    (void)state;

    make_sample(&s, LC_PLOT_TIMELINE);
    setenv("PATH", bin, 1);
    assert_false(lc_plot_have_gnuplot());
    /* an older chart of the name would not match the new data: removed */
    {
        char old[PATH_MAX];
        snprintf(old, sizeof old, "%s/months.png", dir);
        assert_int_equal(lc_write_file(old, "old", 3, &err), LC_OK);
    }
    rc = render(&s.c, LC_PLOT_PNG, dir, "months", 0, &err);
    /* every chart of the run is written, not only the first */
    if (rc == LC_OK)
        rc = lc_plot_render(&s.c, LC_PLOT_PNG, dir, "cash", NULL, &err);
    setenv("PATH", path, 1);
    assert_int_equal(rc, LC_OK);
    assert_null(lc_plot_last_path());
    assert_int_equal(lc_plot_pending(&err), LC_EOUTPUT);
    assert_non_null(strstr(err.msg, "gnuplot-nox"));
    assert_non_null(strstr(err.msg, "of 2 charts are in"));
    assert_non_null(strstr(err.msg, "gnuplot NAME.gp"));
    assert_non_null(strstr(err.msg, dir));
    lc_error_clear(&err);
    assert_int_equal(lc_plot_pending(&err), LC_OK); /* reported once */
    assert_true(exists(dir, "months.dat"));
    assert_true(exists(dir, "months.gp"));
    assert_true(exists(dir, "cash.dat"));
    assert_true(exists(dir, "cash.gp"));
    assert_false(exists(dir, "months.png"));
    assert_false(any_file_containing(dir, ".tmp"));
    check_script_file(dir, "months");
    remove_tree(dir);
    remove_tree(bin);
    free(dir);
    free(bin);
    free(path);
}

/* A fake gnuplot in a folder put first on PATH. */
static char *fake_gnuplot(const char *body)
{
    char *bin = make_temp_dir();
    char path[PATH_MAX];
    FILE *fp;

    snprintf(path, sizeof path, "%s/gnuplot", bin);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "#!/bin/sh\n%s\n", body);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, 0755), 0);
    return bin;
}

/* Render once for real, then with a broken gnuplot: the old chart must stay
 * byte for byte and no temporary may be left. */
static void run_broken(const char *body, double timeout, const char *expect)
{
    char *dir = make_temp_dir(), *path = save_path(), *bin = fake_gnuplot(body);
    char chart[PATH_MAX], data[PATH_MAX], script[PATH_MAX], newpath[PATH_MAX * 2];
    char *before, *after, *data_before, *script_before;
    size_t nbefore, nafter, ndata, nscript;
    struct timespec t0, t1;
    sample s;
    lc_error err;
    int rc;

    make_sample(&s, LC_PLOT_HISTOGRAM);
    if (render(&s.c, LC_PLOT_PNG, dir, "dist", 0, &err) != LC_OK)
        fail_msg("first render: %s", err.msg);
    snprintf(chart, sizeof chart, "%s/dist.png", dir);
    before = read_all(chart, &nbefore);
    assert_non_null(before);
    snprintf(data, sizeof data, "%s/dist.dat", dir);
    snprintf(script, sizeof script, "%s/dist.gp", dir);
    data_before = read_all(data, &ndata);
    script_before = read_all(script, &nscript);
    assert_non_null(data_before);
    assert_non_null(script_before);

    snprintf(newpath, sizeof newpath, "%s:%s", bin, path);
    setenv("PATH", newpath, 1);
    s.c.title = "second version";
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = render(&s.c, LC_PLOT_PNG, dir, "dist", timeout, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    setenv("PATH", path, 1);
    assert_int_equal(rc, LC_EOUTPUT);
    if (strstr(err.msg, expect) == NULL)
        fail_msg("message '%s' lacks '%s'", err.msg, expect);
    assert_true((double)(t1.tv_sec - t0.tv_sec) < timeout + 3.0);

    after = read_all(chart, &nafter);
    assert_non_null(after);
    assert_int_equal(nafter, nbefore);
    assert_memory_equal(after, before, nbefore);
    /* data and script of the first run stay with its chart */
    free(after);
    after = read_all(data, &nafter);
    assert_non_null(after);
    assert_int_equal(nafter, ndata);
    assert_memory_equal(after, data_before, ndata);
    free(after);
    after = read_all(script, &nafter);
    assert_non_null(after);
    assert_int_equal(nafter, nscript);
    assert_memory_equal(after, script_before, nscript);
    assert_false(any_file_containing(dir, ".tmp"));
    free(before);
    free(after);
    free(data_before);
    free(script_before);
    remove_tree(dir);
    remove_tree(bin);
    free(dir);
    free(bin);
    free(path);
}

static void test_gnuplot_killed(void **state)
{
    (void)state;
    if (!lc_plot_have_gnuplot())
        skip();
    /* writes a partial chart to its output argument, then dies */
    run_broken("for a; do case \"$a\" in *.tmp*) printf 'partial' > \"$a\";; esac; done\n"
               "kill -9 $$",
               0, "killed by signal 9");
}

static void test_gnuplot_timeout(void **state)
{
    (void)state;
    if (!lc_plot_have_gnuplot())
        skip();
    run_broken("for a; do case \"$a\" in *.tmp*) printf 'partial' > \"$a\";; esac; done\n"
               "sleep 20",
               1.0, "did not finish");
}

static void test_gnuplot_fails(void **state)
{
    (void)state;
    if (!lc_plot_have_gnuplot())
        skip();
    run_broken("echo 'line 3: something is wrong' >&2\nexit 1", 0, "something is wrong");
}

/* A full disk: gnuplot says so on stderr, exits 0, and leaves a PNG cut
 * before its IEND chunk (here: the real chart minus its last 12 bytes). */
static void test_gnuplot_truncated_png(void **state)
{
    (void)state;
    if (!lc_plot_have_gnuplot())
        skip();
    run_broken("out=$4\n"
               "PATH=${PATH#*:} gnuplot \"$@\" || exit 1\n"
               "s=$(wc -c < \"$out\"); head -c $((s - 12)) \"$out\" > \"$out.x\"; "
               "mv \"$out.x\" \"$out\"\n"
               "echo 'warning: write error: No space left on device' >&2\nexit 0",
               0, "PNG ends without its IEND chunk); gnuplot said: warning: write error");
}

/* The checks of lc_plot_check_image on hand-made files. */
static void check_file(const char *dir, const char *name, const char *text, size_t n,
                       lc_plot_format fmt, const char *expect)
{
    char path[PATH_MAX];
    lc_error err;
    int rc;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    lc_error_clear(&err);
    assert_int_equal(lc_write_file(path, text, n, &err), LC_OK);
    rc = lc_plot_check_image(path, fmt, &err);
    if (expect == NULL) {
        if (rc != LC_OK)
            fail_msg("%s: %s", name, err.msg);
    } else {
        assert_int_equal(rc, LC_EOUTPUT);
        if (strstr(err.msg, expect) == NULL)
            fail_msg("%s: '%s' lacks '%s'", name, err.msg, expect);
    }
}

static void test_image_checks(void **state)
{
    /* the smallest PNG layout: signature, IHDR (13 bytes), IEND (0 bytes) */
    static const char png[] = "\x89PNG\r\n\x1a\n"
                              "\0\0\0\x0dIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0CRC!"
                              "\0\0\0\0IEND\xae\x42\x60\x82";
    size_t npng = sizeof png - 1; /* 8 + (12 + 13) + 12 = 45 */
    char *dir = make_temp_dir();
    (void)state;

    assert_int_equal(npng, 45);
    check_file(dir, "ok.png", png, npng, LC_PLOT_PNG, NULL);
    check_file(dir, "cut.png", png, npng - 1, LC_PLOT_PNG, "without its IEND");
    check_file(dir, "cut2.png", png, 25, LC_PLOT_PNG, "runs past the end"); /* inside IHDR */
    check_file(dir, "noend.png", png, npng - 12, LC_PLOT_PNG, "without its IEND");
    check_file(dir, "empty.png", "", 0, LC_PLOT_PNG, "an empty file");
    check_file(dir, "sig.png", "GIF89a", 6, LC_PLOT_PNG, "no PNG signature");
    check_file(dir, "ok.pdf", "%PDF-1.5\n...\nstartxref\n123\n%%EOF\n", 32, LC_PLOT_PDF, NULL);
    check_file(dir, "cut.pdf", "%PDF-1.5\n...\nstartxref\n12", 25, LC_PLOT_PDF, "%%EOF");
    check_file(dir, "noxref.pdf", "%PDF-1.5\n...%%EOF", 17, LC_PLOT_PDF, "startxref");
#define SVG(text) text, sizeof text - 1, LC_PLOT_SVG
    check_file(dir, "ok.svg",
               SVG("<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg a='1' b=\"x>y\">"
                   "<g><text>a &amp; b</text><![CDATA[ <x> ]]></g><path d=\"M0\"/></svg>\n"),
               NULL);
    check_file(dir, "cut.svg", SVG("<svg><g><text>a</text>"), "ends inside an element");
    check_file(dir, "cdata.svg", SVG("<svg><text><![CDATA[a]]>b</text></svg>"), NULL);
    check_file(dir, "endcdata.svg", SVG("<svg><text>a]]>b</text></svg>"), "']]>' in text");
    check_file(dir, "lt.svg", SVG("<svg><text>a < b</text></svg>"), "starts no tag");
    check_file(dir, "mismatch.svg", SVG("<svg><g></text></svg>"), "matches no open element");
    check_file(dir, "attr.svg", SVG("<svg a=1></svg>"), "without quotes");
    check_file(dir, "two.svg", SVG("<svg></svg><svg></svg>"), "more than one root");
    check_file(dir, "root.svg", SVG("<html></html>"), "not <svg>");
    check_file(dir, "comment.svg", SVG("<svg><!-- x </svg>"), "unclosed comment");
#undef SVG
    remove_tree(dir);
    free(dir);
}

/* "]]>" in a title would end no CDATA in gnuplot's SVG and make it invalid
 * XML: the chart is drawn and well-formed. */
static void test_svg_cdata_end(void **state)
{
    char *dir;
    char path[PATH_MAX];
    sample s;
    lc_error err;
    (void)state;

    if (!lc_plot_have_gnuplot())
        skip();
    dir = make_temp_dir();
    make_sample(&s, LC_PLOT_LINE);
    s.c.title = "a]]>b <x> & 'q'";
    s.c.xlabel = "]]>";
    if (render(&s.c, LC_PLOT_SVG, dir, "cdata", 0, &err) != LC_OK)
        fail_msg("%s", err.msg);
    snprintf(path, sizeof path, "%s/cdata.svg", dir);
    assert_int_equal(lc_plot_check_image(path, LC_PLOT_SVG, &err), LC_OK);
    remove_tree(dir);
    free(dir);
}

/* Within one run a name is never drawn twice into one folder. */
static void test_unique_names(void **state)
{
    char *dir = make_temp_dir(), *bin = make_temp_dir(), *path = save_path();
    char other[PATH_MAX];
    sample s;
    lc_error err;
    (void)state;

    snprintf(other, sizeof other, "%s/other", dir);
    make_sample(&s, LC_PLOT_LINE);
    setenv("PATH", bin, 1); /* data and script are enough to see the names */
    lc_plot_new_run();
    lc_error_clear(&err);
    assert_int_equal(lc_plot_render(&s.c, LC_PLOT_SVG, dir, "a-sweep-x", NULL, &err), LC_OK);
    assert_int_equal(lc_plot_render(&s.c, LC_PLOT_SVG, dir, "a-sweep-x", NULL, &err), LC_OK);
    assert_int_equal(lc_plot_render(&s.c, LC_PLOT_SVG, dir, "a-sweep-x", NULL, &err), LC_OK);
    /* "DIR/" and "DIR" are one folder; another folder has its own names */
    {
        char slash[PATH_MAX];
        snprintf(slash, sizeof slash, "%s/", dir);
        assert_int_equal(lc_plot_render(&s.c, LC_PLOT_SVG, slash, "a-sweep-x", NULL, &err), LC_OK);
    }
    assert_int_equal(lc_plot_render(&s.c, LC_PLOT_SVG, other, "a-sweep-x", NULL, &err), LC_OK);
    setenv("PATH", path, 1);
    assert_true(exists(dir, "a-sweep-x.gp"));
    assert_true(exists(dir, "a-sweep-x-2.gp"));
    assert_true(exists(dir, "a-sweep-x-3.gp"));
    assert_true(exists(dir, "a-sweep-x-4.gp"));
    assert_true(exists(dir, "a-sweep-x-4.dat"));
    assert_false(exists(dir, "a-sweep-x-5.gp"));
    assert_true(exists(other, "a-sweep-x.gp"));
    assert_false(exists(other, "a-sweep-x-2.gp"));
    {
        /* the script draws its own data: stem is the unique one */
        char p2[PATH_MAX];
        size_t n;
        char *text;
        snprintf(p2, sizeof p2, "%s/a-sweep-x-2.gp", dir);
        text = read_all(p2, &n);
        assert_non_null(text);
        assert_non_null(strstr(text, "stem = 'a-sweep-x-2'"));
        free(text);
    }
    assert_int_equal(lc_plot_pending(&err), LC_EOUTPUT);
    assert_non_null(strstr(err.msg, "of 5 charts are in"));
    assert_non_null(strstr(err.msg, "and 1 other folders"));
    lc_plot_new_run();
    remove_tree(dir);
    remove_tree(bin);
    free(dir);
    free(bin);
    free(path);
}

/* A folder name too long for PATH_MAX is an error, never a cut path. */
static void test_long_path(void **state)
{
    static char dir[PATH_MAX + 64];
    sample s;
    lc_error err;
    size_t i;
    (void)state;

    memcpy(dir, "/tmp/", 5);
    for (i = 5; i < PATH_MAX + 10; i++)
        dir[i] = i % 200 == 0 ? '/' : 'd';
    dir[i] = '\0';
    make_sample(&s, LC_PLOT_LINE);
    assert_int_equal(render(&s.c, LC_PLOT_SVG, dir, "x", 0, &err), LC_EOUTPUT);
    assert_non_null(strstr(err.msg, "output path is"));
    assert_non_null(strstr(err.msg, "choose a shorter folder"));
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Running and not a zombie waiting for whoever adopted it. */
static int alive(long pid)
{
    char path[64], buf[256];
    FILE *fp;
    char *p;
    size_t n;

    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    p = strrchr(buf, ')'); /* "pid (name) S ..." */
    return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

/* SIGTERM while gnuplot runs: the temporaries go and gnuplot is killed. */
static void test_signal_cleanup(void **state)
{
    char *dir = make_temp_dir(), *path = save_path();
    char body[PATH_MAX + 200], pidfile[PATH_MAX], newpath[PATH_MAX * 2];
    char *bin;
    sample s;
    pid_t child;
    int status, i;
    long gp = 0;
    FILE *fp;
    (void)state;

    snprintf(pidfile, sizeof pidfile, "%s/gnuplot.pid", dir);
    snprintf(body, sizeof body, "echo $$ > %s\nexec sleep 30", pidfile);
    bin = fake_gnuplot(body);
    snprintf(newpath, sizeof newpath, "%s:%s", bin, path);
    make_sample(&s, LC_PLOT_LINE);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        lc_error err;
        setenv("PATH", newpath, 1);
        render(&s.c, LC_PLOT_PNG, dir, "slow", 60, &err);
        _exit(0);
    }
    for (i = 0; i < 500 && access(pidfile, F_OK) != 0; i++)
        nap_ms(10);
    nap_ms(100); /* the pid written */
    assert_int_equal(kill(child, SIGTERM), 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    fp = fopen(pidfile, "r");
    assert_non_null(fp);
    assert_int_equal(fscanf(fp, "%ld", &gp), 1);
    fclose(fp);
    for (i = 0; i < 100 && alive(gp); i++)
        nap_ms(10);
    assert_false(alive(gp));
    assert_false(any_file_containing(dir, ".tmp"));
    assert_false(exists(dir, "slow.png"));
    assert_false(exists(dir, "slow.dat")); /* nothing of the interrupted run */
    remove_tree(dir);
    remove_tree(bin);
    free(dir);
    free(bin);
    free(path);
}

static void test_checker(void **state)
{
    static const char *const bad[] = {
        "x = system(\"touch PWNED\")\n",
        "print system('ls')\n",
        "set print 'out.txt'\n",
        "!touch PWNED\n",
        "x = `touch PWNED`\n",
        "x = \"`touch PWNED`\"\n",
        "load 'other.gp'\n",
        "l 'other.gp'\n",
        "set output '|lpr'\n",
        "plot '< cat /etc/passwd' using 1:2\n",
        "plot for [i=1:2] '<ls' using 1\n",
        "x = 'a'; @x\n",
        "shell\n",
        "set title 'ok'; call 'x.gp'\n",
        "set table 'x.txt'\n",
        "eval('set output')\n",
        "'x'\n",
        "x = 'unterminated\n",
        "cd '/tmp'\n",
        "if (1) { x = 1 } else { system('ls') }\n",
    };
    static const char *const good[] = {
        "x = 'system(\"ls\") `ls` ! @x | < ''q'''\n",
        "# system(\"ls\") is fine in a comment\nset title 'a'\n",
        "title_text = '|cmd'\nf(x) = x*2\narray a[2]\na[1] = '<x'\n",
        "if (exists(\"fmt\") == 0) {\n    fmt = 'png'\n} else {\n    set output outfile\n}\n",
    };
    lc_error err;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lc_error_clear(&err);
        if (lc_plot_check_script(bad[i], &err) == LC_OK)
            fail_msg("accepted: %s", bad[i]);
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        lc_error_clear(&err);
        if (lc_plot_check_script(good[i], &err) != LC_OK)
            fail_msg("refused: %s (%s)", good[i], err.msg);
    }
    for (i = 0; i < LC_PLOT_KIND_COUNT; i++) {
        const char *t = lc_plot_template(lc_plot_kind_name((lc_plot_kind)i));
        assert_non_null(t);
        lc_error_clear(&err);
        if (lc_plot_check_script(t, &err) != LC_OK)
            fail_msg("template %zu: %s", i, err.msg);
    }
    assert_int_equal(lc_plot_check_script(lc_plot_template("style"), &err), LC_OK);
    assert_null(lc_plot_template("../etc/passwd"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker),
        cmocka_unit_test(test_stem),
        cmocka_unit_test(test_bad_charts),
        cmocka_unit_test(test_newline_refused),
        cmocka_unit_test(test_template_dir_refused),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_every_kind_png_svg),
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_gnuplot_killed),
        cmocka_unit_test(test_gnuplot_timeout),
        cmocka_unit_test(test_gnuplot_fails),
        cmocka_unit_test(test_gnuplot_truncated_png),
        cmocka_unit_test(test_image_checks),
        cmocka_unit_test(test_svg_cdata_end),
        cmocka_unit_test(test_unique_names),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_signal_cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
