namespace ApiLab.Engine;

/// <summary>The mmap_lock and the per-VMA locks, as costs: acquisitions by mode and hold time (see
/// <see cref="MmapLockScope"/>).</summary>
public sealed partial class Mm
{
    // Nested acquisitions (an engine path that calls another one taking the lock) are one hold, timed by the outermost.
    private int _mmapLockDepth;

    /// <summary>Takes this mm's mmap_lock; dispose the scope to release it.</summary>
    public MmapLockScope LockMmap(MmapLockMode mode)
    {
        Machine.Stats.MmapLockAcquisitions++;
        Stats.MmapLockAcquisitions++;
        if (mode == MmapLockMode.Write)
        {
            Machine.Stats.MmapWriteLocks++;
            Stats.MmapWriteLocks++;
        }

        _mmapLockDepth++;
        return new MmapLockScope(this, PageTable.Accesses);
    }

    internal void UnlockMmap(long accessesAtLock)
    {
        if (--_mmapLockDepth > 0)
        {
            return;
        }

        var held = PageTable.Accesses - accessesAtLock;
        Machine.Stats.MmapLockHeld += held;
        Stats.MmapLockHeld += held;
    }

    /// <summary>lock_vma_under_rcu: one VMA read-locked instead of the whole mm (6.18's faults, MADV_DONTNEED/FREE on
    /// one VMA of the caller's own mm, UFFDIO_COPY, /proc/pid/maps and PROCMAP_QUERY readers). It excludes only writers
    /// of that VMA, so it is not counted as mmap_lock hold time.</summary>
    internal void LockVma(int count = 1)
    {
        Machine.Stats.VmaLocks += count;
        Stats.VmaLocks += count;
    }
}
