using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Stack;

/// <summary>MAP_GROWSDOWN and expand_downwards, as probed on the 6.18 host (faults caught with a SIGSEGV handler).</summary>
public sealed class StackGrowthTests
{
    private const MapFlags GrowsDown = MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed | MapFlags.GrowsDown;

    private static ulong MapGrowsDown(Process p, ulong at, int pages = 1, Prot prot = Prot.ReadWrite) =>
        p.Mmap(at, (ulong)pages * P, prot, GrowsDown).Value;

    [Fact]
    public void An_access_below_a_grows_down_vma_expands_it_to_the_page_touched()
    {
        var m = New();
        var p = m.User();
        var g = MapGrowsDown(p, 0x300000000000, 2);
        Assert.True(p.Store(g - 1, 1).IsOk);
        Assert.Equal(Range(g - P, g + (2 * P), "rw-p"), p.MapsShape()[0]);
        Assert.Equal(0UL, p.Load(g - (20 * P) + 5).Value);
        Assert.Equal(Range(g - (20 * P), g + (2 * P), "rw-p"), p.MapsShape()[0]);
    }

    [Fact]
    public void The_stack_may_not_come_within_the_guard_gap_of_an_accessible_vma_below()
    {
        var m = New();
        var p = m.User();
        var g = MapGrowsDown(p, 0x360000000000);
        p.MapAnon(1, prot: Prot.Read, at: g - (300 * P));
        Assert.Equal(Errno.EFAULT, p.Store(g - (44 * P), 1).Error);
        Assert.Equal(Range(g, g + P, "rw-p"), p.MapsShape()[1]);
        Assert.True(p.Store(g - (43 * P), 1).IsOk);
        Assert.Equal(Errno.EFAULT, p.Store(g - (44 * P), 1).Error);

        // A PROT_NONE neighbour needs no gap: the stack may grow right up to it.
        p.Mprotect(g - (300 * P), P, Prot.None);
        Assert.True(p.Store(g - (299 * P), 1).IsOk);
        Assert.Equal(Range(g - (299 * P), g + P, "rw-p"), p.MapsShape()[1]);
    }

    [Fact]
    public void A_grows_down_neighbour_needs_no_gap_and_the_grown_vma_does_not_merge_into_it()
    {
        var m = New();
        var p = m.User();
        var s1 = MapGrowsDown(p, 0x380000000000);
        var s0 = MapGrowsDown(p, 0x380000000000 - (10 * P));
        Assert.True(p.Store(s1 - (9 * P), 1).IsOk);
        Assert.Equal([Range(s0, s0 + P, "rw-p"), Range(s0 + P, s1 + P, "rw-p")], p.MapsShape());

        // Mapped adjacent, grows-down VMAs merge like any other.
        var m1 = MapGrowsDown(p, 0x350000000000);
        MapGrowsDown(p, m1 - P);
        Assert.Contains(Range(m1 - P, m1 + P, "rw-p"), p.MapsShape());
    }

    [Fact]
    public void A_refused_write_still_leaves_the_stack_grown()
    {
        var m = New();
        var p = m.User();
        var h = MapGrowsDown(p, 0x310000000000, prot: Prot.Read);
        Assert.Equal(Errno.EFAULT, p.Store(h - P, 1).Error);
        Assert.Equal(Range(h - P, h + P, "r--p"), p.MapsShape()[0]);
    }

    [Fact]
    public void Growth_beyond_RLIMIT_STACK_is_SIGSEGV()
    {
        var m = New();
        var p = m.User();
        p.Limits.Stack = 64 * P;
        var k = MapGrowsDown(p, 0x320000000000);
        Assert.True(p.Store(k - (63 * P), 1).IsOk);
        Assert.Equal(Errno.EFAULT, p.Store(k - (64 * P), 1).Error);
        Assert.Equal(Range(k - (63 * P), k + P, "rw-p"), p.MapsShape()[0]);
    }

    [Fact]
    public void A_sealed_grows_down_vma_still_grows()
    {
        var m = New();
        var p = m.User();
        var s = MapGrowsDown(p, 0x330000000000);
        p.Mseal(s, P);
        Assert.True(p.Store(s - 1, 1).IsOk);
        Assert.Equal(Range(s - P, s + P, "rw-p"), p.MapsShape()[0]);
    }

    [Fact]
    public void Shared_grows_down_mappings_are_EINVAL()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous | MapFlags.GrowsDown).Error);
    }

    [Fact]
    public void Placement_keeps_the_guard_gap_below_a_grows_down_vma()
    {
        var m = New();
        var p = m.User();
        var t = MapGrowsDown(p, 0x370000000000);
        foreach (var (distance, honoured) in new[] { (255UL, false), (256UL, false), (257UL, true), (258UL, true) })
        {
            var u = p.Mmap(t - (distance * P), P, Prot.Read, MapFlags.Private | MapFlags.Anonymous).Value;
            Assert.Equal(honoured, u == t - (distance * P));
            p.Munmap(u, P);
        }

        // Top-down placement under a grows-down VMA right at mmap_base leaves the gap too.
        var top = MapGrowsDown(p, Mm.DefaultMmapBase - P);
        Assert.Equal(top - Mm.StackGuardGap - P, p.MapAnon(1));
    }

    [Fact]
    public void Remote_access_through_gup_never_grows_a_stack()
    {
        var m = New();
        var target = m.User();
        var g = MapGrowsDown(target, 0x300000000000);
        var reader = m.Spawn(Credentials.Root, "reader").Value;
        var buffer = reader.MapAnon(1);
        var result = m.ProcessVmReadv(reader, new Pid(target.Pid), [new IoVec(buffer, 8)], [new IoVec(g - P, 8)], 0);
        Assert.Equal(Errno.EFAULT, result.Error);
        Assert.Equal(Range(g, g + P, "rw-p"), target.MapsShape()[0]);
    }
}
