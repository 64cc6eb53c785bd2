using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>pidfd_getfd(2) (5.6): duplicate another process's fd, e.g. to become the monitor of its userfaultfd.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// pidfd_getfd(pidfd, targetfd, flags), checks in kernel/pid.c's order: flags → EINVAL; not an open pidfd (the
    /// PIDFD_SELF sentinels included, as on the 6.18 host) → EBADF; process reaped → ESRCH; ptrace
    /// PTRACE_MODE_ATTACH_REALCREDS denied → EPERM; process exited (its files are gone) → ESRCH; no such fd → EBADF;
    /// caller's table full → EMFILE. The new fd (close-on-exec) refers to the same open file.
    /// </summary>
    public SysResult<int> PidfdGetfd(Process caller, Pidfd pidfd, int targetFd, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "pidfd_getfd");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (flags != 0)
        {
            return Errno.EINVAL;
        }

        if (caller.Fds.Get(pidfd.Fd) is not PidfdFile { Process: var target })
        {
            return Errno.EBADF;
        }

        if (target.State == ProcessState.Reaped)
        {
            return Errno.ESRCH;
        }

        if (!PtraceAccess.MayAccess(caller, target, PtraceMode.AttachRealCreds))
        {
            return Errno.EPERM;
        }

        if (target.State != ProcessState.Running)
        {
            return Errno.ESRCH;
        }

        if (target.Fds.Get(targetFd) is not { } file)
        {
            return Errno.EBADF;
        }

        var fd = caller.Fds.Install(file);
        if (fd < 0)
        {
            return Errno.EMFILE;
        }

        AcquireFile(file);
        return fd;
    }
}
