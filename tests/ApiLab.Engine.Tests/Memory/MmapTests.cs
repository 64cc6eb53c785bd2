using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>mmap(2) and munmap(2) as a program on 6.18 sees them: placement, merging, splitting and errno.</summary>
public sealed class MmapTests
{
    private const MapFlags PrivateAnon = MapFlags.Private | MapFlags.Anonymous;

    [Fact]
    public void Mappings_are_placed_top_down_below_mmap_base_and_adjacent_anonymous_ones_merge()
    {
        var m = New();
        var p = m.User();
        var first = p.MapAnon(4);
        var second = p.MapAnon(2);
        Assert.Equal(Mm.DefaultMmapBase - (4 * P), first);
        Assert.Equal(first - (2 * P), second);
        Assert.Equal([Range(second, Mm.DefaultMmapBase, "rw-p")], p.MapsShape());
    }

    [Fact]
    public void Maps_lines_are_formatted_as_show_map_vma_prints_them()
    {
        var m = New();
        var p = m.User();
        var anon = p.MapAnon(1);
        var shared = p.MapAnon(1, MapFlags.Shared, Prot.Read);
        var lines = p.Mm!.FormatMaps().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{shared:x}-{shared + P:x} r--s 00000000 00:01 ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(" /dev/zero (deleted)", lines[0], StringComparison.Ordinal);
        Assert.Equal($"{anon:x}-{anon + P:x} rw-p 00000000 00:00 0 ", lines[1]);
    }

    [Fact]
    public void A_mapping_with_different_protection_does_not_merge()
    {
        var m = New();
        var p = m.User();
        var rw = p.MapAnon(1);
        var ro = p.MapAnon(1, prot: Prot.Read);
        Assert.Equal([Range(ro, rw, "r--p"), Range(rw, rw + P, "rw-p")], p.MapsShape());
    }

    [Fact]
    public void Argument_errors_come_in_do_mmap_order_and_map_nothing()
    {
        var m = New();
        var p = m.User();
        var seq = p.Mm!.LayoutSeq;
        Assert.Equal(Errno.EBADF, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Private).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0, 0, Prot.ReadWrite, PrivateAnon).Error);
        Assert.Equal(Errno.ENOMEM, p.Mmap(0, ulong.MaxValue - 100, Prot.ReadWrite, PrivateAnon).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0x10000123, P, Prot.ReadWrite, PrivateAnon | MapFlags.Fixed).Error);
        Assert.Equal(Errno.EPERM, p.Mmap(0, P, Prot.ReadWrite, PrivateAnon | MapFlags.Fixed).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Anonymous).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous | MapFlags.Locked).Error);
        Assert.Empty(p.MapsShape());
        Assert.Equal(seq, p.Mm.LayoutSeq);
    }

    [Fact]
    public void Map_fixed_replaces_what_was_there_and_fixed_noreplace_refuses_with_eexist()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2);
        p.Fill(at, 2, 7);

        Assert.Equal(Errno.EEXIST, p.Mmap(at, P, Prot.ReadWrite, PrivateAnon | MapFlags.FixedNoReplace).Error);
        Assert.Equal(7UL, p.Load(at).Value);

        Assert.Equal(at, p.Mmap(at, P, Prot.ReadWrite, PrivateAnon | MapFlags.Fixed).Value);
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(8UL, p.Load(at + P).Value);
        Assert.Equal(1, m.Frames.UsedCount);
    }

    [Fact]
    public void A_hint_is_used_when_free_and_ignored_when_taken()
    {
        var m = New();
        var p = m.User();
        const ulong hint = 0x500000000;
        Assert.Equal(hint, p.Mmap(hint, P, Prot.ReadWrite, PrivateAnon).Value);
        var second = p.Mmap(hint, P, Prot.ReadWrite, PrivateAnon).Value;
        Assert.NotEqual(hint, second);
    }

    [Fact]
    public void Munmap_in_the_middle_splits_the_vma_keeping_the_identity_on_the_lower_part()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(3);
        var id = p.Mm!.Vmas.Find(at)!.Id;
        Assert.True(p.Munmap(at + P, P).IsOk);
        Assert.Equal([Range(at, at + P, "rw-p"), Range(at + (2 * P), at + (3 * P), "rw-p")], p.MapsShape());
        Assert.Equal(id, p.Mm.Vmas.Find(at)!.Id);
        Assert.NotEqual(id, p.Mm.Vmas.Find(at + (2 * P))!.Id);
        Assert.Equal(Errno.EFAULT, p.Load(at + P).Error);
    }

    [Fact]
    public void Munmap_checks_alignment_and_length_but_unmapping_nothing_succeeds()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(Errno.EINVAL, p.Munmap(0x1001, P).Error);
        Assert.Equal(Errno.EINVAL, p.Munmap(0x100000, 0).Error);
        Assert.Equal(Errno.EINVAL, p.Munmap(0x100000, ulong.MaxValue - 10).Error);
        Assert.True(p.Munmap(0x100000, P).IsOk);
    }

    [Fact]
    public void Max_map_count_refuses_a_split_that_would_exceed_it()
    {
        var m = New(maxMapCount: 2);
        var p = m.User();
        var at = p.MapAnon(3);
        p.MapAnon(1, prot: Prot.Read);
        Assert.Equal(Errno.ENOMEM, p.Munmap(at + P, P).Error);
        Assert.Equal(2, p.Mm!.Vmas.Count);
        Assert.True(p.Munmap(at, P).IsOk);
    }

    [Fact]
    public void Every_layout_change_bumps_the_sequence_number_and_faults_do_not()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(4);
        var afterMap = p.Mm!.LayoutSeq;
        Assert.True(afterMap > 0);
        p.Fill(at, 4, 1);
        Assert.Equal(afterMap, p.Mm.LayoutSeq);
        p.Mprotect(at, P, Prot.Read);
        var afterProtect = p.Mm.LayoutSeq;
        Assert.True(afterProtect > afterMap);
        p.Munmap(at, P);
        Assert.True(p.Mm.LayoutSeq > afterProtect);
    }

    [Fact]
    public void Map_populate_faults_the_range_in_up_front()
    {
        var m = New();
        var p = m.User();
        p.Mmap(0, 4 * P, Prot.ReadWrite, PrivateAnon | MapFlags.Populate);
        Assert.Equal(4, p.Mm!.RssAnon);
        Assert.Equal(4, m.Frames.UsedCount);
    }
}
