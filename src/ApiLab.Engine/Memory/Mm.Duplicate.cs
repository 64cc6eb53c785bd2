namespace ApiLab.Engine;

/// <summary>
/// The mechanism of Kirill Tkhai's process_vm_mmap (seed 003, "[PATCH v2 7/7] mm: Add process_vm_mmap()",
/// 2019-05-20; never merged): copy_vma of another mm's VMA into this one, then copy_page_range as fork does. Also
/// Andy Lutomirski's "move" variant (the source PTEs go instead of being shared), and the two small GUP helpers the
/// /proc/pid/mem design needs. The design's argument checks and errnos live in its proposal; these are the primitives.
/// </summary>
/// <remarks>
/// Linux never lets a private anonymous page be mapped twice in one mm outside KSM and the zero page (Shutemov's
/// invariant). The engine's rmap is keyed by (mm, vpn), so it can represent the double mapping this call creates, and
/// the invariant checker counts mappings per PTE, so it accepts it: the harm is for the lab to find, not to crash on.
/// </remarks>
public sealed partial class Mm
{
    /// <summary>get_unmapped_area for a proposal placing a mapping itself (round_hint_to_min, then top-down). 0 when
    /// nothing fits.</summary>
    public ulong FindUnmappedArea(ulong hint, ulong length) => GetUnmappedArea(RoundHintToMin(hint), Page.AlignUp(length));

    /// <summary>
    /// do_mmap_process_vm after its checks: <c>copy_vma</c> clones the source VMA's part [srcAddr, srcAddr+length) into
    /// this mm at <paramref name="dstAddr"/> (same flags and anon_vma, pgoff carried over, VM_SOFTDIRTY set; it may
    /// merge with neighbours), then <c>copy_page_range</c> copies its PTEs as fork does: private pages become
    /// copy-on-write in both mms (the source's PTEs are write-protected, one TLB flush there), swap entries are
    /// duplicated without a swap-in, shared mappings copy nothing (they fault from the page cache). The memcg charge
    /// stays where it is ("same as after fork()+mremap()"). With <paramref name="movePtes"/> (Lutomirski) the entries
    /// move instead: the source keeps its VMA but loses the pages, so they are never mapped in both mms.
    /// UNCONFIRMED: VM_LOCKED is dropped on the copy as fork drops it; the move leaves the source VMA empty rather than
    /// unmapped (the thread only says "unmap PTEs from source page table").
    /// </summary>
    /// <remarks>Preconditions (the caller's checks, which are the design's): the source range lies inside one VMA of
    /// <paramref name="source"/> that is not registered with a userfaultfd, and the destination range is free.</remarks>
    public Vma DuplicateFrom(Mm source, ulong srcAddr, ulong length, ulong dstAddr, bool movePtes)
    {
        ArgumentNullException.ThrowIfNull(source);
        var srcVma = source.Vmas.Find(srcAddr);
        if (srcVma is null || srcVma.End < srcAddr + length || srcVma.Uffd is not null || !IsFree(dstAddr, dstAddr + length))
        {
            throw new ArgumentException("process_vm_mmap's preconditions do not hold", nameof(srcAddr));
        }

        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (!ReferenceEquals(source, this))
        {
            using var sourceLock = source.LockMmap(MmapLockMode.Read);
        }

        var pgoff = srcVma.PgOff + ((srcAddr - srcVma.Start) >> Page.Shift);
        if (srcVma.IsAnonymous && srcVma.AnonVma == 0)
        {
            // copy_vma: an unfaulted anonymous VMA takes the pgoff of its new address, so it can merge there.
            pgoff = dstAddr >> Page.Shift;
        }

        var copy = new Vma(Machine.NextVmaIdentity(), dstAddr, dstAddr + length,
            (srcVma.Flags & ~VmFlags.LockedMask) | VmFlags.SoftDirty, srcVma.Shmem, pgoff)
        {
            // anon_vma_clone: the copy joins the source's anon_vma, which is how rmap finds both mappings.
            AnonVma = srcVma.AnonVma,
            AnonVmaInherited = srcVma.AnonVmaInherited,
        };
        if (srcVma.Shmem is { } shmem)
        {
            shmem.MapCount++;
        }

        Vmas.Insert(copy);
        BumpLayout();
        var flushSource = srcVma.AnonVma != 0 && !(srcVma.Shmem is not null && srcVma.IsShared)
            ? CopyPtes(source, srcAddr, length, dstAddr, movePtes)
            : MoveSharedPtes(source, srcAddr, length, dstAddr, movePtes);
        if (flushSource)
        {
            source.FlushTlb();
        }

        return MergeAround(Vmas.IndexOfFirstEndingAbove(dstAddr));
    }

