namespace ApiLab.Engine;

/// <summary>
/// Cost counters. <see cref="Machine.Stats"/> holds the machine-wide totals, each <see cref="Mm.Stats"/> what was done
/// to that address space, and <see cref="Machine.CallCosts"/> (when asked for) the totals per syscall. Plain fields:
/// the engine is single-threaded and these sit on hot paths.
/// </summary>
public sealed class MachineStats
{
    public long Syscalls;
    public long PageFaults;
    public long TlbFlushes;
    /// <summary>Flushes of an mm other than the caller's own: each needs IPIs to the CPUs running the target.</summary>
    public long TlbShootdowns;
    public long PagesScanned;
    public long PagesReclaimed;
    public long PagesSwappedOut;
    public long PagesSwappedIn;
    public long PagesZapped;
    public long PagesCopied;
    public long BytesCopied;
    public long ProcBytesRead;
    /// <summary>mmap_lock acquisitions, read or write (the per-VMA locks that 6.18 takes instead are counted apart).</summary>
    public long MmapLockAcquisitions;
    /// <summary>The write-mode share of <see cref="MmapLockAcquisitions"/>: these exclude the mm's faults and readers.</summary>
    public long MmapWriteLocks;
    /// <summary>Per-VMA read locks (lock_vma_under_rcu) taken instead of the mmap_lock.</summary>
    public long VmaLocks;
    /// <summary>How long the mmap_lock was held, in the engine's unit of time for it: page-table entries read or
    /// written while it was held (a walk's cost is its entries; the engine has no clock).</summary>
    public long MmapLockHeld;
    /// <summary>Page-table entries moved without copying the page: exec's relocate_vma_down and mremap's moves.</summary>
    public long PtesMoved;
    public long Execs;
    /// <summary>Page-cache misses on a regular file that read the page in from its backing store.</summary>
    public long MajorFaults;
    /// <summary>Dirty regular-file pages written back to their backing store (msync, fsync, reclaim).</summary>
    public long PagesWrittenBack;

    public MachineStats Clone() => (MachineStats)MemberwiseClone();

    /// <summary>Adds <paramref name="after"/> minus <paramref name="before"/> to these counters.</summary>
    public void AddDifference(MachineStats after, MachineStats before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        Syscalls += after.Syscalls - before.Syscalls;
        PageFaults += after.PageFaults - before.PageFaults;
        TlbFlushes += after.TlbFlushes - before.TlbFlushes;
        TlbShootdowns += after.TlbShootdowns - before.TlbShootdowns;
        PagesScanned += after.PagesScanned - before.PagesScanned;
        PagesReclaimed += after.PagesReclaimed - before.PagesReclaimed;
        PagesSwappedOut += after.PagesSwappedOut - before.PagesSwappedOut;
        PagesSwappedIn += after.PagesSwappedIn - before.PagesSwappedIn;
        PagesZapped += after.PagesZapped - before.PagesZapped;
        PagesCopied += after.PagesCopied - before.PagesCopied;
        BytesCopied += after.BytesCopied - before.BytesCopied;
        ProcBytesRead += after.ProcBytesRead - before.ProcBytesRead;
        MmapLockAcquisitions += after.MmapLockAcquisitions - before.MmapLockAcquisitions;
        MmapWriteLocks += after.MmapWriteLocks - before.MmapWriteLocks;
        VmaLocks += after.VmaLocks - before.VmaLocks;
        MmapLockHeld += after.MmapLockHeld - before.MmapLockHeld;
        PtesMoved += after.PtesMoved - before.PtesMoved;
        Execs += after.Execs - before.Execs;
        MajorFaults += after.MajorFaults - before.MajorFaults;
        PagesWrittenBack += after.PagesWrittenBack - before.PagesWrittenBack;
    }

    /// <summary>The counters as name/value pairs, in a stable order (for tables and JSON).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ToPairs() =>
    [
        new("syscalls", Syscalls),
        new("page_faults", PageFaults),
        new("tlb_flushes", TlbFlushes),
        new("tlb_shootdowns", TlbShootdowns),
        new("pages_scanned", PagesScanned),
        new("pages_reclaimed", PagesReclaimed),
        new("pages_swapped_out", PagesSwappedOut),
        new("pages_swapped_in", PagesSwappedIn),
        new("pages_zapped", PagesZapped),
        new("pages_copied", PagesCopied),
        new("bytes_copied", BytesCopied),
        new("proc_bytes_read", ProcBytesRead),
        new("mmap_lock_acquisitions", MmapLockAcquisitions),
        new("mmap_write_locks", MmapWriteLocks),
        new("vma_locks", VmaLocks),
        new("mmap_lock_held", MmapLockHeld),
        new("ptes_moved", PtesMoved),
        new("execs", Execs),
        new("major_faults", MajorFaults),
        new("pages_written_back", PagesWrittenBack),
    ];
}
