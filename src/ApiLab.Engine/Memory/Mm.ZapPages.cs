namespace ApiLab.Engine;

/// <summary>A zap outside madvise (zap_page_range_single), for interfaces that zap by another route.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Zaps the page-aligned range [<paramref name="start"/>, <paramref name="end"/>) as MADV_DONTNEED's zap does (present
    /// pages lose this mapping and are freed with their last reference; guard markers stay) under one TLB flush, without
    /// madvise's VMA checks and without raising UFFD_EVENT_REMOVE: the caller has checked the range. Returns the pages
    /// unmapped.
    /// </summary>
    public long ZapPages(ulong start, ulong end)
    {
        using var mmapLock = LockMmap(MmapLockMode.Read);
        var zapped = ZapRange(Page.AlignDown(start), Page.AlignUp(end), removeMarkers: false);
        if (zapped > 0)
        {
            FlushTlb();
        }

        return zapped;
    }
}
