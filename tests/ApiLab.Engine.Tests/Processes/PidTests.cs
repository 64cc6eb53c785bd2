using ApiLab.Engine.Tests.Support;

namespace ApiLab.Engine.Tests.Processes;

/// <summary>alloc_pid's cyclic allocation and what a pidfd pins (kernel/pid.c, pidfd_open(2)).</summary>
public sealed class PidTests
{
    [Fact]
    public void Pids_are_handed_out_in_order_and_a_freed_pid_is_not_reused_before_a_wrap()
    {
        var m = TestMachine.New();
        var a = m.User();
        var b = m.User();
        m.Reap(a);
        var c = m.User();
        Assert.Equal(1, a.Pid);
        Assert.Equal(2, b.Pid);
        Assert.Equal(3, c.Pid);
    }

    [Fact]
    public void After_pid_max_allocation_wraps_to_reserved_pids_and_reuses_a_freed_number()
    {
        var m = TestMachine.New(pidMax: 310);
        var all = Enumerable.Range(0, 309).Select(_ => m.User()).ToList();
        Assert.Equal(309, all[^1].Pid);
        Assert.Equal(Errno.EAGAIN, m.Spawn(Credentials.User(1), "x").Error);

        var victim = all.Single(p => p.Pid == 305);
        m.Reap(victim);
        var newcomer = m.User(comm: "newcomer");
        Assert.Equal(305, newcomer.Pid);
        Assert.NotEqual(victim.Identity, newcomer.Identity);
    }

    [Fact]
    public void A_raw_pid_reaches_whoever_holds_the_number_now_but_a_pidfd_keeps_naming_the_old_process()
    {
        var m = TestMachine.New(pidMax: 302);
        var manager = m.User(comm: "manager");
        while (m.Pids.InUse(299) is false)
        {
            m.User(comm: "filler");
        }

        var target = m.User(comm: "target");
        m.User(comm: "filler");
        var pidfd = m.PidfdOpen(manager, new Pid(target.Pid), 0).Value;

        m.Reap(target);
        var reuser = m.User(comm: "reuser");
        Assert.Equal(300, target.Pid);
        Assert.Equal(target.Pid, reuser.Pid);

        Assert.Same(reuser, m.ResolvePid(manager, new Pid(target.Pid)).Value);
        Assert.Equal(Errno.ESRCH, m.ResolvePidfd(manager, pidfd).Error);
    }

    [Fact]
    public void A_zombie_can_still_be_opened_and_resolved_but_has_no_mm()
    {
        var m = TestMachine.New();
        var manager = m.User();
        var target = m.User();
        m.Exit(target);
        var pidfd = m.PidfdOpen(manager, new Pid(target.Pid), 0);
        Assert.True(pidfd.IsOk);
        Assert.Same(target, m.ResolvePidfd(manager, pidfd.Value).Value);
        Assert.Null(target.Mm);
        Assert.Equal(ProcessState.Zombie, target.State);
    }

    [Fact]
    public void Pidfd_open_checks_flags_and_pid_before_looking_the_pid_up()
    {
        var m = TestMachine.New();
        var caller = m.User();
        Assert.Equal(Errno.EINVAL, m.PidfdOpen(caller, new Pid(caller.Pid), 0x1).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdOpen(caller, new Pid(0), 0).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdOpen(caller, new Pid(-5), 0).Error);
        Assert.Equal(Errno.ESRCH, m.PidfdOpen(caller, new Pid(4242), 0).Error);
        Assert.True(m.PidfdOpen(caller, new Pid(caller.Pid), Machine.PidfdNonBlock).IsOk);
    }

    [Fact]
    public void Fds_take_the_lowest_free_number_and_a_closed_or_foreign_fd_is_ebadf()
    {
        var m = TestMachine.New();
        var caller = m.User();
        var other = m.User();
        var first = m.PidfdOpen(caller, new Pid(other.Pid), 0).Value;
        var second = m.PidfdOpen(caller, new Pid(other.Pid), 0).Value;
        Assert.Equal(0, first.Fd);
        Assert.Equal(1, second.Fd);

        Assert.True(m.Close(caller, first.Fd).IsOk);
        Assert.Equal(Errno.EBADF, m.Close(caller, first.Fd).Error);
        Assert.Equal(Errno.EBADF, m.ResolvePidfd(caller, first).Error);
        Assert.Equal(0, m.PidfdOpen(caller, new Pid(other.Pid), 0).Value.Fd);
    }

    [Fact]
    public void Pidfd_self_names_the_caller_without_any_fd()
    {
        var m = TestMachine.New();
        var caller = m.User();
        Assert.Same(caller, m.ResolvePidfd(caller, Pidfd.Self).Value);
        Assert.Same(caller, m.ResolvePidfd(caller, Pidfd.SelfProcess).Value);
    }

    [Fact]
    public void Exit_frees_every_frame_and_swap_slot_at_once()
    {
        var m = TestMachine.New(frames: 64, swapSlots: 64);
        var p = m.User();
        var heap = p.MapAnon(16);
        p.Fill(heap, 16, 1);
        Assert.True(p.Madvise(heap, 8 * TestMachine.P, Advice.PageOut).IsOk);
        Assert.Equal(8, m.Frames.UsedCount);
        Assert.Equal(8, m.Swap.UsedSlots);

        m.Exit(p);
        Assert.Equal(0, m.Frames.UsedCount);
        Assert.Equal(0, m.Swap.UsedSlots);
        m.CheckInvariants();
    }
}
