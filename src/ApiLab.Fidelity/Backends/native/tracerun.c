/*
 * tracerun: the host backend of ApiLab's trace format. It executes, on the real kernel, the concrete syscalls that
 * the C# side sends, one per line on stdin, and prints one reply per request on stdout.
 *
 * Processes: the coordinator (this program's first process) forks worker 0 and relays each request "SLOT OP ARGS..."
 * to the worker serving SLOT over a socketpair created before any fork, so every worker inherits all of them. A
 * worker that forks hands the child a new slot; the child keeps the parent's memory, which is the point. Workers never
 * allocate after start (no malloc, no stdio) so that their address space holds only what the trace maps.
 *
 * Replies: "ok VALUE" | "err ERRNO" | "sig SIGNO" | for maps, the raw /proc/self/maps text then a line "end".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SLOTS 16
#define MAX_LINE 65536
#define MAX_IOV 1100

static int slot_fd[MAX_SLOTS][2]; /* [0]: coordinator end, [1]: worker end */
static sigjmp_buf fault_jump;
static volatile sig_atomic_t fault_signal;

static void on_fault(int signo)
{
    fault_signal = signo;
    siglongjmp(fault_jump, 1);
}

static void reply(int fd, const char *text)
{
    size_t len = strlen(text);
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n <= 0) _exit(3);
        text += n;
        len -= (size_t)n;
    }
}

static void reply_result(int fd, long ret)
{
    char buf[64];
    if (ret == -1) snprintf(buf, sizeof buf, "err %d\n", errno);
    else snprintf(buf, sizeof buf, "ok %ld\n", ret);
    reply(fd, buf);
}

static void reply_value(int fd, unsigned long value)
{
    char buf[64];
    snprintf(buf, sizeof buf, "ok %lu\n", value);
    reply(fd, buf);
}

/* Reads one request line from fd into line; returns 0 at EOF. */
static int read_line(int fd, char *line)
{
    size_t n = 0;
    while (n < MAX_LINE - 1) {
        ssize_t r = read(fd, line + n, 1);
        if (r <= 0) return 0;
        if (line[n] == '\n') break;
        n++;
    }
    line[n] = 0;
    return 1;
}

static unsigned long next(char **cursor)
{
    return strtoul(*cursor, cursor, 0);
}

static int read_iovecs(char **cursor, struct iovec *iov)
{
    int n = (int)next(cursor);
    for (int i = 0; i < n && i < MAX_IOV; i++) {
        iov[i].iov_base = (void *)next(cursor);
        iov[i].iov_len = next(cursor);
    }
    return n;
}

static void serve_fd(int fd);
static char *self_path;

static void send_maps(int fd)
{
    static char text[1 << 20];
    int maps = open("/proc/self/maps", O_RDONLY);
    size_t total = 0;
    ssize_t n;
    while (maps >= 0 && (n = read(maps, text + total, sizeof text - 1 - total)) > 0) total += (size_t)n;
    if (maps >= 0) close(maps);
    text[total] = 0;
    reply(fd, text);
    reply(fd, "end\n");
}

