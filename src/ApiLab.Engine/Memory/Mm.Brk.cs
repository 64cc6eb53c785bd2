using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// brk(2) (sys_brk in mm/mmap.c): the heap is the anonymous VMA(s) between mm->start_brk and mm->brk, shown as [heap]
/// in /proc/pid/maps. exec sets start_brk; a process that never exec'd (<see cref="Machine.Spawn"/>) has
/// start_brk 0, below mmap_min_addr, so its heap can never grow.
/// </summary>
public sealed partial class Mm
{
    /// <summary>mm->start_brk.</summary>
    public ulong StartBrk { get; internal set; }

    /// <summary>mm->brk: the current break, byte-exact (the VMA ends at the next page boundary).</summary>
    public ulong Brk { get; internal set; }

    /// <summary>
    /// sys_brk: never fails with an errno; it returns the new break, or the old one when the request is refused: below
    /// start_brk; over RLIMIT_DATA (check_data_rlimit, counting only the heap since the engine has no data segment,
    /// and checked even for a shrink); a shrink whose unmap fails (a sealed VMA); a growth that check_brk_limits
    /// refuses (below mmap_min_addr, beyond TASK_SIZE, over RLIMIT_MEMLOCK under mlockall(MCL_FUTURE)) or that would
    /// come within a page of the next VMA (the guard gap too, if it grows down). Growth extends the last heap VMA when
    /// it can (do_brk_flags) and, under MCL_FUTURE, populates and locks the new pages.
    /// </summary>
    internal ulong DoBrk(ulong brk)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var origBrk = Brk;
        if (brk < StartBrk)
        {
            return origBrk;
        }

        var dataLimit = Owner?.Limits.Data ?? ResourceLimits.Infinity;
        if (dataLimit != ResourceLimits.Infinity && brk - StartBrk > dataLimit)
        {
            return origBrk;
        }

        var newBrk = Page.AlignUp(brk);
        var oldBrk = Page.AlignUp(Brk);
        if (oldBrk == newBrk)
        {
            Brk = brk;
            return brk;
        }

        if (brk <= Brk)
        {
            // Always allow shrinking brk: everything in [newbrk, oldbrk) goes, whatever it is.
            var inRange = Vmas.FindFirstEndingAbove(newBrk);
            if (inRange is null || inRange.Start >= oldBrk)
            {
                return origBrk;
            }

            Brk = brk;
            if (UnmapRangeChecked(newBrk, oldBrk) != Errno.None)
            {
                Brk = origBrk;
                return origBrk;
            }

            return brk;
        }

        var length = newBrk - oldBrk;
        if (length > Page.TaskSize || oldBrk > Page.TaskSize - length || oldBrk < Machine.Config.MmapMinAddr
            || !MlockFutureOk(DefFlags, length))
        {
            return origBrk;
        }

        var next = Vmas.FindFirstEndingAbove(oldBrk);
        if (next is not null && next.Start < newBrk + Page.Size + StackGuardGap && newBrk + Page.Size > VmStartGap(next))
        {
            return origBrk;
        }

        if (!BrkExtend(oldBrk, newBrk))
        {
            return origBrk;
        }

        Brk = brk;
        if ((DefFlags & VmFlags.Locked) != 0)
        {
            PopulateLocked(oldBrk, newBrk, ignoreErrors: true);
        }

        return brk;
    }

    /// <summary>
    /// do_brk_flags: VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | def_flags over [oldBrk, newBrk); over max_map_count → false.
    /// The heap VMA below (vma_prev_limit from start_brk) is expanded when it ends at oldBrk and is compatible
    /// (just_expand: it never merges with the next VMA); otherwise a new VMA is inserted.
    /// </summary>
    private bool BrkExtend(ulong oldBrk, ulong newBrk)
    {
        if (Vmas.Count > Machine.Config.MaxMapCount)
        {
            return false;
        }

        var flags = VmFlags.Read | VmFlags.Write | VmFlags.MayRead | VmFlags.MayWrite | VmFlags.MayExec | VmFlags.Account
            | DefFlags;
        var candidate = new Vma(0, oldBrk, newBrk, flags, null, oldBrk >> Page.Shift);
        var below = Vmas.IndexOfFirstEndingAbove(oldBrk) - 1;
        if (below >= 0 && Vmas[below] is { } prev && prev.End == oldBrk && prev.End > StartBrk && Adjacent(prev, candidate)
            && AnonCompatible(prev, candidate))
        {
            prev.End = newBrk;
            BumpLayout();
            return true;
        }

        candidate.Id = Machine.NextVmaIdentity();
        Vmas.Insert(candidate);
        BumpLayout();
        if ((flags & VmFlags.Locked) != 0)
        {
            MayHaveLockedVmas = true;
        }

        return true;
    }
}
