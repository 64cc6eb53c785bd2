using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>Lutomirski's special mapping (seed 002_310b7bb94a93504d.txt, Andy Lutomirski, 2023-01-03).</summary>
public sealed class SpecialMappingTests
{
    private static (StateWorld World, ulong States) Allocated(int pages = 1)
    {
        var w = new StateWorld();
        w.SetArgs(num: (ulong)pages * VgetrandomAlloc.StatesPerPage);
        var states = new SpecialMappingStatesAdapter(w.Owner).Alloc(w.NumPointer, w.SizePointer, 0, 0).Value;
        return (w, states);
    }

    [Fact]
    public void It_is_a_special_mapping_with_no_fancy_vm_flags()
    {
        // Andy: "have an actual special mapping with callbacks that does the right thing. No fancy VM flags."
        var (w, states) = Allocated(2);
        var vma = w.VmaAt(states);
        Assert.Equal(VmFlags.None, vma.Flags & (VmFlags.Droppable | VmFlags.WipeOnFork | VmFlags.DontDump | VmFlags.Locked));
        Assert.Equal(VmFlags.Shared | VmFlags.DontExpand, vma.Flags & (VmFlags.Shared | VmFlags.DontExpand));
        Assert.Same(SpecialMappingStatesAdapter.Mapping, vma.Shmem!.Special);
        Assert.Equal(2 * Page.Size, vma.Length);
        Assert.Equal(2UL * VgetrandomAlloc.StatesPerPage, w.Num);
    }

