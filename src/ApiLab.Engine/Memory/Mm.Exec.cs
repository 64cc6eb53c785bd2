using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// What exec does to the new mm (mm/vma_exec.c and fs/exec.c's MMU path in 6.18, design A of seed 004): a temporary
/// stack at STACK_TOP_MAX, argument pages faulted in through the remote-GUP path, then the whole stack moved down to
/// the binary's stack top by moving page-table entries, and pre-expanded.
/// </summary>
public sealed partial class Mm
{
    /// <summary>STACK_TOP_MAX (x86-64: TASK_SIZE_MAX, a 47-bit address space). Where exec builds the stack first.</summary>
    public const ulong StackTopMax = Page.TaskSize;

    /// <summary>What setup_arg_pages grows the stack by below the arguments ("randomly 32*4k (or 2*64k) pages").</summary>
    public const ulong StackExpand = 128 * 1024;

    /// <summary>VM_STACK_FLAGS on x86-64: VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS (rw, may-rwx) | VM_ACCOUNT.</summary>
    internal const VmFlags StackFlags = VmFlags.Read | VmFlags.Write | VmFlags.MayRead | VmFlags.MayWrite
        | VmFlags.MayExec | VmFlags.GrowsDown | VmFlags.Account;

    /// <summary>mm->arg_start: the lowest byte of the argument strings after the stack moved.</summary>
    public ulong ArgStart { get; internal set; }

    /// <summary>The MM_ANONPAGES exec charges to this mm's task for the new stack while it copies the arguments
    /// (acct_arg_size, so the OOM killer sees them); zero whenever no exec is in progress.</summary>
    public long ExecArgPages { get; internal set; }

