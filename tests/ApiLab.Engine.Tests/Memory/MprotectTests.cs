using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>mprotect(2): splitting, merging back, write-protecting present pages, and errno.</summary>
public sealed class MprotectTests
{
    [Fact]
    public void Protecting_the_middle_page_splits_in_three_and_restoring_merges_back()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(3);
        p.Fill(at, 3, 1);
        Assert.True(p.Mprotect(at + P, P, Prot.Read).IsOk);
        Assert.Equal(
            [Range(at, at + P, "rw-p"), Range(at + P, at + (2 * P), "r--p"), Range(at + (2 * P), at + (3 * P), "rw-p")],
            p.MapsShape());
        Assert.Equal(Errno.EFAULT, p.Store(at + P, 9).Error);
        Assert.Equal(2UL, p.Load(at + P).Value);

        Assert.True(p.Mprotect(at + P, P, Prot.ReadWrite).IsOk);
        Assert.Equal([Range(at, at + (3 * P), "rw-p")], p.MapsShape());
        Assert.True(p.Store(at + P, 9).IsOk);
    }

    [Fact]
    public void Taking_write_away_from_present_pages_flushes_the_tlb()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(1);
        p.Store(at, 1);
        var flushes = p.Mm!.TlbFlushes;
        p.Mprotect(at, P, Prot.Read);
        Assert.Equal(flushes + 1, p.Mm.TlbFlushes);
    }

    [Fact]
    public void Unmapped_ranges_are_enomem_and_bad_arguments_einval()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(1);
        Assert.Equal(Errno.ENOMEM, p.Mprotect(0x100000, P, Prot.Read).Error);
        Assert.Equal(Errno.ENOMEM, p.Mprotect(at, 2 * P, Prot.Read).Error);
        Assert.Equal(Errno.EINVAL, p.Mprotect(at + 1, P, Prot.Read).Error);
        Assert.Equal(Errno.EINVAL, p.Mprotect(at, P, (Prot)0x40).Error);
        Assert.True(p.Mprotect(at, 0, Prot.Read).IsOk);
    }
}
