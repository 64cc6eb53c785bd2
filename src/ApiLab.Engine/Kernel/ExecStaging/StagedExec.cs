namespace ApiLab.Engine;

/// <summary>How far a staged exec has got.</summary>
public enum ExecStage
{
    /// <summary>bprm_mm_init and copy_strings done; the old mm is intact and still the process's.</summary>
    ArgumentsCopied,

    /// <summary>begin_new_exec done: the process runs on the new mm, the old one is gone.</summary>
    PastPointOfNoReturn,

    /// <summary>setup_arg_pages done: the new stack holds the arguments at their final place.</summary>
    Finished,

    /// <summary>Failed: before the point of no return nothing of the old image changed; after it the process died.</summary>
    Failed,
}

/// <summary>
/// One execve split at the points where the kernel may be preempted and reclaim may run (copy_strings, begin_new_exec,
/// setup_arg_pages), so the lab can interleave other actors between them. The argument pages live where
/// <see cref="Staging"/> says until the new stack is set up. The invariant checker does not see a half-done exec
/// (its new mm and the pages it holds belong to no process yet): run it before or after, not between the stages.
/// </summary>
public sealed class StagedExec
{
    internal StagedExec(Process process, Mm oldMm, Bprm bprm, ExecOptions options, ExecArgStaging staging)
    {
        Process = process;
        OldMm = oldMm;
        Bprm = bprm;
        Options = options;
        Staging = staging;
    }

    public Process Process { get; }

    public ExecArgStaging Staging { get; }

    public ExecStage Stage { get; internal set; } = ExecStage.ArgumentsCopied;

    /// <summary>Argument pages the exec holds (or held, once finished).</summary>
    public long ArgPages => Bprm.Store.Pages;

    /// <summary>Argument pages held right now off every LRU list: kernel memory reclaim can never free.</summary>
    public long PinnedPages => Stage is ExecStage.Finished or ExecStage.Failed ? 0 : Bprm.Store.PinnedPages;

    /// <summary>Bytes copy_strings wrote (filename, envp, argv, NULs included).</summary>
    public long BytesCopied => Bprm.BytesCopied;

    /// <summary>get_user_pages_remote calls on bprm->mm, an mm that is not current->mm (the 6.18 staging only: the
    /// foreign-mm access Hugh wants gone); the other stagings touch current's mm or kernel pages only.</summary>
    public long RemoteGupCalls => Staging == ExecArgStaging.TemporaryStack ? Bprm.PageLookups : 0;

    /// <summary>Page-table entries moved: relocate_vma_down's, or the migration from the old mm's stack.</summary>
    public long PtesMoved => Bprm.Store.PtesMoved;

    /// <summary>Moves of the whole argument area (0 or 1).</summary>
    public int StackMoves => Bprm.Store.StackMoves;

    /// <summary>TLB flushes the move issued.</summary>
    public long MoveTlbFlushes => Bprm.Store.MoveTlbFlushes;

    /// <summary>Argument pages read back from swap while the exec held them (the inode staging).</summary>
    public long PagesSwappedIn => Bprm.Store.PagesSwappedIn;

    /// <summary>Page-cache pages turned into anonymous ones (the inode staging's steal).</summary>
    public long PagesStolen => Bprm.Store.PagesStolen;

    /// <summary>The pages of acct_arg_size's charge to the execing task (the temporary stack only).</summary>
    public bool ChargedToCaller => Bprm.Store.ChargedToCaller;

    internal Mm OldMm { get; }

    internal long OldMmFramesFreed { get; set; }

    internal int FdsClosed { get; set; }

    internal Bprm Bprm { get; }

    internal ExecOptions Options { get; }
}
