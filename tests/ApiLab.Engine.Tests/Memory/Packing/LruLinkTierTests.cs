using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory.Packing;

/// <summary>
/// LRU (and free-list) links in 512-frame chunks (FramePool.LruLinks.cs): linear with a few exceptions, 16-bit
/// deltas, 32-bit frames. Whatever the tier, the lists must hold the same frames in the same order and the free list
/// must hand frames back last freed first.
/// </summary>
public sealed class LruLinkTierTests
{
    private const int Chunk = FramePool.LinkChunkSize;
    private const FrameFlags AnonFlags = FrameFlags.Anon | FrameFlags.SwapBacked;

    [Fact]
    public void Links_widen_to_16_bits_when_a_chunk_breaks_its_prediction_too_often_and_narrow_when_they_follow_it_again()
    {
        var m = New(frames: 4 * Chunk);
        var frames = m.Frames;
        var all = Allocate(frames, 3 * Chunk);
        foreach (var f in all)
        {
            frames.LruAdd(f, active: false);
        }

        var probe = Chunk + 100;
        Assert.Equal(FramePool.LinkTier.Linear, frames.LinkTierOf(probe, next: true));
        Assert.Equal(FramePool.LinkTier.Linear, frames.LinkTierOf(probe, next: false));
        Assert.Equal(all, frames.LruFrames(swapBacked: true, active: false));

        // Every fourth frame of the middle chunk is activated: each removal links its neighbours across it.
        var activated = all.Where(static f => f >> FramePool.LinkChunkBits == 1 && f % 4 == 0).ToArray();
        foreach (var f in activated)
        {
            frames.LruMove(f, active: true);
        }

        Assert.Equal(FramePool.LinkTier.Delta16, frames.LinkTierOf(probe, next: true));
        Assert.Equal(FramePool.LinkTier.Delta16, frames.LinkTierOf(probe, next: false));
        Assert.Equal(FramePool.LinkTier.Linear, frames.LinkTierOf(2 * Chunk + 5, next: true));
        Assert.Equal(all.Except(activated), frames.LruFrames(swapBacked: true, active: false));
        Assert.Equal(activated, frames.LruFrames(swapBacked: true, active: true));
        Assert.Equal(all[0], frames.LruTail(swapBacked: true, active: false));
        Assert.Equal(activated[0], frames.LruTail(swapBacked: true, active: true));
        Assert.Null(frames.CheckSlots());

        // Off the lists and freed in order, every link follows the prediction again: the arrays go.
        foreach (var f in all)
        {
            frames.Put(f);
        }

        Assert.Equal(FramePool.LinkTier.Linear, frames.LinkTierOf(probe, next: true));
        Assert.Equal(FramePool.LinkTier.Linear, frames.LinkTierOf(probe, next: false));
        Assert.Null(frames.CheckSlots());

        // The free list hands them back last freed first.
        Assert.Equal(all.Reverse(), Allocate(frames, all.Length));
        foreach (var f in all)
        {
            frames.Put(f);
        }

        m.CheckInvariants();
    }

    [Fact]
    public void A_link_too_far_for_16_bits_widens_its_chunk_to_32_bits()
    {
        const int far = 36_000;
        var m = New(frames: far + 16);
        var frames = m.Frames;
        var all = Allocate(frames, far);
        var near = all.Take(2 * Chunk).ToArray();
        foreach (var f in near)
        {
            frames.LruAdd(f, active: false);
        }

        var activated = near.Where(static f => f >> FramePool.LinkChunkBits == 1 && f % 8 == 0).ToArray();
        foreach (var f in activated)
        {
            frames.LruMove(f, active: true);
        }

        var head = activated[^1];
        Assert.Equal(FramePool.LinkTier.Delta16, frames.LinkTierOf(head, next: false));

        // The active list's head (in the 16-bit chunk) gets a newer neighbour 35,000 frames away.
        frames.LruAdd(far - 1, active: true);
        Assert.Equal(FramePool.LinkTier.Absolute32, frames.LinkTierOf(head, next: false));
        Assert.Equal([.. activated, far - 1], frames.LruFrames(swapBacked: true, active: true));
        Assert.Equal(near.Except(activated), frames.LruFrames(swapBacked: true, active: false));
        Assert.Null(frames.CheckSlots());

        // Moving it back to the inactive list's head and removing the active head still walk right.
        frames.LruMove(far - 1, active: false);
        frames.LruRemove(activated[^1]);
        frames.LruAdd(activated[^1], active: false);
        Assert.Equal(activated[..^1], frames.LruFrames(swapBacked: true, active: true));
        Assert.Equal([.. near.Except(activated), far - 1, activated[^1]], frames.LruFrames(swapBacked: true, active: false));
        Assert.Null(frames.CheckSlots());
        foreach (var f in all)
        {
            frames.Put(f);
        }

        m.CheckInvariants();
    }

