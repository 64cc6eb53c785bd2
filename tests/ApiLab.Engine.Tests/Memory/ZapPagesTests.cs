using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>Mm.ZapPages: MADV_DONTNEED's zap without madvise's checks or userfaultfd events (the uffd-zap design's primitive).</summary>
public sealed class ZapPagesTests
{
    [Fact]
    public void It_unmaps_the_pages_frees_exclusive_frames_and_flushes_once()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(4);
        p.Fill(at, 4, 10);
        var flushes = m.Stats.TlbFlushes;
        Assert.Equal(3, p.Mm!.ZapPages(at, at + (3 * Page.Size)));
        Assert.Equal(1, m.Stats.TlbFlushes - flushes);
        Assert.Equal(1, p.Mm.RssAnon);
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(13UL, p.Load(at + (3 * Page.Size)).Value);
    }

    [Fact]
    public void Nothing_present_means_no_flush_and_a_frame_shared_after_fork_stays()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2);
        Assert.Equal(0, p.Mm!.ZapPages(at, at + (2 * Page.Size)));
        Assert.Equal(0, p.Mm.TlbFlushes);
        p.Fill(at, 2, 20);
        var child = m.Fork(p).Value;
        var used = m.Frames.UsedCount;
        Assert.Equal(2, p.Mm.ZapPages(at, at + (2 * Page.Size)));
        Assert.Equal(used, m.Frames.UsedCount);
        Assert.Equal(21UL, child.Load(at + Page.Size).Value);
    }
}
