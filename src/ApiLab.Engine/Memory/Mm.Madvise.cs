using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>madvise(2) on this mm: the range rules of madvise_walk_vmas and the per-advice semantics.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// madvise(start, len, advice). Invalid advice → EINVAL; unaligned start or a length that wraps → EINVAL; zero
    /// length → 0. Unmapped parts of the range are skipped and reported as ENOMEM at the end; an error from one VMA
    /// stops the walk at once (earlier VMAs keep the advice). Zaps flush the TLB once for the call.
    /// </summary>
    public SysResult<int> Madvise(ulong start, ulong length, Advice advice)
    {
        // do_madvise checks the advice and the range before it takes any lock.
        if (!AdviceInfo.IsValid(advice) || !IsValidAdviceRange(start, length))
        {
            return Errno.EINVAL;
        }

        if (length == 0)
        {
            return 0;
        }

        var batch = new MadviseBatch();
        SysResult<int> result;
        if (TryLockAdvisedVma(start, start + Page.AlignUp(length), advice))
        {
            result = Madvise(start, length, advice, ref batch);
        }
        else
        {
            using var mmapLock = LockMmap(AdviceInfo.LockMode(advice));
            result = Madvise(start, length, advice, ref batch);
        }

        batch.Finish(this);
        return result;
    }

    /// <summary>
    /// try_vma_read_lock / is_vma_lock_sufficient: for the advices that allow it, one VMA's read lock is enough when
    /// the range lies inside that VMA of the caller's own mm and no userfaultfd is armed on it. Otherwise the caller
    /// takes the mmap_lock.
    /// </summary>
    internal bool TryLockAdvisedVma(ulong start, ulong end, Advice advice)
    {
        if (!AdviceInfo.TriesVmaLock(advice) || !ReferenceEquals(Machine.Current?.Mm, this)
            || Vmas.Find(start) is not { Uffd: null } vma || end > vma.End)
        {
            return false;
        }

        LockVma();
        return true;
    }

    /// <summary>check_input_range: a page-aligned start, and a length that neither rounds up from small negative to
    /// zero nor wraps.</summary>
    private static bool IsValidAdviceRange(ulong start, ulong length)
    {
        var len = Page.AlignUp(length);
        return Page.IsAligned(start) && (length == 0 || len != 0) && start + len >= start;
    }

    /// <summary>One range of a (possibly vectored) madvise, sharing <paramref name="batch"/>'s TLB gather.</summary>
    internal SysResult<int> Madvise(ulong start, ulong length, Advice advice, ref MadviseBatch batch)
    {
        if (!AdviceInfo.IsValid(advice) || !IsValidAdviceRange(start, length))
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        if (len == 0)
        {
            return 0;
        }

        if (advice is Advice.PopulateRead or Advice.PopulateWrite)
        {
            // madvise_populate walks the range itself rather than through madvise_walk_vmas: a hole ends it (ENOMEM).
            return PopulateRange(start, start + len, advice);
        }

        var end = start + len;
        var unmapped = Errno.None;
        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address);
            if (vma is null || vma.Start >= end)
            {
                return Errno.ENOMEM;
            }

            if (address < vma.Start)
            {
                unmapped = Errno.ENOMEM;
                address = vma.Start;
            }

            var rangeEnd = Math.Min(vma.End, end);
            var error = AdviseVma(vma, address, rangeEnd, advice, ref batch);
            if (error != Errno.None)
            {
                return error;
            }

            address = rangeEnd;
        }

        return unmapped == Errno.None ? SysResult<int>.Ok(0) : unmapped;
    }

    private Errno AdviseVma(Vma vma, ulong start, ulong end, Advice advice, ref MadviseBatch batch)
    {
        if (!CanMadviseModify(vma, advice))
        {
            return Errno.EPERM;
        }

        Machine.Observer?.OnAdvice(this, vma, advice, start, end);
        switch (advice)
        {
            case Advice.Normal:
                return UpdateVmaFlags(vma, start, end, VmFlags.None, VmFlags.SeqRead | VmFlags.RandRead);
            case Advice.Random:
                return UpdateVmaFlags(vma, start, end, VmFlags.RandRead, VmFlags.SeqRead);
            case Advice.Sequential:
                return UpdateVmaFlags(vma, start, end, VmFlags.SeqRead, VmFlags.RandRead);
            case Advice.DontFork:
                return (vma.Flags & VmFlags.Io) != 0 ? Errno.EINVAL : UpdateVmaFlags(vma, start, end, VmFlags.DontCopy, VmFlags.None);
            case Advice.DoFork:
                return (vma.Flags & VmFlags.Io) != 0 ? Errno.EINVAL : UpdateVmaFlags(vma, start, end, VmFlags.None, VmFlags.DontCopy);
            case Advice.WipeOnFork:
                return !vma.IsAnonymous || vma.IsShared ? Errno.EINVAL : UpdateVmaFlags(vma, start, end, VmFlags.WipeOnFork, VmFlags.None);
            case Advice.KeepOnFork:
                return (vma.Flags & VmFlags.Droppable) != 0 ? Errno.EINVAL : UpdateVmaFlags(vma, start, end, VmFlags.None, VmFlags.WipeOnFork);
            case Advice.DontDump:
                return UpdateVmaFlags(vma, start, end, VmFlags.DontDump, VmFlags.None);
            case Advice.DoDump:
                return (vma.Flags & (VmFlags.Special | VmFlags.Droppable)) != 0
                    ? Errno.EINVAL
                    : UpdateVmaFlags(vma, start, end, VmFlags.None, VmFlags.DontDump);
            case Advice.Mergeable:
                // ksm_madvise ignores the advice (success, no flag, no split) on VMAs KSM cannot merge.
                return KsmCompatible(vma) ? UpdateVmaFlags(vma, start, end, VmFlags.Mergeable, VmFlags.None) : Errno.None;
            case Advice.Unmergeable:
                return UpdateVmaFlags(vma, start, end, VmFlags.None, VmFlags.Mergeable);
            case Advice.HugePage:
                return UpdateVmaFlags(vma, start, end, VmFlags.HugePage, VmFlags.NoHugePage);
            case Advice.NoHugePage:
                return UpdateVmaFlags(vma, start, end, VmFlags.NoHugePage, VmFlags.HugePage);
            case Advice.DontNeed:
            case Advice.DontNeedLocked:
                return DontNeed(vma, start, end, advice, ref batch);
            case Advice.Free:
                return LazyFree(vma, start, end, ref batch);
            case Advice.Cold:
            case Advice.PageOut:
                return ColdOrPageOut(vma, start, end, advice == Advice.PageOut);
            case Advice.WillNeed:
                // Swap readahead into the swap cache: the engine has no swap cache, so this hint changes nothing a
                // program can observe (mincore aside). Counted so its cost shows.
                Machine.Stats.PagesScanned += (long)((end - start) >> Page.Shift);
                Stats.PagesScanned += (long)((end - start) >> Page.Shift);
                return Errno.None;
            case Advice.Remove:
                return Remove(vma, start, end);
            case Advice.Collapse:
                // No transparent huge pages are modelled: where a VMA could hold one, collapse succeeds doing nothing.
                return CanHoldPmd(vma) ? Errno.None : Errno.EINVAL;
            case Advice.GuardInstall:
                return GuardInstall(vma, start, end, ref batch);
            case Advice.GuardRemove:
                return GuardRemove(vma, start, end);
            default:
                return Errno.EINVAL;
        }
    }

    /// <summary>vma_ksm_compatible (mm/ksm.c).</summary>
    private static bool KsmCompatible(Vma vma) =>
        (vma.Flags & (VmFlags.Shared | VmFlags.MayShare | VmFlags.PfnMap | VmFlags.Io | VmFlags.DontExpand | VmFlags.HugeTlb
            | VmFlags.MixedMap | VmFlags.Droppable)) == 0;

    /// <summary>
    /// madvise_collapse → thp_vma_allowable_order(TVA_FORCED_COLLAPSE): the VMA must not be VM_NOHUGEPAGE and must hold
    /// a PMD-aligned 2 MiB block (thp_vma_suitable_order), whatever the range asked for (checked on the host).
    /// </summary>
    private static bool CanHoldPmd(Vma vma)
    {
        const ulong pmd = 2UL << 20;
        var aligned = (vma.Start + pmd - 1) & ~(pmd - 1);
        return (vma.Flags & VmFlags.NoHugePage) == 0 && aligned >= vma.Start && aligned + pmd <= vma.End;
    }

    /// <summary>madvise_update_vma: splits at the range edges, sets the flags, and merges where Linux would.</summary>
    private Errno UpdateVmaFlags(Vma vma, ulong start, ulong end, VmFlags set, VmFlags clear)
    {
        var flags = (vma.Flags | set) & ~clear;
        if (flags == vma.Flags)
        {
            return Errno.None;
        }

        if (!SplitAt(start) || !SplitAt(end))
        {
            return Errno.ENOMEM;
        }

        var index = Vmas.IndexOfFirstEndingAbove(start);
        var target = Vmas[index];
        target.Flags = flags;
        BumpLayout();
        MergeAround(index);
        return Errno.None;
    }

    private Errno DontNeed(Vma vma, ulong start, ulong end, Advice advice, ref MadviseBatch batch)
    {
        var forbidden = VmFlags.PfnMap | (advice == Advice.DontNeedLocked ? VmFlags.None : VmFlags.Locked);
        if ((vma.Flags & forbidden) != 0)
        {
            return Errno.EINVAL;
        }

        if (UffdRemoveFirst(vma, start, end, () => DontNeedAfterRemoveEvent(start, end, advice)))
        {
            return Errno.None;
        }

        batch.Zapped += ZapRange(start, end, removeMarkers: false);
        return Errno.None;
    }

    /// <summary>
    /// madvise_dontneed_free once userfaultfd_remove dropped the mmap lock and the event was read: it takes the lock
    /// again, looks the VMA up anew (gone → nothing zapped: Linux's ENOMEM), revalidates it (VM_LOCKED / VM_PFNMAP →
    /// nothing zapped: EINVAL), clamps the end to the VMA (a split meanwhile), then zaps with a TLB flush of its own.
    /// </summary>
    private void DontNeedAfterRemoveEvent(ulong start, ulong end, Advice advice)
    {
        if (IsDead)
        {
            return;
        }

        using var mmapLock = LockMmap(MmapLockMode.Read);
        var forbidden = VmFlags.PfnMap | (advice == Advice.DontNeedLocked ? VmFlags.None : VmFlags.Locked);
        if (Vmas.Find(start) is not { } vma || (vma.Flags & forbidden) != 0)
        {
            return;
        }

        var batch = new MadviseBatch();
        if (advice == Advice.Free)
        {
            // madvise_free_single_vma's own check: an anonymous private VMA only.
            if (vma.IsAnonymous && !vma.IsShared)
            {
                LazyFreeRange(start, Math.Min(end, vma.End), ref batch);
            }
        }
        else
        {
            batch.Zapped += ZapRange(start, Math.Min(end, vma.End), removeMarkers: false);
        }

        batch.Finish(this);
    }

    /// <summary>
    /// MADV_FREE: private anonymous VMAs only. Exclusive present pages are marked clean and lazyfree (reclaim may
    /// drop them unless written again); swap entries in the range are freed outright.
    /// </summary>
    private Errno LazyFree(Vma vma, ulong start, ulong end, ref MadviseBatch batch)
    {
        if (!vma.IsAnonymous || vma.IsShared || (vma.Flags & (VmFlags.PfnMap | VmFlags.Locked)) != 0)
        {
            return Errno.EINVAL;
        }

        if (UffdRemoveFirst(vma, start, end, () => DontNeedAfterRemoveEvent(start, end, Advice.Free)))
        {
            return Errno.None;
        }

        LazyFreeRange(start, end, ref batch);
        return Errno.None;
    }

    /// <summary>madvise_free_pte_range over [start, end) of one private anonymous VMA.</summary>
    private void LazyFreeRange(ulong start, ulong end, ref MadviseBatch batch)
    {
        var frames = Machine.Frames;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (Pte.IsSwap(pte))
            {
                Machine.Swap.Free(Pte.Index(pte));
                SwapEntries--;
                PageTable.Set(vpn, Pte.None);
                continue;
            }

            if (!Pte.IsPresent(pte) || Pte.Index(pte) == FramePool.ZeroPage)
            {
                continue;
            }

            var frame = Pte.Index(pte);
            if (frames.MapCount(frame) != 1)
            {
                continue;
            }

            PageTable.Set(vpn, pte & ~(Pte.Dirty | Pte.Young));
            batch.Zapped++;
            if ((frames.Flags(frame) & FrameFlags.LazyFree) == 0)
            {
                // Lazyfree folios lose PG_swapbacked and move to the inactive file list.
                frames.LruRemove(frame);
                frames.SetFlag(frame, FrameFlags.LazyFree, true);
                frames.SetFlag(frame, FrameFlags.SwapBacked, false);
                frames.LruAdd(frame, active: false);
            }
        }
    }

    /// <summary>
    /// MADV_COLD / MADV_PAGEOUT (madvise_cold_or_pageout_pte_range): pages mapped by more than one process are left
    /// alone; COLD clears young bits and deactivates, PAGEOUT reclaims at once. One TLB flush per VMA walked.
    /// </summary>
    private Errno ColdOrPageOut(Vma vma, ulong start, ulong end, bool pageOut)
    {
        if ((vma.Flags & (VmFlags.Locked | VmFlags.PfnMap | VmFlags.HugeTlb)) != 0)
        {
            return Errno.EINVAL;
        }

        var frames = Machine.Frames;
        var flushed = new HashSet<Mm>(ReferenceEqualityComparer.Instance);
        var changed = false;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (!Pte.IsPresent(pte) || Pte.Index(pte) == FramePool.ZeroPage)
            {
                continue;
            }

            var frame = Pte.Index(pte);
            Machine.Stats.PagesScanned++;
            Stats.PagesScanned++;
            if (frames.MapCount(frame) != 1 || (frames.Flags(frame) & FrameFlags.OnLru) == 0)
            {
                continue;
            }

            if (!pageOut)
            {
                if ((pte & Pte.Young) != 0)
                {
                    PageTable.Set(vpn, pte & ~Pte.Young);
                    changed = true;
                }

                frames.LruMove(frame, active: false);
                continue;
            }

            changed |= Machine.Evict(frame, flushed);
        }

        if (changed && !flushed.Contains(this))
        {
            FlushTlb();
        }

        foreach (var mm in flushed)
        {
            mm.FlushTlb();
        }

        return Errno.None;
    }

    /// <summary>
    /// madvise_populate → faultin_page_range (mm/gup.c) with FOLL_MADV_POPULATE: page by page, no VMA → ENOMEM; a VMA
    /// that check_vma_flags rejects (no VM_READ / VM_WRITE, VM_IO, VM_PFNMAP) → EINVAL; a fault that would be SIGSEGV
    /// (guard marker) or SIGBUS (beyond a shmem object's size, a UFFD_USER_MODE_ONLY or SIGBUS-mode userfault) →
    /// EFAULT; OOM → ENOMEM; a userfault sleeps (ERESTARTSYS). Pages before the failure stay populated.
    /// </summary>
    private SysResult<int> PopulateRange(ulong start, ulong end, Advice advice)
    {
        var write = advice == Advice.PopulateWrite;
        var origin = FaultOrigin.Kernel(Machine.Current);
        Vma? seen = null;
        for (var address = start; address < end; address += Page.Size)
        {
            var vma = Vmas.Find(address);
            if (vma is null)
            {
                return Errno.ENOMEM;
            }

            if (!ReferenceEquals(vma, seen))
            {
                seen = vma;
                Machine.Observer?.OnAdvice(this, vma, advice, address, Math.Min(vma.End, end));
            }

            var needed = write ? VmFlags.Write : VmFlags.Read;
            if ((vma.Flags & (VmFlags.PfnMap | VmFlags.Io)) != 0 || (vma.Flags & needed) == 0)
            {
                return Errno.EINVAL;
            }

            var vpn = Page.ToVpn(address);
            var pte = PageTable.Get(vpn);
            if (Pte.IsPresent(pte) && (!write || (pte & Pte.Write) != 0))
            {
                continue;
            }

            var error = HandleFault(vma, vpn, write, address, origin);
            if (error != Errno.None)
            {
                return error is Errno.ENOMEM or Errno.ERESTARTSYS ? error : Errno.EFAULT;
            }
        }

        return 0;
    }

    /// <summary>MADV_REMOVE: punches a hole in the shmem object or regular file, so every mapping of those pages reads zero
    /// next.</summary>
    private Errno Remove(Vma vma, ulong start, ulong end)
    {
        if ((vma.Flags & VmFlags.Locked) != 0 || vma.Shmem is null)
        {
            return Errno.EINVAL;
        }

        // vma_is_shared_maybe (6.7+): any shared mapping may punch holes, even a read-only one; a private file (or
        // memfd) mapping gets EACCES (private anonymous VMAs have no file and failed above).
        if ((vma.Flags & VmFlags.MayShare) == 0)
        {
            return Errno.EACCES;
        }

        // The file and offset are taken before userfaultfd_remove drops the lock; the hole is punched after the read.
        var shmem = vma.Shmem;
        var first = (long)(vma.PgOff + ((start - vma.Start) >> Page.Shift));
        var count = (long)((end - start) >> Page.Shift);
        if (!UffdRemoveFirst(vma, start, end, () => PunchHole(shmem, first, count)))
        {
            PunchHole(shmem, first, count);
        }

        return Errno.None;
    }

    /// <summary>vfs_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) over pages [first, first + count).</summary>
    private void PunchHole(ShmemObject shmem, long first, long count)
    {
        var flushed = new HashSet<Mm>(ReferenceEqualityComparer.Instance);
        for (var index = first; index < first + count; index++)
        {
            var entry = shmem.Get(index);
            if (Pte.IsPresent(entry))
            {
                var frame = Pte.Index(entry);
                foreach (var (mm, vpn) in Machine.Frames.Mappings(frame))
                {
                    // unmap_mapping_range zaps without dropping markers: uffd-wp state survives the hole punch.
                    var pte = mm.PageTable.Get(vpn);
                    mm.UnmapFrame(frame, vpn);
                    mm.PageTable.Set(vpn, mm.EntryAfterZap(vpn, pte));
                    flushed.Add(mm);
                }

                Machine.Frames.Put(frame);
            }
            else if (Pte.IsSwap(entry))
            {
                Machine.Swap.Free(Pte.Index(entry));
            }

            shmem.Set(index, Pte.None);
        }

        // vfs_fallocate(FALLOC_FL_PUNCH_HOLE): a regular file's blocks there are freed too, so they read back as zero.
        shmem.FreeBlocks(first, first + count);
        foreach (var mm in flushed)
        {
            mm.FlushTlb();
        }
    }

    /// <summary>MADV_GUARD_INSTALL (6.13; file-backed since 6.15): zaps the range and leaves guard markers.</summary>
    private Errno GuardInstall(Vma vma, ulong start, ulong end, ref MadviseBatch batch)
    {
        // Droppable mappings accept guard regions (checked on the 6.18 host).
        if ((vma.Flags & (VmFlags.Special | VmFlags.HugeTlb | VmFlags.Locked)) != 0)
        {
            return Errno.EINVAL;
        }

        // anon_vma_prepare: the range now has page-table state of its own, so fork must copy it (vma_needs_copy
        // looks at anon_vma). Shared mappings get one too: dup_mmap then copies their markers.
        if (vma.AnonVma == 0)
        {
            PrepareAnonVma(vma);
        }

        batch.Zapped += ZapRange(start, end, removeMarkers: true);
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            PageTable.Set(vpn, Pte.GuardMarker);
        }

        return Errno.None;
    }

    private Errno GuardRemove(Vma vma, ulong start, ulong end)
    {
        if ((vma.Flags & (VmFlags.Special | VmFlags.HugeTlb)) != 0)
        {
            return Errno.EINVAL;
        }

        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            if (PageTable.Get(vpn) == Pte.GuardMarker)
            {
                PageTable.Set(vpn, Pte.None);
            }
        }

        return Errno.None;
    }
}

/// <summary>An mmu_gather spanning one madvise or process_madvise call: zaps are flushed once, at the end.</summary>
internal struct MadviseBatch
{
    public long Zapped;

    public readonly void Finish(Mm mm)
    {
        if (Zapped > 0)
        {
            mm.FlushTlb();
        }
    }
}
