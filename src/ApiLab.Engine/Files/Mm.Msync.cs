using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>msync(2) (mm/msync.c).</summary>
public sealed partial class Mm
{
    /// <summary>MS_ASYNC: a no-op since 2.6.19 (dirty pages are tracked and written back anyway).</summary>
    public const int MsAsync = 1;

    /// <summary>MS_INVALIDATE: a no-op too, except that it fails with EBUSY on a locked mapping.</summary>
    public const int MsInvalidate = 2;

    /// <summary>MS_SYNC: writes back the file range of every shared file mapping in the range (vfs_fsync_range).</summary>
    public const int MsSync = 4;

    /// <summary>
    /// msync(start, len, flags) with Linux's checks in order: unknown flags, an unaligned start, or MS_ASYNC together
    /// with MS_SYNC → EINVAL; a range past the end of the address space → ENOMEM; an empty range → 0. Then VMA by VMA: a hole → ENOMEM (at once
    /// for plain MS_ASYNC, otherwise at the end, after syncing the rest); MS_INVALIDATE on a VM_LOCKED VMA → EBUSY
    /// (stopping there); MS_SYNC on a shared file mapping writes back that file range. A private mapping or a memfd has
    /// nothing to write.
    /// </summary>
    public SysResult<int> Msync(ulong start, ulong length, int flags)
    {
        if ((flags & ~(MsAsync | MsInvalidate | MsSync)) != 0 || !Page.IsAligned(start)
            || ((flags & MsAsync) != 0 && (flags & MsSync) != 0))
        {
            return Errno.EINVAL;
        }

        var end = start + Page.AlignUp(length);
        // As the kernel's arithmetic: a length that rounds up to 0 (wraps) gives an empty range, not an error.
        if (end < start)
        {
            return Errno.ENOMEM;
        }

        if (end == start)
        {
            return 0;
        }

        using var mmapLock = LockMmap(MmapLockMode.Read);
        var unmappedError = false;
        var vma = Vmas.FindFirstEndingAbove(start);
        while (true)
        {
            if (vma is null)
            {
                return Errno.ENOMEM;
            }

            if (start < vma.Start)
            {
                if (flags == MsAsync)
                {
                    return Errno.ENOMEM;
                }

                start = vma.Start;
                if (start >= end)
                {
                    return Errno.ENOMEM;
                }

                unmappedError = true;
            }

            if ((flags & MsInvalidate) != 0 && (vma.Flags & VmFlags.Locked) != 0)
            {
                return Errno.EBUSY;
            }

            var to = Math.Min(end, vma.End);
            if ((flags & MsSync) != 0 && vma.IsShared && vma.Shmem is { } file)
            {
                var first = (long)(vma.PgOff + ((start - vma.Start) >> Page.Shift));
                Machine.WriteBackRange(file, first, first + (long)((to - start) >> Page.Shift));
            }

            start = vma.End;
            if (start >= end)
            {
                return unmappedError ? Errno.ENOMEM : (SysResult<int>)0;
            }

            vma = Vmas.FindFirstEndingAbove(start);
        }
    }
}
