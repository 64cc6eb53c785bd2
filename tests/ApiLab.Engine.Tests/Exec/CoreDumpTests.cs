using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Exec;

/// <summary>What a core dump holds (vma_dump_size, get_dump_page), checked against an ELF core of the same layout dumped on the host.</summary>
public sealed class CoreDumpTests
{
    private static CoreDumpSegment SegmentAt(CoreDumpImage image, ulong address) => image.Segments.Single(s => s.Start == address);

    [Fact]
    public void Each_vma_is_dumped_as_the_host_dumps_it_and_dontdump_and_droppable_data_never_appears()
    {
        var m = New();
        var p = m.User();
        var sh = p.MapAnon(4, MapFlags.Shared, at: 0x200000000000);
        p.Store(sh, 0x11);
        var a = p.MapAnon(4, at: 0x210000000000);
        p.Store(a, 0xa1);
        p.Store(a + (2 * P), 0xa3);
        var dd = p.MapAnon(2, at: 0x220000000000);
        p.Fill(dd, 2, 0xdd);
        p.Madvise(dd, 2 * P, Advice.DontDump);
        var dp = p.Mmap(0x230000000000, 2 * P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous | MapFlags.Fixed).Value;
        p.Fill(dp, 2, 0xd0);
        var ro = p.MapAnon(2, prot: Prot.Read, at: 0x240000000000);
        p.Load(ro);
        var pn = p.MapAnon(2, at: 0x250000000000);
        p.Store(pn, 0x99);
        p.Mprotect(pn, 2 * P, Prot.None);
        var gu = p.MapAnon(3, at: 0x260000000000);
        p.Fill(gu, 3, 0x77);
        p.Madvise(gu + P, P, Advice.GuardInstall);
        var wf = p.MapAnon(1, at: 0x270000000000);
        p.Store(wf, 0x3f);
        p.Madvise(wf, P, Advice.WipeOnFork);
        var dn = p.MapAnon(2, at: 0x280000000000);
        p.Fill(dn, 2, 0x44);
        p.Madvise(dn, 2 * P, Advice.DontNeed);
        var sr = p.MapAnon(2, MapFlags.Shared, Prot.Read, at: 0x290000000000);

        var image = m.CoreDump(p).Value;

        // p_filesz per PT_LOAD in the host's core (readelf -l): 4, 4, 0, 0, 0, 2, 3, 1, 2, 2 pages.
        ulong[] expected = [4, 4, 0, 0, 0, 2, 3, 1, 2, 2];
        ulong[] starts = [sh, a, dd, dp, ro, pn, gu, wf, dn, sr];
        Assert.Equal(expected.Select(static n => n * P), starts.Select(s => SegmentAt(image, s).FileSize));
        Assert.Equal([0x11UL, 0, 0, 0], SegmentAt(image, sh).Pages);
        Assert.Equal([0xa1UL, 0, 0xa3, 0], SegmentAt(image, a).Pages);
        Assert.Equal([0x99UL, 0], SegmentAt(image, pn).Pages);
        Assert.Equal([0x77UL, 0, 0x79], SegmentAt(image, gu).Pages);
        Assert.Equal([0x3fUL], SegmentAt(image, wf).Pages);
        Assert.Equal([0UL, 0], SegmentAt(image, dn).Pages);
        Assert.DoesNotContain(image.Segments.SelectMany(static s => s.Pages), static v => v is 0xdd or 0xde or 0xd0 or 0xd1);
        Assert.True(image.Dumpable);
    }

    [Fact]
    public void Dumping_a_shared_mapping_faults_its_untouched_pages_into_the_page_cache()
    {
        // Host: after a child dumped a 4-page MAP_SHARED region the parent had touched once, mincore showed all 4 resident.
        var m = New();
        var parent = m.User();
        var sh = parent.MapAnon(4, MapFlags.Shared);
        parent.Store(sh, 0x11);
        var child = m.Fork(parent).Value;
        var image = m.CoreDump(child).Value;
        Assert.Equal(4, image.PagesRead);
        Assert.Equal(4, image.PagesFaultedIn);
        Assert.Equal(4, child.Mm!.Vmas.Find(sh)!.Shmem!.PageCount);
        Assert.Equal(4, m.Frames.UsedCount);
    }

    [Fact]
    public void Dumping_reads_swapped_out_pages_back_in_and_leaves_them_resident()
    {
        var m = New(frames: 64, swapSlots: 64);
        var p = m.User();
        var a = p.MapAnon(3);
        p.Fill(a, 3, 500);
        Assert.True(p.Madvise(a, 3 * P, Advice.PageOut).IsOk);
        Assert.Equal(3, p.Mm!.SwapEntries);

        var image = m.CoreDump(p).Value;
        Assert.Equal([500UL, 501, 502], SegmentAt(image, a).Pages);
        Assert.Equal(3, image.PagesFaultedIn);
        Assert.Equal(0, p.Mm.SwapEntries);
        Assert.True(Pte.IsPresent(p.Mm.PageTable.Get(Page.ToVpn(a + (2 * P)))));
    }

    [Fact]
    public void The_coredump_filter_selects_anonymous_private_and_shared_memory_and_survives_fork_and_exec()
    {
        var m = New();
        var p = m.User();
        var priv = p.MapAnon(1);
        p.Store(priv, 1);
        var sh = p.MapAnon(1, MapFlags.Shared);
        p.Store(sh, 2);
        Assert.True(p.WriteCoredumpFilter(0x2 | 0x200).IsOk);
        Assert.Equal(0x2u, p.Mm!.CoredumpFilter);

        var image = m.CoreDump(p).Value;
        Assert.False(SegmentAt(image, priv).Dumped);
        Assert.Equal([2UL], SegmentAt(image, sh).Pages);
        Assert.Equal(0UL, SegmentAt(image, priv).ValueAt(priv));

        var child = m.Fork(p).Value;
        Assert.Equal(0x2u, child.Mm!.CoredumpFilter);
        child.Execve(["x"], []);
        Assert.Equal(0x2u, child.Mm!.CoredumpFilter);
        // The new stack is private anonymous: filtered out.
        Assert.All(m.CoreDump(child).Value.Segments, static s => Assert.False(s.Dumped));
    }

    [Fact]
    public void A_non_dumpable_process_dumps_nothing_and_reads_nothing()
    {
        var m = New(frames: 64, swapSlots: 64);
        var p = m.User();
        var a = p.MapAnon(1);
        p.Store(a, 3);
        p.Madvise(a, P, Advice.PageOut);
        p.Dumpable = 0;
        var image = m.CoreDump(p).Value;
        Assert.False(image.Dumpable);
        Assert.Empty(image.Segments);
        Assert.Equal(1, p.Mm!.SwapEntries);
        m.Exit(p);
        Assert.Equal(Errno.ESRCH, m.CoreDump(p).Error);
    }

    [Fact]
    public void The_exec_stack_is_dumped_with_its_argument_page()
    {
        var m = New();
        var p = m.User();
        var stats = p.Execve(["prog"], [], new ExecOptions { StackRandomization = 0 }).Value;
        var stack = SegmentAt(m.CoreDump(p).Value, stats.StackStart);
        Assert.Equal(33, stack.Pages.Count);
        Assert.NotEqual(0UL, stack.ValueAt(stats.StackEnd - P));
        Assert.Equal(p.Load(stats.StackEnd - P).Value, stack.ValueAt(stats.StackEnd - P));
    }
}
