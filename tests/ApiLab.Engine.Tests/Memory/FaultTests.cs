using ApiLab.Engine.Tests.Support;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>What loads and stores do: zero page, anonymous faults, protection faults, shared memory.</summary>
public sealed class FaultTests
{
    [Fact]
    public void Reading_untouched_anonymous_memory_maps_the_zero_page_and_allocates_nothing()
    {
        var m = TestMachine.New();
        var p = m.User();
        var at = p.MapAnon(4);
        Assert.Equal(0UL, p.Load(at + 8).Value);
        Assert.Equal(0, m.Frames.UsedCount);
        Assert.Equal(0, p.Mm!.RssAnon);
    }

    [Fact]
    public void The_first_write_allocates_one_frame_charged_to_the_writer()
    {
        var m = TestMachine.New();
        var p = m.User();
        var at = p.MapAnon(4);
        p.Load(at);
        Assert.Equal(5UL, p.Store(at, 5).Value);
        Assert.Equal(5UL, p.Load(at).Value);
        Assert.Equal(1, m.Frames.UsedCount);
        Assert.Equal(1, p.Mm!.RssAnon);
        Assert.Equal(1, p.Mm.MemcgCharged);
        m.CheckInvariants();
    }

    [Fact]
    public void Protection_and_unmapped_addresses_fault_with_efault()
    {
        var m = TestMachine.New();
        var p = m.User();
        var ro = p.MapAnon(1, prot: Prot.Read);
        var none = p.MapAnon(1, prot: Prot.None);
        Assert.Equal(Errno.EFAULT, p.Store(ro, 1).Error);
        Assert.Equal(0UL, p.Load(ro).Value);
        Assert.Equal(Errno.EFAULT, p.Load(none).Error);
        Assert.Equal(Errno.EFAULT, p.Load(0x1000).Error);
    }

    [Fact]
    public void Shared_anonymous_memory_is_one_object_seen_by_every_mapping_after_fork()
    {
        var m = TestMachine.New();
        var parent = m.User();
        var at = parent.MapAnon(2, MapFlags.Shared);
        parent.Store(at, 1);
        var child = m.Fork(parent).Value;
        Assert.True(child.Store(at, 2).IsOk);
        Assert.Equal(2UL, parent.Load(at).Value);
        Assert.Equal(1, m.Frames.UsedCount);
        m.CheckInvariants();
    }

    [Fact]
    public void A_process_that_exited_has_no_memory_to_touch()
    {
        var m = TestMachine.New();
        var p = m.User();
        var at = p.MapAnon(1);
        m.Exit(p);
        Assert.Equal(Errno.ESRCH, p.Load(at).Error);
        Assert.Equal(Errno.ESRCH, p.Mmap(0, TestMachine.P, Prot.Read, MapFlags.Private | MapFlags.Anonymous).Error);
    }
}