    [Fact]
    public void Fork_unmaps_the_pages_not_the_vma_so_the_child_faults_and_gets_a_fresh_zero_page()
    {
        // Andy: "You really want unmap (the pages, not the vma) on fork, not wipe on fork."
        var (w, states) = Allocated();
        w.Fill(states, 1);
        var child = w.Machine.Fork(w.Owner).Value;
        var childVma = child.Mm!.Vmas.Find(states)!;
        Assert.Equal(Pte.None, child.Mm.PageTable.Get(Page.ToVpn(states)));
        Assert.NotSame(w.VmaAt(states).Shmem, childVma.Shmem);
        var faults = w.Machine.Stats.PageFaults;
        Assert.Equal(0UL, child.Load(states).Value);
        Assert.Equal(faults + 1, w.Machine.Stats.PageFaults);
        Assert.True(child.Store(states, 99).IsOk);
        Assert.Equal(StateWorld.Secret, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Unmapping_on_fork_is_not_wiping_the_child_keeps_no_wipe_flag_and_gets_its_own_backing()
    {
        // Andy's contrast: with WIPEONFORK (v14, MAP_DROPPABLE) the child gets an empty anonymous VMA that still carries
        // VM_WIPEONFORK; unmapping leaves the child a VMA with no pages whose ->fault serves it from a backing of its own.
        var (w, states) = Allocated();
        w.Fill(states, 1);
        var wiped = new MapDroppableAdapter(w.Owner).Map(0, Page.Size, Prot.ReadWrite, MapDroppableAdapter.StateFlags, -1, 0).Value;
        w.Fill(wiped, 1);
        var child = w.Machine.Fork(w.Owner).Value;
        var childWiped = child.Mm!.Vmas.Find(wiped)!;
        var childSpecial = child.Mm.Vmas.Find(states)!;
        Assert.Equal(VmFlags.WipeOnFork, childWiped.Flags & VmFlags.WipeOnFork);
        Assert.Null(childWiped.Shmem);
        Assert.Equal(VmFlags.None, childSpecial.Flags & VmFlags.WipeOnFork);
        Assert.Same(SpecialMappingStatesAdapter.Mapping, childSpecial.Shmem!.Special);
        Assert.Equal(0, childSpecial.Shmem.PageCount);
        Assert.Equal(0UL, child.Load(wiped).Value);
        Assert.Equal(0UL, child.Load(states).Value);
        Assert.Equal(1, childSpecial.Shmem.PageCount);
    }

    [Fact]
    public void Wipe_on_fork_cannot_be_set_on_a_shared_mapping_and_plain_sharing_would_leak_so_the_design_unmaps()
    {
        // Andy: "It'll be VM_SHARED, and I'm not sure what VM_WIPEONFORK | VM_SHARED does." madvise refuses the
        // combination (EINVAL, as on the 6.18 host); a shared mapping the child keeps would show it the parent's pages.
        var (w, states) = Allocated();
        Assert.Equal(Errno.EINVAL, w.Owner.Madvise(states, Page.Size, Advice.WipeOnFork).Error);
        Assert.Equal(VmFlags.None, w.VmaAt(states).Flags & VmFlags.WipeOnFork);
        var shared = w.Owner.Mmap(0, Page.Size, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous).Value;
        Assert.Equal(Errno.EINVAL, w.Owner.Madvise(shared, Page.Size, Advice.WipeOnFork).Error);
        w.Fill(shared, 1);
        w.Fill(states, 1);
        var child = w.Machine.Fork(w.Owner).Value;
        Assert.Equal(StateWorld.Secret, child.Load(shared).Value);
        Assert.Equal(0UL, child.Load(states).Value);
    }

    [Fact]
    public void Evicted_pages_are_not_written_out_anywhere_and_fault_back_in_as_zero()
    {
        // Andy: "Just arrange so that, if it gets evicted, it's not written out anywhere."
        var (w, states) = Allocated();
        w.Fill(states, 1);
        w.ReclaimAll();
        Assert.False(w.SwapHoldsSecret());
        Assert.Equal(0, w.VmaAt(states).Shmem!.PageCount);
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Mlock_is_their_problem_it_succeeds_and_locks_nothing()
    {
        // Andy: "If someone mlocks() it, that's their problem." VM_DONTEXPAND puts it in VM_SPECIAL, which
        // mlock_fixup leaves alone.
        var (w, states) = Allocated();
        w.Fill(states, 1);
        Assert.True(w.Owner.Mlock(states, Page.Size).IsOk);
        Assert.Equal(VmFlags.None, w.VmaAt(states).Flags & VmFlags.LockedMask);
        w.ReclaimAll();
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void A_core_dump_contains_the_states_even_after_madvise_dontdump()
    {
        // Jason: "(Side note: I also want VM_DONTDUMP to work.)" A special mapping has a ->name, and always_dump_vma
        // is checked before VM_DONTDUMP in vma_dump_size: the dump contains it whole.
        var (w, states) = Allocated();
        w.Fill(states, 1);
        Assert.True(w.Owner.Madvise(states, Page.Size, Advice.DontDump).IsOk);
        Assert.Equal(VmFlags.DontDump, w.VmaAt(states).Flags & VmFlags.DontDump);
        Assert.True(w.DumpHoldsSecret());
    }

    [Fact]
    public void Bad_arguments_are_refused_as_in_v14_and_change_nothing()
    {
        // UNCONFIRMED entry point: the v14 ABI checks, "@flags and @addr ... force them to be set to zero".
        var w = new StateWorld();
        w.SetArgs(num: 1);
        var api = new SpecialMappingStatesAdapter(w.Owner);
        Assert.Equal(Errno.EINVAL, api.Alloc(w.NumPointer, w.SizePointer, 0x1000, 0).Error);
        Assert.Equal(Errno.EINVAL, api.Alloc(w.NumPointer, w.SizePointer, 0, 2).Error);
        Assert.Equal(1, w.Owner.Mm!.Vmas.Count);
        Assert.Equal(1UL, w.Num);
    }

    [Fact]
    public void A_fault_with_no_memory_ooms_the_worst_process_and_the_write_lands()
    {
        // Andy: "We either OOM or we wait for memory to show up." (UNCONFIRMED which; OOM here.)
        var (w, states) = Allocated();
        w.ExhaustMemory();
        var result = new SpecialMappingStatesAdapter(w.Owner).Store(states, 5);
        Assert.Equal(StoreOutcome.Written, result.Outcome);
        Assert.Same(w.Hog, result.OomVictim);
        Assert.Equal(5UL, w.Owner.Load(states).Value);
    }
}
