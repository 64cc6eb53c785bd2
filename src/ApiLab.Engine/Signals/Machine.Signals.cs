using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// kill(2) and the delivery part of pidfd_send_signal(2) (kernel/signal.c), for single-threaded processes with no
/// signal handlers: every signal takes its default action. A fatal one leaves the process dying (<see
/// cref="Process.KillPending"/>: it exits the next time it runs, so process_mrelease may reap it meanwhile); SIGSTOP
/// (and SIGTSTP/SIGTTIN/SIGTTOU) stops it until SIGCONT (<see cref="Process.Stopped"/>: its own loads and stores do
/// not run, and neither do its syscalls: <see cref="SyscallScope.Blocked"/>); SIGCHLD, SIGURG and SIGWINCH are
/// discarded. Process groups and sessions: Machine.ProcessGroups.cs.
/// </summary>
public sealed partial class Machine
{
    /// <summary>
    /// kill(pid, sig) as kill_something_info (kernel/signal.c) reads pid: pid &gt; 0 is that process (ESRCH if no process,
    /// running or zombie, holds it); pid 0 is the caller's process group and pid &lt; -1 the group -pid
    /// (__kill_pgrp_info: 0 if the signal reached any member, else the last member's error; ESRCH for an empty or
    /// unknown group); pid -1 is every process but pid 1 and the caller (ESRCH if there is none; otherwise 0 or the
    /// last error other than EPERM, so a broadcast that was refused everywhere still returns 0); INT_MIN is ESRCH.
    /// Each target is checked as check_kill_permission does: an invalid signal → EINVAL, then permission → EPERM;
    /// signal 0 stops there (the existence and permission probe).
    /// </summary>
    public SysResult<int> Kill(Process caller, int pid, int signal)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "kill");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (pid > 0)
        {
            return FindByPid(pid) is { } target ? SendSignal(caller, target, signal) : Errno.ESRCH;
        }

        if (pid == int.MinValue)
        {
            // -INT_MIN is undefined in C; the kernel answers ESRCH before negating.
            return Errno.ESRCH;
        }

        if (pid != -1)
        {
            return KillGroup(caller, pid == 0 ? caller.Pgid : -pid, signal);
        }

        // for_each_process except init and the caller's thread group; every candidate counts, even a refused one.
        var count = 0;
        var result = (SysResult<int>)0;
        foreach (var target in _byPid.Values.OrderBy(static p => p.Pid).ToList())
        {
            if (target.Pid <= 1 || ReferenceEquals(target, caller))
            {
                continue;
            }

            var sent = SendSignal(caller, target, signal);
            count++;
            if (sent.Error != Errno.EPERM)
            {
                result = sent;
            }
        }

        return count > 0 ? result : Errno.ESRCH;
    }

    /// <summary>__kill_pgrp_info: every member of the group (zombies included) gets the signal; success if any did.</summary>
    internal SysResult<int> KillGroup(Process caller, int pgid, int signal)
    {
        var success = false;
        var result = (SysResult<int>)Errno.ESRCH;
        foreach (var member in GroupMembers(pgid))
        {
            result = SendSignal(caller, member, signal);
            success |= result.IsOk;
        }

        return success ? 0 : result;
    }

    /// <summary>group_send_sig_info: check_kill_permission, then deliver. The target exists (it may be a zombie).</summary>
    private SysResult<int> SendSignal(Process caller, Process target, int signal)
    {
        if (!Signals.IsValid(signal))
        {
            return Errno.EINVAL;
        }

        // kill_ok_by_cred: the caller's real or effective uid matches the target's real or saved uid (the engine's
        // credentials keep the saved uid equal to the effective one), or CAP_KILL. SIGCONT is also allowed within the
        // caller's session.
        var c = caller.Credentials;
        var t = target.Credentials;
        var allowed = ReferenceEquals(caller, target) || c.Has(Capability.Kill)
            || c.Euid == t.Uid || c.Euid == t.Euid || c.Uid == t.Uid || c.Uid == t.Euid;
        if (!allowed && (signal != Signals.SigCont || target.Sid != caller.Sid))
        {
            return Errno.EPERM;
        }

        if (signal == 0 || target.State != ProcessState.Running)
        {
            // A zombie ignores signals, but the call succeeds.
            return 0;
        }

        Deliver(target, signal);
        return 0;
    }

    /// <summary>prepare_signal and complete_signal with default actions only.</summary>
    private static void Deliver(Process target, int signal)
    {
        switch (Signals.DefaultAction(signal))
        {
            case SignalAction.Kill or SignalAction.Terminate:
                // Fatal: SIGKILL for the whole group, which also wakes a stopped task so it can die, and ends a
                // TASK_KILLABLE wait for uffd event reads (the raiser then finishes its syscall's work).
                target.KillPending = true;
                target.Stopped = false;
                target.Machine.AbandonUffdEventWaits(target);
                break;
            case SignalAction.Stop:
                // do_signal_stop when it next runs; a dying task does not stop.
                target.Stopped = !target.KillPending;
                break;
            case SignalAction.Continue:
                // prepare_signal: SIGCONT resumes a stopped task even if it is ignored or blocked.
                target.Stopped = false;
                break;
            case SignalAction.Ignore:
                break;
        }
    }
}
