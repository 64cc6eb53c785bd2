using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// mremap(2): shrink, expand in place, or move (MAYMOVE, FIXED, DONTUNMAP), with do_mremap's checks, and the
/// userfaultfd events it raises (UNMAP for what it unmaps, REMAP for a move).
/// </summary>
public sealed partial class Mm
{
    public SysResult<ulong> Mremap(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress)
    {
        var uf = default(UffdMremap);
        var result = Mremap(oldAddress, oldLength, newLength, flags, newAddress, ref uf);
        uf.Complete(result);
        return result;
    }

    private SysResult<ulong> Mremap(ulong oldAddress, ulong oldLength, ulong newLength, MremapFlags flags, ulong newAddress, ref UffdMremap uf)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        if ((flags & ~(MremapFlags.MayMove | MremapFlags.Fixed | MremapFlags.DontUnmap)) != 0
            || ((flags & (MremapFlags.Fixed | MremapFlags.DontUnmap)) != 0 && (flags & MremapFlags.MayMove) == 0)
            || !Page.IsAligned(oldAddress))
        {
            return Errno.EINVAL;
        }

        var oldLen = Page.AlignUp(oldLength);
        var newLen = Page.AlignUp(newLength);
        if (newLen == 0 || newLen > Page.TaskSize || ((flags & MremapFlags.DontUnmap) != 0 && oldLen != newLen))
        {
            return Errno.EINVAL;
        }

        // check_mremap_params (6.17+): FIXED and DONTUNMAP name a new address, checked before the old range is looked
        // up: in range, aligned, not overlapping the old range.
        var newAddressGiven = (flags & (MremapFlags.Fixed | MremapFlags.DontUnmap)) != 0;
        if (newAddressGiven
            && (newAddress > Page.TaskSize - newLen || !Page.IsAligned(newAddress)
                || (newAddress < oldAddress + oldLen && oldAddress < newAddress + newLen)))
        {
            return Errno.EINVAL;
        }

        var vma = Vmas.Find(oldAddress);
        if (vma is null)
        {
            return Errno.EFAULT;
        }

        if (IsSealed(vma))
        {
            return Errno.EPERM;
        }

        if (oldLen == 0)
        {
            return Duplicate(vma, oldAddress, newLen, flags, newAddress, ref uf);
        }

        if ((flags & MremapFlags.Fixed) != 0 && oldLen == newLen)
        {
            return RemapMove(oldAddress, oldLen, newAddress, flags, ref uf);
        }

        if (newAddressGiven)
        {
            return MremapTo(oldAddress, oldLen, newLen, newAddress, flags, ref uf);
        }

        if (oldLen == newLen)
        {
            // MREMAP_NO_RESIZE: nothing to do, not even the one-VMA check (host-verified).
            return oldAddress;
        }

        if (oldLen > newLen)
        {
            // Shrinking in place only unmaps the tail, which may span VMAs (host-verified).
            return UnmapRangeChecked(oldAddress + newLen, oldAddress + oldLen, ref uf.Late) is var shrunk && shrunk != Errno.None
                ? shrunk
                : oldAddress;
        }

        var resize = CheckResizable(vma, oldAddress, oldLen, newLen);
        if (resize != Errno.None)
        {
            return resize;
        }

        if (oldAddress + oldLen == vma.End && IsFree(vma.End, oldAddress + newLen))
        {
            // vma_merge_extend: the new range merges into the VMA, and the VMA with the next one if they now touch and
            // are compatible; never with the previous one (host-verified after a fork left two compatible VMAs apart).
            vma.End = oldAddress + newLen;
            BumpLayout();
            MergeWithNext(Vmas.IndexOfFirstEndingAbove(oldAddress));
            return oldAddress;
        }

        if ((flags & MremapFlags.MayMove) == 0)
        {
            return Errno.ENOMEM;
        }

