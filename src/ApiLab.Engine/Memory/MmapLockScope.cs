namespace ApiLab.Engine;

/// <summary>
/// A held mmap_lock, released when disposed. The engine is single-threaded (actors interleave only at syscall
/// boundaries), so nobody waits on it; what it records is how often it was taken and for how long: the page-table
/// entries read or written between taking and releasing it (<see cref="MachineStats.MmapLockHeld"/>), the time a
/// writer (the target's own mmap, munmap or a fault needing the lock) would have waited.
/// </summary>
public ref struct MmapLockScope
{
    private readonly Mm? _mm;
    private readonly long _accessesAtLock;

    internal MmapLockScope(Mm mm, long accessesAtLock)
    {
        _mm = mm;
        _accessesAtLock = accessesAtLock;
    }

    public void Dispose() => _mm?.UnlockMmap(_accessesAtLock);
}
