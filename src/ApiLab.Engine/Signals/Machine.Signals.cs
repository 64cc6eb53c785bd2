using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// kill(2) and the delivery part of pidfd_send_signal(2) (kernel/signal.c), for single-threaded processes with no
/// signal handlers: every signal takes its default action. A fatal one leaves the process dying (<see
/// cref="Process.KillPending"/>: it exits the next time it runs, so process_mrelease may reap it meanwhile); SIGSTOP
/// (and SIGTSTP/SIGTTIN/SIGTTOU) stops it until SIGCONT (<see cref="Process.Stopped"/>: its own loads and stores do
/// not run); SIGCHLD, SIGURG and SIGWINCH are discarded.
/// </summary>
public sealed partial class Machine
{
    /// <summary>
    /// kill(pid, sig) for one process (pid &gt; 0) or every process the caller may signal (pid == -1: all but pid 1
    /// and the caller; ESRCH if there was none, otherwise the last error other than EPERM). Checks in the kernel's
    /// order: no such process → ESRCH (a zombie still exists until reaped); an invalid signal → EINVAL; permission →
    /// EPERM; signal 0 stops there (the existence and permission probe). Process groups (pid 0, pid &lt; -1) are not
    /// modelled: EINVAL there is the engine's, not Linux's.
    /// </summary>
    public SysResult<int> Kill(Process caller, int pid, int signal)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "kill");
        if (pid > 0)
        {
            return FindByPid(pid) is { } target ? SendSignal(caller, target, signal) : Errno.ESRCH;
        }

        if (pid != -1)
        {
            return Errno.EINVAL;
        }

        // kill_something_info(-1): for_each_process except init and the caller's thread group.
        var count = 0;
        var result = (SysResult<int>)0;
        foreach (var target in _byPid.Values.OrderBy(static p => p.Pid).ToList())
        {
            if (target.Pid <= 1 || ReferenceEquals(target, caller))
            {
                continue;
            }

            var sent = SendSignal(caller, target, signal);
            if (sent.Error != Errno.EPERM)
            {
                count++;
                result = sent;
            }
        }

        return count > 0 ? result : Errno.ESRCH;
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
        // caller's session; the engine puts every process in one session (UNCONFIRMED as a model choice).
        var c = caller.Credentials;
        var t = target.Credentials;
        var allowed = ReferenceEquals(caller, target) || c.Has(Capability.Kill)
            || c.Euid == t.Uid || c.Euid == t.Euid || c.Uid == t.Uid || c.Uid == t.Euid;
        if (!allowed && signal != Signals.SigCont)
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
                // Fatal: SIGKILL for the whole group, which also wakes a stopped task so it can die.
                target.KillPending = true;
                target.Stopped = false;
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
