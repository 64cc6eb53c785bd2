using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Memory;

/// <summary>fork(2)'s dup_mmap: copy-on-write, VM_DONTCOPY, VM_WIPEONFORK, swap entries.</summary>
public sealed class ForkTests
{
    [Fact]
    public void Private_pages_are_shared_copy_on_write_until_one_side_writes()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(2);
        parent.Fill(at, 2, 1);
        var child = m.Fork(parent).Value;
        Assert.Equal(2, m.Frames.UsedCount);
        Assert.Equal(2, m.Frames.MapCount(Pte.Index(parent.Mm!.PageTable.Get(Page.ToVpn(at)))));

        child.Store(at, 50);
        Assert.Equal(1UL, parent.Load(at).Value);
        Assert.Equal(50UL, child.Load(at).Value);
        Assert.Equal(3, m.Frames.UsedCount);
        m.CheckInvariants();
    }

    [Fact]
    public void The_last_user_of_a_cow_page_reuses_it_without_copying()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(1);
        parent.Store(at, 1);
        var child = m.Fork(parent).Value;
        m.Exit(child);
        var copied = m.Stats.PagesCopied;
        parent.Store(at, 2);
        Assert.Equal(copied, m.Stats.PagesCopied);
        Assert.Equal(1, m.Frames.UsedCount);
    }

    [Fact]
    public void Dontfork_ranges_are_absent_in_the_child()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(2);
        parent.Fill(at, 2, 1);
        parent.Madvise(at, P, Advice.DontFork);
        var child = m.Fork(parent).Value;
        Assert.Equal(Errno.EFAULT, child.Load(at).Error);
        Assert.Equal(2UL, child.Load(at + P).Value);
    }

    [Fact]
    public void Wipeonfork_ranges_read_zero_in_the_child_and_keep_the_flag_there()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(1);
        parent.Store(at, 0x5ec7e7);
        parent.Madvise(at, P, Advice.WipeOnFork);
        var child = m.Fork(parent).Value;
        Assert.Equal(0UL, child.Load(at).Value);
        Assert.Equal(0x5ec7e7UL, parent.Load(at).Value);
        Assert.True((child.Mm!.Vmas.Find(at)!.Flags & VmFlags.WipeOnFork) != 0);
    }

    [Fact]
    public void Droppable_memory_is_wiped_in_the_child()
    {
        var m = New();
        var parent = m.User();
        var at = parent.Mmap(0, P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Value;
        parent.Store(at, 0x5ec7e7);
        var child = m.Fork(parent).Value;
        Assert.Equal(0UL, child.Load(at).Value);
    }

    [Fact]
    public void Swapped_out_pages_are_inherited_without_a_swap_in()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(1);
        parent.Store(at, 77);
        parent.Madvise(at, P, Advice.PageOut);
        var child = m.Fork(parent).Value;
        Assert.Equal(0, m.Stats.PagesSwappedIn);
        Assert.Equal(2, m.Swap.Count(Pte.Index(child.Mm!.PageTable.Get(Page.ToVpn(at)))));
        Assert.Equal(77UL, child.Load(at).Value);
        Assert.Equal(77UL, parent.Load(at).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void Every_child_vma_has_a_new_identity()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(1);
        var child = m.Fork(parent).Value;
        Assert.NotEqual(parent.Mm!.Vmas.Find(at)!.Id, child.Mm!.Vmas.Find(at)!.Id);
        Assert.Equal(parent.MapsShape(), child.MapsShape());
    }

    [Theory]
    [InlineData(MapFlags.Private)]
    [InlineData(MapFlags.Shared)]
    public void Guard_markers_survive_fork_even_on_a_range_never_faulted(MapFlags type)
    {
        // Checked on the 6.18 host: the child of a process with a guard page faults on it, private or shared.
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(2, type);
        Assert.True(parent.Madvise(at, P, Advice.GuardInstall).IsOk);
        var child = m.Fork(parent).Value;
        Assert.Equal(Errno.EFAULT, child.Load(at).Error);
        Assert.Equal(0UL, child.Load(at + P).Value);
    }

    [Fact]
    public void Guard_markers_are_not_copied_into_a_wipeonfork_range()
    {
        var m = New();
        var parent = m.User();
        var at = parent.MapAnon(1);
        parent.Madvise(at, P, Advice.GuardInstall);
        parent.Madvise(at, P, Advice.WipeOnFork);
        var child = m.Fork(parent).Value;
        Assert.Equal(0UL, child.Load(at).Value);
    }
}
