/* Host-kernel side of `apilab bench`: times the same operations the engine benchmarks run, on the real kernel.
 * Prints one line per measurement: "<name> <nanoseconds>". Built from source by the bench command with gcc. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static long long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int dontneed(size_t bytes)
{
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    long long t0 = now_ns();
    if (madvise(p, bytes, MADV_DONTNEED)) { perror("madvise"); return 1; }
    long long t1 = now_ns();
    printf("dontneed_ns %lld\n", t1 - t0);
    munmap(p, bytes);
    return 0;
}

static int touch(size_t pages)
{
    size_t bytes = pages * 4096;
    volatile char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 1; }
    long long t0 = now_ns();
    for (size_t i = 0; i < pages; i++)
        p[i * 4096] = (char)i;
    long long t1 = now_ns();
    printf("touch_ns %lld\n", t1 - t0);
    munmap((void *)p, bytes);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: hostbench dontneed|touch N\n"); return 2; }
    size_t n = strtoull(argv[2], NULL, 10);
    if (!strcmp(argv[1], "dontneed")) return dontneed(n);
    if (!strcmp(argv[1], "touch")) return touch(n);
    fprintf(stderr, "unknown benchmark %s\n", argv[1]);
    return 2;
}
