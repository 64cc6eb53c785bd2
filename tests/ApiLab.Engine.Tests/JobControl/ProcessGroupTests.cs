using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.JobControl;

/// <summary>
/// setpgid / getpgid / getpgrp / setsid / getsid and kill of a group, as a program on 6.18 observes them (the errnos
/// were checked on this machine's kernel: kernel/sys.c's setpgid and ksys_setsid, kernel/signal.c's
/// kill_something_info and __kill_pgrp_info).
/// </summary>
public sealed class ProcessGroupTests
{
    [Fact]
    public void Fork_inherits_the_group_and_session_and_exec_keeps_them()
    {
        var m = New();
        var parent = m.User();
        Assert.Equal(0, m.Getpgrp(parent).Value);
        Assert.Equal(parent.Pid, m.Setsid(parent).Value);
        var child = m.Fork(parent).Value;
        Assert.Equal(parent.Pid, m.Getpgid(child, 0).Value);
        Assert.Equal(parent.Pid, m.Getsid(parent, child.Pid).Value);
        Assert.True(child.Execve(["prog"], [], new ExecOptions { Filename = "/bin/prog", StackRandomization = 0 }).IsOk);
        Assert.Equal(parent.Pid, m.Getpgid(parent, child.Pid).Value);
        Assert.Equal(parent.Pid, m.Getsid(child, 0).Value);
    }

    [Fact]
    public void Setpgid_checks_run_in_the_kernels_order_and_a_failure_changes_nothing()
    {
        var m = New();
        var shell = m.User();
        m.Setsid(shell);
        var child = m.Fork(shell).Value;
        var stranger = m.User();
        Assert.Equal(Errno.EINVAL, m.Setpgid(shell, 0, -1).Error);
        Assert.Equal(Errno.EINVAL, m.Setpgid(shell, 31999, -1).Error);
        Assert.Equal(Errno.ESRCH, m.Setpgid(shell, 31999, 0).Error);
        // pgid 0 means pid, so a negative pid fails as a negative pgid does (EINVAL, not ESRCH).
        Assert.Equal(Errno.EINVAL, m.Setpgid(shell, -5, 0).Error);
        Assert.Equal(Errno.ESRCH, m.Setpgid(shell, stranger.Pid, 0).Error);
        // No group 31999 in the caller's session; the caller's own group is its session's.
        Assert.Equal(Errno.EPERM, m.Setpgid(shell, child.Pid, 31999).Error);
        Assert.Equal(shell.Pid, child.Pgid);
        Assert.Equal(0, m.Setpgid(shell, child.Pid, child.Pid).Value);
        Assert.Equal(child.Pid, m.Getpgid(shell, child.Pid).Value);
        Assert.Equal(0, m.Setpgid(shell, child.Pid, shell.Pid).Value);
        Assert.Equal(shell.Pid, child.Pgid);
        // A session leader's group cannot change, even to its own.
        Assert.Equal(Errno.EPERM, m.Setpgid(shell, 0, 0).Error);
    }

    [Fact]
    public void A_child_in_another_session_is_eperm_and_one_that_has_execd_is_eacces()
    {
        var m = New();
        var parent = m.User();
        var leader = m.Fork(parent).Value;
        Assert.Equal(leader.Pid, m.Setsid(leader).Value);
        Assert.Equal(Errno.EPERM, m.Setpgid(parent, leader.Pid, leader.Pid).Error);
        Assert.Equal(Errno.EPERM, m.Setpgid(parent, leader.Pid, 0).Error);
        // The parent's group is in group 0's session; a group of another session is refused.
        var other = m.Fork(parent).Value;
        Assert.Equal(Errno.EPERM, m.Setpgid(parent, other.Pid, leader.Pid).Error);
        Assert.True(other.Execve(["x"], [], new ExecOptions { Filename = "/bin/x", StackRandomization = 0 }).IsOk);
        Assert.Equal(Errno.EACCES, m.Setpgid(parent, other.Pid, other.Pid).Error);
        // The child itself may still move.
        Assert.Equal(0, m.Setpgid(other, 0, 0).Value);
        Assert.Equal(other.Pid, other.Pgid);
    }

