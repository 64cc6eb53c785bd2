using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>memfd_create(2) and ftruncate(2) on a memfd (mm/memfd.c, mm/shmem.c).</summary>
public sealed partial class Machine
{
    /// <summary>MFD_CLOEXEC.</summary>
    public const uint MfdCloexec = 1;

    /// <summary>MFD_ALLOW_SEALING (seals themselves are not modelled).</summary>
    public const uint MfdAllowSealing = 2;

    /// <summary>
    /// memfd_create(name, flags): unknown flags → EINVAL; a name longer than 249 bytes → EINVAL; a full fd table →
    /// EMFILE. The file is empty (size 0) and shows in /proc/pid/maps as "/memfd:NAME (deleted)".
    /// </summary>
    public SysResult<int> MemfdCreate(Process caller, string name, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(name);
        using var scope = EnterSyscall(caller, "memfd_create");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if ((flags & ~(MfdCloexec | MfdAllowSealing)) != 0 || System.Text.Encoding.UTF8.GetByteCount(name) > 249)
        {
            return Errno.EINVAL;
        }

        var shmem = NewShmem("/memfd:" + name);
        shmem.SizePages = 0;
        shmem.FileRefs = 1;
        var fd = caller.Fds.Install(new MemfdFile(shmem), closeOnExec: (flags & MfdCloexec) != 0);
        if (fd < 0)
        {
            shmem.FileRefs = 0;
            return Errno.EMFILE;
        }

        return fd;
    }

    /// <summary>
    /// ftruncate(fd, length) on a memfd or regular file: a bad fd or one that is neither → EBADF / EINVAL; a negative length →
    /// EINVAL. Growing adds holes; shrinking drops the pages past the new end from every mapping, private
    /// copy-on-write copies included (truncate_pagecache → unmap_mapping_range with even_cows), and frees them (and, for a
    /// regular file, its blocks there).
    /// </summary>
    public SysResult<int> Ftruncate(Process caller, int fd, long length)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "ftruncate");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        var file = caller.Fds.Get(fd);
        if (file is null)
        {
            return Errno.EBADF;
        }

        if (file is not PageCacheFile memfd || length < 0)
        {
            return Errno.EINVAL;
        }

        var shmem = memfd.Shmem;
        var pages = (long)(((ulong)length + Page.Mask) >> Page.Shift);
        if (pages < shmem.SizePages)
        {
            TruncateMappings(shmem, pages);
            TruncatePageCache(shmem, pages);
            shmem.FreeBlocks(pages, long.MaxValue);
        }

        shmem.SizePages = pages;
        return 0;
    }

    /// <summary>Zaps every PTE (shared or private copy) that maps the object at or past page <paramref name="first"/>.</summary>
    private void TruncateMappings(ShmemObject shmem, long first)
    {
        foreach (var process in _byPid.Values)
        {
            if (process.Mm is not { } mm)
            {
                continue;
            }

            var zapped = 0L;
            for (var i = 0; i < mm.Vmas.Count; i++)
            {
                var vma = mm.Vmas[i];
                if (!ReferenceEquals(vma.Shmem, shmem))
                {
                    continue;
                }

                var vmaFirst = (long)vma.PgOff;
                var vmaEnd = vmaFirst + (long)(vma.Length >> Page.Shift);
                if (vmaEnd <= first)
                {
                    continue;
                }

                var from = vma.Start + ((ulong)Math.Max(0, first - vmaFirst) << Page.Shift);
                zapped += mm.ZapRange(from, vma.End, removeMarkers: false);
            }

            if (zapped > 0)
            {
                mm.FlushTlb();
            }
        }
    }

    /// <summary>Frees the page-cache pages and swap slots at or past page <paramref name="first"/>.</summary>
    private void TruncatePageCache(ShmemObject shmem, long first)
    {
        foreach (var (index, entry) in shmem.Entries().ToList())
        {
            if (index < first)
            {
                continue;
            }

            if (Pte.IsPresent(entry))
            {
                Frames.Put(Pte.Index(entry));
            }
            else if (Pte.IsSwap(entry))
            {
                Swap.Free(Pte.Index(entry));
            }

            shmem.Set(index, Pte.None);
        }
    }
}
