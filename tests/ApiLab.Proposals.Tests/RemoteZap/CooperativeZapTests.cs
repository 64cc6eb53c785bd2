using ApiLab.Engine;
using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.RemoteZap;

/// <summary>Peter Xu's position (umap): the target's own library zaps on request (seed 001 thread, PROPOSALS.md §2.2 C).</summary>
public sealed class CooperativeZapTests
{
    private const ulong P = Page.Size;

    [Fact]
    public void The_library_zaps_its_own_pages_and_a_later_read_faults_to_the_manager()
    {
        var w = new ZapWorld(uffd: true);
        w.ReadOut();
        Assert.Equal(0, new CooperativeZapAdapter(w.Target).ZapOwn(w.WholeHeap, Advice.DontNeed).Value);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.PageAt(6)).Error);
        w.ServeOneFault();
        Assert.Equal(106UL, w.Target.Load(w.PageAt(6)).Value);
    }

    [Fact]
    public void Seed001_xu_zapping_in_program_order_after_the_copy_loses_no_write()
    {
        // The target writes, then its library copies the page out and zaps it at the same point in its own code: no
        // store of the target can fall between the two, so the copy is the page.
        var w = new ZapWorld(uffd: true);
        w.Target.Store(w.PageAt(0), 0xbeef);
        Assert.Equal(ZapWorld.Pages * (long)P,
            w.Machine.ProcessVmWritev(w.Target, new Pid(w.Manager.Pid), [w.WholeHeap], [new IoVec(w.Swap, ZapWorld.Pages * P)], 0).Value);
        Assert.True(new CooperativeZapAdapter(w.Target).ZapOwn(w.WholeHeap, Advice.DontNeed).IsOk);
        Assert.Equal(Errno.ERESTARTSYS, w.Target.Load(w.PageAt(0)).Error);
        w.ServeOneFault();
        Assert.Equal(0xbeefUL, w.Target.Load(w.PageAt(0)).Value);
    }

    [Fact]
    public void Per_range_madvise_costs_one_syscall_and_one_tlb_flush_per_range()
    {
        var w = new ZapWorld();
        var api = new CooperativeZapAdapter(w.Target);
        var flushes = w.Machine.Stats.TlbFlushes;
        var syscalls = w.Machine.Stats.Syscalls;
        foreach (var page in w.EachPage)
        {
            Assert.True(api.ZapOwn(page, Advice.DontNeed).IsOk);
        }

        Assert.Equal(ZapWorld.Pages, w.Machine.Stats.TlbFlushes - flushes);
        Assert.Equal(ZapWorld.Pages, w.Machine.Stats.Syscalls - syscalls);
    }

    [Fact]
    public void It_acts_only_on_the_callers_own_mm_and_a_foreign_uid_cannot_even_send_the_request()
    {
        var w = new ZapWorld(target: Credentials.User(2000));
        // A foreign manager's adapter zaps the manager's own memory, never the target's.
        w.Manager.Store(w.Swap, 5);
        Assert.True(new CooperativeZapAdapter(w.Manager).ZapOwn(new IoVec(w.Swap, P), Advice.DontNeed).IsOk);
        Assert.Equal(0UL, w.Manager.Load(w.Swap).Value);
        Assert.Equal(ZapWorld.Pages, w.Target.Mm!.RssAnon);
        // The request channel (process_vm_writev into the target) is refused: EPERM (ptrace denial in process_vm_*).
        var stranger = w.Machine.Spawn(Credentials.User(3000), "stranger").Value;
        var scratch = stranger.Mm!.MmapAnonymous(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        Assert.Equal(Errno.EPERM,
            w.Machine.ProcessVmWritev(stranger, new Pid(w.Target.Pid), [new IoVec(scratch, 8)], [new IoVec(w.Heap, 8)], 0).Error);
        Assert.Equal(100UL, w.Target.Load(w.Heap).Value);
    }

    [Fact]
    public void Since_6_13_process_madvise_on_pidfd_self_would_batch_the_same_zaps_into_one_flush()
    {
        // Mainline's answer to the efficiency half (PROPOSALS.md §2.5): the target's own vectored DONTNEED.
        var w = new ZapWorld();
        var flushes = w.Machine.Stats.TlbFlushes;
        var result = new ProcessMadviseDontneedAdapter(w.Target).Zap(Pidfd.Self, w.EachPage, Advice.DontNeed, 0);
        Assert.Equal(ZapWorld.Pages * (long)P, result.Value);
        Assert.Equal(1, w.Machine.Stats.TlbFlushes - flushes);
    }
}
