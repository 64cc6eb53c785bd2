using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory.Packing;

/// <summary>
/// The frame pool's compact representation (one inline mapping per frame, spilled rmap entries for shared frames,
/// memcg charges folded into the rmap word or kept aside, zero contents that cost nothing) must answer exactly as
/// the plain per-frame arrays did.
/// </summary>
public sealed class FramePoolPackingTests
{
    [Fact]
    public void A_frame_keeps_its_charge_and_every_mapping_as_it_goes_from_private_to_shared_and_back()
    {
        var m = New();
        var a = m.User().Mm!;
        var b = m.User().Mm!;
        var frames = m.Frames;
        var f = frames.TryAllocate(7, FrameFlags.Anon | FrameFlags.SwapBacked);
        frames.LruAdd(f, active: false);
        frames.Charge(f, a);
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Equal(0, frames.MapCount(f));
        Assert.Empty(frames.Mappings(f));

        frames.AddMapping(f, a, 5);
        frames.Get(f);
        frames.AddMapping(f, b, 9);
        Assert.Equal(2, frames.MapCount(f));
        Assert.Equal([(b, 9UL), (a, 5UL)], frames.Mappings(f));
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Null(frames.CheckSlots());

        // The charged mm unmaps first: the charge stays with it while b still maps the frame.
        frames.RemoveMapping(f, a, 5);
        Assert.Equal([(b, 9UL)], frames.Mappings(f));
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Equal(1, a.MemcgCharged);
        Assert.Equal(0, b.MemcgCharged);
        Assert.Null(frames.CheckSlots());

        frames.MoveMapping(f, b, 9, 11);
        Assert.Equal([(b, 11UL)], frames.Mappings(f));
        frames.RemoveMapping(f, b, 11);
        frames.Put(f);
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Equal(0, frames.MapCount(f));
        Assert.Null(frames.CheckSlots());

        frames.Put(f);
        Assert.Equal(0, a.MemcgCharged);
        Assert.Equal(FrameFlags.None, frames.Flags(f));
        Assert.Null(frames.MemcgOwner(f));
        Assert.Null(frames.CheckSlots());
    }

    [Fact]
    public void A_shared_frame_that_goes_back_to_one_mapping_takes_its_charge_back_inline()
    {
        var m = New();
        var a = m.User().Mm!;
        var b = m.User().Mm!;
        var frames = m.Frames;
        var f = frames.TryAllocate(1, FrameFlags.Anon | FrameFlags.SwapBacked);
        frames.Charge(f, a);
        frames.AddMapping(f, a, 3);
        frames.AddMapping(f, b, 3);
        frames.RemoveMapping(f, b, 3);
        Assert.Equal([(a, 3UL)], frames.Mappings(f));
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Null(frames.CheckSlots());

        // Recharging to the other mm keeps one charge in all.
        frames.Charge(f, b);
        Assert.Equal((0L, 1L), (a.MemcgCharged, b.MemcgCharged));
        Assert.Same(b, frames.MemcgOwner(f));
        Assert.Null(frames.CheckSlots());
        frames.Uncharge(f);
        Assert.Equal((0L, 0L), (a.MemcgCharged, b.MemcgCharged));
        Assert.Null(frames.CheckSlots());
    }

    [Fact]
    public void A_vpn_too_wide_for_the_inline_word_is_still_mapped_moved_and_unmapped()
    {
        var m = New();
        var a = m.User().Mm!;
        var frames = m.Frames;
        var f = frames.TryAllocate(1, FrameFlags.Anon | FrameFlags.SwapBacked);
        frames.Charge(f, a);
        const ulong wide = 1UL << 40;
        frames.AddMapping(f, a, wide);
        Assert.Equal([(a, wide)], frames.Mappings(f));
        frames.MoveMapping(f, a, wide, 12);
        frames.MoveMapping(f, a, 12, wide + 1);
        Assert.Equal([(a, wide + 1)], frames.Mappings(f));
        Assert.Throws<InvalidOperationException>(() => frames.RemoveMapping(f, a, wide));
        frames.RemoveMapping(f, a, wide + 1);
        Assert.Equal(0, frames.MapCount(f));
        Assert.Same(a, frames.MemcgOwner(f));
        Assert.Null(frames.CheckSlots());
    }

    [Fact]
    public void Zero_contents_read_as_zero_and_a_written_word_reads_back_after_the_frame_is_reused()
    {
        var m = New();
        var frames = m.Frames;
        var f = frames.TryAllocate(0, FrameFlags.Anon);
        Assert.Equal(0UL, frames.Content(f));
        frames.SetContent(f, 0xdead_beef_0000_0001UL);
        Assert.Equal(0xdead_beef_0000_0001UL, frames.Content(f));
        frames.Put(f);
        var again = frames.TryAllocate(0, FrameFlags.Anon);
        Assert.Equal(f, again);
        Assert.Equal(0UL, frames.Content(again));
    }

    [Fact]
    public void A_refcount_past_16_bits_is_counted_exactly_and_the_last_put_still_frees()
    {
        var m = New();
        var frames = m.Frames;
        var f = frames.TryAllocate(5, FrameFlags.Anon);
        frames.LruAdd(f, active: false);
        const int extra = 70_000;
        for (var i = 0; i < extra; i++)
        {
            frames.Get(f);
        }

        Assert.Equal(extra + 1, frames.RefCount(f));
        for (var i = 0; i < extra; i++)
        {
            frames.Put(f);
        }

        Assert.Equal(1, frames.RefCount(f));
        Assert.Equal(5UL, frames.Content(f));
        var used = frames.UsedCount;
        frames.Put(f);
        Assert.Equal(used - 1, frames.UsedCount);
        Assert.Equal(0, frames.RefCount(f));
    }

    [Fact]
    public void Mms_beyond_the_inline_slot_range_still_map_charge_and_free_exactly()
    {
        // Checked by hand at the end: the per-syscall checker walks every process, which 2,100 of them make slow.
        var m = new Machine(new MachineConfig { Frames = 4096 });
        var processes = new List<Process>();
        for (var i = 0; i < 2100; i++)
        {
            var p = m.User();
            var at = p.MapAnon(1);
            p.Store(at, (ulong)i + 1);
            processes.Add(p);
        }

        m.CheckInvariants();
        Assert.Contains(processes, static p => p.Mm!.FrameSlot > 2046);
        for (var i = 0; i < processes.Count; i++)
        {
            var mm = processes[i].Mm!;
            var vma = mm.Vmas[mm.Vmas.Count - 1];
            var frame = Pte.Index(mm.PageTable.Get(Page.ToVpn(vma.Start)));
            Assert.Equal([(mm, Page.ToVpn(vma.Start))], m.Frames.Mappings(frame));
            Assert.Same(mm, m.Frames.MemcgOwner(frame));
            Assert.Equal((ulong)i + 1, processes[i].Load(vma.Start).Value);
        }

        foreach (var p in processes)
        {
            m.Exit(p);
        }

        m.CheckInvariants();
        Assert.Equal(0, m.Frames.UsedCount);
    }

    [Fact]
    public void An_mm_slot_is_given_back_when_nothing_refers_to_the_mm_any_more()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(4);
        p.Fill(at, 4, 1);
        var child = m.Fork(p).Value;
        child.Store(at, 99);
        m.CheckInvariants();
        Assert.True(child.Mm!.FrameSlot >= 0);
        var childMm = child.Mm!;
        m.Exit(child);
        m.CheckInvariants();
        Assert.Equal(-1, childMm.FrameSlot);
        Assert.Equal(0, childMm.MemcgCharged);
    }
}
