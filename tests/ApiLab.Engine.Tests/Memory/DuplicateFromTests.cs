using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>
/// Mm.DuplicateFrom, process_vm_mmap's copy_vma + copy_page_range (seed 003, never merged): the engine must be able to
/// hold a private anonymous page mapped twice in one mm (the harm the lab looks for) and keep every other invariant.
/// </summary>
public sealed class DuplicateFromTests
{
    private const int Pages = 4;

    [Fact]
    public void A_page_mapped_twice_in_one_mm_keeps_refcounts_mapcounts_and_rmap_consistent()
    {
        var m = New();
        var p = m.User();
        var heap = p.MapAnon(Pages);
        p.Fill(heap, Pages, 10);
        var dst = heap + (16 * Page.Size);
        p.Mm!.DuplicateFrom(p.Mm, heap, Pages * Page.Size, dst, movePtes: false);
        var frame = Pte.Index(p.Mm.PageTable.Get(Page.ToVpn(heap)));
        Assert.Equal(frame, Pte.Index(p.Mm.PageTable.Get(Page.ToVpn(dst))));
        Assert.Equal((2, 2), (m.Frames.MapCount(frame), m.Frames.RefCount(frame)));
        Assert.Equal(2, m.Frames.Mappings(frame).Count(x => ReferenceEquals(x.Mm, p.Mm)));
        m.CheckInvariants();
    }

    [Fact]
    public void Reclaim_swaps_both_mappings_out_to_one_slot_and_each_faults_back_its_own_copy()
    {
        var m = New();
        var p = m.User();
        var heap = p.MapAnon(Pages);
        p.Fill(heap, Pages, 10);
        var dst = heap + (16 * Page.Size);
        p.Mm!.DuplicateFrom(p.Mm, heap, Pages * Page.Size, dst, movePtes: false);
        Assert.True(p.Madvise(heap, Pages * Page.Size, Spec.Advice.PageOut).IsOk);
        Assert.True(m.Reclaim(2 * Pages) > 0);
        var pte = p.Mm.PageTable.Get(Page.ToVpn(dst));
        Assert.True(Pte.IsSwap(pte));
        Assert.Equal(2, m.Swap.Count(Pte.Index(pte)));
        m.CheckInvariants();
        Assert.Equal(10UL, p.Load(heap).Value);
        Assert.True(p.Store(dst, 99).IsOk);
        Assert.Equal(10UL, p.Load(heap).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void Unmapping_one_of_the_two_mappings_leaves_the_other_alone()
    {
        var m = New();
        var p = m.User();
        var heap = p.MapAnon(Pages);
        p.Fill(heap, Pages, 10);
        var dst = heap + (16 * Page.Size);
        p.Mm!.DuplicateFrom(p.Mm, heap, Pages * Page.Size, dst, movePtes: false);
        Assert.True(p.Munmap(heap, Pages * Page.Size).IsOk);
        var frame = Pte.Index(p.Mm.PageTable.Get(Page.ToVpn(dst)));
        Assert.Equal(1, m.Frames.MapCount(frame));
        Assert.Equal(11UL, p.Load(dst + Page.Size).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void A_move_across_mms_keeps_the_charge_and_the_reference_and_changes_only_the_rmap()
    {
        var m = New();
        var from = m.User(comm: "from");
        var to = m.User(comm: "to");
        var heap = from.MapAnon(Pages);
        from.Fill(heap, Pages, 10);
        var frame = Pte.Index(from.Mm!.PageTable.Get(Page.ToVpn(heap)));
        to.Mm!.DuplicateFrom(from.Mm, heap, Pages * Page.Size, heap, movePtes: true);
        Assert.Equal((1, 1), (m.Frames.MapCount(frame), m.Frames.RefCount(frame)));
        Assert.Same(to.Mm, Assert.Single(m.Frames.Mappings(frame)).Mm);
        Assert.Same(from.Mm, m.Frames.MemcgOwner(frame));
        Assert.Equal(0UL, from.Load(heap).Value);
        Assert.Equal(10UL, to.Load(heap).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void Its_preconditions_are_enforced_by_an_exception_not_by_silent_damage()
    {
        var m = New();
        var p = m.User();
        var heap = p.MapAnon(Pages);
        Assert.Throws<ArgumentException>(() => p.Mm!.DuplicateFrom(p.Mm, heap, Pages * Page.Size, heap, movePtes: false));
        Assert.Throws<ArgumentException>(() => p.Mm!.DuplicateFrom(p.Mm, heap, (Pages + 1) * Page.Size, heap + (16 * Page.Size), movePtes: false));
    }
}
