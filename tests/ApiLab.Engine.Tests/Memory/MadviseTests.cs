using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>madvise(2) as documented in madvise(2) and PROPOSALS.md §6.2, observed the way a program would.</summary>
public sealed class MadviseTests
{
    [Fact]
    public void Dontneed_on_private_anonymous_memory_reads_back_as_zero_with_one_tlb_flush()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(8);
        p.Fill(at, 8, 10);
        var flushes = p.Mm!.TlbFlushes;
        Assert.True(p.Madvise(at, 8 * P, Advice.DontNeed).IsOk);
        Assert.Equal(flushes + 1, p.Mm.TlbFlushes);
        Assert.Equal(0, p.Mm.RssAnon);
        Assert.Equal(0, m.Frames.UsedCount);
        Assert.Equal(0UL, p.Load(at + (3 * P)).Value);
    }

    [Fact]
    public void Dontneed_on_shared_memory_drops_the_mapping_but_not_the_contents()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2, MapFlags.Shared);
        p.Fill(at, 2, 10);
        Assert.True(p.Madvise(at, 2 * P, Advice.DontNeed).IsOk);
        Assert.Equal(0, p.Mm!.RssShmem);
        Assert.Equal(11UL, p.Load(at + P).Value);
    }

    [Fact]
    public void A_hole_in_the_range_is_enomem_but_the_mapped_parts_are_still_advised()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(3);
        p.Fill(at, 3, 10);
        p.Munmap(at + P, P);
        Assert.Equal(Errno.ENOMEM, p.Madvise(at, 3 * P, Advice.DontNeed).Error);
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(0UL, p.Load(at + (2 * P)).Value);
    }

    [Fact]
    public void Argument_checks_come_before_the_range_is_walked()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(1);
        Assert.Equal(Errno.EINVAL, p.Madvise(at, P, (Advice)77).Error);
        Assert.Equal(Errno.EINVAL, p.Madvise(at + 1, P, Advice.DontNeed).Error);
        Assert.Equal(Errno.EINVAL, p.Madvise(at, ulong.MaxValue - 2, Advice.DontNeed).Error);
        Assert.True(p.Madvise(0x1000, 0, Advice.DontNeed).IsOk);
        Assert.Equal(Errno.ENOMEM, p.Madvise(0x1000, P, Advice.DontNeed).Error);
    }

    [Fact]
    public void Dontneed_refuses_locked_memory_and_dontneed_locked_zaps_it()
    {
        var m = New();
        var p = m.User();
        var at = p.Mmap(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked).Value;
        p.Store(at, 3);
        Assert.Equal(Errno.EINVAL, p.Madvise(at, P, Advice.DontNeed).Error);
        Assert.Equal(3UL, p.Load(at).Value);
        Assert.True(p.Madvise(at, P, Advice.DontNeedLocked).IsOk);
        Assert.Equal(0UL, p.Load(at).Value);
    }

    [Fact]
    public void Free_lets_reclaim_discard_clean_pages_and_a_later_write_keeps_the_page()
    {
        var m = New(swapSlots: 0);
        var p = m.User();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 10);
        Assert.True(p.Madvise(at, 2 * P, Advice.Free).IsOk);
        p.Store(at + P, 99);

        m.Reclaim(16);
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(99UL, p.Load(at + P).Value);
        Assert.Equal(0, m.Swap.UsedSlots);
    }

    [Fact]
    public void Free_and_wipeonfork_are_for_private_anonymous_memory_only()
    {
        var m = New();
        var p = m.User();
        var shared = p.MapAnon(1, MapFlags.Shared);
        Assert.Equal(Errno.EINVAL, p.Madvise(shared, P, Advice.Free).Error);
        Assert.Equal(Errno.EINVAL, p.Madvise(shared, P, Advice.WipeOnFork).Error);
    }

    [Fact]
    public void A_flag_advice_on_part_of_a_vma_splits_it_and_undoing_it_merges_it_back()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(3);
        Assert.True(p.Madvise(at + P, P, Advice.DontDump).IsOk);
        Assert.Equal(3, p.Mm!.Vmas.Count);
        Assert.True((p.Mm.Vmas.Find(at + P)!.Flags & VmFlags.DontDump) != 0);
        Assert.True(p.Madvise(at + P, P, Advice.DoDump).IsOk);
        Assert.Equal(1, p.Mm.Vmas.Count);
    }

    [Fact]
    public void Pageout_swaps_private_pages_out_and_a_load_swaps_them_back_in()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(4);
        p.Fill(at, 4, 40);
        Assert.True(p.Madvise(at, 4 * P, Advice.PageOut).IsOk);
        Assert.Equal(0, p.Mm!.RssAnon);
        Assert.Equal(4, p.Mm.SwapEntries);
        Assert.Equal(42UL, p.Load(at + (2 * P)).Value);
        Assert.Equal(1, m.Stats.PagesSwappedIn);
        Assert.Equal(3, p.Mm.SwapEntries);
    }

    [Fact]
    public void Pageout_leaves_pages_shared_with_a_forked_child_alone()
    {
        // folio_maybe_mapped_shared: "Do not interfere with other mappings of this folio" (PROPOSALS.md §6.3).
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(4);
        parent.Fill(at, 4, 1);
        var child = m.Fork(parent).Value;
        child.Store(at, 100);

        Assert.True(parent.Madvise(at, 4 * P, Advice.PageOut).IsOk);
        Assert.Equal(3, parent.Mm!.RssAnon);
        Assert.Equal(1, parent.Mm.SwapEntries);
        Assert.Equal(1UL, parent.Load(at).Value);
        Assert.Equal(100UL, child.Load(at).Value);
    }

    [Fact]
    public void Guard_regions_fault_survive_dontneed_and_go_away_with_guard_remove()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 5);
        Assert.True(p.Madvise(at, P, Advice.GuardInstall).IsOk);
        Assert.Equal(Errno.EFAULT, p.Load(at).Error);
        Assert.Equal(6UL, p.Load(at + P).Value);
        Assert.Equal(1, p.Mm!.Vmas.Count);

        Assert.True(p.Madvise(at, 2 * P, Advice.DontNeed).IsOk);
        Assert.Equal(Errno.EFAULT, p.Store(at, 1).Error);
        Assert.True(p.Madvise(at, P, Advice.GuardRemove).IsOk);
        Assert.Equal(0UL, p.Load(at).Value);
    }

    [Fact]
    public void Populate_write_needs_a_writable_mapping_and_stops_at_a_hole()
    {
        var m = New();
        var p = m.User();
        var ro = p.MapAnon(1, prot: Prot.Read);
        Assert.Equal(Errno.EINVAL, p.Madvise(ro, P, Advice.PopulateWrite).Error);
        Assert.True(p.Madvise(ro, P, Advice.PopulateRead).IsOk);

        var rw = p.MapAnon(2);
        p.Munmap(rw + P, P);
        Assert.Equal(Errno.ENOMEM, p.Madvise(rw, 2 * P, Advice.PopulateWrite).Error);
        Assert.Equal(1, p.Mm!.RssAnon);
    }

    [Fact]
    public void Remove_punches_a_hole_every_mapping_of_the_shared_object_sees()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(2, MapFlags.Shared);
        parent.Fill(at, 2, 7);
        var child = m.Fork(parent).Value;
        Assert.Equal(7UL, child.Load(at).Value);

        Assert.True(parent.Madvise(at, P, Advice.Remove).IsOk);
        Assert.Equal(0UL, child.Load(at).Value);
        Assert.Equal(8UL, child.Load(at + P).Value);

        var priv = parent.MapAnon(1);
        Assert.Equal(Errno.EINVAL, parent.Madvise(priv, P, Advice.Remove).Error);
    }
}
