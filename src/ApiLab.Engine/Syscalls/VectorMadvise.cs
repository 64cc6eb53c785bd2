using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// vector_madvise() (mm/madvise.c): the iovec loop behind process_madvise. Entries run in order under one mmap-lock
/// acquisition and one TLB gather; the first failing entry stops the loop; the result is the bytes of the entries
/// that completed, or the error if none did.
/// </summary>
/// <remarks>
/// Advices that try a per-VMA lock (DONTNEED, DONTNEED_LOCKED, FREE) take none up front: each entry tries its VMA's
/// lock, and the first entry that cannot (it spans VMAs, a uffd is armed, or the mm is another process's) takes the
/// mmap read lock, which the rest of the call keeps (madvise_lock / try_vma_read_lock).
/// </remarks>
public static class VectorMadvise
{
    public static SysResult<long> Apply(Mm mm, ReadOnlySpan<IoVec> ranges, Advice advice)
    {
        ArgumentNullException.ThrowIfNull(mm);
        var mmapLock = default(MmapLockScope);
        var holdsMmapLock = !AdviceInfo.TriesVmaLock(advice);
        if (holdsMmapLock)
        {
            mmapLock = mm.LockMmap(AdviceInfo.LockMode(advice));
        }

        try
        {
            return Apply(mm, ranges, advice, ref mmapLock, holdsMmapLock);
        }
        finally
        {
            mmapLock.Dispose();
        }
    }

    private static SysResult<long> Apply(Mm mm, ReadOnlySpan<IoVec> ranges, Advice advice, ref MmapLockScope mmapLock,
        bool holdsMmapLock)
    {
        var batch = new MadviseBatch();
        ulong done = 0;
        ulong total = 0;
        foreach (var range in ranges)
        {
            total += range.Length;
        }

        var error = Errno.None;
        for (var i = 0; i < ranges.Length && total > 0; i++)
        {
            var range = ranges[i];
            // The iov_iter starts on entry 0 even when it is empty, so that entry's address is still checked
            // (an unaligned one ends the loop with EINVAL); advancing past an entry skips every empty one after it.
            if (range.Length == 0 && i > 0)
            {
                continue;
            }

            if (!holdsMmapLock && !mm.TryLockAdvisedVma(range.Base, range.Base + Page.AlignUp(range.Length), advice))
            {
                mmapLock = mm.LockMmap(MmapLockMode.Read);
                holdsMmapLock = true;
            }

            var result = mm.Madvise(range.Base, range.Length, advice, ref batch);
            if (!result.IsOk)
            {
                error = result.Error;
                break;
            }

            done += range.Length;
        }

        batch.Finish(mm);

        if (done > 0 || error == Errno.None)
        {
            return (long)done;
        }

        return error;
    }
}
