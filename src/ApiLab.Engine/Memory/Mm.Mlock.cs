using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// mlock(2), mlock2(2), munlock(2), mlockall(2) and munlockall(2) (mm/mlock.c). Locking sets VM_LOCKED (and
/// VM_LOCKONFAULT) on the VMAs, splitting and merging them like any flag change, moves the pages already present to
/// the unevictable list and, unless on-fault, populates the range. Reclaim never evicts a page a locked VMA maps.
/// </summary>
public sealed partial class Mm
{
    /// <summary>mm->def_flags: VM_LOCKED (and VM_LOCKONFAULT) after mlockall(MCL_FUTURE); every new mapping gets them.
    /// Not inherited by fork or exec (mm_init keeps only VM_INIT_DEF_MASK).</summary>
    public VmFlags DefFlags { get; internal set; }

    /// <summary>Set once any VMA of this mm was locked: lets reclaim skip the rmap's locked-VMA test for mms that never
    /// locked anything. Conservative (never cleared), so only ever an optimisation.</summary>
    internal bool MayHaveLockedVmas { get; private set; }

    /// <summary>locked_vm in pages (VmLck). Linux keeps a counter that always equals this sum; the engine recomputes
    /// it, so no unmap, mremap or fork path has to maintain it.</summary>
    public long LockedVm
    {
        get
        {
            long pages = 0;
            for (var i = 0; i < Vmas.Count; i++)
            {
                if ((Vmas[i].Flags & VmFlags.Locked) != 0)
                {
                    pages += (long)(Vmas[i].Length >> Page.Shift);
                }
            }

            return pages;
        }
    }

    /// <summary>total_vm in pages (VmSize): every mapped page.</summary>
    public long TotalVm
    {
        get
        {
            long pages = 0;
            for (var i = 0; i < Vmas.Count; i++)
            {
                pages += (long)(Vmas[i].Length >> Page.Shift);
            }

            return pages;
        }
    }

    private bool HasIpcLock => Owner?.Credentials.Has(Capability.IpcLock) ?? false;

    private ulong MemlockLimit => Owner?.Limits.Memlock ?? ResourceLimits.Infinity;

    /// <summary>can_do_mlock: a non-zero RLIMIT_MEMLOCK or CAP_IPC_LOCK.</summary>
    internal bool CanDoMlock() => MemlockLimit != 0 || HasIpcLock;

    /// <summary>mlock_future_ok: may <paramref name="bytes"/> more be locked (only asked when <paramref name="flags"/> has VM_LOCKED)?</summary>
    internal bool MlockFutureOk(VmFlags flags, ulong bytes)
    {
        if ((flags & VmFlags.Locked) == 0 || HasIpcLock)
        {
            return true;
        }

        var pages = (bytes >> Page.Shift) + (ulong)LockedVm;
        return pages <= MemlockLimit >> Page.Shift;
    }

    /// <summary>mlock(2).</summary>
    public SysResult<int> Mlock(ulong start, ulong length) => DoMlock(start, length, VmFlags.Locked);

    /// <summary>mlock2(2): unknown flags → EINVAL before anything else.</summary>
    public SysResult<int> Mlock2(ulong start, ulong length, MlockFlags flags)
    {
        if ((flags & ~MlockFlags.OnFault) != 0)
        {
            return Errno.EINVAL;
        }

        return DoMlock(start, length, VmFlags.Locked | ((flags & MlockFlags.OnFault) != 0 ? VmFlags.LockOnFault : VmFlags.None));
    }

    /// <summary>
    /// do_mlock: no RLIMIT_MEMLOCK and no CAP_IPC_LOCK → EPERM; the start is rounded down and the length up (no
    /// alignment error); over the limit (pages already locked in the range not counted twice) → ENOMEM; a hole →
    /// ENOMEM after locking the VMAs before it; then populate, whose EFAULT becomes ENOMEM and ENOMEM becomes EAGAIN
    /// (__mlock_posix_error_return), the VMAs staying locked.
    /// </summary>
    private SysResult<int> DoMlock(ulong start, ulong length, VmFlags flags)
    {
        if (!CanDoMlock())
        {
            return Errno.EPERM;
        }

        var len = Page.AlignUp(length + (start & Page.Mask));
        start = Page.AlignDown(start);
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var lockLimit = MemlockLimit >> Page.Shift;
        var locked = (len >> Page.Shift) + (ulong)LockedVm;
        if (locked > lockLimit && !HasIpcLock)
        {
            locked -= CountLockedPages(start, len);
        }

        if (locked > lockLimit && !HasIpcLock)
        {
            return Errno.ENOMEM;
        }

        var error = ApplyVmaLockFlags(start, len, flags);
        if (error != Errno.None)
        {
            return error;
        }

        return PopulateLocked(start, start + len, ignoreErrors: false) switch
        {
            Errno.None => 0,
            Errno.EFAULT => Errno.ENOMEM,
            Errno.ENOMEM => Errno.EAGAIN,
            var other => other,
        };
    }

