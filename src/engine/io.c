/* io.c — atomic output files, cleanup on signals, bounded input reading. */
#include "lc_io.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- what a signal must clean up ------------------------------------------
 * Slots hold borrowed pointers: a temporary file's name (owned by its
 * lc_atomic_file or by plot.c) and the process groups of running children.
 * A slot is cleared before what it points to is freed, so the handler sees
 * either a valid name or NULL; a name already renamed away is harmless. */
#define TRACK_MAX 64

static char *volatile tracked_tmp[TRACK_MAX];
static volatile pid_t tracked_child[TRACK_MAX];
static volatile sig_atomic_t handlers_installed;

static void on_signal(int sig)
{
    size_t i;
    for (i = 0; i < TRACK_MAX; i++) {
        char *t = tracked_tmp[i];
        pid_t g = tracked_child[i];
        if (t != NULL)
            unlink(t);
        if (g > 0)
            kill(-g, SIGKILL);
    }
    signal(sig, SIG_DFL);
    raise(sig); /* die of the signal, with the status the shell expects */
}

static void install_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    size_t i;

    if (handlers_installed)
        return;
    handlers_installed = 1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask); /* one cleanup at a time */
    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us (nohup) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
}

void lc_io_track_tmp(char *path)
{
    size_t i;
    install_handlers();
    for (i = 0; i < TRACK_MAX; i++)
        if (tracked_tmp[i] == NULL) {
            tracked_tmp[i] = path;
            return;
        }
}

void lc_io_untrack_tmp(const char *path)
{
    size_t i;
    for (i = 0; path != NULL && i < TRACK_MAX; i++)
        if (tracked_tmp[i] == path)
            tracked_tmp[i] = NULL;
}

void lc_io_track_child(pid_t pgid)
{
    size_t i;
    install_handlers();
    for (i = 0; i < TRACK_MAX; i++)
        if (tracked_child[i] == 0) {
            tracked_child[i] = pgid;
            return;
        }
}

void lc_io_untrack_child(pid_t pgid)
{
    size_t i;
    for (i = 0; i < TRACK_MAX; i++)
        if (tracked_child[i] == pgid)
            tracked_child[i] = 0;
}

int lc_io_check_path(const char *path, lc_error *err)
{
    /* room for ".tmpXXXXXX" and a chart's ".svg": never a cut name */
    if (strlen(path) + 16 >= PATH_MAX)
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(),
                            "output path is %zu bytes long; the limit is %d: choose a shorter "
                            "folder",
                            strlen(path), PATH_MAX - 16);
    return LC_OK;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int lc_atomic_open(lc_atomic_file *f, const char *path, lc_error *err)
{
    size_t n = strlen(path);
    int fd;

    memset(f, 0, sizeof *f);
    if (lc_io_check_path(path, err) != LC_OK)
        return LC_EOUTPUT;
    f->path = dup_str(path);
    f->tmp = malloc(n + 16);
    if (f->path == NULL || f->tmp == NULL) {
        lc_atomic_abort(f);
        return lc_error_nomem(err);
    }
    /* Same directory as the target, so rename() is atomic. */
    snprintf(f->tmp, n + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(f->tmp);
    if (fd < 0) {
        int e = errno;
        free(f->tmp);
        f->tmp = NULL;
        lc_atomic_abort(f);
        return lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", path,
                            strerror(e));
    }
    lc_io_track_tmp(f->tmp);
    fchmod(fd, 0644);
    f->fp = fdopen(fd, "w");
    if (f->fp == NULL) {
        close(fd);
        lc_atomic_abort(f);
        return lc_error_nomem(err);
    }
    return LC_OK;
}

int lc_atomic_commit(lc_atomic_file *f, lc_error *err)
{
    int bad = ferror(f->fp);
    int e = 0;

    if (fflush(f->fp) != 0) {
        bad = 1;
        e = errno;
    }
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    f->fp = NULL;
    if (!bad && rename(f->tmp, f->path) != 0) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot write %s: %s", f->path,
                     e ? strerror(e) : "write error");
        lc_atomic_abort(f);
        return LC_EOUTPUT;
    }
    lc_io_untrack_tmp(f->tmp);
    free(f->tmp);
    free(f->path);
    f->tmp = f->path = NULL;
    return LC_OK;
}

void lc_atomic_abort(lc_atomic_file *f)
{
    if (f->fp)
        fclose(f->fp);
    if (f->tmp)
        unlink(f->tmp);
    lc_io_untrack_tmp(f->tmp);
    free(f->tmp);
    free(f->path);
    memset(f, 0, sizeof *f);
}

int lc_write_file(const char *path, const char *data, size_t len, lc_error *err)
{
    lc_atomic_file f;
    int rc = lc_atomic_open(&f, path, err);
    if (rc)
        return rc;
    if (len > 0 && fwrite(data, 1, len, f.fp) != len) {
        /* commit reports the stream error and removes the temporary */
    }
    return lc_atomic_commit(&f, err);
}

int lc_read_file(const char *path, size_t max, char **out, size_t *len, lc_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf;
    lc_mark at = {path, 0, 0};

    static int stdin_read; /* "-" twice (compare - -) would see nothing the second time */

    *out = NULL;
    *len = 0;
    if (is_stdin && stdin_read++)
        return lc_error_set(err, LC_EUSAGE, at,
                            "standard input can be read only once: give '-' once, and a "
                            "scenario with variants: as a file");
    if (fp == NULL)
        return lc_error_set(err, LC_EINPUT, at, "cannot open: %s", strerror(errno));
    buf = malloc(cap);
    if (buf == NULL)
        goto nomem;
    for (;;) {
        size_t got;
        if (n + 1 >= cap) {
            char *nb;
            if (cap - 1 > max) /* read one byte past max to detect oversize input */
                break;
            nb = realloc(buf, cap * 2);
            if (nb == NULL)
                goto nomem;
            buf = nb;
            cap *= 2;
        }
        got = fread(buf + n, 1, cap - 1 - n, fp);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        int e = errno;
        free(buf);
        if (!is_stdin)
            fclose(fp);
        if (e == EISDIR) { /* llmcost report scenarios/ */
            size_t k = strlen(path);
            while (k > 1 && path[k - 1] == '/')
                k--;
            return lc_error_set(err, LC_EINPUT, at,
                                "is a folder, not a scenario file: give the files in it "
                                "(e.g. %.*s/*.yaml)",
                                (int)k, path);
        }
        return lc_error_set(err, LC_EINPUT, at, "cannot read: %s", strerror(e));
    }
    if (!is_stdin)
        fclose(fp);
    if (n > max) {
        free(buf);
        return lc_error_set(err, LC_EINPUT, at,
                            "input is larger than %zu bytes (the limit); split the scenario", max);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return LC_OK;
nomem:
    free(buf);
    if (!is_stdin)
        fclose(fp);
    return lc_error_nomem(err);
}

int lc_make_dir(const char *path, lc_error *err)
{
    char *p, *s;
    if (lc_io_check_path(path, err) != LC_OK)
        return LC_EOUTPUT;
    p = dup_str(path);
    if (p == NULL)
        return lc_error_nomem(err);
    for (s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                int e = errno;
                lc_error_set(err, LC_EOUTPUT, lc_mark_none(), "cannot create directory %s: %s", p,
                             strerror(e));
                free(p);
                return LC_EOUTPUT;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return LC_OK;
}
