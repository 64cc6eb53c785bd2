using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// process_vm_mmap v2's checks and mmap_process_vm, shared by the duplicate and the move designs (they differ only in
/// what happens to the source PTEs). Order and errnos follow the v2 diff of mm/process_vm_access.c and mm/mmap.c.
/// </summary>
internal static class PvmMmapCore
{
    /// <summary>PVMMAP_FIXED: like MAP_FIXED, replacing whatever the destination holds.</summary>
    public const ulong Fixed = 0x01;

    /// <summary>PVMMAP_FIXED_NOREPLACE: fixed, but EEXIST instead of replacing.</summary>
    public const ulong FixedNoReplace = 0x02;

    /// <summary>find_vma_without_flags: a source VMA with any of these is refused (EFAULT).</summary>
    private const VmFlags Refused = VmFlags.HugeTlb | VmFlags.DontExpand | VmFlags.PfnMap | VmFlags.Io;

    /// <summary>The EINVAL checks process_vm_mmap makes before find_get_task_by_vpid.</summary>
    public static Errno Precheck(Pid pid, ulong srcAddr, ulong length, ulong dstAddr, ulong flags)
    {
        var (src, len, dst) = Align(srcAddr, length, dstAddr, flags);
        return (flags & ~(Fixed | FixedNoReplace)) != 0 || len == 0 || len > Page.TaskSize || src == 0
            || dst > Page.TaskSize - len || pid.Value <= 0
            ? Errno.EINVAL
            : Errno.None;
    }

    /// <summary>mmap_process_vm: source VMA, map count, userfaultfd, placement, NOREPLACE, then the copy.</summary>
    public static SysResult<ulong> Map(Process caller, Process target, ulong srcAddr, ulong length, ulong dstAddr, ulong flags, bool move)
    {
        var (src, len, dst) = Align(srcAddr, length, dstAddr, flags);
        var srcMm = target.Mm!;
        if (caller.Mm is not { } dstMm)
        {
            return Errno.ESRCH;
        }

        var srcVma = srcMm.Vmas.Find(src);
        if (srcVma is null || srcVma.End < src + len || (srcVma.Flags & Refused) != 0)
        {
            return Errno.EFAULT;
        }

        if (dstMm.Vmas.Count > caller.Machine.Config.MaxMapCount - 2)
        {
            return Errno.ENOMEM;
        }

        if (srcVma.Uffd is not null)
        {
            return Errno.ENOTSUPP;
        }

        var isFixed = (flags & (Fixed | FixedNoReplace)) != 0;
        if (isFixed)
        {
            // get_unmapped_area with MAP_FIXED returns the address itself, after security_mmap_addr.
            if (dst < caller.Machine.Config.MmapMinAddr && !caller.Credentials.Has(Capability.SysRawio))
            {
                return Errno.EPERM;
            }
        }
        else
        {
            dst = dstMm.FindUnmappedArea(dst, len);
            if (dst == 0)
            {
                return Errno.ENOMEM;
            }
        }

        if ((flags & FixedNoReplace) != 0 && dstMm.Vmas.FindFirstEndingAbove(dst) is { } clash && clash.Start < dst + len)
        {
            return Errno.EEXIST;
        }

        if (ReferenceEquals(srcMm, dstMm) && dst < srcVma.End && srcVma.Start < dst + len)
        {
            return Errno.EINVAL; // UNCONFIRMED: the patch would unmap its own source VMA and use it afterwards.
        }

        // do_mmap_process_vm: do_munmap of the destination first (a no-op unless PVMMAP_FIXED replaces something).
        if (!dstMm.Munmap(dst, len).IsOk)
        {
            return Errno.ENOMEM;
        }

        dstMm.DuplicateFrom(srcMm, src, len, dst, move);
        return dst;
    }

    /// <summary>len = PAGE_ALIGN(len), src rounded down, dst rounded down (fixed) or round_hint_to_min'd (a hint; the
    /// raise to mmap_min_addr happens in placement).</summary>
    private static (ulong Src, ulong Len, ulong Dst) Align(ulong srcAddr, ulong length, ulong dstAddr, ulong flags) =>
        (Page.AlignDown(srcAddr), length > ulong.MaxValue - Page.Mask ? 0 : Page.AlignUp(length), Page.AlignDown(dstAddr));
}
