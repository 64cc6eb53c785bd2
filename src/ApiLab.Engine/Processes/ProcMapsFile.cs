using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>An open /proc/&lt;pid&gt;/maps file: what PROCMAP_QUERY (6.11) ioctls are issued on.</summary>
public sealed class ProcMapsFile(Process target)
{
    /// <summary>PROCMAP_QUERY_COVERING_OR_NEXT_VMA.</summary>
    public const uint CoveringOrNext = 0x10;

    /// <summary>PROCMAP_QUERY_FILE_BACKED_VMA.</summary>
    public const uint FileBacked = 0x20;

    private const uint KnownFlags = 0x01 | 0x02 | 0x04 | 0x08 | CoveringOrNext | FileBacked;

    public Process Target { get; } = target;

    /// <summary>The mm the open pinned (proc_maps_open → proc_mem_open): after the target execs, this fd still names the
    /// old, dead mm, so it reads nothing and PROCMAP_QUERY fails with ESRCH (checked on the 6.18 host).</summary>
    public Mm? Mm { get; } = target.Mm;

    /// <summary>
    /// One PROCMAP_QUERY: the VMA covering <paramref name="address"/> (or, with COVERING_OR_NEXT_VMA, the next one),
    /// optionally filtered (readable/writable/executable/shared/file-backed). EINVAL for unknown flags; ENOENT when
    /// there is none; ESRCH when the process has no mm any more.
    /// </summary>
    public SysResult<VmaInfo> Query(ulong address, uint flags)
    {
        if ((flags & ~KnownFlags) != 0)
        {
            return Errno.EINVAL;
        }

        if (Mm is not { IsDead: false } mm)
        {
            return Errno.ESRCH;
        }

        // PROCMAP_QUERY runs under the per-VMA lock of the VMA it reports (6.17+), not the mmap_lock.
        mm.LockVma();
        for (var vma = mm.Vmas.FindFirstEndingAbove(address); vma is not null; vma = mm.Vmas.FindFirstEndingAbove(vma.End))
        {
            if (vma.Start > address && (flags & CoveringOrNext) == 0)
            {
                return Errno.ENOENT;
            }

            if (Matches(vma, flags))
            {
                return mm.Describe(vma);
            }

            if ((flags & CoveringOrNext) == 0)
            {
                return Errno.ENOENT;
            }
        }

        return Errno.ENOENT;
    }

    private static bool Matches(Vma vma, uint flags) =>
        ((flags & 0x01) == 0 || (vma.Flags & VmFlags.Read) != 0)
        && ((flags & 0x02) == 0 || (vma.Flags & VmFlags.Write) != 0)
        && ((flags & 0x04) == 0 || (vma.Flags & VmFlags.Exec) != 0)
        && ((flags & 0x08) == 0 || (vma.Flags & VmFlags.MayShare) != 0)
        && ((flags & FileBacked) == 0 || vma.Shmem is not null);
}
