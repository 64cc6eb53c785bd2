namespace ApiLab.Engine;

/// <summary>
/// Page reclaim (mm/vmscan.c, classic two-list LRU): take the oldest inactive pages, give referenced ones a second
/// chance on the active list, and evict the rest: anonymous pages to swap, shmem pages to swap through the page
/// cache, regular-file pages dropped (dirty ones written back first), lazily-freed clean pages and droppable pages
/// (even dirty) discarded.
/// </summary>
public sealed partial class Machine
{
    /// <summary>Tries to free <paramref name="target"/> frames; returns how many it freed.</summary>
    public int Reclaim(int target)
    {
        var flushed = new HashSet<Mm>(ReferenceEqualityComparer.Instance);
        var freed = 0;
        var budget = 4 * Frames.Capacity;
        while (freed < target && budget-- > 0)
        {
            var frame = PickVictim();
            if (frame < 0)
            {
                break;
            }

            Stats.PagesScanned++;
            // memory.stat's pgscan/pgsteal are per memcg, and the engine gives each mm its own.
            if (Frames.MemcgOwner(frame) is { } memcg)
            {
                memcg.Stats.PagesScanned++;
            }
            if (CullIfLocked(frame))
            {
                continue;
            }

            var lazy = (Frames.Flags(frame) & FrameFlags.LazyFree) != 0;
            if (TestAndClearYoung(frame) && !lazy)
            {
                Frames.LruMove(frame, active: true);
                continue;
            }

            if (Evict(frame, flushed))
            {
                freed++;
            }
            else if (!Frames.IsUnevictable(frame))
            {
                // Could not evict (no swap, re-dirtied lazyfree page): keep it, but on the active list so the scan moves on.
                Frames.LruMove(frame, active: true);
            }
        }

        foreach (var mm in flushed)
        {
            mm.FlushTlb();
        }

        return freed;
    }

    /// <summary>The oldest inactive frame, refilling the inactive lists from the active ones when they run dry.</summary>
    private int PickVictim()
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var file = Frames.LruTail(swapBacked: false, active: false);
            if (file >= 0)
            {
                return file;
            }

            var anon = Swap.Slots > Swap.UsedSlots ? Frames.LruTail(swapBacked: true, active: false) : -1;
            if (anon >= 0)
            {
                return anon;
            }

            if (!AgeActiveList())
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>shrink_active_list: moves the oldest half of the active pages to the inactive lists, clearing young bits.</summary>
    private bool AgeActiveList()
    {
        var moved = false;
        foreach (var swapBacked in (ReadOnlySpan<bool>)[false, true])
        {
            var count = Math.Max(1, Frames.LruSize(swapBacked, active: true) / 2);
            for (var i = 0; i < count; i++)
            {
                var frame = Frames.LruTail(swapBacked, active: true);
                if (frame < 0)
                {
                    break;
                }

                TestAndClearYoung(frame);
                Frames.LruMove(frame, active: false);
                moved = true;
            }
        }

        return moved;
    }

    /// <summary>folio_referenced: clears the young bit in every PTE mapping the frame; true if any was set.</summary>
    internal bool TestAndClearYoung(int frame)
    {
        var referenced = false;
        foreach (var (mm, vpn) in Frames.Mappings(frame))
        {
            var pte = mm.PageTable.Get(vpn);
            if ((pte & Pte.Young) != 0)
            {
                referenced = true;
                mm.PageTable.Set(vpn, pte & ~Pte.Young);
            }
        }

        return referenced;
    }

