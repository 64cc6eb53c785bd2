using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>
/// v14's vgetrandom_alloc, with and without instruction skipping (seed 002_310b7bb94a93504d.txt, Andy Lutomirski,
/// 2023-01-03, quoting Donenfeld's v14 cover text and his reply to Ingo Molnar): the claims of the thread as checks.
/// </summary>
public sealed class VgetrandomAllocTests
{
    public static TheoryData<string> Designs => ["v14-skip", "v14-retry"];

    private static SysResult<ulong> Alloc(string design, StateWorld w, ulong addr = 0, uint flags = 0) => design switch
    {
        "v14-skip" => new VgetrandomAllocSkipAdapter(w.Owner).Alloc(w.NumPointer, w.SizePointer, addr, flags),
        _ => new VgetrandomAllocRetryAdapter(w.Owner).Alloc(w.NumPointer, w.SizePointer, addr, flags),
    };

    private static StoreResult Store(string design, StateWorld w, ulong address, ulong value) => design switch
    {
        "v14-skip" => new VgetrandomAllocSkipAdapter(w.Owner).Store(address, value),
        _ => new VgetrandomAllocRetryAdapter(w.Owner).Store(address, value),
    };

    [Theory, MemberData(nameof(Designs))]
    public void It_maps_droppable_wipe_on_fork_undumped_unreserved_states_and_reports_how_many(string design)
    {
        // v14 2/7: VM_DROPPABLE | VM_DONTDUMP | VM_WIPEONFORK | VM_NORESERVE; states never straddle a page.
        var w = new StateWorld();
        w.SetArgs(num: 40);
        var states = Alloc(design, w).Value;
        var vma = w.VmaAt(states);
        const VmFlags wanted = VmFlags.Droppable | VmFlags.DontDump | VmFlags.WipeOnFork | VmFlags.NoReserve;
        Assert.Equal(wanted, vma.Flags & wanted);
        Assert.Equal(VmFlags.None, vma.Flags & (VmFlags.Account | VmFlags.Shared | VmFlags.Locked));
        Assert.Equal(2 * Page.Size, vma.Length);
        Assert.Equal(2UL * VgetrandomAlloc.StatesPerPage, w.Num);
        Assert.Equal(VgetrandomAlloc.StateSize, w.SizePerEach);
    }

    [Theory, MemberData(nameof(Designs))]
    public void Nonzero_addr_or_flags_is_EINVAL_and_changes_nothing(string design)
    {
        // v14: "@flags and @addr are currently unused ... force them to be set to zero by current callers."
        var w = new StateWorld();
        w.SetArgs(num: 3);
        var seq = w.Owner.Mm!.LayoutSeq;
        var syscalls = w.Machine.Stats.Syscalls;
        Assert.Equal(Errno.EINVAL, Alloc(design, w, flags: 1).Error);
        Assert.Equal(Errno.EINVAL, Alloc(design, w, addr: 0x10000000).Error);
        Assert.Equal(seq, w.Owner.Mm.LayoutSeq);
        Assert.Equal(1, w.Owner.Mm.Vmas.Count);
        Assert.Equal(3UL, w.Num);
        Assert.Equal(0UL, w.SizePerEach);
        Assert.Equal(syscalls + 2, w.Machine.Stats.Syscalls);
    }

    [Theory, MemberData(nameof(Designs))]
    public void A_nonzero_size_per_each_on_input_is_EINVAL_and_bad_pointers_are_EFAULT(string design)
    {
        // v14: "Also enforce that *size_per_each is zero on input, in case this becomes useful later on."
        var w = new StateWorld();
        w.SetArgs(num: 3, sizePerEach: 144);
        Assert.Equal(Errno.EINVAL, Alloc(design, w).Error);
        w.SetArgs(num: 3);
        var api = new VgetrandomAllocSkipAdapter(w.Owner);
        Assert.Equal(Errno.EFAULT, api.Alloc(0x1000, w.SizePointer, 0, 0).Error);
        Assert.Equal(Errno.EFAULT, api.Alloc(w.NumPointer, 0x1000, 0, 0).Error);
        Assert.Equal(1, w.Owner.Mm!.Vmas.Count);
        Assert.Equal(3UL, w.Num);
    }

    [Theory, MemberData(nameof(Designs))]
    public void A_child_sees_zeros_and_a_core_dump_leaves_the_states_out(string design)
    {
        // Ingo, quoted by Andy: "It shouldn't be written to core dumps. * Easy: VM_DONTDUMP. - It should be zeroed on
        // fork. * Easy: VM_WIPEONFORK."
        var w = new StateWorld();
        w.SetArgs(num: 56);
        var states = Alloc(design, w).Value;
        w.Fill(states, 2);
        var child = w.Machine.Fork(w.Owner).Value;
        Assert.Equal(0UL, child.Load(states).Value);
        Assert.Equal(0UL, child.Load(states + Page.Size).Value);
        Assert.Equal(StateWorld.Secret, w.Owner.Load(states).Value);
        Assert.False(w.DumpHoldsSecret());
        Assert.False(w.Machine.CoreDump(w.Owner).Value.Segments.Single(s => s.Start == states).Dumped);
    }

