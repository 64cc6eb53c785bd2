using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>
/// UFFD_EVENT_REMOVE comes before the zap (6.18: madvise_dontneed_free and madvise_remove call userfaultfd_remove,
/// which queues the event and waits in userfaultfd_event_wait_completion; only then are the pages zapped). So the
/// pages stay present, with their data, until the monitor has read the event; the read (or the release of the
/// userfaultfd, or a fatal signal to the waiting caller) lets the zap run.
/// </summary>
public sealed class UffdRemoveOrderTests
{
    private static (Machine M, Process Target, Process Manager, int Fd, ulong At) Setup(UffdRegisterMode mode = UffdRegisterMode.Missing)
    {
        var m = New();
        var target = m.Root("target");
        var at = target.MapAnon(4);
        target.Fill(at, 4, 100);
        var fd = m.OpenUffd(target, UffdFeatures.EventRemove);
        m.Register(target, fd, at, 4, mode);
        var manager = m.Root("manager");
        return (m, target, manager, fd, at);
    }

    /// <summary>The manager zaps the target's pages as a remote-zap design does: its syscall raises the event, so the
    /// manager is the task that waits, and the target keeps running.</summary>
    private static void RemoteDontneed(Machine m, Process manager, Process target, ulong start, int pages)
    {
        using var scope = m.EnterSyscall(manager, "process_madvise");
        Assert.True(target.Mm!.Madvise(start, (ulong)pages * P, Advice.DontNeed).IsOk);
    }

    [Fact]
    public void The_pages_stay_present_until_the_monitor_reads_the_remove_event()
    {
        var (m, target, manager, fd, at) = Setup();
        var local = manager.MapAnon(1);
        Assert.Equal(0, target.Madvise(at, 2 * P, Advice.DontNeed).Value);
        Assert.Equal(4, target.Mm!.RssAnon);
        Assert.Equal((long)P, m.ProcessVmReadv(manager, new Pid(target.Pid), [new IoVec(local, P)], [new IoVec(at, P)], 0).Value);
        Assert.Equal(100UL, manager.Load(local).Value);
        var flushes = m.Stats.TlbFlushes;
        Assert.Equal(UffdMessage.Remove(at, at + (2 * P)), m.ReadMessage(target, fd));
        Assert.Equal(2, target.Mm.RssAnon);
        Assert.True(m.Stats.TlbFlushes > flushes);
        Assert.Equal(102UL, target.Load(at + (2 * P)).Value);
        // Zapped now: the next access there is a MISSING fault.
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
    }

    [Fact]
    public void A_store_by_the_target_between_event_and_read_lands_in_the_old_page_and_is_zapped_with_it()
    {
        var (m, target, manager, fd, at) = Setup();
        RemoteDontneed(m, manager, target, at, 1);
        Assert.Equal(1, manager.UffdEventsUnread);
        Assert.False(target.WaitsOnUffd);
        Assert.Equal(100UL, target.Load(at).Value);
        Assert.Equal(555UL, target.Store(at, 555).Value);
        Assert.Equal(555UL, target.Load(at).Value);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(target, fd).Event);
        Assert.Equal(0, manager.UffdEventsUnread);
        Assert.Equal(3, target.Mm!.RssAnon);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
    }

    [Fact]
    public void Madv_free_marks_pages_lazy_only_after_the_read()
    {
        var (m, target, _, fd, at) = Setup();
        Assert.Equal(0, target.Madvise(at, P, Advice.Free).Value);
        var frame = Pte.Index(target.Mm!.PageTable.Get(Page.ToVpn(at)));
        Assert.Equal(FrameFlags.None, m.Frames.Flags(frame) & FrameFlags.LazyFree);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(target, fd).Event);
        Assert.Equal(FrameFlags.LazyFree, m.Frames.Flags(frame) & FrameFlags.LazyFree);
    }

    [Fact]
    public void Madv_remove_punches_the_hole_only_after_the_read_so_other_mappings_see_the_data_until_then()
    {
        var m = New();
        var p = m.Root();
        var shared = p.MapAnon(2, MapFlags.Shared);
        p.Fill(shared, 2, 40);
        var child = m.Fork(p).Value;
        var fd = m.OpenUffd(p, UffdFeatures.EventRemove);
        m.Register(p, fd, shared, 2, UffdRegisterMode.Missing);
        Assert.Equal(0, p.Madvise(shared, 2 * P, Advice.Remove).Value);
        Assert.Equal(41UL, child.Load(shared + P).Value);
        Assert.Equal(UffdMessage.Remove(shared, shared + (2 * P)), m.ReadMessage(p, fd));
        Assert.Equal(0UL, child.Load(shared + P).Value);
    }

    [Fact]
    public void If_the_vma_went_away_before_the_read_the_deferred_zap_finds_nothing()
    {
        var (m, target, manager, fd, at) = Setup();
        RemoteDontneed(m, manager, target, at, 2);
        Assert.Equal(0, target.Munmap(at, 2 * P).Value);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(target, fd).Event);
        Assert.Equal(2, target.Mm!.RssAnon);
        m.CheckInvariants();
    }

    [Fact]
    public void A_vma_locked_before_the_read_is_revalidated_and_not_zapped()
    {
        var (m, target, manager, fd, at) = Setup();
        RemoteDontneed(m, manager, target, at, 1);
        Assert.Equal(0, target.Mlock(at, P).Value);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(target, fd).Event);
        Assert.Equal(100UL, target.Load(at).Value);
    }

    [Fact]
    public void Closing_the_userfaultfd_or_killing_the_waiting_caller_lets_the_zap_run_without_a_read()
    {
        var (m, target, manager, fd, at) = Setup();
        target.Madvise(at, P, Advice.DontNeed);
        Assert.True(m.Close(target, fd).IsOk);
        Assert.Equal(3, target.Mm!.RssAnon);
        Assert.False(target.WaitsOnUffd);

        (m, target, manager, fd, at) = Setup();
        RemoteDontneed(m, manager, target, at, 2);
        var ctx = (UserfaultfdFile)target.Fds.Get(fd)!;
        Assert.Equal(0, m.Kill(target, manager.Pid, Signals.SigKill).Value);
        // userfaultfd_event_wait_completion: a fatal signal takes the event off the queue; the caller zaps, then dies.
        Assert.Equal(0, manager.UffdEventsUnread);
        Assert.Equal(0, ctx.MmapChanging);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(target, fd).Error);
        Assert.Equal(2, target.Mm!.RssAnon);
    }

    [Fact]
    public void Without_event_remove_the_zap_is_immediate()
    {
        var m = New();
        var p = m.Root();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 1);
        var fd = m.OpenUffd(p, UffdFeatures.EventUnmap);
        m.Register(p, fd, at, 2, UffdRegisterMode.Missing);
        Assert.Equal(0, p.Madvise(at, 2 * P, Advice.DontNeed).Value);
        Assert.Equal(0, p.Mm!.RssAnon);
        Assert.False(p.WaitsOnUffd);
    }
}
