using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>The memory-locking syscalls on the process's own mm (mm/mlock.c; see <see cref="Mm.Mlock"/>).</summary>
public sealed partial class Process
{
    public SysResult<int> Mlock(ulong address, ulong length)
    {
        using var scope = Machine.EnterSyscall(this, "mlock");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mlock(address, length) : Errno.ESRCH;
    }

    public SysResult<int> Mlock2(ulong address, ulong length, MlockFlags flags)
    {
        using var scope = Machine.EnterSyscall(this, "mlock2");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mlock2(address, length, flags) : Errno.ESRCH;
    }

    public SysResult<int> Munlock(ulong address, ulong length)
    {
        using var scope = Machine.EnterSyscall(this, "munlock");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Munlock(address, length) : Errno.ESRCH;
    }

    public SysResult<int> Mlockall(MlockallFlags flags)
    {
        using var scope = Machine.EnterSyscall(this, "mlockall");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mlockall(flags) : Errno.ESRCH;
    }

    public SysResult<int> Munlockall()
    {
        using var scope = Machine.EnterSyscall(this, "munlockall");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Munlockall() : Errno.ESRCH;
    }
}
