using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>pidfd_send_signal(2) for SIGKILL, and process_mrelease(2) (5.15, mm/oom_kill.c).</summary>
public sealed partial class Machine
{
    public const int SigKill = 9;

    /// <summary>
    /// pidfd_send_signal(pidfd, sig, NULL, flags), for signal 0 (a permission and existence probe) and SIGKILL, the
    /// only signals the engine models: flags → EINVAL; a bad pidfd → EBADF; a reaped process → ESRCH; other signals →
    /// EINVAL (the engine has no signal delivery); kill_ok_by_cred: the caller's real or effective uid must match the
    /// target's real or saved uid, or it needs CAP_KILL → EPERM. SIGKILL leaves the process dying, not dead.
    /// </summary>
    public SysResult<int> PidfdSendSignal(Process caller, Pidfd pidfd, int signal, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "pidfd_send_signal");
        if (flags != 0)
        {
            return Errno.EINVAL;
        }

        var target = ResolvePidfd(caller, pidfd);
        if (!target.IsOk)
        {
            return target.Error;
        }

        if (signal is not (0 or SigKill))
        {
            return Errno.EINVAL;
        }

        var c = caller.Credentials;
        var t = target.Value.Credentials;
        if (!c.Has(Capability.Kill) && c.Euid != t.Uid && c.Euid != t.Euid && c.Uid != t.Uid && c.Uid != t.Euid)
        {
            return Errno.EPERM;
        }

        if (signal == SigKill && target.Value.State == ProcessState.Running)
        {
            target.Value.KillPending = true;
        }

        return 0;
    }

    /// <summary>
    /// process_mrelease(pidfd, flags): reaps the memory of a process that is dying, without waiting for it to run its
    /// exit. Checks in the kernel's order: flags → EINVAL; the pidfd (EBADF / ESRCH); a process with no mm left →
    /// ESRCH; a process that is not dying (task_will_free_mem) → EINVAL. There is no permission check beyond holding
    /// the pidfd: whoever could kill it may reap it. __oom_reap_task_mm unmaps every private or anonymous VMA (not
    /// VM_HUGETLB / VM_PFNMAP), leaving shared memory to its other users; the VMAs stay until exit_mmap.
    /// </summary>
    public SysResult<int> ProcessMrelease(Process caller, Pidfd pidfd, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "process_mrelease");
        if (flags != 0)
        {
            return Errno.EINVAL;
        }

        var target = ResolvePidfd(caller, pidfd);
        if (!target.IsOk)
        {
            return target.Error;
        }

        if (target.Value.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        if (!target.Value.KillPending)
        {
            return Errno.EINVAL;
        }

        mm.OomReap();
        return 0;
    }
}
