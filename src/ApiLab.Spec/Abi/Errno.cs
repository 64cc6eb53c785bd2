namespace ApiLab.Spec;

/// <summary>Linux errno values (x86-64, asm-generic numbering). <see cref="None"/> means success.</summary>
public enum Errno
{
    None = 0,
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    E2BIG = 7,
    EBADF = 9,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EBUSY = 16,
    EEXIST = 17,
    ENODEV = 19,
    EINVAL = 22,
    ENFILE = 23,
    EMFILE = 24,
    ENOTTY = 25,
    ENOSPC = 28,
    ENOSYS = 38,
    EOVERFLOW = 75,
    EOPNOTSUPP = 95,
    ESTALE = 116,
    EHWPOISON = 133,
    /// <summary>
    /// Kernel-internal ERESTARTSYS (512), never user-visible. In the engine it means "the task sleeps": the access (or
    /// syscall) is parked in handle_userfault (or a blocking read of an empty userfaultfd) and must be retried after
    /// the monitor resolves the fault (UFFDIO_COPY / ZEROPAGE / CONTINUE / WAKE / WRITEPROTECT-unprotect). The engine is
    /// single-threaded and actors are scheduled at syscall boundaries, so a sleep is this result rather than a wait.
    /// </summary>
    ERESTARTSYS = 512,
    /// <summary>Kernel-internal ENOTSUPP (524), which some paths leak to userspace.</summary>
    ENOTSUPP = 524,
}