    /// <summary>
    /// create_init_stack_vma: a one-page anonymous VMA [STACK_TOP_MAX - 4096, STACK_TOP_MAX) with
    /// VM_STACK_FLAGS | VM_STACK_INCOMPLETE_SETUP; insert_vm_struct sets its pgoff from its start.
    /// </summary>
    internal Vma CreateInitStackVma()
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var start = StackTopMax - Page.Size;
        var vma = new Vma(Machine.NextVmaIdentity(), start, StackTopMax, StackFlags | VmFlags.StackIncompleteSetup, null,
            start >> Page.Shift);
        Vmas.Insert(vma);
        BumpLayout();
        return vma;
    }

    /// <summary>
    /// get_arg_page(write): grow the stack down to <paramref name="pos"/> ahead of time (mmap_read_lock_maybe_expand,
    /// 6.5), then fault the page in for write as get_user_pages_remote(FOLL_WRITE) does. False is the NULL page the
    /// caller turns into E2BIG: a stack over RLIMIT_STACK, or no memory.
    /// </summary>
    internal bool GetArgPage(Vma stack, ulong pos)
    {
        if (pos < stack.Start && ExpandDownwards(stack, pos) != Errno.None)
        {
            return false;
        }

        var vpn = Page.ToVpn(pos);
        var pte = PageTable.Get(vpn);
        return (Pte.IsPresent(pte) && (pte & Pte.Write) != 0) || HandleFault(stack, vpn, write: true, pos, FaultOrigin.Kernel(Machine.Current)) == Errno.None;
    }

    /// <summary>The copy_from_user into the page <see cref="GetArgPage"/> returned: folds the bytes into its content word.</summary>
    internal bool CopyArgBytes(Vma stack, ulong pos, ReadOnlySpan<byte> bytes)
    {
        var vpn = Page.ToVpn(pos);
        var pte = PageTable.Get(vpn);
        if (!Pte.IsPresent(pte) || (pte & Pte.Write) == 0)
        {
            // Only reclaim between two copies into the same page could get here; fault it back like a retried GUP.
            if (HandleFault(stack, vpn, write: true, pos, FaultOrigin.Kernel(Machine.Current)) != Errno.None)
            {
                return false;
            }

            pte = PageTable.Get(vpn);
        }

        var frames = Machine.Frames;
        var frame = Pte.Index(pte);
        PageTable.Set(vpn, pte | Pte.Young | Pte.Dirty);
        frames.SetContent(frame, ArgPageDigest.Fold(frames.Content(frame), (int)(pos & Page.Mask), bytes));
        return true;
    }

    /// <summary>
    /// setup_arg_pages for the stack VMA: a stack top below mmap_min_addr, or a stack that would not fit above it →
    /// ENOMEM; the VM_STACK_FLAGS (± VM_EXEC) again (mprotect_fixup); relocate_vma_down by the shift; the temporary
    /// flags cleared; then the stack pre-expanded by 128 KiB, capped by RLIMIT_STACK (a failure there → EFAULT).
    /// Returns how far the stack moved.
    /// </summary>
    internal SysResult<ulong> SetupArgPages(Vma stack, ulong stackTop, ExecutableStack executable, out ExecRelocation relocation)
    {
        relocation = default;
        stackTop = Page.AlignUp(stackTop);
        var minAddr = Machine.Config.MmapMinAddr;
        if (stackTop < minAddr || stack.Length >= stackTop - minAddr)
        {
            return Errno.ENOMEM;
        }

        var shift = stack.End - stackTop;
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var flags = StackFlags | DefFlags | VmFlags.StackIncompleteSetup;
        flags = executable switch
        {
            ExecutableStack.Enable => flags | VmFlags.Exec,
            ExecutableStack.Disable => flags & ~VmFlags.Exec,
            _ => flags,
        };
        if (flags != stack.Flags)
        {
            // change_protection over the pages already there: one flush for the gather.
            var hadPages = PageTable.Count > 0;
            stack.Flags = flags;
            BumpLayout();
            if (hadPages)
            {
                FlushTlb();
            }
        }

        if (shift != 0)
        {
            var moved = RelocateVmaDown(stack, shift, out relocation);
            if (moved != Errno.None)
            {
                return moved;
            }
        }

        stack.Flags &= ~VmFlags.StackIncompleteSetup;
        BumpLayout();
        var rlimit = (Owner?.Limits.Stack ?? ResourceLimits.Infinity) & ~Page.Mask;
        var expand = Math.Min(rlimit, stack.Length + StackExpand);
        return ExpandDownwards(stack, stack.End - expand) == Errno.None ? shift : Errno.EFAULT;
    }

    /// <summary>
    /// relocate_vma_down (6.12+): expand the VMA over [new start, old end), move the page-table entries down
    /// (move_page_tables with for_stack: the frames and the rmap follow, nothing is copied), free the old page
    /// tables inside an mmu_gather, shrink the VMA to the new range. move_ptes flushes the TLB once per extent (bounded
    /// by the old and the new 2 MiB page-table boundaries) that held a present entry; the gather flushes once more if
    /// a page table was freed. EFAULT when a VMA lies in the way. PMD-level moves (whole 2 MiB tables, only possible
    /// with both ranges 2 MiB-aligned and over 4 MiB of arguments) are not modelled: every entry moves singly.
    /// </summary>
    private Errno RelocateVmaDown(Vma vma, ulong shift, out ExecRelocation relocation)
    {
        relocation = default;
        var oldStart = vma.Start;
        var oldEnd = vma.End;
        var newStart = oldStart - shift;
        if (newStart > oldStart || !ReferenceEquals(Vmas.FindFirstEndingAbove(newStart), vma))
        {
            return Errno.EFAULT;
        }

        vma.Start = newStart;
        BumpLayout();
        var (moved, flushes) = MovePageTables(Page.ToVpn(oldStart), Page.ToVpn(oldEnd), this, Page.ToVpn(newStart));
        vma.End = oldEnd - shift;
        BumpLayout();
        relocation = new ExecRelocation(moved, flushes);
        return Errno.None;
    }
}

/// <summary>What relocate_vma_down did: page-table entries moved and TLB flushes issued.</summary>
internal readonly record struct ExecRelocation(long PtesMoved, long TlbFlushes);
