using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>
/// Merged MAP_DROPPABLE (6.11; PROPOSALS 3.3 E and 6.8), the form v14's VM_DROPPABLE (seed
/// 002_310b7bb94a93504d.txt) took: every fact below was also checked on the 6.18 host.
/// </summary>
public sealed class MapDroppableTests
{
    private static (StateWorld World, MapDroppableAdapter Api, ulong States) Mapped(int pages = 2)
    {
        var w = new StateWorld();
        var api = new MapDroppableAdapter(w.Owner);
        var states = api.Map(0, (ulong)pages * Page.Size, Prot.ReadWrite, MapDroppableAdapter.StateFlags, -1, 0).Value;
        return (w, api, states);
    }

    [Fact]
    public void It_sets_droppable_wipe_on_fork_dont_dump_and_no_reserve()
    {
        // v22 1/4 (PROPOSALS 3.3 E): MAP_DROPPABLE sets VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP.
        var (w, _, states) = Mapped();
        const VmFlags wanted = VmFlags.Droppable | VmFlags.DontDump | VmFlags.WipeOnFork | VmFlags.NoReserve;
        Assert.Equal(wanted, w.VmaAt(states).Flags & wanted);
        Assert.Equal(VmFlags.None, w.VmaAt(states).Flags & (VmFlags.Account | VmFlags.Shared));
    }

    [Theory]
    [InlineData(MapFlags.Locked)]
    [InlineData(MapDroppableAdapter.MapHugeTlb)]
    [InlineData(MapFlags.GrowsDown)]
    public void Locked_hugetlb_or_grows_down_droppable_memory_is_EINVAL_and_maps_nothing(MapFlags extra)
    {
        // v22 diff: "A locked or stack area makes no sense to be droppable" (host-checked, 6.18).
        var w = new StateWorld();
        var api = new MapDroppableAdapter(w.Owner);
        var seq = w.Owner.Mm!.LayoutSeq;
        Assert.Equal(Errno.EINVAL, api.Map(0, Page.Size, Prot.ReadWrite, MapDroppableAdapter.StateFlags | extra, -1, 0).Error);
        Assert.Equal(seq, w.Owner.Mm.LayoutSeq);
        Assert.Equal(1, w.Owner.Mm.Vmas.Count);
    }

    [Fact]
    public void It_never_leaks_to_the_child_or_the_core_dump()
    {
        // Issue 7's claim, from Ingo's list in the seed: never dumped, zeroed on fork.
        var (w, _, states) = Mapped();
        w.Fill(states, 2);
        var child = w.Machine.Fork(w.Owner).Value;
        Assert.Equal(0UL, child.Load(states).Value);
        Assert.Equal(0UL, child.Load(states + Page.Size).Value);
        Assert.False(w.DumpHoldsSecret());
        Assert.DoesNotContain(w.Machine.CoreDump(child).Value.Segments, s => s.Pages.Any(StateWorld.IsSecret));
    }

    [Fact]
    public void Keeponfork_and_dodump_are_EINVAL_so_the_guarantees_cannot_be_undone()
    {
        // v22 diff (PROPOSALS 6.8): MADV_KEEPONFORK and MADV_DODUMP on VM_DROPPABLE are EINVAL (host-checked).
        var (w, _, states) = Mapped();
        Assert.Equal(Errno.EINVAL, w.Owner.Madvise(states, Page.Size, Advice.KeepOnFork).Error);
        Assert.Equal(Errno.EINVAL, w.Owner.Madvise(states, Page.Size, Advice.DoDump).Error);
        Assert.Equal(VmFlags.WipeOnFork | VmFlags.DontDump, w.VmaAt(states).Flags & (VmFlags.WipeOnFork | VmFlags.DontDump));
    }

    [Fact]
    public void Dirty_pages_are_discarded_under_pressure_and_read_back_as_zero()
    {
        // v22: "Unlike MADV_FREE mappings, VM_DROPPABLE ones can be dropped even if they've been dirtied."
        var (w, _, states) = Mapped();
        w.Fill(states, 2);
        w.ExhaustMemory();
        Assert.False(w.SwapHoldsSecret());
        Assert.Equal(0UL, w.Owner.Mm!.PageTable.Get(Page.ToVpn(states)));
        w.Machine.Exit(w.Hog!);
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Mlock_succeeds_but_sets_no_vm_locked_and_the_pages_still_go()
    {
        // PROPOSALS 6.8: mlock() does not set VM_LOCKED on droppable memory (host: mlock 0, VmLck 0 kB).
        var (w, _, states) = Mapped();
        w.Fill(states, 2);
        Assert.True(w.Owner.Mlock(states, 2 * Page.Size).IsOk);
        Assert.Equal(0, w.Owner.Mm!.LockedVm);
        w.ReclaimAll();
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Userfaultfd_registration_is_refused()
    {
        // PROPOSALS 3.3: registering VM_DROPPABLE ranges with userfaultfd is refused (Zussman fix, Fixes: 9651fcedf7b9).
        var (w, _, states) = Mapped();
        var fd = w.Machine.Userfaultfd(w.Owner, UffdFlags.UserModeOnly).Value;
        Assert.True(w.Machine.UffdioApi(w.Owner, fd, Machine.UffdApiVersion, UffdFeatures.None).IsOk);
        Assert.Equal(Errno.EINVAL, w.Machine.UffdioRegister(w.Owner, fd, states, Page.Size, UffdRegisterMode.Missing).Error);
        Assert.Equal(VmFlags.None, w.VmaAt(states).Flags & VmFlags.UffdMask);
    }

    [Fact]
    public void The_fault_path_is_unchanged_so_a_write_with_no_memory_ooms_the_worst_process()
    {
        // PROPOSALS 3.3 E: "No fault-path change (mm/memory.c untouched)."
        var (w, api, states) = Mapped();
        w.ExhaustMemory();
        var result = api.Store(states, 9);
        Assert.Equal(StoreOutcome.Written, result.Outcome);
        Assert.Same(w.Hog, result.OomVictim);
        Assert.Equal(ProcessState.Zombie, w.Hog!.State);
    }
}