    /// <summary>munlock(2): the same rounding; a hole → ENOMEM after unlocking the VMAs before it.</summary>
    public SysResult<int> Munlock(ulong start, ulong length)
    {
        var len = Page.AlignUp(length + (start & Page.Mask));
        start = Page.AlignDown(start);
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var error = ApplyVmaLockFlags(start, len, VmFlags.None);
        return error == Errno.None ? SysResult<int>.Ok(0) : error;
    }

    /// <summary>
    /// mlockall(2): no flags, unknown flags or MCL_ONFAULT alone → EINVAL; no limit and no CAP_IPC_LOCK → EPERM;
    /// MCL_CURRENT with more mapped (total_vm) than RLIMIT_MEMLOCK allows → ENOMEM. MCL_CURRENT then populates every
    /// VMA, ignoring errors (a PROT_NONE VMA is locked but stays empty).
    /// </summary>
    public SysResult<int> Mlockall(MlockallFlags flags)
    {
        const MlockallFlags known = MlockallFlags.Current | MlockallFlags.Future | MlockallFlags.OnFault;
        if (flags == MlockallFlags.None || (flags & ~known) != 0 || flags == MlockallFlags.OnFault)
        {
            return Errno.EINVAL;
        }

        if (!CanDoMlock())
        {
            return Errno.EPERM;
        }

        using var mmapLock = LockMmap(MmapLockMode.Write);
        var current = (flags & MlockallFlags.Current) != 0;
        if (current && (ulong)TotalVm > MemlockLimit >> Page.Shift && !HasIpcLock)
        {
            return Errno.ENOMEM;
        }

        ApplyMlockallFlags(flags);
        if (current && PopulateLocked(0, Page.TaskSize, ignoreErrors: true) == Errno.ERESTARTSYS)
        {
            return Errno.ERESTARTSYS;
        }

        return 0;
    }

