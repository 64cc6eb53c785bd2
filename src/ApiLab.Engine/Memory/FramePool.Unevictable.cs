namespace ApiLab.Engine;

/// <summary>
/// The unevictable LRU list (mm/mlock.c): frames mapped by a VM_LOCKED VMA. mlock moves the frames it populates there;
/// reclaim culls any others it meets (a page faulted into a locked VMA later, as vmscan does when
/// folio_referenced_one sees VM_LOCKED); the last locked mapping going away (munlock, unmap, COW) puts a frame back on
/// the inactive evictable list. The engine keeps no mlock_count: it asks the rmap whether a locked VMA still maps the
/// frame.
/// </summary>
public sealed partial class FramePool
{
    private const int UnevictableList = 4;

    /// <summary>Frames on the unevictable list (Unevictable in /proc/meminfo, in pages).</summary>
    public int UnevictableCount => _lruSize[UnevictableList];

    public bool IsUnevictable(int frame) => (_flags[frame] & FrameFlags.Unevictable) != 0;

    /// <summary>mlock_folio: moves a frame to the unevictable list. The zero page is never on an LRU.</summary>
    internal void Mlock(int frame)
    {
        if (frame == ZeroPage || (_flags[frame] & FrameFlags.Unevictable) != 0)
        {
            return;
        }

        if ((_flags[frame] & FrameFlags.OnLru) != 0)
        {
            LruRemove(frame);
        }

        SetFlag(frame, FrameFlags.Unevictable, true);
        LruAdd(frame, active: false);
    }

    /// <summary>__munlock_folio: the frame goes back to the inactive list of its kind.</summary>
    internal void Munlock(int frame)
    {
        if ((_flags[frame] & FrameFlags.Unevictable) == 0)
        {
            return;
        }

        LruRemove(frame);
        SetFlag(frame, FrameFlags.Unevictable, false);
        LruAdd(frame, active: false);
    }

    /// <summary>Whether some VMA mapping the frame is VM_LOCKED (the test folio_referenced_one and try_to_unmap_one
    /// make). Mms that never locked a VMA are not searched, so reclaim pays nothing when nobody uses mlock.</summary>
    internal bool MappedByLockedVma(int frame)
    {
        var word = _rmap[frame];
        if ((word & SpillBit) == 0)
        {
            return IsInlineMapping(word) && LockedAt(InlineMm(word), word & VpnMask);
        }

        for (var e = SpillHead(word); e >= 0; e = _rmapNext[e])
        {
            if (LockedAt(_rmapMm[e]!, _rmapVpn[e]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool LockedAt(Mm mm, ulong vpn) =>
        mm.MayHaveLockedVmas && mm.Vmas.Find(Page.ToAddress(vpn)) is { } vma && (vma.Flags & VmFlags.Locked) != 0;

    /// <summary>munlock_vma_folio on unmap: a frame no locked VMA maps any more becomes evictable again.</summary>
    internal void RescueIfUnlocked(int frame)
    {
        if ((_flags[frame] & FrameFlags.Unevictable) != 0 && !MappedByLockedVma(frame))
        {
            Munlock(frame);
        }
    }

    /// <summary>The unevictable list, oldest first (for the invariant checker).</summary>
    internal IEnumerable<int> UnevictableFrames() => ListFrames(UnevictableList);
}