static void execute(int slot, int fd, char *line)
{
    static struct iovec a[MAX_IOV], b[MAX_IOV];
    char op[32];
    int used = 0;
    if (sscanf(line, "%31s %n", op, &used) != 1) { reply(fd, "err 22\n"); return; }
    char *c = line + used;
    (void)slot;

    if (!strcmp(op, "mmap")) {
        unsigned long addr = next(&c), len = next(&c), prot = next(&c), flags = next(&c);
        long mfd = strtol(c, &c, 0);
        unsigned long off = next(&c);
        void *p = mmap((void *)addr, len, (int)prot, (int)flags, (int)mfd, (off_t)off);
        if (p == MAP_FAILED) reply_result(fd, -1); else reply_value(fd, (unsigned long)p);
    } else if (!strcmp(op, "munmap")) {
        unsigned long addr = next(&c), len = next(&c);
        reply_result(fd, munmap((void *)addr, len));
    } else if (!strcmp(op, "mprotect")) {
        unsigned long addr = next(&c), len = next(&c), prot = next(&c);
        reply_result(fd, mprotect((void *)addr, len, (int)prot));
    } else if (!strcmp(op, "madvise")) {
        unsigned long addr = next(&c), len = next(&c), advice = next(&c);
        reply_result(fd, madvise((void *)addr, len, (int)advice));
    } else if (!strcmp(op, "mremap")) {
        unsigned long old = next(&c), oldlen = next(&c), newlen = next(&c), flags = next(&c), to = next(&c);
        void *p = mremap((void *)old, oldlen, newlen, (int)flags, (void *)to);
        if (p == MAP_FAILED) reply_result(fd, -1); else reply_value(fd, (unsigned long)p);
    } else if (!strcmp(op, "load") || !strcmp(op, "store")) {
        volatile unsigned long *p = (volatile unsigned long *)next(&c);
        unsigned long value = next(&c);
        int store = op[0] == 's';
        fault_signal = 0;
        if (sigsetjmp(fault_jump, 1) == 0) {
            if (store) *p = value; else value = *p;
            reply_value(fd, store ? 0 : value);
        } else {
            char buf[32];
            snprintf(buf, sizeof buf, "sig %d\n", (int)fault_signal);
            reply(fd, buf);
        }
    } else if (!strcmp(op, "fork")) {
        int child_slot = (int)next(&c);
        pid_t pid = fork();
        if (pid == 0) serve_fd(slot_fd[child_slot][1]);
        reply_result(fd, pid);
    } else if (!strcmp(op, "exit")) {
        /* The coordinator answers "ok 0" once this process is really gone (a zombie), so no later request can
         * still see its mm. */
        char buf[32];
        snprintf(buf, sizeof buf, "exiting %d\n", (int)getpid());
        reply(fd, buf);
        _exit(0);
    } else if (!strcmp(op, "maps")) {
        send_maps(fd);
    } else if (!strcmp(op, "pidfd_open")) {
        unsigned long pid = next(&c), flags = next(&c);
        reply_result(fd, syscall(SYS_pidfd_open, (pid_t)pid, (unsigned)flags));
    } else if (!strcmp(op, "process_madvise")) {
        unsigned long pidfd = next(&c), advice = next(&c), flags = next(&c);
        int n = read_iovecs(&c, a);
        reply_result(fd, syscall(SYS_process_madvise, (int)pidfd, a, (size_t)n, (int)advice, (unsigned)flags));
    } else if (!strcmp(op, "process_vm_readv") || !strcmp(op, "process_vm_writev")) {
        unsigned long pid = next(&c), flags = next(&c);
        int nl = read_iovecs(&c, a);
        int nr = read_iovecs(&c, b);
        long r = op[11] == 'r'
            ? syscall(SYS_process_vm_readv, (pid_t)pid, a, (unsigned long)nl, b, (unsigned long)nr, flags)
            : syscall(SYS_process_vm_writev, (pid_t)pid, a, (unsigned long)nl, b, (unsigned long)nr, flags);
        reply_result(fd, r);
    } else if (!strcmp(op, "memfd_create")) {
        while (*c == ' ') c++;
        reply_result(fd, memfd_create(c, MFD_CLOEXEC));
    } else if (!strcmp(op, "ftruncate")) {
        unsigned long mfd = next(&c), len = next(&c);
        reply_result(fd, ftruncate((int)mfd, (off_t)len));
    } else if (!strcmp(op, "open_tmpfile")) {
        /* An unnamed regular file on /tmp's disk filesystem (not tmpfs, so it has real writeback). */
        reply_result(fd, open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
    } else if (!strcmp(op, "msync")) {
        unsigned long addr = next(&c), len = next(&c), flags = next(&c);
        reply_result(fd, msync((void *)addr, len, (int)flags));
    } else if (!strcmp(op, "kill")) {
        long pid = (long)next(&c), sig = (long)next(&c);
        reply_result(fd, kill((pid_t)pid, (int)sig));
    } else if (!strcmp(op, "setpgid")) {
        long pid = (long)next(&c), pgid = (long)next(&c);
        reply_result(fd, setpgid((pid_t)pid, (pid_t)pgid));
    } else if (!strcmp(op, "setsid")) {
        reply_result(fd, setsid());
    } else if (!strcmp(op, "getpgid") || !strcmp(op, "getsid")) {
        long pid = (long)next(&c);
        reply_result(fd, op[3] == 'p' ? getpgid((pid_t)pid) : getsid((pid_t)pid));
    } else if (!strcmp(op, "fsync")) {
        unsigned long ffd = next(&c);
        reply_result(fd, fsync((int)ffd));
    } else if (!strcmp(op, "mseal")) {
        unsigned long addr = next(&c), len = next(&c), flags = next(&c);
        reply_result(fd, syscall(462 /* __NR_mseal */, addr, len, flags));
    } else if (!strcmp(op, "mlock") || !strcmp(op, "munlock")) {
        unsigned long addr = next(&c), len = next(&c);
        reply_result(fd, op[1] == 'l' ? mlock((void *)addr, len) : munlock((void *)addr, len));
    } else if (!strcmp(op, "exec")) {
        /* Re-execute this program as a worker on the same socket: a new address space, the same process. The new
         * image answers "ok 0" once it runs. */
        static char *argv[64];
        static char slot_text[16], fd_text[16];
        int n = (int)next(&c), i = 0;
        snprintf(slot_text, sizeof slot_text, "%d", slot);
        snprintf(fd_text, sizeof fd_text, "%d", fd);
        argv[i++] = "tracerun"; argv[i++] = "--worker"; argv[i++] = slot_text; argv[i++] = fd_text;
        while (n-- > 0 && i < 63) {
            while (*c == ' ') c++;
            argv[i++] = c;
            while (*c && *c != ' ') c++;
            if (*c) *c++ = 0;
        }
        argv[i] = NULL;
        static char *envp[] = { NULL };
        execve(self_path, argv, envp);
        reply_result(fd, -1);
    } else if (!strcmp(op, "userfaultfd")) {
        unsigned long flags = next(&c), features = next(&c);
        int u = (int)syscall(SYS_userfaultfd, O_CLOEXEC | (int)flags);
        if (u < 0) { reply_result(fd, -1); return; }
        struct uffdio_api api = { .api = UFFD_API, .features = features };
        if (ioctl(u, UFFDIO_API, &api) != 0) { int e = errno; close(u); errno = e; reply_result(fd, -1); return; }
        reply_result(fd, u);
    } else if (!strncmp(op, "uffd_", 5) && strcmp(op, "uffd_read")) {
        int u = (int)next(&c);
        unsigned long addr = next(&c), len = next(&c), src = next(&c), mode = next(&c);
        long r;
        if (!strcmp(op, "uffd_register")) {
            struct uffdio_register a = { .range = { addr, len }, .mode = mode };
            r = ioctl(u, UFFDIO_REGISTER, &a);
        } else if (!strcmp(op, "uffd_unregister")) {
            struct uffdio_range a = { addr, len };
            r = ioctl(u, UFFDIO_UNREGISTER, &a);
        } else if (!strcmp(op, "uffd_copy")) {
            struct uffdio_copy a = { .dst = addr, .src = src, .len = len, .mode = mode };
            r = ioctl(u, UFFDIO_COPY, &a);
            if (r == 0) r = a.copy;
        } else if (!strcmp(op, "uffd_zeropage")) {
            struct uffdio_zeropage a = { .range = { addr, len }, .mode = mode };
            r = ioctl(u, UFFDIO_ZEROPAGE, &a);
            if (r == 0) r = a.zeropage;
        } else {
            struct uffdio_writeprotect a = { .range = { addr, len }, .mode = mode };
            r = ioctl(u, UFFDIO_WRITEPROTECT, &a);
        }
        reply_result(fd, r);
    } else if (!strcmp(op, "uffd_read")) {
        struct uffd_msg m;
        if (read((int)next(&c), &m, sizeof m) != (ssize_t)sizeof m) { reply_result(fd, -1); return; }
        unsigned long address = 0, flags = 0;
        switch (m.event) {
        case UFFD_EVENT_PAGEFAULT: address = m.arg.pagefault.address; flags = m.arg.pagefault.flags & 0xf; break;
        case UFFD_EVENT_REMAP: address = m.arg.remap.from; break;
        case UFFD_EVENT_REMOVE: case UFFD_EVENT_UNMAP: address = m.arg.remove.start; break;
        default: break;
        }
        reply_value(fd, (address & ~0xfffUL) | m.event | (flags << 8));
    } else if (!strcmp(op, "close")) {
        reply_result(fd, close((int)next(&c)));
    } else if (!strcmp(op, "set_dumpable")) {
        reply_result(fd, prctl(PR_SET_DUMPABLE, next(&c), 0, 0, 0));
    } else if (!strcmp(op, "setuid")) {
        unsigned long uid = next(&c);
        reply_result(fd, setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid));
    } else {
        reply(fd, "err 38\n");
    }
}

