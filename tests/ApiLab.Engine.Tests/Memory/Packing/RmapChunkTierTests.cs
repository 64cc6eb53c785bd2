using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory.Packing;

/// <summary>
/// Rmap words in 512-frame chunks (FramePool.RmapWords.cs): empty, linear (one mm, vpn = base ± offset), 32-bit vpns,
/// dense. Every
/// transition must leave the mapcount, the rmap walk and the memcg owner exactly what a plain per-frame word gave.
/// </summary>
public sealed class RmapChunkTierTests
{
    private const int Chunk = FramePool.RmapChunkSize;

    [Fact]
    public void Pages_faulted_in_order_are_linear_a_fork_makes_them_dense_and_the_last_unmap_empties_the_chunks()
    {
        var m = New(frames: 4096);
        var p = m.User();
        var mm = p.Mm!;
        var at = p.MapAnon(3 * Chunk);
        p.Fill(at, 3 * Chunk, 1);
        var frames = FramesOf(p, at, 3 * Chunk);
        Assert.Equal(Enumerable.Range(frames[0], 3 * Chunk), frames);
        var middle = frames[Chunk + 7];
        Assert.Equal(FramePool.RmapTier.Linear, m.Frames.RmapTierOf(middle));
        Assert.Equal(FramePool.LinkTier.Linear, m.Frames.LinkTierOf(middle, next: true));
        Assert.Equal(FramePool.LinkTier.Linear, m.Frames.LinkTierOf(middle, next: false));
        Assert.Equal(frames, m.Frames.LruFrames(swapBacked: true, active: false));
        AssertMappedOnceBy(m, p, at, frames);

        // After fork every frame has two mappings (spilled entries): no line predicts that.
        var child = m.Fork(p).Value;
        Assert.Equal(FramePool.RmapTier.Dense, m.Frames.RmapTierOf(middle));
        for (var i = 0; i < frames.Length; i++)
        {
            var vpn = Page.ToVpn(at) + (ulong)i;
            Assert.Equal(2, m.Frames.MapCount(frames[i]));
            Assert.Equal([(child.Mm!, vpn), (mm, vpn)], m.Frames.Mappings(frames[i]));
            Assert.Same(mm, m.Frames.MemcgOwner(frames[i]));
        }

        // The child goes: one inline mapping each again, still in the dense chunk.
        m.Exit(child);
        Assert.Equal(FramePool.RmapTier.Dense, m.Frames.RmapTierOf(middle));
        AssertMappedOnceBy(m, p, at, frames);
        Assert.Equal(3 * Chunk, mm.MemcgCharged);

        Assert.True(p.Munmap(at, 3 * (ulong)Chunk * P).IsOk);
        Assert.Equal(0, m.Frames.UsedCount);
        Assert.Equal(FramePool.RmapTier.Empty, m.Frames.RmapTierOf(middle));
        Assert.Equal(0, mm.MemcgCharged);

        // Faulted again, the same frames are linear again.
        var again = p.MapAnon(3 * Chunk);
        p.Fill(again, 3 * Chunk, 100);
        Assert.Equal(FramePool.RmapTier.Linear, m.Frames.RmapTierOf(FramesOf(p, again, 3 * Chunk)[Chunk + 7]));
        AssertMappedOnceBy(m, p, again, FramesOf(p, again, 3 * Chunk));
        m.CheckInvariants();
    }

