using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// What holds exec's argument pages (<see cref="ExecArgStaging"/>). Positions are bprm coordinates: every staging
/// counts down from STACK_TOP_MAX, so a string lands at the same offset in the same page index whatever holds it,
/// and the new stack's pages are identical across stagings.
/// </summary>
internal abstract class ArgStore(Machine machine)
{
    protected Machine Machine { get; } = machine;

    /// <summary>Argument pages held (bprm->vma_pages for the temporary stack).</summary>
    public abstract long Pages { get; }

    /// <summary>Whether acct_arg_size charges the pages to the execing task's old mm (6.18's OOM visibility).</summary>
    public virtual bool ChargedToCaller => false;

    /// <summary>Pages held off every LRU list, which reclaim can never free (kernel memory).</summary>
    public virtual long PinnedPages => 0;

    /// <summary>The errno a failed <see cref="GetPage"/> means, when it is not copy_strings' E2BIG.</summary>
    public Errno FailureErrno { get; protected set; } = Errno.E2BIG;

    /// <summary>Page-table entries moved from one place to another (a relocation or a migration).</summary>
    public long PtesMoved { get; protected set; }

    /// <summary>Moves of the argument area: 1 when its page tables moved, 0 when they were built in place.</summary>
    public int StackMoves { get; protected set; }

    /// <summary>TLB flushes the move cost (in whichever mm lost the entries).</summary>
    public long MoveTlbFlushes { get; protected set; }

    /// <summary>Pages read back from swap to build the new stack.</summary>
    public long PagesSwappedIn { get; protected set; }

    /// <summary>Page-cache pages turned into anonymous ones (the inode staging's "steal").</summary>
    public long PagesStolen { get; protected set; }

    public static ArgStore Create(ExecArgStaging staging, Bprm bprm, Machine machine, Mm oldMm, ulong stackPointer) =>
        staging switch
    {
            ExecArgStaging.KernelPageList => new KernelPageStore(machine),
            ExecArgStaging.ArgInode => new ArgInodeStore(machine),
            ExecArgStaging.CallerStack => new CallerStackStore(machine, oldMm, bprm.Mm, stackPointer),
            _ => new TemporaryStackStore(machine, bprm.Mm),
        };

    /// <summary>get_arg_page(write): makes the page holding <paramref name="pos"/> writable; false means E2BIG (or
    /// <see cref="FailureErrno"/>).</summary>
    public abstract bool GetPage(ulong pos);

    /// <summary>The copy_from_user into the page <see cref="GetPage"/> made ready.</summary>
    public abstract bool Copy(ulong pos, ReadOnlySpan<byte> bytes);

    /// <summary>Runs before exec_mmap drops the old mm, once the binary chose its stack top.</summary>
    public virtual Errno BeforeSwitch(ulong stackTop) => Errno.None;

    /// <summary>After the switch: the stack VMA setup_arg_pages works on (moved there, or to be relocated).</summary>
    public abstract SysResult<Vma> PlaceStack(Mm mm, ulong stackTop);

    /// <summary>A failed exec before the point of no return: release what the store holds.</summary>
    public virtual void Abandon()
    {
    }

    /// <summary>Index of the page holding <paramref name="pos"/>, counting from the top page (0).</summary>
    protected static long IndexFromTop(ulong pos) =>
        (long)((Page.AlignDown(Mm.StackTopMax - 1) - Page.AlignDown(pos)) >> Page.Shift);

    /// <summary>Folds bytes written at <paramref name="pos"/> into <paramref name="frame"/>'s content word.</summary>
    protected void Fold(int frame, ulong pos, ReadOnlySpan<byte> bytes)
    {
        var frames = Machine.Frames;
        frames.SetContent(frame, ArgPageDigest.Fold(frames.Content(frame), (int)(pos & Page.Mask), bytes));
    }
}