    [Fact]
    public void Setsid_refuses_a_group_leader_and_a_session_leader()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(0, m.Setpgid(p, 0, 0).Value);
        Assert.Equal(Errno.EPERM, m.Setsid(p).Error);
        Assert.Equal(0, p.Sid);
        var child = m.Fork(p).Value;
        Assert.Equal(child.Pid, m.Setsid(child).Value);
        Assert.Equal(Errno.EPERM, m.Setsid(child).Error);
        Assert.True(child.IsSessionLeader);
        Assert.Equal((child.Pid, child.Pid), (child.Pgid, child.Sid));
        // A grandchild may join a group of its session that another member leads.
        var grandchild = m.Fork(child).Value;
        Assert.Equal(0, m.Setpgid(child, grandchild.Pid, grandchild.Pid).Value);
        Assert.Equal(0, m.Setpgid(child, grandchild.Pid, child.Pid).Value);
    }

    [Fact]
    public void A_process_still_in_a_group_its_leader_left_keeps_setsid_away()
    {
        var m = New();
        var p = m.User();
        m.Setpgid(p, 0, 0);
        var child = m.Fork(p).Value;
        var other = m.Fork(p).Value;
        Assert.Equal(0, m.Setpgid(other, 0, 0).Value);
        Assert.Equal(0, m.Setpgid(p, 0, other.Pid).Value);
        // p left group p.Pid, but its child is still in it: pid_task(sid, PIDTYPE_PGID) finds it.
        Assert.Equal(p.Pid, child.Pgid);
        Assert.Equal(Errno.EPERM, m.Setsid(p).Error);
    }

    [Fact]
    public void Getpgid_and_getsid_see_zombies_until_they_are_reaped()
    {
        var m = New();
        var parent = m.User();
        var child = m.Fork(parent).Value;
        m.Setpgid(child, 0, 0);
        m.Exit(child);
        Assert.Equal(child.Pid, m.Getpgid(parent, child.Pid).Value);
        Assert.Equal(0, m.Getsid(parent, child.Pid).Value);
        Assert.Equal(0, m.Kill(parent, -child.Pid, 0).Value);
        Assert.Equal(0, m.Setpgid(parent, child.Pid, child.Pid).Value);
        m.Reap(child);
        Assert.Equal(Errno.ESRCH, m.Getpgid(parent, child.Pid).Error);
        Assert.Equal(Errno.ESRCH, m.Getsid(parent, -1).Error);
        Assert.Equal(Errno.ESRCH, m.Kill(parent, -child.Pid, 0).Error);
    }

    [Fact]
    public void A_group_keeps_its_number_from_being_reused_after_its_leader_is_reaped()
    {
        var m = New(pidMax: 320);
        var parent = m.User();
        Churn(m, parent, 300);
        var leader = m.Fork(parent).Value;
        m.Setpgid(leader, 0, 0);
        var member = m.Fork(leader).Value;
        m.Exit(leader);
        m.Reap(leader);
        // Past pid_max allocation wraps to 300: every free number comes round again, but not the live group's.
        var whileGroupLives = Churn(m, parent, 40);
        Assert.Contains(PidAllocator.ReservedPids, whileGroupLives);
        Assert.DoesNotContain(leader.Pid, whileGroupLives);
        Assert.Equal(0, m.Kill(parent, -leader.Pid, 0).Value);
        m.Exit(member);
        m.Reap(member);
        Assert.Contains(leader.Pid, Churn(m, parent, 40));
    }

    /// <summary>Forks and reaps <paramref name="count"/> children; returns their pids.</summary>
    private static List<int> Churn(Machine m, Process parent, int count)
    {
        var pids = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var child = m.Fork(parent).Value;
            pids.Add(child.Pid);
            m.Exit(child);
            m.Reap(child);
        }

        return pids;
    }

    [Fact]
    public void Kill_zero_and_kill_minus_pgid_signal_every_member_including_the_caller()
    {
        var m = New();
        var shell = m.User();
        var job = m.Fork(shell).Value;
        m.Setpgid(shell, job.Pid, job.Pid);
        var second = m.Fork(job).Value;
        var outside = m.Fork(shell).Value;
        Assert.Equal(job.Pid, second.Pgid);
        Assert.Equal(0, m.Kill(shell, -job.Pid, Signals.SigStop).Value);
        Assert.True(job.Stopped && second.Stopped);
        Assert.False(outside.Stopped || shell.Stopped);
        Assert.Equal(0, m.Kill(shell, -job.Pid, Signals.SigCont).Value);
        Assert.False(job.Stopped || second.Stopped);
        Assert.Equal(0, m.Kill(second, 0, Signals.SigTerm).Value);
        Assert.True(job.KillPending && second.KillPending);
        Assert.False(outside.KillPending || shell.KillPending);
    }

    [Fact]
    public void Kill_of_a_group_succeeds_if_any_member_was_signalled_else_gives_the_last_error()
    {
        var m = New();
        var owner = m.User(1000);
        var leader = m.Fork(owner).Value;
        m.Setpgid(leader, 0, 0);
        var foreign = m.Fork(leader).Value;
        foreign.Credentials = Credentials.User(2000);
        var stranger = m.User(2000);
        var theirs = m.User(3000);
        Assert.Equal(0, m.Kill(stranger, -leader.Pid, Signals.SigTerm).Value);
        Assert.True(foreign.KillPending);
        Assert.False(leader.KillPending);
        Assert.Equal(Errno.EPERM, m.Kill(theirs, -leader.Pid, Signals.SigTerm).Error);
        Assert.Equal(Errno.EINVAL, m.Kill(owner, -leader.Pid, 65).Error);
        Assert.Equal(Errno.ESRCH, m.Kill(owner, -31999, 0).Error);
        Assert.Equal(Errno.ESRCH, m.Kill(owner, int.MinValue, 0).Error);
    }

    [Fact]
    public void Sigcont_across_uids_is_allowed_only_within_the_callers_session()
    {
        var m = New();
        var target = m.User(1000);
        var sameSession = m.User(2000);
        var parent = m.User(2000);
        var otherSession = m.Fork(parent).Value;
        m.Setsid(otherSession);
        m.Kill(target, target.Pid, Signals.SigStop);
        Assert.Equal(Errno.EPERM, m.Kill(otherSession, target.Pid, Signals.SigCont).Error);
        Assert.True(target.Stopped);
        Assert.Equal(0, m.Kill(sameSession, target.Pid, Signals.SigCont).Value);
        Assert.False(target.Stopped);
    }

    [Fact]
    public void Kill_minus_one_refused_everywhere_still_returns_zero()
    {
        var m = New();
        var self = m.User(65534);
        var root = m.Spawn(Credentials.Root, "root").Value;
        Assert.Equal(0, m.Kill(self, -1, 0).Value);
        Assert.Equal(0, m.Kill(self, -1, Signals.SigTerm).Value);
        Assert.False(root.KillPending);
        Assert.Equal(Errno.EINVAL, m.Kill(self, -1, 65).Error);
    }
}
