using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// The process's own mm syscalls. Each enters through <see cref="Machine.EnterSyscall"/> (counted, and a scheduling
/// point for the lab) and then runs the mm operation. A process that has exited has no mm: ESRCH.
/// </summary>
public sealed partial class Process
{
    public SysResult<ulong> Mmap(ulong address, ulong length, Prot prot, MapFlags flags)
    {
        using var scope = Machine.EnterSyscall(this, "mmap");
        return Mm is { } mm ? mm.MmapAnonymous(address, length, prot, flags, Credentials.Has(Capability.SysRawio)) : Errno.ESRCH;
    }

    public SysResult<int> Munmap(ulong address, ulong length)
    {
        using var scope = Machine.EnterSyscall(this, "munmap");
        return Mm is { } mm ? mm.Munmap(address, length) : Errno.ESRCH;
    }

    public SysResult<ulong> Mremap(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress = 0)
    {
        using var scope = Machine.EnterSyscall(this, "mremap");
        return Mm is { } mm ? mm.Mremap(oldAddress, oldLength, newLength, flags, newAddress) : Errno.ESRCH;
    }

    public SysResult<int> Madvise(ulong address, ulong length, Advice advice)
    {
        using var scope = Machine.EnterSyscall(this, "madvise");
        return Mm is { } mm ? mm.Madvise(address, length, advice) : Errno.ESRCH;
    }

    public SysResult<int> Mprotect(ulong address, ulong length, Prot prot)
    {
        using var scope = Machine.EnterSyscall(this, "mprotect");
        return Mm is { } mm ? mm.Mprotect(address, length, prot) : Errno.ESRCH;
    }
}
