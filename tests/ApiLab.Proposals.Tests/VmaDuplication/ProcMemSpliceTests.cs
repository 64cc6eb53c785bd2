using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;
using static ApiLab.Proposals.Tests.VmaDuplication.VmaWorld;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>Jann Horn's splice into /proc/pid/mem (seed 003 thread, 2019-05-16): a copy into existing target pages.</summary>
public sealed class ProcMemSpliceTests
{
    [Fact]
    public void The_data_is_copied_into_the_targets_existing_pages_swapping_both_sides_in()
    {
        // Horn: "splice() from the socket into /proc/$pid/mem" — the target's own pages are written (target-visible);
        // no VMA is created. The source here holds the data (a page server), the destination has its heap mapped.
        var w = new VmaWorld();
        var heap = w.Dest.Mmap(Dst, Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        w.Dest.Store(heap, 0xdead);
        var vma = w.Dest.Mm!.Vmas.Find(heap)!.Id;
        SysResult<long> spliced = default;
        var cost = w.Delta(() => spliced = new ProcMemSpliceAdapter(w.Source).Splice(new Pid(w.Dest.Pid), w.Heap, heap, Length));
        Assert.Equal((long)Length, spliced.Value);
        Assert.Equal(Pages - Resident, cost.PagesSwappedIn);
        Assert.Equal((long)Length, cost.BytesCopied);
        Assert.Equal([100UL, 101, 102, 103, 104, 105, 106, 107], Contents(w.Dest, heap));
        Assert.Equal(vma, w.Dest.Mm.Vmas.Find(heap)!.Id);
        Assert.Equal(Pages, w.Dest.Mm.MemcgCharged); // the copies are the destination's own pages
        w.Dest.Store(heap, 1);
        Assert.Equal(100UL, w.Source.Load(w.Heap).Value);
    }

    [Fact]
    public void An_unprivileged_caller_on_a_foreign_uid_gets_eacces_at_open_and_nothing_changes()
    {
        // proc_mem_open: mm_access(task, PTRACE_MODE_ATTACH | PTRACE_MODE_FSCREDS).
        var w = new VmaWorld(source: Credentials.User(1000));
        var victim = w.Machine.Spawn(Credentials.User(2000), "victim").Value;
        var heap = victim.Mmap(Dst, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        victim.Store(heap, 7);
        Assert.Equal(Errno.EACCES, new ProcMemSpliceAdapter(w.Source).Splice(new Pid(victim.Pid), w.Heap, heap, Page.Size).Error);
        Assert.Equal(7UL, victim.Load(heap).Value);
    }

    [Fact]
    public void An_unmapped_target_is_eio_and_a_short_target_is_a_partial_write()
    {
        var w = new VmaWorld();
        var api = new ProcMemSpliceAdapter(w.Source);
        Assert.Equal(Errno.EIO, api.Splice(new Pid(w.Dest.Pid), w.Heap, Dst, Length).Error);
        w.Dest.Mmap(Dst, 3 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        Assert.Equal(3 * (long)Page.Size, api.Splice(new Pid(w.Dest.Pid), w.Heap, Dst, Length).Value);
    }

    [Fact]
    public void One_splice_moves_at_most_a_pipe_full()
    {
        // Horn: "stream data in small chunks": each call moves one pipe buffer; the caller loops.
        var machine = new Machine(new MachineConfig { Frames = 2048, SwapSlots = 64 });
        var source = machine.Spawn(Credentials.User(1000), "server").Value;
        var dest = machine.Spawn(Credentials.User(1000), "restored").Value;
        var bytes = 2 * ProcMemSpliceAdapter.PipeBytes;
        var from = source.Mmap(0, bytes, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        var to = dest.Mmap(0, bytes, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        Assert.Equal((long)ProcMemSpliceAdapter.PipeBytes, new ProcMemSpliceAdapter(source).Splice(new Pid(dest.Pid), from, to, bytes).Value);
    }
}