    [Theory, MemberData(nameof(Designs))]
    public void Pressure_drops_dirty_states_instead_of_swapping_them_and_they_read_back_as_zero(string design)
    {
        // v14 2/7: reclaim may discard droppable pages even when dirty; they never reach swap.
        var w = new StateWorld();
        w.SetArgs(num: 56);
        var states = Alloc(design, w).Value;
        w.Fill(states, 2);
        var swappedBefore = w.Machine.Stats.PagesSwappedOut;
        w.ReclaimAll();
        Assert.False(w.SwapHoldsSecret());
        Assert.Equal(Pte.None, w.Owner.Mm!.PageTable.Get(Page.ToVpn(states)));
        Assert.Equal(Pte.None, w.Owner.Mm.PageTable.Get(Page.ToVpn(states) + 1));
        Assert.Equal(0UL, w.Owner.Load(states).Value);
        // The args pages are ordinary memory: they went to swap, the states did not.
        Assert.Equal(swappedBefore + 2, w.Machine.Stats.PagesSwappedOut);
    }

    [Theory, MemberData(nameof(Designs))]
    public void Mlock_does_not_lock_them(string design)
    {
        // Andy: "Want to mlock it? No, don't do that -- that's absurd." (v14's own mlock behaviour is UNCONFIRMED; the
        // merged VM_DROPPABLE code skips it in mlock_fixup.)
        var w = new StateWorld();
        w.SetArgs(num: 1);
        var states = Alloc(design, w).Value;
        w.Fill(states, 1);
        Assert.True(w.Owner.Mlock(states, Page.Size).IsOk);
        Assert.Equal(VmFlags.None, w.VmaAt(states).Flags & VmFlags.LockedMask);
        w.ReclaimAll();
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Skipping_loses_the_write_silently_and_kills_no_one()
    {
        // Donenfeld's point c): "If there's not enough memory to service a page fault, it's not fatal, and no signal is
        // sent. Instead, writes are simply lost."
        var w = new StateWorld();
        w.SetArgs(num: 1);
        var states = Alloc("v14-skip", w).Value;
        w.Fill(states, 1);
        w.ExhaustMemory();
        var result = Store("v14-skip", w, states, StateWorld.Secret + 7);
        Assert.Equal(StoreOutcome.Skipped, result.Outcome);
        Assert.True(result.Retired);
        Assert.Null(result.OomVictim);
        Assert.Equal(ProcessState.Running, w.Hog!.State);
        Assert.False(Pte.IsPresent(w.Owner.Mm!.PageTable.Get(Page.ToVpn(states))));
        // The owner's next read sees zero, not what it wrote.
        Assert.Equal(0UL, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Without_skipping_the_writer_retries_until_memory_shows_up_and_no_write_is_lost()
    {
        // Jason: "userspace just retries the memory write and the fault happens again, and eventually it succeeds."
        var w = new StateWorld();
        w.SetArgs(num: 1);
        var states = Alloc("v14-retry", w).Value;
        w.Fill(states, 1);
        w.ExhaustMemory();
        var faults = w.Machine.Stats.PageFaults;
        Assert.Equal(StoreOutcome.Retrying, Store("v14-retry", w, states, StateWorld.Secret + 7).Outcome);
        Assert.Equal(StoreOutcome.Retrying, Store("v14-retry", w, states, StateWorld.Secret + 7).Outcome);
        Assert.True(w.Machine.Stats.PageFaults >= faults + 2);
        Assert.Equal(ProcessState.Running, w.Hog!.State);
        w.Machine.Exit(w.Hog);
        Assert.Equal(StoreOutcome.Written, Store("v14-retry", w, states, StateWorld.Secret + 7).Outcome);
        Assert.Equal(StateWorld.Secret + 7, w.Owner.Load(states).Value);
    }

    [Fact]
    public void Skipping_is_for_droppable_memory_only_other_writes_still_go_to_the_oom_killer()
    {
        // v14 masks VM_FAULT_OOM for droppable VMAs only; ordinary memory keeps the OOM path.
        var w = new StateWorld();
        var plain = w.Owner.Mm!.MmapAnonymous(0, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        w.ExhaustMemory();
        var result = new VgetrandomAllocSkipAdapter(w.Owner).Store(plain, 42);
        Assert.Equal(StoreOutcome.Written, result.Outcome);
        Assert.Same(w.Hog, result.OomVictim);
        Assert.Equal(42UL, w.Owner.Load(plain).Value);
    }

    [Theory, MemberData(nameof(Designs))]
    public void Any_unprivileged_caller_may_allocate_and_the_call_names_no_other_process(string design)
    {
        // The states are the caller's own memory: no target argument, no privilege (PROPOSALS 3.3: "none (own mm)").
        var descriptor = design == "v14-skip" ? VgetrandomAllocSkipAdapter.Descriptor : VgetrandomAllocRetryAdapter.Descriptor;
        Assert.All(descriptor.Calls, c => Assert.Equal(TargetKind.Self, c.Target));
        Assert.All(descriptor.Calls, c => Assert.Empty(c.Capabilities));
        var w = new StateWorld(Credentials.User(4242));
        w.SetArgs(num: 1);
        Assert.True(Alloc(design, w).IsOk);
    }
}