    /// <summary>munlockall(2): clears def_flags and unlocks every VMA.</summary>
    public SysResult<int> Munlockall()
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        ApplyMlockallFlags(MlockallFlags.None);
        return 0;
    }

    /// <summary>count_mm_mlocked_page_nr: pages of VM_LOCKED VMAs inside [start, start + len).</summary>
    private ulong CountLockedPages(ulong start, ulong len)
    {
        var end = start + len;
        ulong bytes = 0;
        for (var i = Vmas.IndexOfFirstEndingAbove(start); i < Vmas.Count && Vmas[i].Start < end; i++)
        {
            var vma = Vmas[i];
            if ((vma.Flags & VmFlags.Locked) != 0)
            {
                bytes += Math.Min(vma.End, end) - Math.Max(vma.Start, start);
            }
        }

        return bytes >> Page.Shift;
    }

    /// <summary>
    /// apply_vma_lock_flags: end before start → EINVAL; empty → 0; the start unmapped → ENOMEM; otherwise every VMA
    /// of the range gets <paramref name="flags"/> in place of its lock bits, and a hole → ENOMEM once the VMAs before
    /// it are done.
    /// </summary>
    private Errno ApplyVmaLockFlags(ulong start, ulong len, VmFlags flags)
    {
        var end = start + len;
        if (end < start)
        {
            return Errno.EINVAL;
        }

        if (end == start)
        {
            return Errno.None;
        }

        if (Vmas.Find(start) is null)
        {
            return Errno.ENOMEM;
        }

        var done = start;
        while (done < end)
        {
            var vma = Vmas.FindFirstEndingAbove(done);
            if (vma is null || vma.Start >= end)
            {
                break;
            }

            if (vma.Start > done)
            {
                return Errno.ENOMEM;
            }

            var rangeEnd = Math.Min(vma.End, end);
            var error = MlockFixup(vma, done, rangeEnd, (vma.Flags & ~VmFlags.LockedMask) | flags);
            if (error != Errno.None)
            {
                return error;
            }

            done = rangeEnd;
        }

        return done < end ? Errno.ENOMEM : Errno.None;
    }

    /// <summary>
    /// apply_mlockall_flags: MCL_FUTURE sets def_flags (and, without MCL_CURRENT, leaves the VMAs alone); otherwise
    /// every VMA gets the lock bits MCL_CURRENT asks for, which is none for munlockall.
    /// </summary>
    private void ApplyMlockallFlags(MlockallFlags flags)
    {
        var onFault = (flags & MlockallFlags.OnFault) != 0 ? VmFlags.LockOnFault : VmFlags.None;
        DefFlags &= ~VmFlags.LockedMask;
        if ((flags & MlockallFlags.Future) != 0)
        {
            DefFlags |= VmFlags.Locked | onFault;
            if ((flags & MlockallFlags.Current) == 0)
            {
                return;
            }
        }

        var add = (flags & MlockallFlags.Current) != 0 ? VmFlags.Locked | onFault : VmFlags.None;
        ulong address = 0;
        while (Vmas.FindFirstEndingAbove(address) is { } vma)
        {
            var end = vma.End;
            MlockFixup(vma, vma.Start, end, (vma.Flags & ~VmFlags.LockedMask) | add);
            address = end;
        }
    }

    /// <summary>
    /// mlock_fixup: special, hugetlb and droppable VMAs never get the lock bits (mlock still succeeds: checked on the
    /// 6.18 host for MAP_DROPPABLE); otherwise split at the range, set the flags, merge, and move the pages present
    /// to or from the unevictable list (mlock_vma_pages_range). Locked to locked (adding or dropping on-fault) only
    /// changes the flags.
    /// </summary>
    private Errno MlockFixup(Vma vma, ulong start, ulong end, VmFlags newFlags)
    {
        var oldFlags = vma.Flags;
        if (newFlags == oldFlags || (oldFlags & (VmFlags.Special | VmFlags.HugeTlb | VmFlags.Droppable)) != 0)
        {
            return Errno.None;
        }

        if (!SplitAt(start) || !SplitAt(end))
        {
            return Errno.ENOMEM;
        }

        var index = Vmas.IndexOfFirstEndingAbove(start);
        Vmas[index].Flags = newFlags;
        BumpLayout();
        if ((newFlags & VmFlags.Locked) != 0)
        {
            MayHaveLockedVmas = true;
        }

        if ((newFlags & oldFlags & VmFlags.Locked) == 0)
        {
            MlockPresentPages(start, end, (newFlags & VmFlags.Locked) != 0);
        }

        MergeAround(index);
        return Errno.None;
    }

    /// <summary>mlock_pte_range: each present page (not the zero page) is mlocked, or munlocked if no other locked VMA maps it.</summary>
    private void MlockPresentPages(ulong start, ulong end, bool locked)
    {
        var frames = Machine.Frames;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (!Pte.IsPresent(pte) || Pte.Index(pte) == FramePool.ZeroPage)
            {
                continue;
            }

            if (locked)
            {
                frames.Mlock(Pte.Index(pte));
            }
            else
            {
                frames.RescueIfUnlocked(Pte.Index(pte));
            }
        }
    }

    /// <summary>
    /// __mm_populate over [start, end): VM_IO/VM_PFNMAP VMAs are skipped; each other VMA is populated as
    /// populate_vma_page_range does. With <paramref name="ignoreErrors"/> (mm_populate) a failing VMA is left as it
    /// is and the walk goes on at the next one; otherwise the first error is returned.
    /// </summary>
    internal Errno PopulateLocked(ulong start, ulong end, bool ignoreErrors)
    {
        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address);
            if (vma is null || vma.Start >= end)
            {
                break;
            }

            var rangeEnd = Math.Min(end, vma.End);
            if ((vma.Flags & (VmFlags.Io | VmFlags.PfnMap)) == 0)
            {
                var error = PopulateVmaPages(vma, Math.Max(address, vma.Start), rangeEnd);
                if (error == Errno.ERESTARTSYS || (error != Errno.None && !ignoreErrors))
                {
                    // A userfault puts the task to sleep even where errors are ignored: the call is retried after.
                    return error;
                }
            }

            address = rangeEnd;
        }

        return Errno.None;
    }

    /// <summary>
    /// populate_vma_page_range: nothing for VM_LOCKONFAULT; write faults for private writable VMAs (to break COW),
    /// read faults otherwise (the zero page); FOLL_FORCE only for accessible VMAs, so PROT_NONE → EFAULT. A guard
    /// marker or SIGBUS → EFAULT, OOM → ENOMEM. Pages of a locked VMA go to the unevictable list as they come in.
    /// </summary>
    private Errno PopulateVmaPages(Vma vma, ulong start, ulong end)
    {
        if ((vma.Flags & VmFlags.LockOnFault) != 0)
        {
            return Errno.None;
        }

        var write = (vma.Flags & (VmFlags.Write | VmFlags.Shared)) == VmFlags.Write;
        if ((vma.Flags & VmFlags.AccessMask) == 0)
        {
            return Errno.EFAULT;
        }

        var locked = (vma.Flags & VmFlags.Locked) != 0;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (!Pte.IsPresent(pte) || (write && (pte & Pte.Write) == 0))
            {
                var error = HandleFault(vma, vpn, write, Page.ToAddress(vpn), FaultOrigin.Kernel(Machine.Current));
                if (error != Errno.None)
                {
                    // A userfault sleeps (ERESTARTSYS: the caller retries once the monitor resolved it).
                    return error is Errno.ENOMEM or Errno.ERESTARTSYS ? error : Errno.EFAULT;
                }

                pte = PageTable.Get(vpn);
            }

            if (locked && Pte.Index(pte) != FramePool.ZeroPage)
            {
                Machine.Frames.Mlock(Pte.Index(pte));
            }
        }

        return Errno.None;
    }
}
