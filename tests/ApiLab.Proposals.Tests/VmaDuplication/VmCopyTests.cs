using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;
using static ApiLab.Proposals.Tests.VmaDuplication.VmaWorld;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>The status quo the RFC measures itself against (seed 003 thread, RFC 2019-05-15): copy with process_vm_*.</summary>
public sealed class VmCopyTests
{
    [Fact]
    public void Readv_must_swap_the_pages_in_and_copy_every_byte_into_memory_charged_to_the_destination()
    {
        // RFC cover letter (2019-05-15): "b)process_vm_writev() reads the data back from swap to pages; c)...
        // allocates duplicate pages in remote process"; "amount of memory ... is doubled in a moment".
        var w = new VmaWorld();
        var heap = w.Dest.Mmap(Dst, Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        SysResult<long> read = default;
        var cost = w.Delta(() => read = new VmCopyAdapter(w.Dest).Read(w.SourcePid, [new IoVec(heap, Length)], [new IoVec(w.Heap, Length)], 0));
        Assert.Equal((long)Length, read.Value);
        Assert.Equal(Pages - Resident, cost.PagesSwappedIn);
        Assert.Equal((long)Length, cost.BytesCopied);
        Assert.True(cost.PageFaults >= Pages);
        Assert.Equal(Pages, w.Dest.Mm!.MemcgCharged);
        Assert.Equal(Pages, w.Source.Mm!.MemcgCharged);
        Assert.Equal(Contents(w.Source, w.Heap), Contents(w.Dest, heap));
    }

    [Fact]
    public void Writev_stops_at_the_first_unreachable_remote_element_and_reports_what_it_wrote()
    {
        var w = new VmaWorld();
        var heap = w.Dest.Mmap(Dst, 2 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        var remote = new[] { new IoVec(heap, 2 * Page.Size), new IoVec(heap + (4 * Page.Size), Page.Size) };
        var written = new VmCopyAdapter(w.Source).Write(new Pid(w.Dest.Pid), [new IoVec(w.Heap, 3 * Page.Size)], remote, 0);
        Assert.Equal(2 * (long)Page.Size, written.Value);
        Assert.Equal(101UL, w.Dest.Load(heap + Page.Size).Value);
    }

    [Fact]
    public void A_foreign_uid_is_eperm_and_nothing_is_copied()
    {
        // PROPOSALS 6.4: process_vm_rw turns mm_access's EACCES into EPERM.
        var w = new VmaWorld(destination: Credentials.User(2000));
        var heap = w.Dest.Mmap(Dst, Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        var cost = w.Delta(() => Assert.Equal(Errno.EPERM,
            new VmCopyAdapter(w.Dest).Read(w.SourcePid, [new IoVec(heap, Length)], [new IoVec(w.Heap, Length)], 0).Error));
        Assert.Equal((0L, 0L), (cost.BytesCopied, cost.PagesSwappedIn));
        Assert.Equal(0, w.Dest.Mm!.RssAnon);
    }

    [Fact]
    public void Flags_and_oversized_remote_iovecs_are_einval_before_the_pid()
    {
        var w = new VmaWorld();
        var api = new VmCopyAdapter(w.Dest);
        Assert.Equal(Errno.EINVAL, api.Read(new Pid(4242), [new IoVec(Dst, 8)], [new IoVec(w.Heap, 8)], 1).Error);
        var many = Enumerable.Repeat(new IoVec(w.Heap, 8), IoVec.Max + 1).ToArray();
        Assert.Equal(Errno.EINVAL, api.Read(new Pid(4242), [new IoVec(Dst, 8)], many, 0).Error);
        Assert.Equal(Errno.ESRCH, api.Read(new Pid(4242), [new IoVec(Dst, 8)], [new IoVec(w.Heap, 8)], 0).Error);
    }
}
