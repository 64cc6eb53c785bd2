using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>process_madvise as merged, checked against PROPOSALS.md §6.1 (6.18 behaviour).</summary>
public sealed class MainlineMadviseTests
{
    [Fact]
    public void Pageout_of_a_foreign_mm_returns_the_bytes_advised_and_swaps_the_pages_out()
    {
        var w = new World();
        var result = new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, 0);
        Assert.Equal(8 * (long)Page.Size, result.Value);
        Assert.Equal(0, w.Target.Mm!.RssAnon);
        Assert.Equal(8, w.Target.Mm.SwapEntries);
        Assert.Equal(103UL, w.Target.Load(w.Heap + (3 * Page.Size)).Value);
    }

    [Fact]
    public void Nonzero_flags_are_einval_before_the_pidfd_is_even_looked_at()
    {
        var w = new World();
        var result = new MainlineMadviseAdapter(w.Manager).Advise(new Pidfd(77), w.WholeHeap, Advice.PageOut, 1);
        Assert.Equal(Errno.EINVAL, result.Error);
    }

    [Fact]
    public void More_than_uio_maxiov_entries_is_einval_before_the_pidfd()
    {
        var w = new World();
        var ranges = Enumerable.Repeat(new IoVec(w.Heap, Page.Size), IoVec.Max + 1).ToArray();
        Assert.Equal(Errno.EINVAL, new MainlineMadviseAdapter(w.Manager).Advise(new Pidfd(77), ranges, Advice.PageOut, 0).Error);
    }

    [Fact]
    public void A_bad_pidfd_is_ebadf_and_a_reaped_target_is_esrch()
    {
        var w = new World();
        var api = new MainlineMadviseAdapter(w.Manager);
        Assert.Equal(Errno.EBADF, api.Advise(new Pidfd(77), w.WholeHeap, Advice.PageOut, 0).Error);
        w.Machine.Reap(w.Target);
        Assert.Equal(Errno.ESRCH, api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, 0).Error);
    }

    [Fact]
    public void A_foreign_uid_is_eacces_from_mm_access_and_nothing_changes()
    {
        var w = new World(target: Credentials.User(2000));
        var result = new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, 0);
        Assert.Equal(Errno.EACCES, result.Error);
        Assert.Equal(8, w.Target.Mm!.RssAnon);
    }

    [Fact]
    public void Ptrace_denial_comes_before_the_advice_check()
    {
        var w = new World(target: Credentials.User(2000));
        Assert.Equal(Errno.EACCES, new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, w.WholeHeap, (Advice)77, 0).Error);
    }

    [Fact]
    public void Destructive_advice_on_a_foreign_mm_is_einval_even_with_every_privilege()
    {
        var w = new World(manager: Credentials.Root);
        var result = new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, w.WholeHeap, Advice.DontNeed, 0);
        Assert.Equal(Errno.EINVAL, result.Error);
        Assert.Equal(100UL, w.Target.Load(w.Heap).Value);
    }

    [Fact]
    public void Missing_cap_sys_nice_is_eperm_after_the_advice_check()
    {
        var w = new World(manager: Credentials.User(1000));
        var api = new MainlineMadviseAdapter(w.Manager);
        Assert.Equal(Errno.EINVAL, api.Advise(w.Pidfd, w.WholeHeap, Advice.DontNeed, 0).Error);
        Assert.Equal(Errno.EPERM, api.Advise(w.Pidfd, w.WholeHeap, Advice.PageOut, 0).Error);
    }

    [Fact]
    public void Since_6_13_the_callers_own_mm_accepts_any_advice_without_cap_sys_nice()
    {
        var w = new World(manager: Credentials.User(1000));
        var self = w.Manager;
        var heap = self.Mm!.MmapAnonymous(0, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        self.Store(heap, 42);
        var result = new MainlineMadviseAdapter(self).Advise(Pidfd.Self, [new IoVec(heap, Page.Size)], Advice.DontNeed, 0);
        Assert.Equal((long)Page.Size, result.Value);
        Assert.Equal(0UL, self.Load(heap).Value);
    }

    [Fact]
    public void The_loop_stops_at_the_first_failing_entry_and_returns_the_bytes_before_it()
    {
        var w = new World();
        IoVec[] ranges = [new(w.Heap, 2 * Page.Size), new(w.Heap + 1, Page.Size), new(w.Heap + (4 * Page.Size), Page.Size)];
        var result = new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, ranges, Advice.PageOut, 0);
        Assert.Equal(2 * (long)Page.Size, result.Value);
        Assert.Equal(2, w.Target.Mm!.SwapEntries);
    }

    [Fact]
    public void A_failing_first_entry_returns_its_errno()
    {
        var w = new World();
        var result = new MainlineMadviseAdapter(w.Manager).Advise(w.Pidfd, [new IoVec(0x1000, Page.Size)], Advice.PageOut, 0);
        Assert.Equal(Errno.ENOMEM, result.Error);
    }

    [Fact]
    public void Reading_maps_needs_ptrace_read_and_counts_proc_bytes()
    {
        var w = new World();
        var api = new MainlineMadviseAdapter(w.Manager);
        var before = w.Machine.Stats.ProcBytesRead;
        var maps = api.ReadMaps(new Pid(w.Target.Pid));
        Assert.Equal(w.Target.Mm!.FormatMaps(), maps.Value);
        Assert.Equal(before + maps.Value.Length, w.Machine.Stats.ProcBytesRead);
        var stranger = w.Machine.Spawn(Credentials.User(3000), "stranger").Value;
        Assert.Equal(Errno.EACCES, new MainlineMadviseAdapter(stranger).ReadMaps(new Pid(w.Target.Pid)).Error);
        Assert.Equal(Errno.ESRCH, api.ReadMaps(new Pid(31000)).Error);
    }

    [Fact]
    public void The_descriptor_says_what_the_spec_declares()
    {
        var d = MainlineMadviseAdapter.Descriptor;
        Assert.Equal("remote-madvise/mainline", d.Id);
        Assert.Equal(Outcome.Merged, d.Outcome);
        Assert.Equal("5.10", d.MergedIn);
        var advise = Assert.Single(d.Calls, c => c.Syscall == "process_madvise");
        Assert.True(advise.Vectored);
        Assert.True(advise.PartialResult);
        Assert.False(advise.TakesRevalidatingHandle);
        Assert.Equal([Capability.SysNice], advise.Capabilities);
        Assert.Contains(d.Calls, c => c.Snapshot && c.RevalidatedBy is null);
    }
}
