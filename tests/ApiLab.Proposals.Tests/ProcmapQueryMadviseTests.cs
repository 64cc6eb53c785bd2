using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests;

/// <summary>PROCMAP_QUERY (6.11): cheap binary lookups, one VMA per ioctl, no snapshot, no generation number.</summary>
public sealed class ProcmapQueryMadviseTests
{
    [Fact]
    public void Iterating_with_covering_or_next_walks_every_vma_then_enoent()
    {
        var w = new World();
        var second = w.Target.Mmap(0, Page.Size, Prot.Read, MapFlags.Private | MapFlags.Anonymous).Value;
        var api = new ProcmapQueryMadviseAdapter(w.Manager);
        var fd = api.OpenMaps(new Pid(w.Target.Pid)).Value;
        var found = new List<VmaInfo>();
        for (var address = 0UL; api.Query(fd, address, ProcMapsFile.CoveringOrNext) is { IsOk: true } vma; address = vma.Value.End)
        {
            found.Add(vma.Value);
        }

        Assert.Equal(w.Target.Mm!.Describe(), found);
        Assert.Contains(found, v => v.Start == second);
        Assert.Equal(Errno.ENOENT, api.Query(fd, 0, 0).Error);
        Assert.Equal(Errno.EINVAL, api.Query(fd, w.Heap, 0x4000).Error);
        Assert.Equal(Errno.EBADF, api.Query(fd + 1, w.Heap, 0).Error);
    }

    [Fact]
    public void A_query_is_one_vma_with_no_generation_to_revalidate()
    {
        var w = new World();
        var api = new ProcmapQueryMadviseAdapter(w.Manager);
        var fd = api.OpenMaps(new Pid(w.Target.Pid)).Value;
        var vma = api.Query(fd, w.Heap, 0).Value;
        w.Target.Munmap(w.Heap, 8 * Page.Size);
        w.Target.Mmap(w.Heap, 8 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        w.Target.Store(w.Heap, 1);
        var advised = api.Advise(w.Pidfd, [new IoVec(vma.Start, vma.Length)], Advice.PageOut, 0);
        Assert.Equal((long)vma.Length, advised.Value);
    }

    [Fact]
    public void Opening_the_maps_fd_needs_ptrace_read()
    {
        var w = new World(target: Credentials.User(2000));
        Assert.Equal(Errno.EACCES, new ProcmapQueryMadviseAdapter(w.Manager).OpenMaps(new Pid(w.Target.Pid)).Error);
    }
}