    [Fact]
    public void Pages_refaulted_after_a_zap_take_their_frames_in_reverse_and_the_chunks_stay_linear()
    {
        var m = New(frames: 4096);
        var p = m.User();
        var at = p.MapAnon(3 * Chunk);
        p.Fill(at, 3 * Chunk, 1);
        Assert.True(p.Madvise(at, 3 * (ulong)Chunk * P, Advice.DontNeed).IsOk);
        p.Fill(at, 3 * Chunk, 1000);
        var frames = FramesOf(p, at, 3 * Chunk);
        Assert.Equal(Enumerable.Range(frames[^1], 3 * Chunk).Reverse(), frames);
        var middle = frames[Chunk + 7];
        Assert.Equal(FramePool.RmapTier.Linear, m.Frames.RmapTierOf(middle));
        AssertMappedOnceBy(m, p, at, frames);

        // The links run the other way too (next = f + 1): the middle chunks predict that instead.
        Assert.Equal(frames, m.Frames.LruFrames(swapBacked: true, active: false));
        Assert.Equal(FramePool.LinkTier.Linear, m.Frames.LinkTierOf(middle, next: true));
        Assert.Equal(FramePool.LinkTier.Linear, m.Frames.LinkTierOf(middle, next: false));
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(1000UL + (ulong)i, p.Load(at + ((ulong)i * P)).Value);
        }
    }

    [Fact]
    public void A_mapping_off_the_line_moves_the_vpns_to_an_array_and_one_of_another_mm_makes_the_chunk_dense()
    {
        var m = New();
        var a = m.User().Mm!;
        var b = m.User().Mm!;
        var frames = m.Frames;
        var f = Charged(frames, a, 4);

        // Charged but unmapped, then two mappings that set the line (vpn = 100 + offset from f[0]).
        Assert.Equal(FramePool.RmapTier.Linear, frames.RmapTierOf(f[0]));
        frames.AddMapping(f[0], a, 100);
        frames.AddMapping(f[1], a, 101);
        Assert.Equal(FramePool.RmapTier.Linear, frames.RmapTierOf(f[0]));
        Assert.Null(frames.CheckSlots());

        // A vpn the line does not predict: the vpns go to a 32-bit array, and stay exact there.
        frames.AddMapping(f[2], a, 500);
        Assert.Equal(FramePool.RmapTier.Vpn32, frames.RmapTierOf(f[0]));
        frames.MoveMapping(f[1], a, 101, 7);
        Assert.Equal([(a, 100UL)], frames.Mappings(f[0]));
        Assert.Equal([(a, 7UL)], frames.Mappings(f[1]));
        Assert.Equal([(a, 500UL)], frames.Mappings(f[2]));
        Assert.Equal(0, frames.MapCount(f[3]));
        Assert.All(f, frame => Assert.Same(a, frames.MemcgOwner(frame)));
        Assert.Null(frames.CheckSlots());

        // Another mm in the same chunk: dense.
        frames.AddMapping(f[3], b, 7);
        Assert.Equal(FramePool.RmapTier.Dense, frames.RmapTierOf(f[0]));
        frames.MoveMapping(f[3], b, 7, 8);
        Assert.Equal([(a, 100UL)], frames.Mappings(f[0]));
        Assert.Equal([(a, 7UL)], frames.Mappings(f[1]));
        Assert.Equal([(a, 500UL)], frames.Mappings(f[2]));
        Assert.Equal([(b, 8UL)], frames.Mappings(f[3]));
        Assert.Same(a, frames.MemcgOwner(f[3]));
        Assert.Equal((4L, 0L), (a.MemcgCharged, b.MemcgCharged));
        Assert.Null(frames.CheckSlots());

        frames.RemoveMapping(f[0], a, 100);
        frames.RemoveMapping(f[1], a, 7);
        frames.RemoveMapping(f[2], a, 500);
        frames.RemoveMapping(f[3], b, 8);
        Assert.Equal(FramePool.RmapTier.Dense, frames.RmapTierOf(f[0]));
        Assert.All(f, frame => Assert.Same(a, frames.MemcgOwner(frame)));
        PutAll(frames, f);
        Assert.Equal(FramePool.RmapTier.Empty, frames.RmapTierOf(f[0]));
        Assert.Equal(0, a.MemcgCharged);
        Assert.Null(frames.CheckSlots());
        m.CheckInvariants();
    }

    [Fact]
    public void The_vpn_array_goes_with_the_last_mapping_and_vpns_too_far_apart_for_it_make_the_chunk_dense()
    {
        var m = New();
        var a = m.User().Mm!;
        var frames = m.Frames;
        var f = Charged(frames, a, 3);
        frames.AddMapping(f[0], a, 40);

        // The anchor alone may move anywhere; the line is only fixed by a second mapping, here off it.
        frames.MoveMapping(f[0], a, 40, 41);
        Assert.Equal(FramePool.RmapTier.Linear, frames.RmapTierOf(f[0]));
        frames.AddMapping(f[1], a, 43);
        Assert.Equal(FramePool.RmapTier.Vpn32, frames.RmapTierOf(f[0]));
        Assert.Equal([(a, 41UL)], frames.Mappings(f[0]));
        Assert.Equal([(a, 43UL)], frames.Mappings(f[1]));

        // Unmapped, the charges stay: back to linear with no line, which the next two mappings set afresh.
        frames.RemoveMapping(f[0], a, 41);
        frames.RemoveMapping(f[1], a, 43);
        Assert.Equal(FramePool.RmapTier.Linear, frames.RmapTierOf(f[0]));
        Assert.All(f, frame => Assert.Same(a, frames.MemcgOwner(frame)));
        frames.AddMapping(f[1], a, 90);
        frames.AddMapping(f[2], a, 89);
        Assert.Equal(FramePool.RmapTier.Linear, frames.RmapTierOf(f[0]));
        Assert.Equal([(a, 90UL)], frames.Mappings(f[1]));
        Assert.Equal([(a, 89UL)], frames.Mappings(f[2]));
        Assert.Null(frames.CheckSlots());

        // A vpn whose top bits differ from the others' cannot share their 32-bit array.
        const ulong high = (1UL << 33) + 5;
        frames.AddMapping(f[0], a, high);
        Assert.Equal(FramePool.RmapTier.Dense, frames.RmapTierOf(f[0]));
        Assert.Equal([(a, high)], frames.Mappings(f[0]));
        Assert.Equal([(a, 90UL)], frames.Mappings(f[1]));
        Assert.Null(frames.CheckSlots());
        frames.RemoveMapping(f[0], a, high);
        frames.RemoveMapping(f[1], a, 90);
        frames.RemoveMapping(f[2], a, 89);
        PutAll(frames, f);
        Assert.Equal(FramePool.RmapTier.Empty, frames.RmapTierOf(f[0]));
        m.CheckInvariants();
    }

    private static int[] Charged(FramePool frames, Mm mm, int count)
    {
        var f = new int[count];
        for (var i = 0; i < f.Length; i++)
        {
            f[i] = frames.TryAllocate(0, FrameFlags.Anon | FrameFlags.SwapBacked);
            frames.LruAdd(f[i], active: false);
            frames.Charge(f[i], mm);
        }

        return f;
    }

    private static void PutAll(FramePool frames, int[] f)
    {
        foreach (var frame in f)
        {
            frames.Put(frame);
        }
    }

    private static int[] FramesOf(Process p, ulong at, int pages) =>
        [.. Enumerable.Range(0, pages).Select(i => Pte.Index(p.Mm!.PageTable.Get(Page.ToVpn(at) + (ulong)i)))];

    private static void AssertMappedOnceBy(Machine m, Process p, ulong at, int[] frames)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(1, m.Frames.MapCount(frames[i]));
            Assert.Equal([(p.Mm!, Page.ToVpn(at) + (ulong)i)], m.Frames.Mappings(frames[i]));
            Assert.Same(p.Mm, m.Frames.MemcgOwner(frames[i]));
        }
    }
}
