/* fault_alloc.c — allocation failure injection for tests/faults.sh.
 *
 * Linked into build/FLAVOUR/llmcost-faults with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=free, so it sees every allocation made by llmcost's own
 * code (not those inside libc, libyaml or GSL).  Environment:
 *   LC_FAULT_ALLOC=N   the Nth allocation (1-based) returns NULL; the others succeed
 *   LC_FAULT_COUNT=F   at exit, write the number of allocations made to file F
 * At exit, every block our code allocated must have been freed: otherwise it
 * prints "fault_alloc: N blocks leaked" and exits 98 (memory still reachable at
 * exit counts: llmcost frees everything before it returns).  With several
 * threads the order of allocations, and so which one is the Nth, may vary. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER; /* analyses run on threads */
static unsigned long fail_at; /* 0: never */
static unsigned long count;
static int ready;

/* Live blocks: an open-addressing set of pointers (deleted slots are TOMB). */
#define SET_BITS 20
#define SET_SIZE (1u << SET_BITS)
#define TOMB ((void *)1)
static void **set;
static size_t live;

static size_t slot_of(const void *p)
{
    uintptr_t h = (uintptr_t)p;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15u;
    return (size_t)(h >> (sizeof h * 8 - SET_BITS));
}

static void set_add(void *p)
{
    size_t i, k;
    if (set == NULL || p == NULL)
        return;
    for (i = slot_of(p), k = 0; k < SET_SIZE; i = (i + 1) & (SET_SIZE - 1), k++)
        if (set[i] == NULL || set[i] == TOMB) {
            set[i] = p;
            live++;
            return;
        }
    fputs("fault_alloc: too many live blocks\n", stderr);
    _exit(97);
}

static void set_remove(void *p)
{
    size_t i, k;
    if (set == NULL || p == NULL)
        return;
    for (i = slot_of(p), k = 0; k < SET_SIZE && set[i] != NULL; i = (i + 1) & (SET_SIZE - 1), k++)
        if (set[i] == p) {
            set[i] = TOMB;
            live--;
            return;
        }
    /* not ours: allocated inside a library (open_memstream, ...) */
}

static void report(void)
{
    pthread_mutex_lock(&lock);
    const char *f = getenv("LC_FAULT_COUNT");
    if (f) {
        FILE *fp = fopen(f, "w");
        if (fp) {
            fprintf(fp, "%lu\n", count);
            fclose(fp);
        }
    }
    if (live > 0) {
        fprintf(stderr, "fault_alloc: %zu blocks leaked\n", live);
        fflush(stderr);
        _exit(98);
    }
    pthread_mutex_unlock(&lock);
}

static void init(void)
{
    const char *s = getenv("LC_FAULT_ALLOC");
    ready = 1;
    fail_at = s ? strtoul(s, NULL, 10) : 0;
    set = __real_calloc(SET_SIZE, sizeof *set);
    atexit(report);
}

/* True when this allocation is to fail. */
static int fail_now(void)
{
    if (!ready)
        init();
    return ++count == fail_at;
}

void *__wrap_malloc(size_t n)
{
    void *p = NULL;
    pthread_mutex_lock(&lock);
    if (!fail_now()) {
        p = __real_malloc(n);
        set_add(p);
    }
    pthread_mutex_unlock(&lock);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = NULL;
    pthread_mutex_lock(&lock);
    if (!fail_now()) {
        p = __real_calloc(n, size);
        set_add(p);
    }
    pthread_mutex_unlock(&lock);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q = NULL;
    pthread_mutex_lock(&lock);
    if (!fail_now()) { /* on failure p stays valid, as realloc leaves it */
        q = __real_realloc(p, n);
        if (q != NULL || n == 0) {
            set_remove(p);
            set_add(q);
        }
    }
    pthread_mutex_unlock(&lock);
    return q;
}

void __wrap_free(void *p)
{
    pthread_mutex_lock(&lock);
    set_remove(p);
    __real_free(p);
    pthread_mutex_unlock(&lock);
}
