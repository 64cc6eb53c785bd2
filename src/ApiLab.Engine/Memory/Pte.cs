namespace ApiLab.Engine;

/// <summary>
/// A page-table entry packed in 64 bits: flags in the low bits, a frame number (present) or swap slot (swap entry)
/// in the high 32. Zero is pte_none. <see cref="PageTable"/> stores entries in 32 bits while the flags fit in bits
/// 0..6 and the index below 2^25, so a new flag above bit 6 costs memory (its leaves widen) but stays correct.
/// </summary>
public static class Pte
{
    public const ulong None = 0;
    public const ulong Present = 1UL << 0;
    /// <summary>Hardware-writable. Clear on a present PTE of a writable VMA means COW or write-protect.</summary>
    public const ulong Write = 1UL << 1;
    public const ulong Dirty = 1UL << 2;
    /// <summary>The accessed ("young") bit.</summary>
    public const ulong Young = 1UL << 3;
    /// <summary>A non-present swap entry; the high bits hold the slot.</summary>
    public const ulong Swap = 1UL << 4;
    /// <summary>userfaultfd write-protect bit (kept on swap entries too, as Linux's pte_swp_uffd_wp).</summary>
    public const ulong UffdWp = 1UL << 5;
    /// <summary>A guard-region marker (MADV_GUARD_INSTALL): not present, any access faults with SIGSEGV.</summary>
    public const ulong GuardMarker = 1UL << 6;
    /// <summary>
    /// PTE_MARKER_UFFD_WP: a non-present entry that only remembers "write-protected". Installed by UFFDIO_WRITEPROTECT
    /// on empty entries of shmem VMAs (and of anonymous ones with UFFD_FEATURE_WP_UNPOPULATED), and in place of a
    /// write-protected shmem PTE that a zap or reclaim removes, so the protection outlives the page-table entry.
    /// </summary>
    public const ulong UffdWpMarker = UffdWp;

    private const int IndexShift = 32;

    public static ulong MakePresent(int frame, ulong flags) => ((ulong)(uint)frame << IndexShift) | Present | flags;

    public static ulong MakeSwap(int slot) => ((ulong)(uint)slot << IndexShift) | Swap;

    public static bool IsPresent(ulong pte) => (pte & Present) != 0;

    public static bool IsSwap(ulong pte) => (pte & Swap) != 0;

    public static int Index(ulong pte) => (int)(pte >> IndexShift);
}