    [Fact]
    public void The_free_list_hands_frames_back_last_freed_first_through_every_link_tier()
    {
        const int capacity = 36_000;
        var m = New(frames: capacity);
        var frames = m.Frames;
        var all = Allocate(frames, capacity - 1);
        Assert.Equal(-1, frames.TryAllocate(0, AnonFlags));

        // Chunk 69 holds frames 35,328 to 35,839: the first one freed ends the free list (-1), the rest of the chunk
        // goes in shuffled order (links within the chunk: 16-bit deltas), then a far frame, then one whose link back
        // to it needs 32 bits.
        const int first = 35_500, last = 35_400, farAway = 5;
        var chunk = Enumerable.Range(69 * Chunk, Chunk).Where(static f => f is not first and not last).ToArray();
        new Random(7).Shuffle(chunk);
        int[] order = [first, .. chunk];
        foreach (var f in order)
        {
            frames.Put(f);
        }

        Assert.Equal(FramePool.LinkTier.Delta16, frames.LinkTierOf(first, next: true));
        Assert.Null(frames.CheckSlots());
        Assert.Equal(order.Reverse(), Allocate(frames, order.Length));
        Assert.Equal(-1, frames.TryAllocate(0, AnonFlags));

        foreach (var f in order)
        {
            frames.Put(f);
        }

        frames.Put(farAway);
        frames.Put(last);
        order = [.. order, farAway, last];
        Assert.Equal(FramePool.LinkTier.Absolute32, frames.LinkTierOf(first, next: true));
        Assert.Equal(order.Length, frames.FreeCount);
        Assert.Null(frames.CheckSlots());

        Assert.Equal(order.Reverse(), Allocate(frames, order.Length));
        Assert.Equal(-1, frames.TryAllocate(0, AnonFlags));
        foreach (var f in all)
        {
            frames.Put(f);
        }

        Assert.Equal(0, frames.UsedCount);
        m.CheckInvariants();
    }

    [Fact]
    public void Reclaim_under_pressure_keeps_every_list_whole_whatever_the_tiers()
    {
        // Pressure rotates and evicts frames in the order reclaim finds them; a later refault takes them in the
        // free list's order. The invariant checker walks every list both ways after each call.
        var m = New(frames: 3 * Chunk, swapSlots: 8 * Chunk);
        var p = m.User();
        var at = p.MapAnon(4 * Chunk);
        p.Fill(at, 4 * Chunk, 1);
        var random = new Random(11);
        for (var i = 0; i < 2 * Chunk; i++)
        {
            var page = (ulong)random.Next(4 * Chunk);
            Assert.Equal(1 + page, p.Load(at + (page * P)).Value);
        }

        Assert.True(m.Stats.PagesScanned > 0);
        for (var page = 0UL; page < 4 * Chunk; page++)
        {
            Assert.Equal(1 + page, p.Load(at + (page * P)).Value);
        }

        m.CheckInvariants();
    }

    [Fact]
    public void Chunks_widened_while_the_pool_is_small_grow_with_it()
    {
        // The pool's arrays start at 64 frames and double: a wide chunk covering the old end must grow too.
        var m = New(frames: 2 * Chunk);
        var a = m.User().Mm!;
        var frames = m.Frames;
        var early = Allocate(frames, 40);
        foreach (var f in early)
        {
            frames.LruAdd(f, active: false);
            frames.Charge(f, a);
            frames.AddMapping(f, a, 1000 - (ulong)f * 3);
        }

        var activated = early.Where(static f => f % 3 == 0).ToArray();
        foreach (var f in activated)
        {
            frames.LruMove(f, active: true);
        }

        Assert.Equal(FramePool.LinkTier.Delta16, frames.LinkTierOf(early[0], next: true));
        Assert.Equal(FramePool.RmapTier.Vpn32, frames.RmapTierOf(early[0]));

        var late = Allocate(frames, Chunk);
        foreach (var f in late)
        {
            frames.LruAdd(f, active: f % 2 == 0);
            frames.Charge(f, a);
            frames.AddMapping(f, a, 5000 + (ulong)f * 7);
        }

        Assert.Equal([.. early.Except(activated), .. late.Where(static f => f % 2 != 0)], frames.LruFrames(swapBacked: true, active: false));
        Assert.Equal([.. activated, .. late.Where(static f => f % 2 == 0)], frames.LruFrames(swapBacked: true, active: true));
        foreach (var f in early)
        {
            Assert.Equal([(a, 1000 - (ulong)f * 3)], frames.Mappings(f));
        }

        foreach (var f in late)
        {
            Assert.Equal([(a, 5000 + (ulong)f * 7)], frames.Mappings(f));
            Assert.Same(a, frames.MemcgOwner(f));
        }

        Assert.Null(frames.CheckSlots());
        foreach (var f in early)
        {
            frames.RemoveMapping(f, a, 1000 - (ulong)f * 3);
            frames.Put(f);
        }

        foreach (var f in late)
        {
            frames.RemoveMapping(f, a, 5000 + (ulong)f * 7);
            frames.Put(f);
        }

        Assert.Equal(0, a.MemcgCharged);
        m.CheckInvariants();
    }

    private static int[] Allocate(FramePool frames, int count)
    {
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = frames.TryAllocate(0, AnonFlags);
            Assert.True(result[i] > 0);
        }

        return result;
    }
}
