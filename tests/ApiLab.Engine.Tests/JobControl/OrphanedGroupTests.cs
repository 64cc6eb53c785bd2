using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.JobControl;

/// <summary>An exit that orphans a process group with stopped members sends the group SIGHUP then SIGCONT (POSIX;
/// kernel/exit.c kill_orphaned_pgrp): the shell that could have continued the stopped job is gone.</summary>
public sealed class OrphanedGroupTests
{
    /// <summary>A login shell (session and group leader) with a job in its own group: leader J and its child M.</summary>
    private static (Machine M, Process Shell, Process Leader, Process Member) Job()
    {
        var m = New();
        var shell = m.User();
        Assert.Equal(shell.Pid, m.Setsid(shell).Value);
        var leader = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(shell, leader.Pid, leader.Pid).Value);
        var member = m.Fork(leader).Value;
        return (m, shell, leader, member);
    }

    [Fact]
    public void The_shell_exiting_orphans_its_stopped_job_which_is_hung_up_and_continued()
    {
        var (m, shell, leader, member) = Job();
        Assert.Equal(0, m.Kill(shell, -leader.Pid, Signals.SigStop).Value);
        Assert.True(member.Stopped);
        m.Exit(shell);
        Assert.False(member.Stopped);
        Assert.False(leader.Stopped);
        // SIGHUP's default action terminates them.
        Assert.True(member.KillPending);
        Assert.True(leader.KillPending);
    }

    [Fact]
    public void A_job_with_nothing_stopped_is_left_alone()
    {
        var (m, shell, leader, member) = Job();
        m.Exit(shell);
        Assert.False(member.KillPending);
        Assert.False(leader.KillPending);
    }

    [Fact]
    public void The_leader_exiting_orphans_its_own_group_when_it_was_the_link_to_the_shell()
    {
        var (m, shell, leader, member) = Job();
        Assert.Equal(0, m.Kill(shell, member.Pid, Signals.SigStop).Value);
        m.Exit(leader);
        Assert.False(member.Stopped);
        Assert.True(member.KillPending);
        Assert.False(shell.KillPending);
    }

    [Fact]
    public void A_group_another_member_still_links_to_the_session_is_not_orphaned()
    {
        var (m, shell, leader, _) = Job();
        var sibling = m.Fork(shell).Value;
        Assert.Equal(0, m.Setpgid(shell, sibling.Pid, leader.Pid).Value);
        Assert.Equal(0, m.Kill(shell, sibling.Pid, Signals.SigStop).Value);
        m.Exit(leader);
        Assert.True(sibling.Stopped);
        Assert.False(sibling.KillPending);
    }

    [Fact]
    public void A_group_in_another_session_is_not_the_exiting_parents_to_orphan()
    {
        var (m, shell, _, _) = Job();
        var daemon = m.Fork(shell).Value;
        Assert.Equal(daemon.Pid, m.Setsid(daemon).Value);
        Assert.Equal(0, m.Kill(shell, daemon.Pid, Signals.SigStop).Value);
        m.Exit(shell);
        Assert.True(daemon.Stopped);
        Assert.False(daemon.KillPending);
    }
}
