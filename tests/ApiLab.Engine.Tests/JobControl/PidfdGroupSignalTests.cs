using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.JobControl;

/// <summary>pidfd_send_signal(PIDFD_SIGNAL_PROCESS_GROUP) (6.9, kernel/signal.c do_pidfd_send_signal →
/// kill_pgrp_info): the group whose id is the pidfd's pid.</summary>
public sealed class PidfdGroupSignalTests
{
    [Fact]
    public void A_group_leaders_pidfd_signals_its_whole_group_and_nobody_else()
    {
        var m = New();
        var shell = m.User();
        var leader = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(leader, 0, 0).Value);
        var member = m.Fork(leader).Value;
        var outsider = m.Fork(shell).Value;
        var fd = m.PidfdOpen(shell, new Pid(leader.Pid), 0).Value;
        Assert.Equal(0, m.PidfdSendSignal(shell, fd, Signals.SigStop, Machine.PidfdSignalProcessGroup).Value);
        Assert.True(leader.Stopped);
        Assert.True(member.Stopped);
        Assert.False(outsider.Stopped);
        Assert.False(shell.Stopped);
    }

    [Fact]
    public void A_member_that_leads_no_group_names_an_empty_group_esrch()
    {
        var m = New();
        var shell = m.User();
        var leader = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(leader, 0, 0).Value);
        var member = m.Fork(leader).Value;
        var fd = m.PidfdOpen(shell, new Pid(member.Pid), 0).Value;
        Assert.Equal(Errno.ESRCH, m.PidfdSendSignal(shell, fd, Signals.SigStop, Machine.PidfdSignalProcessGroup).Error);
        Assert.False(member.Stopped);
        Assert.False(leader.Stopped);
    }

    [Fact]
    public void The_group_outlives_its_reaped_leader_and_the_pidfd_still_reaches_it()
    {
        var m = New();
        var shell = m.User();
        var leader = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(leader, 0, 0).Value);
        var member = m.Fork(leader).Value;
        var fd = m.PidfdOpen(shell, new Pid(leader.Pid), 0).Value;
        m.Reap(leader);
        Assert.Equal(Errno.ESRCH, m.PidfdSendSignal(shell, fd, 0, 0).Error);
        Assert.Equal(0, m.PidfdSendSignal(shell, fd, Signals.SigStop, Machine.PidfdSignalProcessGroup).Value);
        Assert.True(member.Stopped);
    }

    [Fact]
    public void Permission_and_signal_checks_are_per_member_and_a_bad_fd_is_ebadf()
    {
        var m = New();
        var shell = m.User();
        var leader = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(leader, 0, 0).Value);
        var stranger = m.User(uid: 2000);
        var fd = m.PidfdOpen(shell, new Pid(leader.Pid), 0).Value;
        var strangerFd = m.PidfdOpen(stranger, new Pid(leader.Pid), 0).Value;
        Assert.Equal(Errno.EPERM, m.PidfdSendSignal(stranger, strangerFd, Signals.SigStop, Machine.PidfdSignalProcessGroup).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(shell, fd, 65, Machine.PidfdSignalProcessGroup).Error);
        Assert.Equal(Errno.EBADF, m.PidfdSendSignal(shell, new Pidfd(99), Signals.SigStop, Machine.PidfdSignalProcessGroup).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(shell, fd, Signals.SigStop, Machine.PidfdSignalProcessGroup | 1).Error);
        Assert.False(leader.Stopped);
    }
}
