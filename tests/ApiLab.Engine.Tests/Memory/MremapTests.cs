using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>mremap(2) (man2 mremap.2, PROPOSALS.md §6.5): grow, shrink, move, MREMAP_FIXED, MREMAP_DONTUNMAP.</summary>
public sealed class MremapTests
{
    [Fact]
    public void Growing_into_free_space_above_stays_in_place_and_keeps_the_contents()
    {
        var m = New();
        var p = m.User();
        var at = p.Mmap(0x600000000, 2 * P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        p.Fill(at, 2, 1);
        Assert.Equal(at, p.Mremap(at, 2 * P, 4 * P, MremapFlags.None).Value);
        Assert.Equal([Range(at, at + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(2UL, p.Load(at + P).Value);
    }

    [Fact]
    public void Growing_into_a_neighbour_needs_maymove_and_moving_keeps_the_pages_without_copying()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2, at: 0x600000000);
        p.MapAnon(1, prot: Prot.Read, at: at + (2 * P));
        p.Fill(at, 2, 1);
        var oldId = p.Mm!.Vmas.Find(at)!.Id;
        Assert.Equal(Errno.ENOMEM, p.Mremap(at, 2 * P, 4 * P, MremapFlags.None).Error);

        var copied = m.Stats.PagesCopied;
        var moved = p.Mremap(at, 2 * P, 4 * P, MremapFlags.MayMove).Value;
        Assert.NotEqual(at, moved);
        Assert.Equal(2UL, p.Load(moved + P).Value);
        Assert.Equal(Errno.EFAULT, p.Load(at).Error);
        Assert.NotEqual(oldId, p.Mm.Vmas.Find(moved)!.Id);
        Assert.Equal(copied, m.Stats.PagesCopied);
        Assert.Equal(2, m.Frames.UsedCount);
    }

    [Fact]
    public void Shrinking_unmaps_the_tail()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(4);
        p.Fill(at, 4, 1);
        Assert.Equal(at, p.Mremap(at, 4 * P, P, MremapFlags.None).Value);
        Assert.Equal(Errno.EFAULT, p.Load(at + P).Error);
        Assert.Equal(1, m.Frames.UsedCount);
    }

    [Fact]
    public void Mremap_fixed_moves_to_the_given_address_replacing_what_was_there()
    {
        var m = New();
        var p = m.User();
        var src = p.MapAnon(1, at: 0x600000000);
        var dst = p.MapAnon(1, at: 0x700000000);
        p.Store(src, 11);
        p.Store(dst, 22);
        Assert.Equal(dst, p.Mremap(src, P, P, MremapFlags.MayMove | MremapFlags.Fixed, dst).Value);
        Assert.Equal(11UL, p.Load(dst).Value);
        Assert.Equal(1, m.Frames.UsedCount);
    }

    [Fact]
    public void Dontunmap_leaves_the_old_range_mapped_and_empty()
    {
        var m = New();
        var p = m.User();
        var src = p.MapAnon(1);
        p.Store(src, 11);
        var dst = p.Mremap(src, P, P, MremapFlags.MayMove | MremapFlags.DontUnmap).Value;
        Assert.NotEqual(src, dst);
        Assert.Equal(11UL, p.Load(dst).Value);
        Assert.Equal(0UL, p.Load(src).Value);
    }

    [Fact]
    public void Argument_errors_are_those_do_mremap_gives()
    {
        var m = New();
        var p = m.User();
        var at = p.MapAnon(2);
        Assert.Equal(Errno.EINVAL, p.Mremap(at, P, P, MremapFlags.Fixed, 0x700000000).Error);
        Assert.Equal(Errno.EINVAL, p.Mremap(at, P, 2 * P, MremapFlags.MayMove | MremapFlags.DontUnmap).Error);
        Assert.Equal(Errno.EINVAL, p.Mremap(at + 1, P, P, MremapFlags.None).Error);
        Assert.Equal(Errno.EINVAL, p.Mremap(at, P, 0, MremapFlags.None).Error);
        Assert.Equal(Errno.EINVAL, p.Mremap(at, 2 * P, 2 * P, MremapFlags.MayMove | MremapFlags.Fixed, at + P).Error);
        Assert.Equal(Errno.EFAULT, p.Mremap(0x100000, P, 2 * P, MremapFlags.MayMove).Error);
        Assert.Equal(Errno.EFAULT, p.Mremap(at, 3 * P, 4 * P, MremapFlags.MayMove).Error);
        Assert.Equal([Range(at, at + (2 * P), "rw-p")], p.MapsShape());
    }
}
