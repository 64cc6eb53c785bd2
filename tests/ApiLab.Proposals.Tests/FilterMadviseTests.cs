using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>Minchan's RFC 7/7 filter bits (seed 000).</summary>
public sealed class FilterMadviseTests
{
    private static readonly IoVec[] Everything = [new(Page.Size, Page.TaskSize - Page.Size)];

    [Fact]
    public void The_anonymous_filter_advises_the_whole_space_without_parsing_maps_and_skips_shared_memory()
    {
        var w = new World();
        var shared = w.Target.Mmap(0, 2 * Page.Size, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous).Value;
        w.Target.Store(shared, 9);
        var api = new FilterMadviseAdapter(w.Manager);
        var result = api.Advise(w.Pidfd, Everything, (int)Advice.PageOut | FilterMadviseAdapter.AnonymousFilter, 0);
        Assert.True(result.IsOk);
        Assert.Equal(8, w.Target.Mm!.SwapEntries);
        Assert.Equal(1, w.Target.Mm.RssShmem);
        Assert.Equal(0, w.Machine.Stats.ProcBytesRead);
    }

    [Fact]
    public void Shmem_counts_as_file_for_the_file_filter()
    {
        // Minchan took the test from /proc/pid/clear_refs: a vm_file means "file", and shmem has one.
        var w = new World();
        var shared = w.Target.Mmap(0, 2 * Page.Size, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous).Value;
        w.Target.Store(shared, 9);
        var api = new FilterMadviseAdapter(w.Manager);
        Assert.True(api.Advise(w.Pidfd, Everything, (int)Advice.PageOut | FilterMadviseAdapter.FileFilter, 0).IsOk);
        Assert.Equal(0, w.Target.Mm!.SwapEntries);
        Assert.Equal(0, w.Target.Mm.RssShmem);
        Assert.Equal(9UL, w.Target.Load(shared).Value);
    }

    [Fact]
    public void Both_filters_at_once_are_einval()
    {
        var w = new World();
        var both = (int)Advice.PageOut | FilterMadviseAdapter.AnonymousFilter | FilterMadviseAdapter.FileFilter;
        Assert.Equal(Errno.EINVAL, new FilterMadviseAdapter(w.Manager).Advise(w.Pidfd, Everything, both, 0).Error);
    }

    [Fact]
    public void Without_a_filter_it_is_plain_process_madvise()
    {
        var w = new World();
        var result = new FilterMadviseAdapter(w.Manager).Advise(w.Pidfd, Everything, (int)Advice.PageOut, 0);
        Assert.Equal(Errno.ENOMEM, result.Error);
    }
}
