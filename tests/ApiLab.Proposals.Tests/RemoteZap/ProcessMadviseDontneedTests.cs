using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>Nadav Amit's process_madvise(MADV_DONTNEED) (seed 001_5fc4631f11fe68c2.txt) and the thread's claims about it.</summary>
public sealed class ProcessMadviseDontneedTests
{
    private const ulong P = Page.Size;

    [Fact]
    public void Seed001_nadav_b_a_vectored_zap_of_every_page_flushes_the_tlb_once()
    {
        // Nadav, 2021-09-26: "(b) it is more efficient than madvise() since it is vectored and batches TLB flushes".
        var w = new ZapWorld();
        var flushes = w.Machine.Stats.TlbFlushes;
        var syscalls = w.Machine.Stats.Syscalls;
        var result = new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, w.EachPage, Advice.DontNeed, 0);
        Assert.Equal(ZapWorld.Pages * (long)P, result.Value);
        Assert.Equal(1, w.Machine.Stats.TlbFlushes - flushes);
        Assert.Equal(1, w.Machine.Stats.Syscalls - syscalls);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        // Private anonymous memory with no userfaultfd reads back as zero-fill.
        Assert.Equal(0UL, w.Target.Load(w.PageAt(3)).Value);
    }

    [Fact]
    public void Seed001_hildenbrand_a_write_after_the_managers_read_is_lost_without_write_protect()
    {
        // Hildenbrand, 2021-09-27: "How would the target use case make sure that the target process doesn't suddenly
        // lose data?" The manager reads the page out, the target writes it, the zap throws the write away, and the
        // fault-in brings back the manager's stale copy.
        var w = new ZapWorld(uffd: true);
        w.ReadOut();
        Assert.Equal(0xbeefUL, w.Target.Store(w.PageAt(0), 0xbeef).Value);
        Assert.True(new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 0).IsOk);
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.PageAt(0)).Error);
        w.ServeOneFault();
        Assert.Equal(100UL, w.Target.Load(w.PageAt(0)).Value);
    }

    [Fact]
    public void Seed001_nadav_step_1_write_protecting_first_makes_the_write_sleep_and_survive_the_zap()
    {
        // Nadav, 2021-09-27, steps 1-4 then UFFD-COPY: the store after the read sleeps on the write-protect fault; the
        // manager zaps, copies the page back, the store is retried and lands.
        var w = new ZapWorld(uffd: true);
        var api = new ProcessMadviseDontneedAdapter(w.Manager);
        Assert.True(api.WriteProtect(w.ManagerUffd, w.WholeHeap).IsOk);
        w.ReadOut();
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Store(w.PageAt(0), 0xbeef).Error);
        Assert.True(api.Zap(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 0).IsOk);
        w.ServeOneFault();
        Assert.Equal(0xbeefUL, w.Target.Store(w.PageAt(0), 0xbeef).Value);
        Assert.Equal(0xbeefUL, w.Target.Load(w.PageAt(0)).Value);
    }

    [Fact]
    public void Seed001_hildenbrand_f47970f5_a_zap_does_not_free_pages_still_shared_after_fork()
    {
        // Hildenbrand <f47970f5-faa7-9d5f-f07a-9399e4626eda@redhat.com>: zapping does not guarantee the memory is freed
        // (COW after fork). The target's RSS drops, the frames stay, and the child still reads them.
        var w = new ZapWorld();
        var child = w.Machine.Fork(w.Target).Value;
        var frame = w.FrameAt(2);
        var used = w.Machine.Frames.UsedCount;
        Assert.True(new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 0).IsOk);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(used, w.Machine.Frames.UsedCount);
        Assert.Equal(1, w.Machine.Frames.MapCount(frame));
        Assert.Equal(102UL, child.Load(w.PageAt(2)).Value);
    }

    [Fact]
    public void Proposals_2_3_a_private_file_page_reads_back_from_the_file_and_its_cow_copy_is_lost()
    {
        var w = new ZapWorld();
        var fd = w.Machine.MemfdCreate(w.Target, "data", 0).Value;
        Assert.True(w.Machine.Ftruncate(w.Target, fd, (long)P).IsOk);
        var shared = w.Target.Mmap(0, P, Prot.ReadWrite, MapFlags.Shared, fd, 0).Value;
        w.Target.Store(shared, 0xf11e);
        var priv = w.Target.Mmap(0, P, Prot.ReadWrite, MapFlags.Private, fd, 0).Value;
        Assert.Equal(0xc0ffUL, w.Target.Store(priv, 0xc0ff).Value);
        Assert.True(new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, [new IoVec(priv, P)], Advice.DontNeed, 0).IsOk);
        Assert.Equal(0xf11eUL, w.Target.Load(priv).Value);
    }

    [Fact]
    public void A_locked_range_is_einval_unless_dontneed_locked_and_the_bytes_before_it_are_reported()
    {
        var w = new ZapWorld();
        Assert.True(w.Target.Mlock(w.PageAt(4), P).IsOk);
        var api = new ProcessMadviseDontneedAdapter(w.Manager);
        IoVec[] ranges = [new(w.PageAt(0), 2 * P), new(w.PageAt(4), P), new(w.PageAt(6), P)];
        Assert.Equal(2 * (long)P, api.Zap(w.Pidfd, ranges, Advice.DontNeed, 0).Value);
        Assert.Equal(104UL, w.Target.Load(w.PageAt(4)).Value);
        Assert.Equal(106UL, w.Target.Load(w.PageAt(6)).Value);
        Assert.Equal(Errno.EINVAL, api.Zap(w.Pidfd, [new IoVec(w.PageAt(4), P)], Advice.DontNeed, 0).Error);
        Assert.Equal((long)P, api.Zap(w.Pidfd, [new IoVec(w.PageAt(4), P)], Advice.DontNeedLocked, 0).Value);
        Assert.Equal(0UL, w.Target.Load(w.PageAt(4)).Value);
    }

    [Fact]
    public void The_zap_raises_uffd_event_remove_only_where_the_targets_userfaultfd_asked_for_it()
    {
        var with = new ZapWorld(uffd: true, features: UffdFeatures.EventRemove);
        Assert.True(new ProcessMadviseDontneedAdapter(with.Manager).Zap(with.Pidfd, [with.WholeHeap], Advice.DontNeed, 0).IsOk);
        var removed = with.Machine.UffdRead(with.Manager, with.ManagerUffd).Value;
        Assert.Equal(UffdEventType.Remove, removed.Event);
        Assert.Equal((with.Heap, with.WholeHeap.End), (removed.Start, removed.End));

        var without = new ZapWorld(uffd: true);
        Assert.True(new ProcessMadviseDontneedAdapter(without.Manager).Zap(without.Pidfd, [without.WholeHeap], Advice.DontNeed, 0).IsOk);
        Assert.Equal(Errno.EAGAIN, without.Machine.UffdRead(without.Manager, without.ManagerUffd).Error);
    }

    [Fact]
    public void Seed001_nadav_cap_sys_ptrace_is_required_on_top_of_cap_sys_nice_and_nothing_changes_without_it()
    {
        // Nadav, 2021-09-27: "I guess an additional capability, such as CAP_SYS_PTRACE needs to be required".
        var niceOnly = new ZapWorld(manager: Credentials.User(1000).With(Capability.SysNice));
        Assert.Equal(Errno.EPERM,
            new ProcessMadviseDontneedAdapter(niceOnly.Manager).Zap(niceOnly.Pidfd, [niceOnly.WholeHeap], Advice.DontNeed, 0).Error);
        Assert.Equal(ZapWorld.Pages, niceOnly.Target.Mm!.RssAnon);

        var ptraceOnly = new ZapWorld(manager: Credentials.User(1000).With(Capability.SysPtrace));
        Assert.Equal(Errno.EPERM,
            new ProcessMadviseDontneedAdapter(ptraceOnly.Manager).Zap(ptraceOnly.Pidfd, [ptraceOnly.WholeHeap], Advice.DontNeed, 0).Error);
        Assert.Equal(100UL, ptraceOnly.Target.Load(ptraceOnly.Heap).Value);
    }

    [Fact]
    public void An_unprivileged_caller_on_a_foreign_uid_is_eacces_and_nothing_changes()
    {
        var w = new ZapWorld(manager: Credentials.User(1000).With(Capability.SysNice), target: Credentials.User(2000));
        var result = new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 0);
        Assert.Equal(Errno.EACCES, result.Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
        Assert.Equal(100UL, w.Target.Load(w.Heap).Value);
    }

    [Fact]
    public void Other_advice_and_nonzero_flags_are_einval()
    {
        var w = new ZapWorld();
        var api = new ProcessMadviseDontneedAdapter(w.Manager);
        Assert.Equal(Errno.EINVAL, api.Zap(w.Pidfd, [w.WholeHeap], Advice.PageOut, 0).Error);
        Assert.Equal(Errno.EINVAL, api.Zap(w.Pidfd, [w.WholeHeap], Advice.DontNeed, 1).Error);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void On_the_callers_own_mm_no_capability_is_needed_as_since_6_13()
    {
        var w = new ZapWorld(manager: Credentials.User(1000));
        w.Manager.Store(w.Swap, 7);
        var result = new ProcessMadviseDontneedAdapter(w.Manager).Zap(Pidfd.Self, [new IoVec(w.Swap, P)], Advice.DontNeed, 0);
        Assert.Equal((long)P, result.Value);
        Assert.Equal(0UL, w.Manager.Load(w.Swap).Value);
    }
    [Fact]
    public void Seed001_xu_595a6581_process_vm_writev_already_lets_a_same_uid_caller_destroy_the_targets_data()
    {
        // Peter Xu (partly supportive): since process_vm_writev() exists there is "not strong reason to reject
        // process_madvise(DONTNEED)". A same-uid caller with no capability clobbers a page today; the zap it may not do.
        var w = new ZapWorld(manager: Credentials.User(1000));
        w.Manager.Store(w.Swap, 0);
        Assert.Equal(8L, w.Machine.ProcessVmWritev(w.Manager, new Pid(w.Target.Pid), [new IoVec(w.Swap, 8)], [new IoVec(w.Heap, 8)], 0).Value);
        Assert.Equal(0UL, w.Target.Load(w.Heap).Value);
        Assert.Equal(Errno.EPERM,
            new ProcessMadviseDontneedAdapter(w.Manager).Zap(w.Pidfd, [new IoVec(w.PageAt(1), P)], Advice.DontNeed, 0).Error);
        Assert.Equal(101UL, w.Target.Load(w.PageAt(1)).Value);
    }
}
