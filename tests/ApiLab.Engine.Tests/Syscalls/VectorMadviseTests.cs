using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Syscalls;

/// <summary>vector_madvise(), the loop behind process_madvise (PROPOSALS.md §6.1 "Return").</summary>
public sealed class VectorMadviseTests
{
    [Fact]
    public void The_loop_stops_at_the_first_failing_entry_and_returns_the_bytes_before_it()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(3);
        p.Fill(at, 3, 1);
        p.Munmap(at + P, P);
        var result = VectorMadvise.Apply(p.Mm!, [new IoVec(at, P), new IoVec(at + P, P), new IoVec(at + (2 * P), P)], Advice.DontNeed);
        Assert.Equal((long)P, result.Value);
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(3UL, p.Load(at + (2 * P)).Value);
    }

    [Fact]
    public void An_error_on_the_first_entry_is_returned_as_the_error()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(1);
        Assert.Equal(Errno.EINVAL, VectorMadvise.Apply(p.Mm!, [new IoVec(at + 1, P), new IoVec(at, P)], Advice.DontNeed).Error);
        Assert.Equal(Errno.ENOMEM, VectorMadvise.Apply(p.Mm!, [new IoVec(0x100000, P)], Advice.PageOut).Error);
    }

    [Fact]
    public void Zaps_over_every_entry_share_one_tlb_flush_and_one_mmap_lock()
    {
        var m = New();
        var p = m.User();
        var a = p.MapAnon(1);
        var b = p.MapAnon(1, prot: Prot.Read | Prot.Write | Prot.Exec);
        var c = p.MapAnon(1, prot: Prot.Read);
        p.Store(a, 1);
        p.Store(b, 2);
        p.Load(c);
        var flushes = p.Mm!.TlbFlushes;
        var locks = m.Stats.MmapLockAcquisitions;
        Assert.Equal(3 * (long)P, VectorMadvise.Apply(p.Mm, [new IoVec(a, P), new IoVec(b, P), new IoVec(c, P)], Advice.DontNeed).Value);
        Assert.Equal(flushes + 1, p.Mm.TlbFlushes);
        Assert.Equal(locks + 1, m.Stats.MmapLockAcquisitions);
    }

    [Fact]
    public void An_empty_vector_or_empty_entries_advise_nothing_and_return_zero()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(1);
        Assert.Equal(0L, VectorMadvise.Apply(p.Mm!, [], Advice.DontNeed).Value);
        Assert.Equal(0L, VectorMadvise.Apply(p.Mm!, [new IoVec(at, 0), new IoVec(at, 0)], Advice.DontNeed).Value);
    }
}
