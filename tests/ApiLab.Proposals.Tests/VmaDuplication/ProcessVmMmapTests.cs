using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;
using static ApiLab.Proposals.Tests.VmaDuplication.VmaWorld;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>process_vm_mmap v2 (seed 003; v2 7/7 diff, 2019-05-20), its claims and its reviewers' objections.</summary>
public sealed class ProcessVmMmapTests
{
    private const ulong NoReplace = 0x02;
    private const ulong FixedFlag = 0x01;

    [Fact]
    public void Swapped_out_pages_are_duplicated_without_a_swap_in_a_fault_or_a_copy()
    {
        // RFC cover letter (2019-05-15): "It is swap-friendly: in case of memory is swapped right after recv(), the
        // syscall just copies pagetable entries like we do on fork(), so real access to pages does not occurs, and no
        // IO is needed."
        var w = new VmaWorld();
        SysResult<ulong> mapped = default;
        var cost = w.Delta(() => mapped = new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace));
        Assert.Equal(Dst, mapped.Value);
        Assert.Equal(0, cost.PageFaults);
        Assert.Equal(0, cost.PagesSwappedIn);
        Assert.Equal(0, cost.BytesCopied);
        Assert.Equal(1, cost.Syscalls);
        Assert.Equal(Pages - Resident, w.Dest.Mm!.SwapEntries);
        Assert.Equal(Resident, w.Dest.Mm.RssAnon);
        var slot = Pte.Index(w.Source.Mm!.PageTable.Get(Page.ToVpn(PageOf(w.Heap, Resident))));
        Assert.Equal(2, w.Machine.Swap.Count(slot));
        Assert.Equal(Contents(w.Source, w.Heap), Contents(w.Dest, Dst));
        Assert.Equal(107UL, w.Dest.Load(PageOf(Dst, 7)).Value);
    }

    [Fact]
    public void The_memcg_charge_stays_with_the_source()
    {
        // Seed 003 line 67, Tkhai 2019-06-04: "Once assigned memcg remains the same after VMA duplication ... the same thing
        // occurs as after fork()+mremap()."
        var w = new VmaWorld();
        Assert.True(new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).IsOk);
        Assert.Equal(Resident, w.Source.Mm!.MemcgCharged);
        Assert.Equal(0, w.Dest.Mm!.MemcgCharged);
        var frame = Pte.Index(w.Dest.Mm.PageTable.Get(Page.ToVpn(Dst)));
        Assert.Same(w.Source.Mm, w.Machine.Frames.MemcgOwner(frame));
    }

    [Fact]
    public void Both_mms_see_later_writes_as_copy_on_write()
    {
        // v2 7/7: copy_page_range "as fork does": private anonymous pages become COW-shared in both mms.
        var w = new VmaWorld();
        Assert.True(new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).IsOk);
        w.Dest.Store(Dst, 0xd0);
        Assert.Equal(1, w.Dest.Mm!.MemcgCharged); // the destination's own COW copy is charged to it
        w.Source.Store(PageOf(w.Heap, 1), 0x51);
        w.Dest.Store(PageOf(Dst, 5), 0xd5);
        Assert.Equal(100UL, w.Source.Load(w.Heap).Value);
        Assert.Equal(101UL, w.Dest.Load(PageOf(Dst, 1)).Value);
        Assert.Equal(105UL, w.Source.Load(PageOf(w.Heap, 5)).Value);
        Assert.Equal(0xd5UL, w.Dest.Load(PageOf(Dst, 5)).Value);
        Assert.Equal(0xd0UL, w.Dest.Load(Dst).Value);
        Assert.Equal(0x51UL, w.Source.Load(PageOf(w.Heap, 1)).Value);
    }

    [Fact]
    public void Shutemov_fork_and_pass_back_maps_the_same_anonymous_page_twice_in_one_mm()
    {
        // <20190524115239.ugxv766doolc6nsc@box>: "1. Task A creates and populates the mapping. 2. Task A forks. ...
        // 3. Task B calls process_vm_mmap() and passes the mapping to the parent. After this Task A will have the same
        // anon pages mapped twice." In v2 (remote -> current) A pulls B's copy of the heap.
        var w = new VmaWorld();
        var a = w.Source;
        var b = w.Machine.Fork(a).Value;
        Assert.Equal(0, DoublyMapped(a));
        var mapped = new ProcessVmMmapAdapter(a).Map(new Pid(b.Pid), w.Heap, Length, Dst, NoReplace);
        Assert.Equal(Dst, mapped.Value);
        Assert.Equal(Resident, DoublyMapped(a));
        // The engine's invariants (refcounts, mapcounts, rmap) still hold: the checker ran after the call.
        w.Machine.CheckInvariants();
    }

    [Fact]
    public void Duplicating_from_ones_own_mm_maps_a_page_twice_without_any_fork()
    {
        // Seed 003 line 16 (Shutemov, 2019-05-22, quoted): "the patchset allows to map the same page multiple times within one
        // process". mm_access hands back current->mm for the caller's own pid.
        var w = new VmaWorld();
        Assert.True(new ProcessVmMmapAdapter(w.Source).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).IsOk);
        Assert.Equal(Resident, DoublyMapped(w.Source));
        Assert.Equal(2 * (Pages - Resident), w.Source.Mm!.SwapEntries);
    }

    [Fact]
    public void An_unprivileged_caller_on_a_foreign_uid_gets_eacces_and_nothing_changes()
    {
        // v2 7/7: mm_access(task, PTRACE_MODE_ATTACH_REALCREDS), whose EACCES process_vm_mmap passes through.
        var w = new VmaWorld(destination: Credentials.User(2000));
        var vmas = w.Dest.Mm!.Vmas.Count;
        var seq = w.Source.Mm!.LayoutSeq;
        var pte = w.Source.Mm.PageTable.Get(Page.ToVpn(w.Heap));
        Assert.Equal(Errno.EACCES, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(vmas, w.Dest.Mm.Vmas.Count);
        Assert.Equal(seq, w.Source.Mm.LayoutSeq);
        Assert.Equal(pte, w.Source.Mm.PageTable.Get(Page.ToVpn(w.Heap)));
        Assert.True((pte & Pte.Write) != 0, "the source's PTE was not write-protected");
    }

    [Fact]
    public void Cap_sys_ptrace_lets_a_foreign_uid_duplicate()
    {
        var w = new VmaWorld(destination: Credentials.User(2000).With(Capability.SysPtrace));
        Assert.Equal(Dst, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).Value);
    }

    [Fact]
    public void A_noreplace_collision_is_eexist_and_nothing_changes()
    {
        // v2: "Add PVMMAP_FIXED_NOREPLACE flag"; mmap_process_vm returns -EEXIST when find_vma hits the range.
        var w = new VmaWorld();
        var existing = w.Dest.Mmap(Dst + Page.Size, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        w.Dest.Store(existing, 0xee);
        var before = w.Dest.Mm!.Vmas.All().Select(static v => v.Id).ToArray();
        var seq = w.Dest.Mm.LayoutSeq;
        Assert.Equal(Errno.EEXIST, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(before, w.Dest.Mm.Vmas.All().Select(static v => v.Id).ToArray());
        Assert.Equal(seq, w.Dest.Mm.LayoutSeq);
        Assert.Equal(0xeeUL, w.Dest.Load(existing).Value);
        Assert.True((w.Source.Mm!.PageTable.Get(Page.ToVpn(w.Heap)) & Pte.Write) != 0, "the source was not write-protected");
    }

    [Fact]
    public void Pvmmap_fixed_replaces_what_the_destination_had()
    {
        // Hocko (quoted by Tkhai): range collisions are "quite scary" — PVMMAP_FIXED unmaps whatever was there.
        var w = new VmaWorld();
        var existing = w.Dest.Mmap(Dst + Page.Size, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        w.Dest.Store(existing, 0xee);
        Assert.Equal(Dst, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, FixedFlag).Value);
        Assert.Equal(101UL, w.Dest.Load(existing).Value);
        Assert.Equal(1, w.Dest.Mm!.Vmas.Count);
    }

    [Fact]
    public void Without_a_fixed_flag_the_destination_is_placed_like_mmap()
    {
        var w = new VmaWorld();
        var mapped = new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, 0, 0);
        Assert.True(mapped.IsOk);
        Assert.Equal(Mm.DefaultMmapBase - Length, mapped.Value);
        Assert.Equal(103UL, w.Dest.Load(PageOf(mapped.Value, 3)).Value);
    }

    [Theory]
    [InlineData(0x04UL, 8, 1, false)] // unknown flag
    [InlineData(0x02UL, 0, 1, false)] // len 0
    [InlineData(0x02UL, 8, 0, false)] // src 0
    [InlineData(0x02UL, 8, 1, true)] // pid 0
    public void Bad_arguments_are_einval_before_the_pid_is_looked_up(ulong flags, int pages, int src, bool pidZero)
    {
        var w = new VmaWorld();
        var api = new ProcessVmMmapAdapter(w.Dest);
        var pid = pidZero ? new Pid(0) : new Pid(4242); // 4242: no such process, which would be ESRCH
        var result = api.Map(pid, src == 0 ? 0 : w.Heap, (ulong)pages * Page.Size, Dst, flags);
        Assert.Equal(Errno.EINVAL, result.Error);
        Assert.Equal(Errno.EINVAL, api.Map(new Pid(-1), w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(Errno.EINVAL, api.Map(w.SourcePid, w.Heap, Page.TaskSize + Page.Size, Dst, NoReplace).Error);
        Assert.Equal(Errno.EINVAL, api.Map(w.SourcePid, w.Heap, Length, Page.TaskSize, NoReplace).Error);
        Assert.Equal(Errno.ESRCH, api.Map(new Pid(4242), w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(0, w.Dest.Mm!.Vmas.Count);
    }

    [Fact]
    public void A_source_range_outside_one_vma_or_in_a_special_vma_is_efault()
    {
        var w = new VmaWorld();
        var api = new ProcessVmMmapAdapter(w.Dest);
        Assert.Equal(Errno.EFAULT, api.Map(w.SourcePid, w.Heap, Length + Page.Size, Dst, NoReplace).Error);
        Assert.Equal(Errno.EFAULT, api.Map(w.SourcePid, w.Heap + Length, Page.Size, Dst, NoReplace).Error);
        // Two VMAs side by side (different protections do not merge): one range across both is refused too.
        w.Source.Mprotect(PageOf(w.Heap, 4), 4 * Page.Size, Prot.Read);
        Assert.Equal(Errno.EFAULT, api.Map(w.SourcePid, PageOf(w.Heap, 2), 4 * Page.Size, Dst, NoReplace).Error);
        Assert.Equal(Dst, api.Map(w.SourcePid, PageOf(w.Heap, 4), 4 * Page.Size, Dst, NoReplace).Value);
        Assert.Equal(1, w.Dest.Mm!.Vmas.Count);
    }

    [Theory]
    [InlineData(VmFlags.Io)]
    [InlineData(VmFlags.PfnMap)]
    [InlineData(VmFlags.DontExpand)]
    [InlineData(VmFlags.HugeTlb)]
    public void A_special_source_vma_is_efault(VmFlags special)
    {
        // Lutomirski: special mappings (gate, vDSO, vvar) and driver mappings are dangerous; v2's
        // find_vma_without_flags(..., VM_HUGETLB|VM_DONTEXPAND|VM_PFNMAP|VM_IO) refuses them. The engine's mmap cannot
        // create such a VMA, so the test sets the flag on the heap's VMA directly.
        var w = new VmaWorld();
        var vma = w.Source.Mm!.Vmas.Find(w.Heap)!;
        typeof(Vma).GetProperty(nameof(Vma.Flags))!.SetValue(vma, vma.Flags | special);
        Assert.Equal(Errno.EFAULT, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Page.Size, Dst, NoReplace).Error);
        Assert.Equal(0, w.Dest.Mm!.Vmas.Count);
    }

    [Fact]
    public void A_userfaultfd_registered_source_is_enotsupp()
    {
        var w = new VmaWorld();
        var uffd = w.Machine.Userfaultfd(w.Source, UffdFlags.NonBlock | UffdFlags.UserModeOnly).Value;
        Assert.True(w.Machine.UffdioApi(w.Source, uffd, Machine.UffdApiVersion, UffdFeatures.None).IsOk);
        Assert.True(w.Machine.UffdioRegister(w.Source, uffd, w.Heap, Length, UffdRegisterMode.Missing).IsOk);
        Assert.Equal(Errno.ENOTSUPP, new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, w.Heap, Length, Dst, NoReplace).Error);
        Assert.Equal(0, w.Dest.Mm!.Vmas.Count);
    }

    [Fact]
    public void Two_halves_mapped_in_turn_merge_into_one_destination_vma()
    {
        // v2 7/7: "VMA are merged on destination, i.e. if source task has VMA with address [start; end], and we map it
        // sequentially twice ... the destination task will have single vma [start, end]."
        var w = new VmaWorld();
        var api = new ProcessVmMmapAdapter(w.Dest);
        var half = Length / 2;
        Assert.True(api.Map(w.SourcePid, w.Heap, half, Dst, NoReplace).IsOk);
        Assert.True(api.Map(w.SourcePid, w.Heap + half, half, Dst + half, NoReplace).IsOk);
        var vma = Assert.Single(w.Dest.Mm!.Vmas.All());
        Assert.Equal((Dst, Dst + Length), (vma.Start, vma.End));
        Assert.True((vma.Flags & VmFlags.SoftDirty) != 0);
    }

    [Fact]
    public void A_shared_mapping_stays_shared()
    {
        // v2 7/7 maps a VM_SHARED source with MAP_SHARED: "shared stays shared", nothing is copied.
        var w = new VmaWorld();
        var shared = w.Source.Mmap(0, 2 * Page.Size, Prot.ReadWrite, MapFlags.Shared | MapFlags.Anonymous).Value;
        w.Source.Store(shared, 0x5a);
        var mapped = new ProcessVmMmapAdapter(w.Dest).Map(w.SourcePid, shared, 2 * Page.Size, Dst, NoReplace).Value;
        Assert.True(w.Dest.Mm!.Vmas.Find(mapped)!.IsShared);
        Assert.Equal(0x5aUL, w.Dest.Load(mapped).Value);
        w.Dest.Store(mapped, 0x77);
        Assert.Equal(0x77UL, w.Source.Load(shared).Value);
    }
}
