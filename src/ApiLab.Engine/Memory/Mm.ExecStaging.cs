using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// The mm primitives the alternative exec stagings of seed 004 need (<see cref="ExecArgStaging"/>): a stack VMA
/// created at the final stack top, an argument page installed into it, the pages below the caller's sp faulted in,
/// and those pages' entries migrated into another mm. 6.18's own path (Mm.Exec.cs) uses none of them.
/// </summary>
public sealed partial class Mm
{
    /// <summary>
    /// A stack VMA [start, end) with the flags create_init_stack_vma gives (VM_STACK_FLAGS | VM_STACK_INCOMPLETE_SETUP)
    /// and an anon_vma, so setup_arg_pages then treats it like the temporary stack with nothing to move. ENOMEM when
    /// it would overlap a VMA or start below mmap_min_addr.
    /// </summary>
    internal SysResult<Vma> CreateArgStackVma(ulong start, ulong end)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (start >= end || start < Machine.Config.MmapMinAddr
            || Vmas.FindFirstEndingAbove(start) is { } next && next.Start < end)
        {
            return Errno.ENOMEM;
        }

        var vma = new Vma(Machine.NextVmaIdentity(), start, end, StackFlags | VmFlags.StackIncompleteSetup, null,
            start >> Page.Shift);
        Vmas.Insert(vma);
        PrepareAnonVma(vma);
        BumpLayout();
        return vma;
    }

    /// <summary>
    /// install_arg_page: maps a frame exec holds (a kernel page, or a page stolen from a page cache) as an anonymous,
    /// swap-backed page of the stack VMA at <paramref name="address"/>, writable and dirty; the frame's one reference becomes the mapping's,
    /// and it is charged to this mm. A frame on no LRU list joins the inactive anonymous one: from now on reclaim may
    /// swap it.
    /// </summary>
    internal void InstallArgFrame(ulong address, int frame)
    {
        var frames = Machine.Frames;
        frames.SetFlag(frame, FrameFlags.Anon | FrameFlags.SwapBacked, true);
        if ((frames.Flags(frame) & FrameFlags.OnLru) == 0)
        {
            frames.LruAdd(frame, active: false);
        }

        frames.Recharge(frame, this);
        MapAnon(frame, Page.ToVpn(address), Pte.Write | Pte.Dirty | Pte.Young);
    }

    /// <summary>The frame behind a writable PTE at <paramref name="address"/> of the caller's own stack, faulting it
    /// in for write (breaking COW) as a store would; -1 when the fault fails.</summary>
    internal int ArgFrameForWrite(Vma stack, ulong address)
    {
        var vpn = Page.ToVpn(address);
        var pte = PageTable.Get(vpn);
        if (!Pte.IsPresent(pte) || (pte & Pte.Write) == 0)
        {
            if (HandleFault(stack, vpn, write: true, address, FaultOrigin.Kernel(Machine.Current)) != Errno.None)
            {
                return -1;
            }

            pte = PageTable.Get(vpn);
        }

        PageTable.Set(vpn, pte | Pte.Young | Pte.Dirty);
        return Pte.Index(pte);
    }

    /// <summary>
    /// Moves the entries of [start, end) of this mm to <paramref name="to"/> at <paramref name="toStart"/> (below-sp's
    /// migration into the new mm), with <see cref="MovePageTables"/>. Returns the entries moved and the flushes.
    /// </summary>
    internal (long Moved, long Flushes) MigrateArgPages(ulong start, ulong end, Mm to, ulong toStart)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        using var toLock = to.LockMmap(MmapLockMode.Write);
        var result = MovePageTables(Page.ToVpn(start), Page.ToVpn(end), to, Page.ToVpn(toStart));
        BumpLayout();
        to.BumpLayout();
        return result;
    }
}
