using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Mseal;

/// <summary>mseal(2) (6.10) and what sealed VMAs refuse, as probed on the 6.18 host.</summary>
public sealed class MsealTests
{
    /// <summary>[a, a+2P) unsealed, [a+2P, a+4P) sealed, nothing around.</summary>
    private static (Process P, ulong A) HalfSealed(Machine m)
    {
        var p = m.User();
        var a = p.MapAnon(4, at: 0x100000000);
        Assert.True(p.Mseal(a + (2 * P), 2 * P).IsOk);
        return (p, a);
    }

    [Fact]
    public void Argument_errors_come_before_the_range_is_looked_at()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(4);
        Assert.Equal(Errno.EINVAL, p.Mseal(a, P, 1).Error);
        Assert.Equal(Errno.EINVAL, p.Mseal(a + 1, P).Error);
        Assert.Equal(0, p.Mseal(a, 0).Value);
        Assert.Equal(Errno.EINVAL, p.Mseal(a, ulong.MaxValue).Error);
        Assert.Equal(Errno.EINVAL, p.Mseal(a, unchecked((ulong)-8192L)).Error);
        Assert.Equal(Errno.EINVAL, p.Mseal(unchecked((ulong)-8192L), 16384).Error);
        Assert.Equal(VmFlags.None, p.Mm!.Vmas.Find(a)!.Flags & VmFlags.Sealed);
    }

    [Fact]
    public void A_hole_anywhere_in_the_range_is_ENOMEM_and_seals_nothing()
    {
        var m = New();
        var p = m.User();
        var h = p.MapAnon(3);
        p.Munmap(h + P, P);
        Assert.Equal(Errno.ENOMEM, p.Mseal(h, 3 * P).Error);
        Assert.Equal(Errno.ENOMEM, p.Mseal(h + P, P).Error);
        Assert.Equal(VmFlags.None, p.Mm!.Vmas.Find(h)!.Flags & VmFlags.Sealed);
    }

    [Fact]
    public void Sealing_splits_a_vma_adjacent_sealed_vmas_merge_and_sealing_twice_is_fine()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(4, at: 0x100000000);
        p.Mseal(a + (2 * P), P);
        Assert.Equal([Range(a, a + (2 * P), "rw-p"), Range(a + (2 * P), a + (3 * P), "rw-p"), Range(a + (3 * P), a + (4 * P), "rw-p")], p.MapsShape());
        p.Mseal(a + (3 * P), P);
        Assert.Equal([Range(a, a + (2 * P), "rw-p"), Range(a + (2 * P), a + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(0, p.Mseal(a + (2 * P), 2 * P).Value);
    }

    [Fact]
    public void Munmap_and_mmap_fixed_over_a_sealed_vma_are_EPERM_but_the_split_of_the_first_vma_stays()
    {
        var m = New();
        var (p, a) = HalfSealed(m);
        Assert.Equal(Errno.EPERM, p.Munmap(a + (2 * P), P).Error);
        Assert.Equal(Errno.EPERM, p.Munmap(a + P, 2 * P).Error);
        Assert.Equal([Range(a, a + P, "rw-p"), Range(a + P, a + (2 * P), "rw-p"), Range(a + (2 * P), a + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(Errno.EPERM, p.Munmap(a + P, 4 * P).Error);

        var (q, b) = HalfSealed(m);
        Assert.Equal(Errno.EPERM, q.Mmap(b + P, 2 * P, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Error);
        Assert.Equal([Range(b, b + P, "rw-p"), Range(b + P, b + (2 * P), "rw-p"), Range(b + (2 * P), b + (4 * P), "rw-p")], q.MapsShape());
        Assert.Equal(Errno.EEXIST, q.Mmap(b + (2 * P), P, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace).Error);
    }

    [Fact]
    public void Mprotect_changes_the_vmas_before_the_sealed_one_then_fails_with_EPERM()
    {
        var m = New();
        var (p, a) = HalfSealed(m);
        Assert.Equal(Errno.EPERM, p.Mprotect(a + P, 2 * P, Prot.Read).Error);
        Assert.Equal([Range(a, a + P, "rw-p"), Range(a + P, a + (2 * P), "r--p"), Range(a + (2 * P), a + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(Errno.EPERM, p.Mprotect(a, 5 * P, Prot.Read).Error);
        Assert.Equal([Range(a, a + (2 * P), "r--p"), Range(a + (2 * P), a + (4 * P), "rw-p")], p.MapsShape());
        // Even the protection it already has.
        Assert.Equal(Errno.EPERM, p.Mprotect(a + (2 * P), P, Prot.ReadWrite).Error);
    }

    [Fact]
    public void Mremap_of_a_sealed_vma_or_onto_one_is_EPERM()
    {
        var m = New();
        var (p, a) = HalfSealed(m);
        var s = a + (2 * P);
        Assert.Equal(Errno.EPERM, p.Mremap(s, P, P, MremapFlags.None).Error);
        Assert.Equal(Errno.EPERM, p.Mremap(s, 2 * P, P, MremapFlags.None).Error);
        Assert.Equal(Errno.EPERM, p.Mremap(s, P, 2 * P, MremapFlags.MayMove).Error);
        Assert.Equal(Errno.EPERM, p.Mremap(s, P, P, MremapFlags.MayMove | MremapFlags.Fixed, a - (100 * P)).Error);

        var b = p.MapAnon(1);
        p.Store(b, 77);
        Assert.Equal(Errno.EPERM, p.Mremap(b, P, P, MremapFlags.MayMove | MremapFlags.Fixed, s).Error);
        Assert.Equal(Errno.EPERM, p.Mremap(b, P, 2 * P, MremapFlags.MayMove | MremapFlags.Fixed, s).Error);
        Assert.Equal(77UL, p.Load(b).Value);

        // A shrink whose tail reaches into the sealed VMA: EPERM, after splitting the first VMA (host).
        Assert.Equal(Errno.EPERM, p.Mremap(a, 3 * P, P, MremapFlags.None).Error);
        Assert.Equal([Range(a, a + P, "rw-p"), Range(a + P, a + (2 * P), "rw-p"), Range(s, s + (2 * P), "rw-p")],
            p.MapsShape()[..3]);
    }

    [Theory]
    [InlineData(Advice.DontNeed)]
    [InlineData(Advice.Free)]
    [InlineData(Advice.DontNeedLocked)]
    [InlineData(Advice.Remove)]
    [InlineData(Advice.DontFork)]
    [InlineData(Advice.WipeOnFork)]
    [InlineData(Advice.GuardInstall)]
    public void Discard_advice_on_read_only_anonymous_sealed_memory_is_EPERM(Advice advice)
    {
        var m = New();
        var p = m.User();
        var ro = p.MapAnon(3, prot: Prot.Read);
        p.Mseal(ro + P, 2 * P);
        Assert.Equal(Errno.EPERM, p.Madvise(ro + P, P, advice).Error);
    }

    [Theory]
    [InlineData(Advice.Cold)]
    [InlineData(Advice.PageOut)]
    [InlineData(Advice.WillNeed)]
    [InlineData(Advice.DontDump)]
    [InlineData(Advice.DoFork)]
    [InlineData(Advice.KeepOnFork)]
    [InlineData(Advice.GuardRemove)]
    [InlineData(Advice.Normal)]
    [InlineData(Advice.PopulateRead)]
    public void Other_advice_on_sealed_memory_is_allowed(Advice advice)
    {
        var m = New();
        var p = m.User();
        var ro = p.MapAnon(3, prot: Prot.Read);
        p.Mseal(ro + P, 2 * P);
        Assert.Equal(0, p.Madvise(ro + P, P, advice).Value);
    }

    [Fact]
    public void Discarding_is_allowed_on_writable_or_shared_sealed_memory_and_stops_the_walk_at_a_refusing_vma()
    {
        var m = New();
        var p = m.User();
        var rw = p.MapAnon(1);
        p.Store(rw, 5);
        p.Mseal(rw, P);
        Assert.True(p.Madvise(rw, P, Advice.DontNeed).IsOk);
        Assert.Equal(0UL, p.Load(rw).Value);

        var sh = p.MapAnon(1, MapFlags.Shared, Prot.Read);
        p.Mseal(sh, P);
        Assert.True(p.Madvise(sh, P, Advice.DontNeed).IsOk);
        Assert.True(p.Madvise(sh, P, Advice.Remove).IsOk);

        var ro = p.MapAnon(3, prot: Prot.Read, at: 0x200000000);
        p.Mseal(ro + P, 2 * P);
        Assert.Equal(Errno.EPERM, p.Madvise(ro, 2 * P, Advice.DontFork).Error);
        Assert.Equal(VmFlags.DontCopy, p.Mm!.Vmas.Find(ro)!.Flags & VmFlags.DontCopy);
    }

    [Fact]
    public void Sealed_memory_can_be_locked_is_sealed_in_a_child_and_is_gone_after_exec()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(1);
        p.Mseal(a, P);
        Assert.True(p.Mlock(a, P).IsOk);
        Assert.True(p.Munlock(a, P).IsOk);
        var child = m.Fork(p).Value;
        Assert.Equal(Errno.EPERM, child.Munmap(a, P).Error);
        Assert.True(child.Execve(["x"], []).IsOk);
        Assert.DoesNotContain(child.Mm!.Vmas.All(), static v => (v.Flags & VmFlags.Sealed) != 0);
        m.Exit(p);
        // Only the child's new stack page is left.
        Assert.Equal(1, m.Frames.UsedCount);
    }

    [Fact]
    public void Brk_cannot_shrink_over_a_sealed_heap()
    {
        var m = New();
        var p = m.User();
        p.Execve(["x"], []);
        var start = p.Brk(0).Value;
        Assert.Equal(start + (2 * P), p.Brk(start + (2 * P)).Value);
        p.Mseal(start + P, P);
        Assert.Equal(start + (2 * P), p.Brk(start).Value);
        Assert.Equal(start + (2 * P), p.Brk(start + (2 * P)).Value);
    }
}
