using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// mseal(2) (6.10, mm/mseal.c) and the checks the other operations make on sealed VMAs (vma_is_sealed): munmap,
/// mmap(MAP_FIXED) over them, mremap of them or onto them, mprotect, and the discard madvises on read-only anonymous
/// VMAs fail with EPERM. Exit and exec tear sealed VMAs down like any other; fork copies the seal.
/// </summary>
public sealed partial class Mm
{
    /// <summary>
    /// do_mseal: flags → EINVAL; unaligned start → EINVAL; a length that rounds up to zero or wraps → EINVAL; empty →
    /// 0; any hole in the range → ENOMEM, sealing nothing; otherwise every VMA of the range gets VM_SEALED (split and
    /// merged like any flag change).
    /// </summary>
    public SysResult<int> Mseal(ulong start, ulong length, ulong flags)
    {
        if (flags != 0 || !Page.IsAligned(start))
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        var end = start + len;
        if ((length != 0 && len == 0) || end < start)
        {
            return Errno.EINVAL;
        }

        if (end == start)
        {
            return 0;
        }

        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (RangeContainsUnmapped(start, end))
        {
            return Errno.ENOMEM;
        }

        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address)!;
            var rangeEnd = Math.Min(vma.End, end);
            if (!IsSealed(vma))
            {
                if (!SplitAt(address) || !SplitAt(rangeEnd))
                {
                    return Errno.ENOMEM;
                }

                var index = Vmas.IndexOfFirstEndingAbove(address);
                Vmas[index].Flags |= VmFlags.Sealed;
                BumpLayout();
                MergeAround(index);
            }

            address = rangeEnd;
        }

        return 0;
    }

    internal static bool IsSealed(Vma vma) => (vma.Flags & VmFlags.Sealed) != 0;

    /// <summary>range_contains_unmapped.</summary>
    private bool RangeContainsUnmapped(ulong start, ulong end)
    {
        var covered = start;
        for (var i = Vmas.IndexOfFirstEndingAbove(start); i < Vmas.Count && Vmas[i].Start < end; i++)
        {
            if (Vmas[i].Start > covered)
            {
                return true;
            }

            covered = Vmas[i].End;
        }

        return covered < end;
    }

    /// <summary>
    /// do_vmi_munmap's gather step (vms_gather_munmap_vmas) with its seal checks, then the unmap: a first VMA that
    /// needs a split and is sealed → EPERM before anything changes; a sealed VMA further on → EPERM after the first
    /// VMA was split (the split is not undone: checked on the 6.18 host), nothing unmapped. Used by munmap,
    /// mmap(MAP_FIXED), mremap and brk; exit_mmap ignores seals and calls <see cref="UnmapRange(ulong, ulong)"/> directly.
    /// </summary>
    internal Errno UnmapRangeChecked(ulong start, ulong end)
    {
        var none = default(UffdUnmaps);
        return UnmapRangeChecked(start, end, ref none, notify: false);
    }

    /// <summary>As <see cref="UnmapRangeChecked(ulong, ulong)"/>, recording userfaultfd UNMAP events in
    /// <paramref name="unmaps"/> for the caller to complete.</summary>
    internal Errno UnmapRangeChecked(ulong start, ulong end, ref UffdUnmaps unmaps) =>
        UnmapRangeChecked(start, end, ref unmaps, notify: true);

    private Errno UnmapRangeChecked(ulong start, ulong end, ref UffdUnmaps unmaps, bool notify)
    {
        var first = Vmas.IndexOfFirstEndingAbove(start);
        if (first >= Vmas.Count || Vmas[first].Start >= end)
        {
            return Errno.None;
        }

        var vma = Vmas[first];
        var splitsStart = vma.Start < start;
        if (splitsStart)
        {
            if (vma.End > end && Vmas.Count >= Machine.Config.MaxMapCount)
            {
                return Errno.ENOMEM;
            }

            if (IsSealed(vma))
            {
                return Errno.EPERM;
            }
        }

        for (var i = first; i < Vmas.Count && Vmas[i].Start < end; i++)
        {
            if (IsSealed(Vmas[i]))
            {
                if (splitsStart)
                {
                    SplitAt(start, checkMapCount: false);
                }

                return Errno.EPERM;
            }
        }

        var unmapped = notify ? UnmapRange(start, end, ref unmaps) : UnmapRange(start, end);
        return unmapped ? Errno.None : Errno.ENOMEM;
    }

    /// <summary>
    /// can_madvise_modify (6.18): on a sealed VMA the discard advices (is_discard: FREE, DONTNEED, DONTNEED_LOCKED,
    /// REMOVE, DONTFORK, WIPEONFORK, GUARD_INSTALL) are refused unless the VMA is file-backed (shmem counts: it has a
    /// vm_file) or writable.
    /// </summary>
    internal static bool CanMadviseModify(Vma vma, Advice advice)
    {
        if (!IsSealed(vma))
        {
            return true;
        }

        var discard = advice is Advice.Free or Advice.DontNeed or Advice.DontNeedLocked or Advice.Remove
            or Advice.DontFork or Advice.WipeOnFork or Advice.GuardInstall;
        return !discard || vma.Shmem is not null || (vma.Flags & VmFlags.Write) != 0;
    }
}
