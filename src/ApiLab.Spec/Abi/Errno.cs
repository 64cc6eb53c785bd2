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
    EINVAL = 22,
    ENFILE = 23,
    EMFILE = 24,
    ENOSPC = 28,
    ENOSYS = 38,
    EOPNOTSUPP = 95,
    ESTALE = 116,
    EHWPOISON = 133,
    /// <summary>Kernel-internal ENOTSUPP (524), which some paths leak to userspace.</summary>
    ENOTSUPP = 524,
}
