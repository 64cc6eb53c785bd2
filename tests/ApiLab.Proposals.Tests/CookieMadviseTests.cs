using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>Colascione's cookie design (seed 000): the claims of the thread, as executable checks.</summary>
public sealed class CookieMadviseTests
{
    [Fact]
    public void A_fresh_cookie_lets_the_advice_through()
    {
        var w = new World();
        var api = new CookieMadviseAdapter(w.Manager);
        var snapshot = api.QueryVmas(w.Pidfd).Value;
        Assert.Equal((long)(8 * Page.Size), api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, snapshot.Cookie).Value);
        Assert.Equal(8, w.Target.Mm!.SwapEntries);
    }

    [Fact]
    public void A_layout_change_makes_the_cookie_stale_and_nothing_changes()
    {
        var w = new World();
        var api = new CookieMadviseAdapter(w.Manager);
        var snapshot = api.QueryVmas(w.Pidfd).Value;
        w.Target.Mm!.Munmap(w.Heap, Page.Size);
        Assert.Equal(Errno.ESTALE, api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, snapshot.Cookie).Error);
        Assert.Equal(0, w.Target.Mm.SwapEntries);
    }

    [Fact]
    public void An_exec_of_the_target_makes_the_cookie_stale_even_where_the_new_layout_looks_the_same()
    {
        // Seed 000: the sequence number must change on any change of the address space; exec replaces it whole.
        var w = new World();
        var api = new CookieMadviseAdapter(w.Manager);
        var snapshot = api.QueryVmas(w.Pidfd).Value;
        Assert.True(w.Target.Execve(["target"], []).IsOk);
        w.Target.Mm!.MmapAnonymous(w.Heap, 8 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        w.Target.Store(w.Heap, 1);
        Assert.Equal(Errno.ESTALE, api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, snapshot.Cookie).Error);
        Assert.Equal(0, w.Target.Mm.SwapEntries);
    }

    [Fact]
    public void A_new_vma_appearing_inside_the_range_is_caught_too()
    {
        // Colascione: per-VMA fds cannot see a new VMA appear in the range; a global sequence number can.
        var w = new World();
        var api = new CookieMadviseAdapter(w.Manager);
        var gap = w.Target.Mm!.MmapAnonymous(0, 3 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        w.Target.Mm.Munmap(gap + Page.Size, Page.Size);
        var snapshot = api.QueryVmas(w.Pidfd).Value;
        w.Target.Mm.MmapAnonymous(gap + Page.Size, Page.Size, Prot.Read, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        var result = api.Advise(w.Pidfd, [new IoVec(gap, 3 * Page.Size)], Advice.PageOut, snapshot.Cookie);
        Assert.Equal(Errno.ESTALE, result.Error);
    }

    [Fact]
    public void The_query_reports_the_layout_and_costs_no_proc_text()
    {
        var w = new World();
        var before = w.Machine.Stats.ProcBytesRead;
        var snapshot = new CookieMadviseAdapter(w.Manager).QueryVmas(w.Pidfd).Value;
        Assert.Equal(w.Target.Mm!.Describe(), snapshot.Vmas);
        Assert.Equal(w.Target.Mm.LayoutSeq, snapshot.Cookie.Seq);
        Assert.Equal(before, w.Machine.Stats.ProcBytesRead);
    }

    [Fact]
    public void The_cookie_design_keeps_mainline_privileges()
    {
        var w = new World(manager: Credentials.User(1000), target: Credentials.User(2000));
        var api = new CookieMadviseAdapter(w.Manager);
        Assert.Equal(Errno.EACCES, api.QueryVmas(w.Pidfd).Error);
        Assert.Equal(Errno.EACCES, api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, default).Error);
    }

    [Fact]
    public void The_descriptor_declares_the_revalidation()
    {
        var d = CookieMadviseAdapter.Descriptor;
        Assert.Equal(Outcome.NeverMerged, d.Outcome);
        Assert.Contains(d.Calls, c => c.Snapshot && c.RevalidatedBy == "LayoutCookie");
        Assert.Contains(d.Calls, c => c.Syscall == "process_madvise" && c.TakesRevalidatingHandle);
    }
}
