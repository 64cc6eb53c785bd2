using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>brk(2); see <see cref="Mm.DoBrk"/>.</summary>
public sealed partial class Process
{
    /// <summary>sys_brk: the new break, or the current one when the request is refused (brk(0) asks for it). The
    /// syscall has no errno; the engine's only error is ESRCH for a process without an mm.</summary>
    public SysResult<ulong> Brk(ulong address)
    {
        using var scope = Machine.EnterSyscall(this, "brk");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        return Mm is { } mm ? mm.DoBrk(address) : Errno.ESRCH;
    }
}
