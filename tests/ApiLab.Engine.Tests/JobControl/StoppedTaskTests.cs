using ApiLab.Engine.Tests.Userfaultfd;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.JobControl;

/// <summary>
/// A stopped task does not run: after SIGSTOP neither its syscalls nor its loads and stores take effect (each returns
/// ERESTARTSYS and changes nothing: the program issues it again once continued) until SIGCONT; SIGKILL still ends it.
/// </summary>
public sealed class StoppedTaskTests
{
    [Fact]
    public void A_stopped_tasks_syscalls_do_nothing_until_sigcont()
    {
        var m = New();
        var manager = m.User();
        var p = m.User();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 7);
        Assert.Equal(0, m.Kill(manager, p.Pid, Signals.SigStop).Value);
        var syscalls = m.Stats.Syscalls;
        var layout = p.Mm!.LayoutSeq;
        Assert.Equal(Errno.ERESTARTSYS, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Munmap(at, P).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Madvise(at, 2 * P, Advice.DontNeed).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Mprotect(at, P, Prot.Read).Error);
        Assert.Equal(Errno.ERESTARTSYS, m.Fork(p).Error);
        Assert.Equal(Errno.ERESTARTSYS, m.Kill(p, manager.Pid, Signals.SigTerm).Error);
        Assert.Equal(Errno.ERESTARTSYS, m.Setsid(p).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 9).Error);
        Assert.Equal(layout, p.Mm.LayoutSeq);
        Assert.Equal(syscalls, m.Stats.Syscalls);
        Assert.False(manager.KillPending);
        Assert.Equal(0, p.Sid);
        Assert.Equal(0, m.Kill(manager, p.Pid, Signals.SigCont).Value);
        Assert.Equal(7UL, p.Load(at).Value);
        Assert.Equal(0, p.Munmap(at, P).Value);
        Assert.Equal(p.Pid, m.Setsid(p).Value);
    }

    [Fact]
    public void Every_stop_signal_stops_and_sigkill_still_kills_a_stopped_task()
    {
        foreach (var stop in new[] { Signals.SigStop, Signals.SigTstp, Signals.SigTtin, Signals.SigTtou })
        {
            var m = New();
            var manager = m.User();
            var p = m.User();
            var fd = m.PidfdOpen(manager, new Pid(p.Pid), 0).Value;
            Assert.Equal(0, m.Kill(manager, p.Pid, stop).Value);
            Assert.True(p.Stopped);
            Assert.Equal(Errno.ERESTARTSYS, m.Getpgrp(p).Error);
            // Others may still reach it.
            Assert.Equal(0, m.Getpgid(manager, p.Pid).Value);
            Assert.Equal(0, m.PidfdSendSignal(manager, fd, Signals.SigKill, 0).Value);
            Assert.False(p.Stopped);
            Assert.True(p.KillPending);
            Assert.Equal(0, m.ProcessMrelease(manager, fd, 0).Value);
            m.Exit(p);
            Assert.Equal(ProcessState.Zombie, p.State);
        }
    }

    [Fact]
    public void A_task_that_stops_itself_finishes_the_kill_and_then_does_not_run()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(0, m.Kill(p, 0, Signals.SigStop).Value);
        Assert.True(p.Stopped);
        Assert.Equal(Errno.ERESTARTSYS, m.Getsid(p, 0).Error);
        var other = m.User();
        m.Kill(other, p.Pid, Signals.SigCont);
        Assert.Equal(0, m.Getsid(p, 0).Value);
    }

    [Fact]
    public void A_stopped_monitor_does_not_resolve_faults_until_continued()
    {
        var m = New();
        var p = m.Root("target");
        var at = p.MapAnon(1);
        var fd = m.OpenUffd(p);
        m.Register(p, fd, at, 1, UffdRegisterMode.Missing);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at).Error);
        var monitor = m.Root("monitor");
        var mfd = m.PidfdGetfd(monitor, m.PidfdOpen(monitor, new Pid(p.Pid), 0).Value, fd, 0).Value;
        var killer = m.Root("killer");
        m.Kill(killer, monitor.Pid, Signals.SigStop);
        Assert.Equal(Errno.ERESTARTSYS, m.UffdRead(monitor, mfd).Error);
        Assert.Equal(Errno.ERESTARTSYS, m.UffdioZeropage(monitor, mfd, at, P, UffdZeropageMode.None, out var zeroed).Error);
        Assert.Equal(0, zeroed);
        Assert.NotNull(p.UffdWait);
        m.Kill(killer, monitor.Pid, Signals.SigCont);
        Assert.Equal(UffdEventType.Pagefault, m.ReadMessage(monitor, mfd).Event);
        Assert.True(m.UffdioZeropage(monitor, mfd, at, P, UffdZeropageMode.None, out _).IsOk);
        Assert.Equal(0UL, p.Load(at).Value);
    }
}
