namespace ApiLab.Engine;

/// <summary>Removing page-table entries (zap_page_range / unmap_page_range) and the page accounting that goes with it.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Clears every entry in [start, end): present pages lose this mapping (and are freed with their last
    /// reference), swap entries give their slot back. Guard markers, and uffd-wp state in shmem VMAs, survive unless
    /// <paramref name="removeMarkers"/> (munmap removes them; MADV_DONTNEED does not). Returns how many present pages
    /// were unmapped; the caller decides when to flush the TLB (mmu_gather batching).
    /// </summary>
    internal long ZapRange(ulong start, ulong end, bool removeMarkers)
    {
        var frames = Machine.Frames;
        long zapped = 0;
        var vpn = Page.ToVpn(start);
        var endVpn = Page.ToVpn(end);
        while (vpn < endVpn)
        {
            var leafStart = vpn & ~(ulong)(PageTable.LeafSize - 1);
            var leafEnd = Math.Min(leafStart + PageTable.LeafSize, endVpn);
            var leaf = PageTable.LeafFor(vpn);
            if (leaf is not null)
            {
                PageTable.Accesses += (long)(leafEnd - vpn);
                for (var v = vpn; v < leafEnd; v++)
                {
                    var pte = leaf[v & (PageTable.LeafSize - 1)];
                    if (pte == Pte.None || (!removeMarkers && pte == Pte.GuardMarker))
                    {
                        continue;
                    }

                    // zap_nonpresent_ptes / zap_install_uffd_wp_if_needed: without ZAP_FLAG_DROP_MARKER a shmem VMA
                    // keeps (or gets) a uffd-wp marker where a protected entry was; anonymous memory drops it.
                    var after = removeMarkers ? Pte.None : EntryAfterZap(v, pte);
                    if (pte == after)
                    {
                        continue;
                    }

                    if (Pte.IsPresent(pte))
                    {
                        UnmapFrame(Pte.Index(pte), v);
                        zapped++;
                    }
                    else if (Pte.IsSwap(pte))
                    {
                        Machine.Swap.Free(Pte.Index(pte));
                        SwapEntries--;
                    }

                    PageTable.Set(v, after);
                }
            }

            vpn = leafEnd;
        }

        Machine.Stats.PagesZapped += zapped;
        Stats.PagesZapped += zapped;
        return zapped;
    }

    /// <summary>Drops this mm's mapping of a frame at <paramref name="vpn"/>: rmap, RSS, memcg, and one reference.</summary>
    internal void UnmapFrame(int frame, ulong vpn)
    {
        var frames = Machine.Frames;
        if (frame == FramePool.ZeroPage)
        {
            return;
        }

        frames.RemoveMapping(frame, this, vpn);
        if (frames.IsAnon(frame))
        {
            RssAnon--;
        }
        else
        {
            RssShmem--;
        }

        frames.Put(frame);
    }

    /// <summary>
    /// Unmaps [start, end) completely (do_vmi_munmap): splits the VMAs at the edges, zaps, removes the VMAs, flushes the
    /// TLB once. The range must be page-aligned. Returns false when a split would exceed max_map_count. Raises no
    /// userfaultfd events (exit_mmap and internal callers).
    /// </summary>
    internal bool UnmapRange(ulong start, ulong end)
    {
        var none = default(UffdUnmaps);
        return UnmapRange(start, end, ref none, notify: false);
    }

    /// <summary>do_vmi_munmap with a uf list: as <see cref="UnmapRange(ulong, ulong)"/>, recording UNMAP events for
    /// <paramref name="unmaps"/> to complete after the caller's whole operation.</summary>
    internal bool UnmapRange(ulong start, ulong end, ref UffdUnmaps unmaps) => UnmapRange(start, end, ref unmaps, notify: true);

    private bool UnmapRange(ulong start, ulong end, ref UffdUnmaps unmaps, bool notify)
    {
        if (start >= end)
        {
            return true;
        }

        var first = Vmas.IndexOfFirstEndingAbove(start);
        if (first >= Vmas.Count || Vmas[first].Start >= end)
        {
            return true;
        }

        // Linux checks the map count before splitting: a munmap in the middle of one VMA needs one more.
        var needsTwoSplits = Vmas[first].Start < start && Vmas[first].End > end;
        if (needsTwoSplits && Vmas.Count >= Machine.Config.MaxMapCount)
        {
            return false;
        }

        SplitAt(start, checkMapCount: false);
        SplitAt(end, checkMapCount: false);
        ZapRange(start, end, removeMarkers: true);
        var index = Vmas.IndexOfFirstEndingAbove(start);
        while (index < Vmas.Count && Vmas[index].Start < end)
        {
            var vma = Vmas[index];
            if (notify)
            {
                unmaps.Prep(vma, start, end);
            }

            Vmas.RemoveAt(index);
            if (vma.Shmem is { } shmem && --shmem.MapCount == 0 && shmem.Unused)
            {
                Machine.FreeShmem(shmem);
            }
        }

        BumpLayout();
        FlushTlb();
        return true;
    }
}