        var target = GetUnmappedArea(0, newLen);
        return target == 0 ? Errno.ENOMEM : MoveVma(vma, oldAddress, oldLen, newLen, target, flags, ref uf);
    }

    /// <summary>
    /// mremap with old_size 0: a second mapping of the same shared pages (host-verified): only for a shareable VMA
    /// (EINVAL otherwise), and it cannot grow in place, so it needs MREMAP_MAYMOVE (ENOMEM). The new VMA maps the same
    /// object from the same offset; nothing is copied, its faults find the page cache (past the object's size: SIGBUS).
    /// </summary>
    private SysResult<ulong> Duplicate(Vma vma, ulong oldAddress, ulong newLen, MremapFlags flags, ulong newAddress, ref UffdMremap uf)
    {
        if ((vma.Flags & (VmFlags.Shared | VmFlags.MayShare)) == 0 || vma.Shmem is not { } shmem)
        {
            return Errno.EINVAL;
        }

        if ((flags & MremapFlags.MayMove) == 0)
        {
            return Errno.ENOMEM;
        }

        if ((flags & MremapFlags.Fixed) != 0)
        {
            if (UnmapRangeChecked(newAddress, newAddress + newLen, ref uf.Early) is var unmapped && unmapped != Errno.None)
            {
                return unmapped;
            }
        }
        else
        {
            newAddress = GetUnmappedArea(0, newLen);
            if (newAddress == 0)
            {
                return Errno.ENOMEM;
            }
        }

        var pgoff = vma.PgOff + ((oldAddress - vma.Start) >> Page.Shift);
        var copy = new Vma(Machine.NextVmaIdentity(), newAddress, newAddress + newLen, vma.Flags, shmem, pgoff);
        shmem.MapCount++;
        InsertAndMerge(copy);
        if ((vma.Flags & VmFlags.Locked) != 0)
        {
            MayHaveLockedVmas = true;
        }

        return newAddress;
    }

    /// <summary>
    /// remap_move (6.17+): a MREMAP_FIXED move of the same size may span several VMAs and the gaps between them. Each
    /// VMA's part moves on its own (mremap_to), keeping the gaps between them at the destination; a gap at the start
    /// is EFAULT; a uffd-armed VMA may only move alone (EFAULT otherwise). An error part-way leaves the parts already
    /// moved where they went. Returns where the first part went.
    /// </summary>
    private SysResult<ulong> RemapMove(ulong oldAddress, ulong length, ulong newAddress, MremapFlags flags, ref UffdMremap uf)
    {
        var end = oldAddress + length;
        var parts = new List<(ulong Start, ulong End, ulong VmaStart, ulong VmaEnd, bool Uffd, bool Sealed)>();
        for (var vma = Vmas.FindFirstEndingAbove(oldAddress); vma is not null && vma.Start < end; vma = Vmas.FindFirstEndingAbove(vma.End))
        {
            parts.Add((Math.Max(vma.Start, oldAddress), Math.Min(vma.End, end), vma.Start, vma.End,
                (vma.Flags & (VmFlags.UffdMissing | VmFlags.UffdWp)) != 0, IsSealed(vma)));
        }

        if (parts.Count == 0 || parts[0].Start > oldAddress)
        {
            return Errno.EFAULT;
        }

        ulong first = 0;
        var target = newAddress;
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Uffd && (i > 0 || part.VmaEnd < end))
            {
                return Errno.EFAULT;
            }

            if (part.Sealed)
            {
                // check_prep_vma, per part: a sealed VMA is EPERM, the parts before it stay moved.
                return Errno.EPERM;
            }

            var offset = i == 0 ? 0 : part.VmaStart - parts[i - 1].VmaEnd;
            var partLength = part.End - part.Start;
            var moved = MremapTo(part.Start, partLength, partLength, target + offset, flags, ref uf);
            if (!moved.IsOk)
            {
                return moved;
            }

            if (i == 0)
            {
                first = moved.Value;
            }

            target = moved.Value + partLength;
        }

        return first;
    }

    /// <summary>
    /// mremap_to: MREMAP_FIXED unmaps the target first; MREMAP_DONTUNMAP without FIXED takes the new address as a hint
    /// for get_unmapped_area. The new-address checks were done by the caller.
    /// </summary>
    private SysResult<ulong> MremapTo(ulong oldAddress, ulong oldLen, ulong newLen, ulong newAddress, MremapFlags flags, ref UffdMremap uf)
    {
        var isFixed = (flags & MremapFlags.Fixed) != 0;

        // check_prep_vma: the part of the old range that survives (the shorter of the two lengths) must lie in one VMA,
        // checked before anything is unmapped; a shrink's tail may span VMAs (host-verified both ways).
        var resize = CheckResizable(Vmas.Find(oldAddress)!, oldAddress, Math.Min(oldLen, newLen), newLen);
        if (resize != Errno.None)
        {
            return resize;
        }

        if (isFixed)
        {
            if (newAddress < Machine.Config.MmapMinAddr)
            {
                return Errno.EPERM;
            }

            if (UnmapRangeChecked(newAddress, newAddress + newLen, ref uf.Early) is var target && target != Errno.None)
            {
                return target;
            }
        }

        if (oldLen > newLen)
        {
            if (UnmapRangeChecked(oldAddress + newLen, oldAddress + oldLen, ref uf.Late) is var shrunk && shrunk != Errno.None)
            {
                return shrunk;
            }

            oldLen = newLen;
        }

        var vma = Vmas.Find(oldAddress)!;
        resize = CheckResizable(vma, oldAddress, oldLen, newLen);
        if (resize != Errno.None)
        {
            return resize;
        }

        if (!isFixed)
        {
            newAddress = GetUnmappedArea(newAddress, newLen);
            if (newAddress == 0)
            {
                return Errno.ENOMEM;
            }
        }

        return MoveVma(vma, oldAddress, oldLen, newLen, newAddress, flags, ref uf);
    }

    /// <summary>vma_to_resize: the old range must lie in one VMA; special mappings cannot grow.</summary>
    private static Errno CheckResizable(Vma vma, ulong oldAddress, ulong oldLen, ulong newLen)
    {
        if (oldLen > vma.End - oldAddress)
        {
            return Errno.EFAULT;
        }

        return newLen > oldLen && (vma.Flags & (VmFlags.DontExpand | VmFlags.PfnMap)) != 0 ? Errno.EFAULT : Errno.None;
    }

    private bool IsFree(ulong start, ulong end)
    {
        if (end > Page.TaskSize || end < start)
        {
            return false;
        }

        var next = Vmas.FindFirstEndingAbove(start);
        return next is null || next.Start >= end;
    }

    /// <summary>
    /// move_vma: a new VMA (new identity) at the destination receives the page-table entries (rmap updated, no copy);
    /// the old range is unmapped unless MREMAP_DONTUNMAP keeps it, empty (and still registered). One TLB flush for the
    /// move. A registered VMA keeps its userfaultfd at the destination only with EVENT_REMAP (which then gets a REMAP
    /// event); otherwise the new VMA is unregistered and its uffd-wp state dropped (mremap_userfaultfd_prep,
    /// move_ptes' need_clear_uffd_wp).
    /// </summary>
    private SysResult<ulong> MoveVma(Vma vma, ulong oldAddress, ulong oldLen, ulong newLen, ulong newAddress, MremapFlags flags,
        ref UffdMremap uf)
    {
        if (Vmas.Count >= Machine.Config.MaxMapCount - 3)
        {
            return Errno.ENOMEM;
        }

        // The old VMA is split only when the old range goes away: with MREMAP_DONTUNMAP it stays whole (host-verified:
        // it then loses VM_LOCKED as a whole, below).
        var dontUnmap = (flags & MremapFlags.DontUnmap) != 0;
        if (!dontUnmap && (!SplitAt(oldAddress) || !SplitAt(oldAddress + oldLen)))
        {
            return Errno.ENOMEM;
        }

        vma = Vmas.Find(oldAddress)!;
        var pgoff = vma.PgOff + ((oldAddress - vma.Start) >> Page.Shift);
        var moved = new Vma(Machine.NextVmaIdentity(), newAddress, newAddress + newLen, vma.Flags, vma.Shmem, pgoff)
        {
            AnonVma = vma.AnonVma,
            AnonVmaInherited = vma.AnonVmaInherited,
            Uffd = vma.Uffd,
        };
        var clearUffdWp = false;
        if (vma.Uffd is { } ctx)
        {
            if ((ctx.Features & UffdFeatures.EventRemap) != 0)
            {
                uf.PrepRemap(ctx, oldAddress, oldLen);
            }
            else
            {
                // vma_has_uffd_without_event_remap: move_ptes clears every uffd-wp bit and marker on the way.
                clearUffdWp = true;
                moved.Flags &= ~VmFlags.UffdMask;
                moved.Uffd = null;
            }
        }

        if (vma.Shmem is { } shmem)
        {
            shmem.MapCount++;
        }

        if (vma.IsAnonymous && vma.AnonVma == 0)
        {
            // copy_vma: an unfaulted anonymous VMA takes the pgoff of its new address, so it can merge there.
            moved.PgOff = newAddress >> Page.Shift;
        }

        Vmas.Insert(moved);
        BumpLayout();
        var frames = Machine.Frames;
        var delta = Page.ToVpn(newAddress) - Page.ToVpn(oldAddress);
        for (var vpn = Page.ToVpn(oldAddress); vpn < Page.ToVpn(oldAddress + oldLen); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (pte == Pte.None)
            {
                continue;
            }

            if (Pte.IsPresent(pte))
            {
                frames.MoveMapping(Pte.Index(pte), this, vpn, vpn + delta);
            }

            PageTable.Set(vpn + delta, clearUffdWp ? (pte == Pte.UffdWpMarker ? Pte.None : pte & ~Pte.UffdWp) : pte);
            PageTable.Set(vpn, Pte.None);
            Machine.Stats.PtesMoved++;
            Stats.PtesMoved++;
        }

        FlushTlb();
        if (!dontUnmap)
        {
            UnmapRange(oldAddress, oldAddress + oldLen, ref uf.Late);
            MergeAround(Vmas.IndexOfFirstEndingAbove(newAddress));
            return newAddress;
        }

        // copy_vma merged the new VMA with its neighbours first, so the VMA that then loses the lock may be that merged
        // one (host-verified: a locked range moved next to itself ends up as one unlocked VMA).
        MergeAround(Vmas.IndexOfFirstEndingAbove(newAddress));

        // dontunmap_complete: the old VMA stays whole (not split), the range empty, and the whole VMA loses
        // VM_LOCKED_MASK in place, keeping VM_ACCOUNT; no merge is attempted after, so it stays apart from neighbours
        // it now matches (host-verified with smaps VmFlags: "lo" gone, "ac" kept).
        var old = Vmas.Find(oldAddress)!;
        if ((old.Flags & VmFlags.Locked) != 0)
        {
            old.Flags &= ~VmFlags.LockedMask;
            MlockPresentPages(old.Start, old.End, locked: false);
        }

        BumpLayout();
        return newAddress;
    }
}
