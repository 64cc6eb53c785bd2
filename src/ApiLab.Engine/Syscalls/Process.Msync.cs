using ApiLab.Spec;

namespace ApiLab.Engine;

public sealed partial class Process
{
    /// <summary>msync(2): see <see cref="Mm.Msync"/>.</summary>
    public SysResult<int> Msync(ulong address, ulong length, int flags)
    {
        using var scope = Machine.EnterSyscall(this, "msync");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Msync(address, length, flags) : Errno.ESRCH;
    }
}
