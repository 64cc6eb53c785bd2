using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// <c>__ptrace_may_access</c> (kernel/ptrace.c) without LSMs: this host runs no Yama, so none is modelled.
/// Same thread group passes; otherwise the caller's fsuid (FSCREDS) or real uid (REALCREDS) must equal the target's
/// uid and euid (the engine keeps suid equal to euid), or the caller needs CAP_SYS_PTRACE; a non-dumpable target
/// also needs CAP_SYS_PTRACE.
/// </summary>
public static class PtraceAccess
{
    public static bool MayAccess(Process caller, Process target, PtraceMode mode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(caller, target))
        {
            return true;
        }

        var callerCreds = caller.Credentials;
        var targetCreds = target.Credentials;
        var callerUid = (mode & PtraceMode.FsCreds) != 0 ? callerCreds.Fsuid : callerCreds.Uid;
        var hasCap = callerCreds.Has(Capability.SysPtrace);
        var sameUser = callerUid == targetCreds.Uid && callerUid == targetCreds.Euid;
        if (!sameUser && !hasCap)
        {
            return false;
        }

        return target.Mm is null || target.Dumpable == 1 || hasCap;
    }

    /// <summary>
    /// <c>mm_access()</c>: ESRCH when the target has no mm, no check when it is the caller's own mm, and EACCES on a
    /// failed ptrace check.
    /// </summary>
    public static SysResult<Mm> MmAccess(Process caller, Process target, PtraceMode mode)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(target);
        if (target.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        if (ReferenceEquals(mm, caller.Mm))
        {
            return mm;
        }

        return MayAccess(caller, target, mode) ? mm : Errno.EACCES;
    }
}
