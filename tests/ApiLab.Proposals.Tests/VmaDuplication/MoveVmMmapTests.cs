using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;
using static ApiLab.Proposals.Tests.VmaDuplication.VmaWorld;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>Lutomirski's move variant (seed 003 thread, Tkhai 2019-05-24) and Shutemov's answer to it.</summary>
public sealed class MoveVmMmapTests
{
    private const ulong NoReplace = 0x02;

    [Fact]
    public void The_source_loses_its_pages_and_the_destination_gets_them_without_swap_in()
    {
        var w = new VmaWorld();
        SysResult<ulong> moved = default;
        var cost = w.Delta(() => moved = new MoveVmMmapAdapter(w.Dest).Move(w.SourcePid, w.Heap, Length, Dst, NoReplace));
        Assert.Equal(Dst, moved.Value);
        Assert.Equal((0L, 0L, 0L), (cost.PageFaults, cost.PagesSwappedIn, cost.BytesCopied));
        Assert.Equal([100UL, 101, 102, 103, 104, 105, 106, 107], Contents(w.Dest, Dst));
        Assert.Equal(new ulong[Pages], Contents(w.Source, w.Heap));
        Assert.Equal((0L, 0L), (w.Source.Mm!.RssAnon, w.Source.Mm.SwapEntries));
        Assert.NotNull(w.Source.Mm.Vmas.Find(w.Heap)); // UNCONFIRMED: the source VMA stays, empty
        Assert.Equal(0UL, w.Source.Load(w.Heap).Value); // target-visible: the source's next load reads zero
    }

    [Fact]
    public void Moving_within_ones_own_mm_never_maps_a_page_twice()
    {
        // Tkhai, 2019-05-24: "Andy suggested to unmap PTEs from source page table, and this make the single page never
        // be mapped in the same process twice."
        var w = new VmaWorld();
        Assert.True(new MoveVmMmapAdapter(w.Source).Move(w.SourcePid, w.Heap, Length, Dst, NoReplace).IsOk);
        Assert.Equal(0, DoublyMapped(w.Source));
        Assert.Equal(Pages - Resident, w.Source.Mm!.SwapEntries);
        Assert.Equal(106UL, w.Source.Load(PageOf(Dst, 6)).Value);
    }

    [Fact]
    public void Shutemov_after_fork_the_move_still_maps_the_same_anonymous_page_twice()
    {
        // <20190524115239.ugxv766doolc6nsc@box>: "I don't think that unmapping alone will do ... After this Task A will
        // have the same anon pages mapped twice." Tkhai: "Ah, sure."
        var w = new VmaWorld();
        var a = w.Source;
        var b = w.Machine.Fork(a).Value;
        Assert.True(new MoveVmMmapAdapter(a).Move(new Pid(b.Pid), w.Heap, Length, Dst, NoReplace).IsOk);
        Assert.Equal(Resident, DoublyMapped(a));
        Assert.Equal(0L, b.Mm!.RssAnon); // B's PTEs did go: it is A that now maps each page at two addresses
        w.Machine.CheckInvariants();
    }

    [Fact]
    public void The_memcg_charge_stays_with_the_source_that_no_longer_maps_the_pages()
    {
        var w = new VmaWorld();
        Assert.True(new MoveVmMmapAdapter(w.Dest).Move(w.SourcePid, w.Heap, Length, Dst, NoReplace).IsOk);
        Assert.Equal(Resident, w.Source.Mm!.MemcgCharged);
        Assert.Equal(0, w.Dest.Mm!.MemcgCharged);
    }

    [Fact]
    public void An_unprivileged_caller_on_a_foreign_uid_gets_eacces_and_the_source_keeps_its_pages()
    {
        var w = new VmaWorld(destination: Credentials.User(2000));
        Assert.Equal(Errno.EACCES, new MoveVmMmapAdapter(w.Dest).Move(w.SourcePid, w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal([100UL, 101, 102, 103, 104, 105, 106, 107], Contents(w.Source, w.Heap));
        Assert.Equal(Resident, w.Source.Mm!.RssAnon);
        Assert.Equal(0, w.Dest.Mm!.Vmas.Count);
    }

    [Fact]
    public void A_noreplace_collision_is_eexist_and_the_source_keeps_its_pages()
    {
        var w = new VmaWorld();
        w.Dest.Mmap(Dst, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed);
        Assert.Equal(Errno.EEXIST, new MoveVmMmapAdapter(w.Dest).Move(w.SourcePid, w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(Resident, w.Source.Mm!.RssAnon);
        Assert.Equal(Pages - Resident, w.Source.Mm.SwapEntries);
    }
}
