using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>mmap(2) for anonymous memory (private, shared, droppable), with Linux's argument checks and placement.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// do_mmap for MAP_ANONYMOUS, with its checks in Linux's order: no MAP_ANONYMOUS → EBADF (no files yet); length 0 →
    /// EINVAL; length overflow → ENOMEM; max_map_count → ENOMEM; placement (unaligned MAP_FIXED → EINVAL, out of range
    /// → ENOMEM, below mmap_min_addr → EPERM); MAP_FIXED_NOREPLACE over a mapping → EEXIST; unknown map type → EINVAL;
    /// MAP_DROPPABLE with MAP_LOCKED or MAP_GROWSDOWN → EINVAL. <paramref name="mayMapLow"/> is the caller's
    /// CAP_SYS_RAWIO, which cap_mmap_addr requires below mmap_min_addr (root maps page 0; checked on the host).
    /// </summary>
    public SysResult<ulong> MmapAnonymous(ulong address, ulong length, Prot prot, MapFlags flags, bool mayMapLow = false) =>
        Mmap(address, length, prot, flags, mayMapLow, file: null, offset: 0);

    /// <summary>
    /// do_mmap for anonymous memory or, with <paramref name="file"/>, a shmem file (memfd): the offset must be
    /// page-aligned (EINVAL, checked first, as the syscall does) and not overflow (EOVERFLOW); MAP_DROPPABLE is for
    /// anonymous memory only (EINVAL). A file mapping maps the file's pages from <paramref name="offset"/>: shared
    /// writes reach the file, private writes go to copy-on-write anonymous pages.
    /// </summary>
    public SysResult<ulong> Mmap(ulong address, ulong length, Prot prot, MapFlags flags, bool mayMapLow, ShmemObject? file, ulong offset) =>
        Mmap(address, length, prot, flags, mayMapLow, file, offset, FileAccess.ReadWrite);

    /// <summary>
    /// As <see cref="Mmap(ulong, ulong, Prot, MapFlags, bool, ShmemObject?, ulong)"/>, with the open file's access mode
    /// (f_mode): a shared writable mapping needs FMODE_WRITE and any mapping FMODE_READ (EACCES otherwise); a shared
    /// mapping of a file not open for writing loses VM_MAYWRITE and VM_SHARED (mprotect cannot make it writable; it
    /// still shows as "s").
    /// </summary>
    public SysResult<ulong> Mmap(ulong address, ulong length, Prot prot, MapFlags flags, bool mayMapLow, ShmemObject? file, ulong offset,
        FileAccess access)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (!Page.IsAligned(offset))
        {
            return Errno.EINVAL;
        }

        var anonymous = (flags & MapFlags.Anonymous) != 0;
        if (!anonymous && file is null)
        {
            return Errno.EBADF;
        }

        if (anonymous)
        {
            file = null;
        }

        if (length == 0)
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        if (len == 0 || len > Page.TaskSize)
        {
            return Errno.ENOMEM;
        }

        if (Vmas.Count > Machine.Config.MaxMapCount)
        {
            return Errno.ENOMEM;
        }

        var fixedNoReplace = (flags & MapFlags.FixedNoReplace) != 0;
        var isFixed = (flags & MapFlags.Fixed) != 0 || fixedNoReplace;
        if (isFixed)
        {
            // __get_unmapped_area: the range check comes before the alignment check.
            if (address > Page.TaskSize - len)
            {
                return Errno.ENOMEM;
            }

            if (!Page.IsAligned(address))
            {
                return Errno.EINVAL;
            }

            if (address < Machine.Config.MmapMinAddr && !mayMapLow)
            {
                return Errno.EPERM;
            }
        }
        else
        {
            var found = GetUnmappedArea(RoundHintToMin(address), len);
            if (found == 0)
            {
                return Errno.ENOMEM;
            }

            address = found;
        }

        if (fixedNoReplace && Vmas.FindFirstEndingAbove(address) is { } clash && clash.Start < address + len)
        {
            return Errno.EEXIST;
        }

        // mm->def_flags (mlockall(MCL_FUTURE)) and MAP_LOCKED: EPERM without any lockable memory, EAGAIN over
        // RLIMIT_MEMLOCK (mlock_future_ok), both before the map type is looked at.
        var lockFlags = DefFlags & VmFlags.LockedMask;
        if ((flags & MapFlags.Locked) != 0)
        {
            lockFlags |= VmFlags.Locked;
            if (!CanDoMlock())
            {
                return Errno.EPERM;
            }
        }

        if (!MlockFutureOk(lockFlags, len))
        {
            return Errno.EAGAIN;
        }

        var type = flags & MapFlags.TypeMask;
        if (type is not (MapFlags.Shared or MapFlags.Private or MapFlags.SharedValidate or MapFlags.Droppable))
        {
            return Errno.EINVAL;
        }

        if (type == MapFlags.Droppable && (file is not null || (flags & (MapFlags.Locked | MapFlags.GrowsDown)) != 0))
        {
            return Errno.EINVAL;
        }

        if (file is not null && (offset >> Page.Shift) + (len >> Page.Shift) < offset >> Page.Shift)
        {
            return Errno.EOVERFLOW;
        }

        var shared = type is MapFlags.Shared or MapFlags.SharedValidate;
        if (file is not null && !anonymous
            && ((shared && (prot & Prot.Write) != 0 && (access & FileAccess.Write) == 0) || (access & FileAccess.Read) == 0))
        {
            return Errno.EACCES;
        }

        if (shared && (flags & MapFlags.GrowsDown) != 0)
        {
            return Errno.EINVAL;
        }

        var unmaps = default(UffdUnmaps);
        if (isFixed && UnmapRangeChecked(address, address + len, ref unmaps) is var unmapped && unmapped != Errno.None)
        {
            return unmapped;
        }

        var vmFlags = VmFlagsFor(prot, type);
        if (file is not null && shared && (access & FileAccess.Write) == 0)
        {
            vmFlags &= ~(VmFlags.MayWrite | VmFlags.Shared);
        }

        ShmemObject? shmem = null;
        ulong pgoff = address >> Page.Shift;
        if (file is not null)
        {
            shmem = file;
            shmem.MapCount++;
            pgoff = offset >> Page.Shift;
        }
        else if (type is MapFlags.Shared or MapFlags.SharedValidate)
        {
            shmem = Machine.NewShmem("/dev/zero");
            shmem.MapCount = 1;
            shmem.SizePages = (long)(len >> Page.Shift);
            pgoff = 0;
        }

        if ((flags & MapFlags.NoReserve) != 0 || type == MapFlags.Droppable)
        {
            // accountable_mapping: VM_NORESERVE memory is never charged to the commit limit (no VM_ACCOUNT).
            vmFlags = (vmFlags | VmFlags.NoReserve) & ~VmFlags.Account;
        }

        if (type == MapFlags.Droppable)
        {
            vmFlags |= VmFlags.Droppable | VmFlags.WipeOnFork | VmFlags.DontDump;
        }

        // A droppable mapping never gets the lock bits, not even from MCL_FUTURE (checked on the 6.18 host, which has
        // the vma_supports_mlock fix), though mlock_future_ok above still counted them.
        if (type != MapFlags.Droppable)
        {
            vmFlags |= lockFlags;
        }

        if ((flags & MapFlags.GrowsDown) != 0)
        {
            vmFlags |= VmFlags.GrowsDown;
        }

        var vma = new Vma(Machine.NextVmaIdentity(), address, address + len, vmFlags, shmem, pgoff);
        InsertAndMerge(vma);
        if ((vmFlags & VmFlags.Locked) != 0)
        {
            MayHaveLockedVmas = true;
        }

        if ((vmFlags & VmFlags.Locked) != 0 || (flags & MapFlags.Populate) != 0)
        {
            // mm_populate: best effort, failures do not fail the mmap; on-fault locking populates nothing.
            PopulateLocked(address, address + len, ignoreErrors: true);
        }

        unmaps.Complete();
        return address;
    }

    /// <summary>round_hint_to_min: a hint is rounded down to a page; a non-zero hint below mmap_min_addr is raised to it.</summary>
    private ulong RoundHintToMin(ulong hint)
    {
        hint = Page.AlignDown(hint);
        return hint != 0 && hint < Machine.Config.MmapMinAddr ? Page.AlignUp(Machine.Config.MmapMinAddr) : hint;
    }

    private static VmFlags VmFlagsFor(Prot prot, MapFlags type)
    {
        var flags = VmFlags.MayRead | VmFlags.MayWrite | VmFlags.MayExec;
        if ((prot & Prot.Read) != 0)
        {
            flags |= VmFlags.Read;
        }

        if ((prot & Prot.Write) != 0)
        {
            flags |= VmFlags.Write;
        }

        if ((prot & Prot.Exec) != 0)
        {
            flags |= VmFlags.Exec;
        }

        if (type is MapFlags.Shared or MapFlags.SharedValidate)
        {
            flags |= VmFlags.Shared | VmFlags.MayShare;
        }
        else if ((prot & Prot.Write) != 0)
        {
            // Private writable memory is charged to the commit limit (VM_ACCOUNT).
            flags |= VmFlags.Account;
        }

        return flags;
    }

    /// <summary>
    /// Top-down search (vm_unmapped_area with VM_UNMAPPED_AREA_TOPDOWN): the highest gap of
    /// <paramref name="length"/> bytes below mmap_base. A hint is used when the range there is free. Returns 0 when
    /// nothing fits.
    /// </summary>
    internal ulong GetUnmappedArea(ulong hint, ulong length)
    {
        // vm_start_gap: nothing may be placed within stack_guard_gap below a grows-down VMA (host-checked).
        if (hint != 0 && hint >= Machine.Config.MmapMinAddr && hint <= Page.TaskSize - length)
        {
            var next = Vmas.FindFirstEndingAbove(hint);
            if (next is null || (next.Start >= hint + length && VmStartGap(next) >= hint + length))
            {
                return hint;
            }
        }

        var high = MmapBase;
        var index = Vmas.IndexOfFirstEndingAbove(high) - 1;
        if (index + 1 < Vmas.Count && VmStartGap(Vmas[index + 1]) < high)
        {
            high = VmStartGap(Vmas[index + 1]);
        }

        for (; ; index--)
        {
            var low = index >= 0 ? Vmas[index].End : Machine.Config.MmapMinAddr;
            low = Math.Max(low, Machine.Config.MmapMinAddr);
            if (high >= low && high - low >= length)
            {
                return high - length;
            }

            if (index < 0)
            {
                return 0;
            }

            high = VmStartGap(Vmas[index]);
        }
    }

    /// <summary>munmap(2): EINVAL for an unaligned start, a zero or overflowing length; unmapping nothing is fine. A
    /// registered VMA in the range raises UFFD_EVENT_UNMAP for the whole requested range.</summary>
    public SysResult<int> Munmap(ulong address, ulong length)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (!Page.IsAligned(address) || address > Page.TaskSize || length == 0)
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        if (len == 0 || len > Page.TaskSize - address)
        {
            return Errno.EINVAL;
        }

        var unmaps = default(UffdUnmaps);
        var error = UnmapRangeChecked(address, address + len, ref unmaps);
        unmaps.Complete();
        return error == Errno.None ? SysResult<int>.Ok(0) : error;
    }
}