    /// <summary>
    /// shrink_folio_list for one frame: unmaps it everywhere (try_to_unmap) and frees it. Returns false, changing
    /// nothing, when the page must stay: swap-backed with no free slot, or a lazyfree page written since MADV_FREE.
    /// The mms that lost a mapping are added to <paramref name="flushed"/> (TTU_BATCH_FLUSH: one flush per mm).
    /// </summary>
    internal bool Evict(int frame, HashSet<Mm> flushed)
    {
        if (CullIfLocked(frame))
        {
            return false;
        }

        var flags = Frames.Flags(frame);
        var mappings = Frames.Mappings(frame);
        var owner = Frames.MemcgOwner(frame);
        var droppable = (flags & FrameFlags.Droppable) != 0;
        var lazy = (flags & FrameFlags.LazyFree) != 0;
        if (lazy && !droppable && AnyDirty(mappings))
        {
            // The owner wrote after MADV_FREE: the data is live again and goes back to being swap-backed, on the
            // anon LRU (try_to_unmap_one's folio_set_swapbacked).
            Frames.LruRemove(frame);
            Frames.SetFlag(frame, FrameFlags.LazyFree, false);
            Frames.SetFlag(frame, FrameFlags.SwapBacked, true);
            Frames.LruAdd(frame, active: false);
            return false;
        }

        // A regular file's page goes back to its backing store, not to swap: written back first if dirty, then dropped.
        var shmem = Frames.CacheOwner(frame);
        var fileBacked = shmem is { IsRegularFile: true };
        var discard = droppable || lazy || fileBacked || shmem?.Special is { DiscardOnEvict: true };
        var slot = -1;
        if (!discard)
        {
            slot = Swap.TryAllocate(Frames.Content(frame));
            if (slot < 0)
            {
                return false;
            }
        }

        foreach (var (mm, vpn) in mappings)
        {
            var pte = mm.PageTable.Get(vpn);
            mm.UnmapFrame(frame, vpn);
            if (shmem is null && !discard)
            {
                // Anonymous: the PTE becomes a swap entry (one swap_map count per PTE), keeping the uffd-wp bit.
                mm.PageTable.Set(vpn, Pte.MakeSwap(slot) | (pte & Pte.UffdWp));
                mm.SwapEntries++;
            }
            else
            {
                // try_to_unmap_one: a write-protected shmem PTE leaves a uffd-wp marker behind.
                mm.PageTable.Set(vpn, mm.EntryAfterZap(vpn, pte));
            }

            flushed.Add(mm);
        }

        if (fileBacked)
        {
            if ((Frames.Flags(frame) & FrameFlags.Dirty) != 0 || AnyDirty(mappings))
            {
                WriteBackFrame(shmem!, frame);
            }

            shmem!.Set(Frames.CacheIndex(frame), Pte.None);
            Frames.Put(frame);
        }
        else if (shmem is not null)
        {
            // A discarded page-cache page leaves a hole: the next fault reads zeroes.
            shmem.Set(Frames.CacheIndex(frame), discard ? Pte.None : Pte.MakeSwap(slot));
            Frames.Put(frame);
        }
        else if (!discard)
        {
            // The slot was allocated with count 1; each further PTE holds another count.
            for (var i = 1; i < mappings.Count; i++)
            {
                Swap.Duplicate(slot);
            }

            if (mappings.Count == 0)
            {
                Swap.Free(slot);
            }
        }

        Stats.PagesReclaimed++;
        var memcg = owner?.Stats;
        if (memcg is not null)
        {
            memcg.PagesReclaimed++;
        }

        if (slot >= 0)
        {
            Stats.PagesSwappedOut++;
            if (memcg is not null)
            {
                memcg.PagesSwappedOut++;
            }
        }

        return true;
    }

    /// <summary>
    /// The VM_LOCKED test of folio_referenced_one / try_to_unmap_one: a frame some locked VMA maps is moved to the
    /// unevictable list (mlock_vma_folio) instead of being aged or evicted.
    /// </summary>
    private bool CullIfLocked(int frame)
    {
        if (Frames.IsUnevictable(frame))
        {
            return true;
        }

        if (!Frames.MappedByLockedVma(frame))
        {
            return false;
        }

        Frames.Mlock(frame);
        return true;
    }

    private static bool AnyDirty(List<(Mm Mm, ulong Vpn)> mappings)
    {
        foreach (var (mm, vpn) in mappings)
        {
            if ((mm.PageTable.Get(vpn) & Pte.Dirty) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
