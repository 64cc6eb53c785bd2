using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// The shadow world's job control: setpgid, setsid and kill of a process, the caller's group, another group or
/// everyone, with SIGSTOP / SIGCONT / probes / SIGTERM. A stopped process's next operation must be blocked (ERESTARTSYS,
/// nothing changed); then a controller in a session of its own continues it. The controller also continues any
/// stopped userfaultfd holder before the world plays the monitor, and everyone before teardown.
/// </summary>
internal sealed partial class ShadowWorld
{
    private static readonly int[] KillSignals = [0, Signals.SigStop, Signals.SigCont, Signals.SigChld, Signals.SigTerm];

    private Process? _controller;

    /// <summary>Job-control calls made and stops observed (so a run is known to have exercised them).</summary>
    public (int Calls, int StopsObserved) JobCounts { get; private set; }

    /// <summary>A process no random kill reaches with SIGSTOP: alone in its session and group.</summary>
    private Process Controller
    {
        get
        {
            if (_controller is null)
            {
                _controller = Machine.User(comm: "ctl");
                Assert.Equal(_controller.Pid, Machine.Setsid(_controller).Value);
            }

            return _controller;
        }
    }

    /// <summary>The stopped process's operation does not run: a syscall and a load are both blocked and change nothing.
    /// Then it is continued.</summary>
    private void BlockedWhileStopped(Process process, SortedDictionary<ulong, ShadowPage> pages)
    {
        var layout = process.Mm!.LayoutSeq;
        var syscalls = Machine.Stats.Syscalls;
        Assert.Equal(Errno.ERESTARTSYS, process.Mmap(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Error);
        Assert.Equal(Errno.ERESTARTSYS, Machine.Setsid(process).Error);
        if (pages.Count > 0)
        {
            Assert.Equal(Errno.ERESTARTSYS, process.Load(pages.Keys.First()).Error);
        }

        Assert.Equal(layout, process.Mm.LayoutSeq);
        Assert.Equal(syscalls, Machine.Stats.Syscalls);
        JobCounts = JobCounts with { StopsObserved = JobCounts.StopsObserved + 1 };
        Continue(process);
    }

    private void Continue(Process process)
    {
        if (process.Stopped)
        {
            Assert.Equal(0, Machine.Kill(Controller, process.Pid, Signals.SigCont).Value);
            Assert.False(process.Stopped);
        }
    }

    private void ContinueAll()
    {
        foreach (var (process, _) in _procs)
        {
            Continue(process);
        }
    }

    private void Setpgid(Process caller, Op op)
    {
        JobCounts = JobCounts with { Calls = JobCounts.Calls + 1 };
        var children = _procs.Select(static e => e.Process).Where(p => ReferenceEquals(p.Parent, caller)).ToList();
        var target = op.B % 2 == 0 || children.Count == 0 ? caller : children[op.B % children.Count];
        var member = _procs[op.C % _procs.Count].Process;
        var pgid = op.C % 3 == 0 ? 0 : member.Pgid;
        var (before, wanted) = (target.Pgid, pgid == 0 ? target.Pid : pgid);
        var expected = target.IsSessionLeader ? Errno.EPERM
            : !ReferenceEquals(target, caller) && target.Sid != caller.Sid ? Errno.EPERM
            : !ReferenceEquals(target, caller) && !target.ForkNoExec ? Errno.EACCES
            : wanted != target.Pid && _procs.All(e => e.Process.Pgid != wanted || e.Process.Sid != caller.Sid) ? Errno.EPERM
            : Errno.None;
        var result = Machine.Setpgid(caller, ReferenceEquals(target, caller) ? 0 : target.Pid, pgid);
        Assert.Equal(expected, result.Error);
        Assert.Equal(result.IsOk ? wanted : before, target.Pgid);
    }

    private void Setsid(Process caller)
    {
        JobCounts = JobCounts with { Calls = JobCounts.Calls + 1 };
        var expected = caller.IsSessionLeader || _procs.Any(e => e.Process.Pgid == caller.Pid) ? Errno.EPERM : Errno.None;
        var (pgid, sid) = (caller.Pgid, caller.Sid);
        var result = Machine.Setsid(caller);
        Assert.Equal(expected, result.Error);
        Assert.Equal(result.IsOk ? (caller.Pid, caller.Pid) : (pgid, sid), (caller.Pgid, caller.Sid));
    }

    /// <summary>kill(pid, sig) with pid a process, 0, -pgid of a member, or -1. Every process here has the same uid,
    /// so every signal is permitted and every call succeeds; the targets' states say whether it arrived.</summary>
    private void Kill(Process caller, Op op)
    {
        JobCounts = JobCounts with { Calls = JobCounts.Calls + 1 };
        // The controller exists before any kill(-1), so that one always has someone to signal.
        _ = Controller;
        var signal = KillSignals[op.C % KillSignals.Length];
        var victim = _procs[op.B / 4 % _procs.Count].Process;
        var mode = op.B % 4;
        if (signal == Signals.SigTerm && (mode != 0 || ReferenceEquals(victim, caller) || _procs.Count < 2))
        {
            signal = Signals.SigStop;
        }

        // kill(-1) never stops anyone here: it would stop the controller too.
        if (mode == 3 && signal == Signals.SigStop)
        {
            signal = Signals.SigCont;
        }

        var (pid, targets) = mode switch
        {
            0 => (victim.Pid, [victim]),
            1 => (0, _procs.Select(static e => e.Process).Where(p => p.Pgid == caller.Pgid).ToList()),
            2 => (-victim.Pgid, _procs.Select(static e => e.Process).Where(p => p.Pgid == victim.Pgid).ToList()),
            _ => (-1, _procs.Select(static e => e.Process).Where(p => p.Pid > 1 && !ReferenceEquals(p, caller)).ToList()),
        };
        if (mode == 2 && victim.Pgid <= 1)
        {
            // -0 is the caller's own group and -1 is everyone: group 0 or 1 is reached through the caller's group.
            (pid, targets) = (0, _procs.Select(static e => e.Process).Where(p => p.Pgid == caller.Pgid).ToList());
            if (signal == Signals.SigTerm)
            {
                signal = Signals.SigStop;
            }
        }

        var untouched = _procs.Select(static e => e.Process).Where(p => !targets.Contains(p)).Select(static p => (p, p.Stopped)).ToList();
        Assert.Equal(0, Machine.Kill(caller, pid, signal).Value);
        foreach (var target in targets)
        {
            if (signal == Signals.SigStop)
            {
                Assert.True(target.Stopped, $"kill({pid}, SIGSTOP) did not stop {target}");
            }
            else if (signal == Signals.SigCont)
            {
                Assert.False(target.Stopped, $"kill({pid}, SIGCONT) did not continue {target}");
            }
            else if (signal == Signals.SigTerm)
            {
                Assert.True(target.KillPending);
            }
        }

        foreach (var (other, stopped) in untouched)
        {
            Assert.Equal(stopped, other.Stopped);
            Assert.False(other.KillPending);
        }

        if (signal == Signals.SigTerm)
        {
            Bury(victim);
        }
    }
}
