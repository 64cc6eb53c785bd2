using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>Memory pressure is real: a small frame pool reclaims to swap, drops droppable pages, and runs out.</summary>
public sealed class ReclaimTests
{
    [Fact]
    public void Writing_more_pages_than_frames_swaps_the_oldest_out_and_loses_nothing()
    {
        var m = New(frames: 17, swapSlots: 128);
        var p = m.User();
        var at = p.MapAnon(64);
        p.Fill(at, 64, 1000);
        Assert.True(m.Swap.UsedSlots >= 64 - 16);
        for (var i = 0; i < 64; i++)
        {
            Assert.Equal(1000UL + (ulong)i, p.Load(at + ((ulong)i * P)).Value);
        }

        m.CheckInvariants();
    }

    [Fact]
    public void Without_swap_anonymous_memory_cannot_be_reclaimed_and_a_fault_gets_enomem()
    {
        var m = New(frames: 9, swapSlots: 0);
        var p = m.User();
        var at = p.MapAnon(16);
        for (var i = 0; i < 8; i++)
        {
            Assert.True(p.Store(at + ((ulong)i * P), 1).IsOk);
        }

        Assert.Equal(Errno.ENOMEM, p.Store(at + (8 * P), 1).Error);
        Assert.Equal(8, p.Mm!.RssAnon);
    }

    [Fact]
    public void Droppable_pages_are_discarded_even_when_dirty_and_read_back_as_zero()
    {
        var m = New(frames: 64, swapSlots: 64);
        var p = m.User();
        var at = p.Mmap(0, 4 * P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Value;
        p.Fill(at, 4, 7);
        Assert.Equal(4, m.Reclaim(64));
        Assert.Equal(0, m.Swap.UsedSlots);
        Assert.Equal(0UL, p.Load(at + P).Value);
    }

    [Fact]
    public void Reclaim_takes_the_least_recently_used_page_first()
    {
        var m = New(frames: 64, swapSlots: 64);
        var p = m.User();
        var at = p.MapAnon(3);
        p.Fill(at, 3, 1);
        Assert.Equal(1, m.Reclaim(1));
        Assert.True(Pte.IsSwap(p.Mm!.PageTable.Get(Page.ToVpn(at))));
        Assert.True(Pte.IsPresent(p.Mm.PageTable.Get(Page.ToVpn(at + P))));
        Assert.True(Pte.IsPresent(p.Mm.PageTable.Get(Page.ToVpn(at + (2 * P)))));
        m.CheckInvariants();
    }

    [Fact]
    public void A_copy_on_write_fault_that_has_to_reclaim_can_evict_the_page_it_is_copying()
    {
        // The only reclaimable page is the one being copied: do_wp_page must cope with it going to swap meanwhile.
        var m = New(frames: 3, swapSlots: 8);
        var parent = m.User();
        var at = parent.MapAnon(2);
        parent.Store(at, 41);
        var child = m.Fork(parent).Value;
        parent.Store(at + P, 42);
        Assert.Equal(0, m.Frames.FreeCount);

        Assert.True(child.Store(at, 7).IsOk);
        Assert.Equal(7UL, child.Load(at).Value);
        Assert.Equal(41UL, parent.Load(at).Value);
        Assert.Equal(42UL, parent.Load(at + P).Value);
        m.CheckInvariants();
    }
}