    /// <summary>copy_pte_range for a private VMA (or move_ptes across mms, with <paramref name="move"/>). Returns
    /// whether the source's TLB needs a flush (a PTE was write-protected or removed).</summary>
    private bool CopyPtes(Mm source, ulong srcAddr, ulong length, ulong dstAddr, bool move)
    {
        var frames = Machine.Frames;
        var flush = false;
        var delta = Page.ToVpn(dstAddr) - Page.ToVpn(srcAddr);
        for (var vpn = Page.ToVpn(srcAddr); vpn < Page.ToVpn(srcAddr + length); vpn++)
        {
            var pte = source.PageTable.Get(vpn);
            if (pte == Pte.None || (!Pte.IsPresent(pte) && !Pte.IsSwap(pte) && pte != Pte.GuardMarker))
            {
                // Empty, or a leftover uffd-wp marker: the destination is not registered, so it gets nothing.
                continue;
            }

            if (Pte.IsSwap(pte))
            {
                // A swap entry is copied (or moved) as it is: no swap-in, the page stays on the device.
                if (move)
                {
                    source.PageTable.Set(vpn, Pte.None);
                    source.SwapEntries--;
                    flush = true;
                }
                else
                {
                    Machine.Swap.Duplicate(Pte.Index(pte));
                }

                SwapEntries++;
                PageTable.Set(vpn + delta, pte & ~Pte.UffdWp);
                continue;
            }

            if (!Pte.IsPresent(pte))
            {
                PageTable.Set(vpn + delta, pte);
                if (move)
                {
                    source.PageTable.Set(vpn, Pte.None);
                }

                continue;
            }

            var frame = Pte.Index(pte);
            if (move)
            {
                // The reference and the memcg charge travel with the page; only the rmap entry changes mm.
                if (frame != FramePool.ZeroPage)
                {
                    frames.RemoveMapping(frame, source, vpn);
                    frames.AddMapping(frame, this, vpn + delta);
                    if (frames.IsAnon(frame))
                    {
                        source.RssAnon--;
                        RssAnon++;
                    }
                    else
                    {
                        source.RssShmem--;
                        RssShmem++;
                    }
                }

                source.PageTable.Set(vpn, Pte.None);
                PageTable.Set(vpn + delta, pte & ~Pte.UffdWp);
                Machine.Stats.PtesMoved++;
                Stats.PtesMoved++;
                flush = true;
                continue;
            }

            if ((pte & Pte.Write) != 0)
            {
                source.PageTable.Set(vpn, pte & ~Pte.Write);
                flush = true;
            }

            PageTable.Set(vpn + delta, pte & ~(Pte.Write | Pte.Young | Pte.UffdWp));
            if (frame != FramePool.ZeroPage)
            {
                frames.Get(frame);
                frames.AddMapping(frame, this, vpn + delta);
                if (frames.IsAnon(frame))
                {
                    RssAnon++;
                }
                else
                {
                    RssShmem++;
                }
            }
        }

        return flush;
    }

    /// <summary>A shared VMA: pages come back from the page cache, so only guard markers are copied; a move also zaps
    /// the source's PTEs. Returns whether the source needs a TLB flush.</summary>
    private bool MoveSharedPtes(Mm source, ulong srcAddr, ulong length, ulong dstAddr, bool move)
    {
        var delta = Page.ToVpn(dstAddr) - Page.ToVpn(srcAddr);
        for (var vpn = Page.ToVpn(srcAddr); vpn < Page.ToVpn(srcAddr + length); vpn++)
        {
            if (source.PageTable.Get(vpn) == Pte.GuardMarker)
            {
                PageTable.Set(vpn + delta, Pte.GuardMarker);
            }
        }

        return move && source.ZapRange(srcAddr, srcAddr + length, removeMarkers: true) > 0;
    }

    /// <summary>
    /// What a load at <paramref name="address"/> would return, without faulting or touching any bit: the frame's
    /// content, the swapped-out content, the page cache's for an unfaulted shared page, 0 for an empty private page.
    /// Null when no VMA maps the address. For judges that must not disturb the state they judge.
    /// </summary>
    public ulong? Peek(ulong address)
    {
        if (Vmas.Find(address) is not { } vma)
        {
            return null;
        }

        var vpn = Page.ToVpn(address);
        var pte = PageTable.Get(vpn);
        if (Pte.IsPresent(pte))
        {
            return Machine.Frames.Content(Pte.Index(pte));
        }

        if (Pte.IsSwap(pte))
        {
            return Machine.Swap.Content(Pte.Index(pte));
        }

        if (vma.Shmem is not { } shmem)
        {
            return 0;
        }

        var index = (long)(vma.PgOff + (vpn - Page.ToVpn(vma.Start)));
        var entry = shmem.Get(index);
        return Pte.IsPresent(entry) ? Machine.Frames.Content(Pte.Index(entry))
            : Pte.IsSwap(entry) ? Machine.Swap.Content(Pte.Index(entry))
            : shmem.StoredContent(index);
    }

    /// <summary>
    /// access_remote_vm for one word, as /proc/pid/mem does it: get_user_pages on this mm (faulting the page in, a
    /// write breaking COW or swapping it in), then the copy. <paramref name="caller"/> is the task doing it (a kernel
    /// fault on its behalf). FOLL_FORCE on read-only mappings is not modelled (UNCONFIRMED that callers need it here).
    /// </summary>
    public Spec.SysResult<ulong> AccessRemote(Process caller, ulong address, bool write, ulong value)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var origin = FaultOrigin.Kernel(caller);
        var pin = GupFault(address, write, origin);
        return pin != Spec.Errno.None ? pin : Access(address, write, value, origin);
    }
}
