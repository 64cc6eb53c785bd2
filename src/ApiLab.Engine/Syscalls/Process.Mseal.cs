using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>mseal(2) (6.10) on the process's own mm; see <see cref="Mm.Mseal"/>.</summary>
public sealed partial class Process
{
    public SysResult<int> Mseal(ulong address, ulong length, ulong flags = 0)
    {
        using var scope = Machine.EnterSyscall(this, "mseal");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.Mseal(address, length, flags) : Errno.ESRCH;
    }
}