static void serve_fd(int fd)
{
    static char line[MAX_LINE];
    signal(SIGTERM, SIG_DFL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    while (read_line(fd, line)) {
        /* The slot is the request's first word, which the coordinator strips: execute needs only the fd. */
        execute(0, fd, line);
    }
    _exit(0);
}

/* Relays one reply (a single line, or maps text up to "end") from a worker to stdout. Maps lines begin with an
 * address, so they never look like a terminator. */
static int relay(int fd)
{
    static char line[MAX_LINE];
    for (;;) {
        if (!read_line(fd, line)) return 0;
        if (!strncmp(line, "exiting ", 8)) {
            int pidfd = (int)syscall(SYS_pidfd_open, (pid_t)atoi(line + 8), 0);
            struct pollfd gone = { .fd = pidfd, .events = POLLIN };
            if (pidfd >= 0) { poll(&gone, 1, 5000); close(pidfd); }
            strcpy(line, "ok 0");
        }
        printf("%s\n", line);
        if (!strcmp(line, "end") || !strncmp(line, "ok ", 3) || !strncmp(line, "err ", 4) || !strncmp(line, "sig ", 4)) break;
    }
    fflush(stdout);
    return 1;
}

int main(int argc, char **argv)
{
    static char line[MAX_LINE];
    static char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    path[n > 0 ? n : 0] = 0;
    self_path = path;
    if (argc >= 4 && !strcmp(argv[1], "--worker")) {
        /* Re-executed by an "exec" request: answer it, then serve the same socket. */
        int fd = atoi(argv[3]);
        reply(fd, "ok 0\n");
        serve_fd(fd);
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    setpgid(0, 0);
    signal(SIGTERM, SIG_IGN);
    for (int i = 0; i < MAX_SLOTS; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, slot_fd[i]) != 0) { perror("socketpair"); return 2; }
    }
    pid_t first = fork();
    if (first == 0) serve_fd(slot_fd[0][1]);
    printf("ready %d\n", (int)first);
    fflush(stdout);
    /* Every worker holds every socket, so a dead worker's socket never reaches EOF: remember who exited, and give
     * up on a worker that does not answer in time (it crashed), as the kernel would answer for a gone process. */
    static int dead[MAX_SLOTS];
    while (fgets(line, sizeof line, stdin)) {
        char *rest;
        long slot = strtol(line, &rest, 10);
        if (slot < 0 || slot >= MAX_SLOTS || dead[slot]) {
            printf(!strncmp(rest + 1, "maps", 4) ? "err 3\nend\n" : "err 3\n");
            fflush(stdout);
            continue;
        }
        reply(slot_fd[slot][0], rest + 1);
        struct pollfd wait = { .fd = slot_fd[slot][0], .events = POLLIN };
        if (poll(&wait, 1, 10000) != 1 || !relay(slot_fd[slot][0])) {
            dead[slot] = 1;
            printf(!strncmp(rest + 1, "maps", 4) ? "err 3\nend\n" : "err 3\n");
            fflush(stdout);
            continue;
        }
        if (!strncmp(rest + 1, "exit", 4)) dead[slot] = 1;
    }
    kill(0, SIGTERM);
    return 0;
}
