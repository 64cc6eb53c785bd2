using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// The process's own mm syscalls. Each enters through <see cref="Machine.EnterSyscall"/> (counted, and a scheduling
/// point for the lab) and then runs the mm operation. A process that has exited has no mm: ESRCH.
/// </summary>
public sealed partial class Process
{
    public SysResult<ulong> Mmap(ulong address, ulong length, Prot prot, MapFlags flags) => Mmap(address, length, prot, flags, -1, 0);

    /// <summary>mmap(2) with an fd: without MAP_ANONYMOUS the fd must be an open memfd or regular file (EBADF otherwise,
    /// and ENODEV for another kind of file, which has no mmap here), opened so that it may be mapped (EACCES).</summary>
    public SysResult<ulong> Mmap(ulong address, ulong length, Prot prot, MapFlags flags, int fd, ulong offset)
    {
        using var scope = Machine.EnterSyscall(this, "mmap");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        ShmemObject? file = null;
        var access = FileAccess.ReadWrite;
        if ((flags & MapFlags.Anonymous) == 0 && Page.IsAligned(offset))
        {
            var open = Fds.Get(fd);
            if (open is null)
            {
                return Errno.EBADF;
            }

            file = open is PageCacheFile memfd ? memfd.Shmem : null;
            access = open is PageCacheFile opened ? opened.Access : access;
            if (file is null)
            {
                return Errno.ENODEV;
            }
        }

        return mm.Mmap(address, length, prot, flags, Credentials.Has(Capability.SysRawio), file, offset, access);
    }

    public SysResult<int> Munmap(ulong address, ulong length)
    {
        using var scope = Machine.EnterSyscall(this, "munmap");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Munmap(address, length) : Errno.ESRCH;
    }

    public SysResult<ulong> Mremap(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress = 0)
    {
        using var scope = Machine.EnterSyscall(this, "mremap");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mremap(oldAddress, oldLength, newLength, flags, newAddress) : Errno.ESRCH;
    }

    public SysResult<int> Madvise(ulong address, ulong length, Advice advice)
    {
        using var scope = Machine.EnterSyscall(this, "madvise");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Madvise(address, length, advice) : Errno.ESRCH;
    }

    public SysResult<int> Mprotect(ulong address, ulong length, Prot prot)
    {
        using var scope = Machine.EnterSyscall(this, "mprotect");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mprotect(address, length, prot) : Errno.ESRCH;
    }
}
