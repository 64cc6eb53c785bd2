using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>pidfd_send_signal(2), and process_mrelease(2) (5.15, mm/oom_kill.c).</summary>
public sealed partial class Machine
{
    public const int SigKill = Signals.SigKill;

    /// <summary>PIDFD_SIGNAL_THREAD, PIDFD_SIGNAL_THREAD_GROUP and PIDFD_SIGNAL_PROCESS_GROUP (6.9).</summary>
    private const uint PidfdSignalScopes = 1 | 2 | 4;

    public const uint PidfdSignalProcessGroup = 4;

    /// <summary>
    /// pidfd_send_signal(pidfd, sig, NULL, flags): unknown flags, or more than one scope flag → EINVAL; a bad pidfd →
    /// EBADF; a reaped process → ESRCH; then as kill(2) (see <see cref="Kill"/>): an invalid signal → EINVAL;
    /// kill_ok_by_cred → EPERM; signal 0 is the probe; otherwise the default action (a fatal signal leaves the process
    /// dying, not dead; SIGSTOP stops it until SIGCONT). The engine's processes are single-threaded, so the THREAD and
    /// THREAD_GROUP scopes are the same. PIDFD_SIGNAL_PROCESS_GROUP is kill_pgrp_info on the pidfd's struct pid: the
    /// group whose id is that process's pid (its own group only if it leads one), as kill(-pid) would; the pidfd pins
    /// the pid, so a group outlives a reaped leader and still gets the signal.
    /// </summary>
    public SysResult<int> PidfdSendSignal(Process caller, Pidfd pidfd, int signal, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "pidfd_send_signal");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if ((flags & ~PidfdSignalScopes) != 0 || System.Numerics.BitOperations.PopCount(flags) > 1)
        {
            return Errno.EINVAL;
        }

        if (flags == PidfdSignalProcessGroup)
        {
            // pidfd_to_pid only: no task lookup, so no ESRCH for a reaped leader here.
            var group = pidfd == Pidfd.Self || pidfd == Pidfd.SelfProcess ? caller
                : caller.Fds.Get(pidfd.Fd) is PidfdFile file ? file.Process : null;
            return group is null ? Errno.EBADF : KillGroup(caller, group.Pid, signal);
        }

        var target = ResolvePidfd(caller, pidfd);
        return target.IsOk ? SendSignal(caller, target.Value, signal) : target.Error;
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
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

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
