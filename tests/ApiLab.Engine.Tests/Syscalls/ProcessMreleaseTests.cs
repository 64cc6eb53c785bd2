using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Syscalls;

/// <summary>process_mrelease(2) (5.15) and the SIGKILL it needs first (PROPOSALS.md §2.2, design D of seed 001).</summary>
public sealed class ProcessMreleaseTests
{
    private static (Machine M, Process Manager, Process Victim, Pidfd Fd, ulong Heap, ulong Shared) Setup()
    {
        var m = New();
        var manager = m.User();
        var victim = m.User();
        var heap = victim.MapAnon(8);
        victim.Fill(heap, 8, 1);
        var shared = victim.MapAnon(2, MapFlags.Shared);
        victim.Fill(shared, 2, 50);
        return (m, manager, victim, m.PidfdOpen(manager, new Pid(victim.Pid), 0).Value, heap, shared);
    }

    [Fact]
    public void A_killed_process_has_its_private_memory_freed_before_it_runs_its_exit()
    {
        var (m, manager, victim, fd, _, _) = Setup();
        Assert.True(m.PidfdSendSignal(manager, fd, Machine.SigKill, 0).IsOk);
        Assert.True(victim.KillPending);
        var flushes = m.Stats.TlbFlushes;
        Assert.True(m.ProcessMrelease(manager, fd, 0).IsOk);
        Assert.Equal(0, victim.Mm!.RssAnon);
        Assert.Equal(0, victim.Mm.MemcgCharged);
        Assert.Equal(flushes + 1, m.Stats.TlbFlushes);
        // The VMAs stay until exit_mmap; a second call finds nothing more to do and succeeds.
        Assert.Equal(2, victim.Mm.Vmas.Count);
        Assert.True(m.ProcessMrelease(manager, fd, 0).IsOk);
    }

    [Fact]
    public void Shared_memory_is_left_to_its_other_users()
    {
        var (m, manager, victim, fd, _, shared) = Setup();
        var sibling = m.Fork(victim).Value;
        m.PidfdSendSignal(manager, fd, Machine.SigKill, 0);
        m.ProcessMrelease(manager, fd, 0);
        Assert.Equal(51UL, sibling.Load(shared + P).Value);
        Assert.Equal(2, victim.Mm!.RssShmem);
    }

    [Fact]
    public void A_process_that_is_not_dying_is_einval_and_keeps_everything()
    {
        var (m, manager, victim, fd, heap, _) = Setup();
        Assert.Equal(Errno.EINVAL, m.ProcessMrelease(manager, fd, 0).Error);
        Assert.Equal(8, victim.Mm!.RssAnon);
        Assert.Equal(3UL, victim.Load(heap + (2 * P)).Value);
    }

    [Fact]
    public void Errors_come_in_the_kernels_order()
    {
        var (m, manager, victim, fd, _, _) = Setup();
        Assert.Equal(Errno.EINVAL, m.ProcessMrelease(manager, new Pidfd(99), 1).Error);
        Assert.Equal(Errno.EBADF, m.ProcessMrelease(manager, new Pidfd(99), 0).Error);
        m.PidfdSendSignal(manager, fd, Machine.SigKill, 0);
        m.Exit(victim);
        Assert.Equal(Errno.ESRCH, m.ProcessMrelease(manager, fd, 0).Error);
        m.Reap(victim);
        Assert.Equal(Errno.ESRCH, m.ProcessMrelease(manager, fd, 0).Error);
    }

    [Fact]
    public void Killing_needs_a_matching_uid_or_cap_kill()
    {
        var m = New();
        var other = m.User(2000);
        var victim = m.User(1000);
        var fd = m.PidfdOpen(other, new Pid(victim.Pid), 0).Value;
        Assert.Equal(Errno.EPERM, m.PidfdSendSignal(other, fd, Machine.SigKill, 0).Error);
        Assert.False(victim.KillPending);
        Assert.Equal(Errno.EPERM, m.PidfdSendSignal(other, fd, Signals.SigTerm, 0).Error);
        Assert.Equal(Errno.EINVAL, m.PidfdSendSignal(other, fd, Machine.SigKill, 8).Error);
        var root = m.Spawn(Credentials.Root, "root").Value;
        var rootFd = m.PidfdOpen(root, new Pid(victim.Pid), 0).Value;
        Assert.True(m.PidfdSendSignal(root, rootFd, 0, 0).IsOk);
        Assert.False(victim.KillPending);
        Assert.True(m.PidfdSendSignal(root, rootFd, Machine.SigKill, 0).IsOk);
        Assert.True(victim.KillPending);
    }
}
