using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>
/// The task that raises a non-cooperative event sleeps until the monitor reads it (userfaultfd_event_wait_completion,
/// 6.18): it does not run meanwhile, and releasing the userfaultfd or dying ends the wait.
/// </summary>
public sealed class UffdEventWaitTests
{
    private const UffdFeatures AllEvents = UffdFeatures.EventFork | UffdFeatures.EventRemap | UffdFeatures.EventRemove | UffdFeatures.EventUnmap;

    private static (Machine M, Process P, Process Monitor, int Fd, ulong At) Setup() => Setup(out _);

    private static (Machine M, Process P, Process Monitor, int Fd, ulong At) Setup(out int own)
    {
        var m = New();
        var p = m.Root("target");
        var at = p.MapAnon(8);
        p.Fill(at, 8, 100);
        own = m.OpenUffd(p, AllEvents);
        m.Register(p, own, at, 8, UffdRegisterMode.Missing);
        var monitor = m.Root("monitor");
        var fd = m.PidfdGetfd(monitor, m.PidfdOpen(monitor, new Pid(p.Pid), 0).Value, own, 0).Value;
        return (m, p, monitor, fd, at);
    }

    [Fact]
    public void Munmap_of_a_registered_range_blocks_the_task_until_the_unmap_event_is_read()
    {
        var (m, p, monitor, fd, at) = Setup();
        Assert.Equal(0, p.Munmap(at + (7 * P), P).Value);
        Assert.True(p.WaitsOnUffd);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at).Error);
        Assert.Equal(UffdEventType.Unmap, m.ReadMessage(monitor, fd).Event);
        Assert.False(p.WaitsOnUffd);
        Assert.Equal(100UL, p.Load(at).Value);
    }

    [Fact]
    public void Each_event_must_be_read_before_the_task_runs_again()
    {
        var (m, p, monitor, fd, at) = Setup();
        p.Madvise(at, P, Advice.DontNeed);
        p.Munmap(at + (6 * P), P);
        Assert.Equal(2, p.UffdEventsUnread);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(monitor, fd).Event);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at + P).Error);
        Assert.Equal(UffdEventType.Unmap, m.ReadMessage(monitor, fd).Event);
        Assert.Equal(101UL, p.Load(at + P).Value);
    }

    [Fact]
    public void Mremap_moving_a_registered_range_waits_for_the_remap_event()
    {
        var (m, p, monitor, fd, at) = Setup();
        var moved = p.Mremap(at, 2 * P, 2 * P, MremapFlags.MayMove | MremapFlags.Fixed, at + (64 * P)).Value;
        Assert.True(p.WaitsOnUffd);
        Assert.Equal(UffdMessage.Remap(at, moved, 2 * P), m.ReadMessage(monitor, fd));
        // The old range is unmapped too (its VMA kept the registration): that UNMAP must be read as well.
        Assert.True(p.WaitsOnUffd);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(moved).Error);
        Assert.Equal(UffdMessage.Unmap(at, at + (2 * P)), m.ReadMessage(monitor, fd));
        Assert.Equal(100UL, p.Load(moved).Value);
    }

    [Fact]
    public void Fork_waits_until_the_fork_event_is_read()
    {
        var (m, p, monitor, fd, at) = Setup();
        var child = m.Fork(p).Value;
        Assert.True(p.WaitsOnUffd);
        Assert.False(child.WaitsOnUffd);
        Assert.Equal(UffdEventType.Fork, m.ReadMessage(monitor, fd).Event);
        Assert.Equal(100UL, p.Load(at).Value);
    }

    [Fact]
    public void A_fatal_signal_to_the_forking_task_drops_its_fork_event_and_releases_the_childs_userfaultfd()
    {
        // userfaultfd_event_wait_completion: a fatal signal takes the FORK event off the queue and releases the new
        // context (userfaultfd_release_new), so the monitor never sees the child and the child's VMAs are unregistered.
        var (m, p, monitor, fd, at) = Setup();
        var child = m.Fork(p).Value;
        Assert.True(p.WaitsOnUffd);
        Assert.NotNull(child.Mm!.Vmas.Find(at)!.Uffd);
        Assert.Equal(0, m.Kill(monitor, p.Pid, Signals.SigKill).Value);
        Assert.False(p.WaitsOnUffd);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, fd).Error);
        Assert.Null(child.Mm.Vmas.Find(at)!.Uffd);
        Assert.Equal(100UL, child.Load(at).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void Without_the_feature_nothing_is_queued_and_nothing_waits()
    {
        var m = New();
        var p = m.Root();
        var at = p.MapAnon(4);
        var fd = m.OpenUffd(p, UffdFeatures.EventRemove);
        m.Register(p, fd, at, 4, UffdRegisterMode.Missing);
        p.Munmap(at + (3 * P), P);
        Assert.False(p.WaitsOnUffd);
    }

    [Fact]
    public void Closing_the_last_userfaultfd_or_a_fatal_exit_ends_the_wait()
    {
        var (m, p, monitor, fd, at) = Setup(out var own);
        p.Munmap(at + (7 * P), P);
        Assert.True(p.WaitsOnUffd);
        Assert.True(m.Close(monitor, fd).IsOk);
        Assert.True(p.WaitsOnUffd);
        Assert.True(m.Close(p, own).IsOk);
        Assert.False(p.WaitsOnUffd);
        Assert.Equal(100UL, p.Load(at).Value);

        var (m2, p2, _, _, at2) = Setup();
        p2.Munmap(at2 + (7 * P), P);
        m2.Exit(p2);
        Assert.Equal(0, p2.UffdEventsUnread);
        m2.CheckInvariants();
    }
}
