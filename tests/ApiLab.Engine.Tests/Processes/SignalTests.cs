using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Processes;

/// <summary>kill(2) and pidfd_send_signal(2) with default actions, as a program on 6.18 observes them.</summary>
public sealed class SignalTests
{
    [Fact]
    public void Signal_zero_probes_existence_and_permission_without_delivering_anything()
    {
        var m = New();
        var a = m.User(1000);
        var b = m.User(1000);
        var stranger = m.User(2000);
        Assert.Equal(0, m.Kill(a, b.Pid, 0).Value);
        Assert.Equal(Errno.EPERM, m.Kill(stranger, b.Pid, 0).Error);
        Assert.Equal(Errno.ESRCH, m.Kill(a, 31999, 0).Error);
        Assert.False(b.KillPending);
        m.Exit(b);
        Assert.Equal(0, m.Kill(a, b.Pid, 0).Value);
        m.Reap(b);
        Assert.Equal(Errno.ESRCH, m.Kill(a, b.Pid, 0).Error);
    }

    [Fact]
    public void Invalid_signals_are_einval_but_a_missing_process_is_esrch_first()
    {
        var m = New();
        var a = m.User();
        var b = m.User();
        Assert.Equal(Errno.EINVAL, m.Kill(a, b.Pid, 65).Error);
        Assert.Equal(Errno.EINVAL, m.Kill(a, b.Pid, -1).Error);
        Assert.Equal(Errno.ESRCH, m.Kill(a, 31999, 65).Error);
        var fd = m.PidfdOpen(a, new Pid(b.Pid), 0).Value;
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(a, fd, 65, 0).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(a, fd, Signals.SigTerm, 1 | 2).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(a, fd, Signals.SigTerm, 0x10).Error);
        Assert.False(b.KillPending);
    }

    [Fact]
    public void Sigterm_with_no_handler_is_fatal_like_sigkill_so_process_mrelease_may_reap()
    {
        var m = New();
        var manager = m.User();
        var victim = m.User();
        victim.Fill(victim.MapAnon(4), 4, 1);
        var fd = m.PidfdOpen(manager, new Pid(victim.Pid), 0).Value;
        Assert.Equal(Errno.EINVAL, m.ProcessMrelease(manager, fd, 0).Error);
        Assert.Equal(0, m.PidfdSendSignal(manager, fd, Signals.SigTerm, 0).Value);
        Assert.True(victim.KillPending);
        Assert.Equal(0, m.ProcessMrelease(manager, fd, 0).Value);
        Assert.Equal(0, victim.Mm!.RssAnon);
    }

    [Fact]
    public void Default_ignored_signals_change_nothing()
    {
        var m = New();
        var a = m.User();
        var b = m.User();
        foreach (var signal in new[] { Signals.SigChld, Signals.SigUrg, Signals.SigWinch })
        {
            Assert.Equal(0, m.Kill(a, b.Pid, signal).Value);
        }

        Assert.False(b.KillPending);
        Assert.False(b.Stopped);
    }

    [Fact]
    public void Sigstop_stops_the_task_until_sigcont_and_others_can_still_reach_its_memory()
    {
        var m = New();
        var a = m.User();
        var b = m.User();
        var at = b.MapAnon(1);
        b.Store(at, 5);
        Assert.Equal(0, m.Kill(a, b.Pid, Signals.SigStop).Value);
        Assert.True(b.Stopped);
        Assert.Equal(Errno.ERESTARTSYS, b.Load(at).Error);
        Assert.Equal(Errno.ERESTARTSYS, b.Store(at, 6).Error);
        var local = a.MapAnon(1);
        Assert.Equal(8L, m.ProcessVmReadv(a, new Pid(b.Pid), [new IoVec(local, 8)], [new IoVec(at, 8)], 0).Value);
        Assert.Equal(5UL, a.Load(local).Value);
        Assert.Equal(0, m.Kill(a, b.Pid, Signals.SigCont).Value);
        Assert.False(b.Stopped);
        Assert.Equal(5UL, b.Load(at).Value);
    }

    [Fact]
    public void A_fatal_signal_wakes_a_stopped_task_to_die_and_a_dying_task_does_not_stop()
    {
        var m = New();
        var a = m.User();
        var b = m.User();
        m.Kill(a, b.Pid, Signals.SigStop);
        Assert.Equal(0, m.Kill(a, b.Pid, Signals.SigKill).Value);
        Assert.True(b.KillPending);
        Assert.False(b.Stopped);
        m.Kill(a, b.Pid, Signals.SigStop);
        Assert.False(b.Stopped);
    }

    [Fact]
    public void Permission_follows_kill_ok_by_cred_and_cap_kill_and_sigcont_is_allowed_in_the_session()
    {
        var m = New();
        var target = m.User(1000);
        var stranger = m.User(2000);
        Assert.Equal(Errno.EPERM, m.Kill(stranger, target.Pid, Signals.SigStop).Error);
        Assert.False(target.Stopped);
        stranger.Credentials = stranger.Credentials.With(Capability.Kill);
        Assert.Equal(0, m.Kill(stranger, target.Pid, Signals.SigStop).Value);
        Assert.True(target.Stopped);
        var other = m.User(3000);
        Assert.Equal(0, m.Kill(other, target.Pid, Signals.SigCont).Value);
        Assert.False(target.Stopped);
        Assert.Equal(Errno.EPERM, m.Kill(other, target.Pid, Signals.SigTerm).Error);
    }

    [Fact]
    public void Kill_minus_one_signals_every_process_it_may_except_itself()
    {
        var m = New();
        var self = m.User(1000);
        var mine = m.User(1000);
        var theirs = m.User(2000);
        Assert.Equal(0, m.Kill(self, -1, Signals.SigTerm).Value);
        Assert.True(mine.KillPending);
        Assert.False(theirs.KillPending);
        Assert.False(self.KillPending);
        var alone = New();
        var only = alone.User();
        Assert.Equal(Errno.ESRCH, alone.Kill(only, -1, 0).Error);
    }
}
