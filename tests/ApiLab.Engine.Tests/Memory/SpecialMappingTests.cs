using ApiLab.Engine.Tests.Support;
using ApiLab.Spec;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>_install_special_mapping with the two policies the droppable debate asked of it (seed 002).</summary>
public sealed class SpecialMappingTests
{
    private static readonly SpecialMapping Droppy = new("[states]") { FreshOnFork = true, DiscardOnEvict = true };

    [Fact]
    public void It_is_a_named_shared_special_vma_that_never_merges()
    {
        var m = New();
        var p = m.User();
        var a = p.Mm!.InstallSpecialMapping(P, Prot.ReadWrite, Droppy).Value;
        var b = p.Mm.InstallSpecialMapping(P, Prot.ReadWrite, Droppy).Value;
        Assert.Equal(a - P, b);
        Assert.Equal(2, p.Mm.Vmas.Count);
        Assert.EndsWith(" rw-s", p.MapsShape()[0]);
        Assert.Contains("rw-s 00000000 00:00 0 ", p.Mm.FormatMaps());
        Assert.EndsWith(" [states]", p.Mm.FormatMaps().Split('\n')[0]);
        Assert.Equal("[states]", p.Mm.Describe()[0].Name);
        Assert.False(p.Mm.Describe()[0].FileBacked);
        Assert.Equal(Errno.EINVAL, p.Mm.InstallSpecialMapping(0, Prot.ReadWrite, Droppy).Error);
    }

    [Fact]
    public void Fork_with_fresh_on_fork_gives_the_child_empty_pages_and_without_it_the_pages_are_shared()
    {
        var m = New();
        var p = m.User();
        var fresh = p.Mm!.InstallSpecialMapping(P, Prot.ReadWrite, Droppy).Value;
        var shared = p.Mm.InstallSpecialMapping(P, Prot.ReadWrite, new SpecialMapping("[shared]")).Value;
        p.Fill(fresh, 1, 7);
        p.Fill(shared, 1, 8);
        var child = m.Fork(p).Value;
        Assert.Equal(0UL, child.Load(fresh).Value);
        Assert.Equal(8UL, child.Load(shared).Value);
        Assert.True(child.Store(fresh, 9).IsOk);
        Assert.Equal(7UL, p.Load(fresh).Value);
        m.Exit(child);
        m.Exit(p);
        Assert.Equal(0, m.Frames.UsedCount);
    }

    [Fact]
    public void Discard_on_evict_pages_are_dropped_without_swap_and_others_are_swapped()
    {
        var m = New(frames: 64, swapSlots: 64);
        var p = m.User();
        var dropped = p.Mm!.InstallSpecialMapping(P, Prot.ReadWrite, Droppy).Value;
        var kept = p.Mm.InstallSpecialMapping(P, Prot.ReadWrite, new SpecialMapping("[kept]")).Value;
        p.Fill(dropped, 1, 7);
        p.Fill(kept, 1, 8);
        m.Reclaim(64);
        Assert.Equal(1, m.Swap.UsedSlots);
        Assert.Equal(0UL, p.Load(dropped).Value);
        Assert.Equal(8UL, p.Load(kept).Value);
    }

    [Fact]
    public void It_is_always_dumped_and_mlock_leaves_it_unlocked()
    {
        var m = New();
        var p = m.User();
        var at = p.Mm!.InstallSpecialMapping(P, Prot.ReadWrite, Droppy).Value;
        p.Fill(at, 1, 7);
        Assert.True(p.Madvise(at, P, Advice.DontDump).IsOk);
        Assert.Equal(7UL, m.CoreDump(p).Value.Segments.Single().ValueAt(at));
        Assert.Equal(Errno.EINVAL, p.Madvise(at, P, Advice.DoDump).Error);
        Assert.True(p.Mlock(at, P).IsOk);
        Assert.Equal(0, p.Mm.LockedVm);
    }
}
