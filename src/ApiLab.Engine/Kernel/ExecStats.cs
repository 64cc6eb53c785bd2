namespace ApiLab.Engine;

/// <summary>
/// What one successful exec did and cost, for scenarios that measure exec (seed 004's debate: the page-table move and
/// TLB flush, the remote-GUP copy, who is charged for the argument pages).
/// </summary>
public sealed record ExecStats
{
    /// <summary>argc as the new image sees it (1 when argv was empty: exec inserts "").</summary>
    public required int Argc { get; init; }

    public required int Envc { get; init; }

    /// <summary>Bytes copy_strings and copy_string_kernel wrote: filename, envp and argv strings, NULs included.</summary>
    public required long ArgBytesCopied { get; init; }

    /// <summary>get_arg_page calls: one per page each copy moved into (a page shared by two copy calls counts twice).</summary>
    public required long ArgPageLookups { get; init; }

    /// <summary>Pages the arguments occupy (bprm->vma_pages at the end of the copy): what acct_arg_size charged to
    /// the execing task's old mm (MM_ANONPAGES) until the point of no return.</summary>
    public required long ArgPagesChargedToCaller { get; init; }

    /// <summary>How far setup_arg_pages moved the stack down (STACK_TOP_MAX minus the final stack top).</summary>
    public required ulong StackShift { get; init; }

    /// <summary>Page-table entries relocate_vma_down moved.</summary>
    public required long PtesMoved { get; init; }

    /// <summary>TLB flushes of the new mm during the exec (relocation and the stack's protection change).</summary>
    public required long TlbFlushes { get; init; }

    /// <summary>Frames charged to the new mm's memory cgroup (the argument pages, faulted in through GUP on it).</summary>
    public required long FramesCharged { get; init; }

    /// <summary>Frames the old mm's teardown freed (shared ones, e.g. copy-on-write with a child, survive).</summary>
    public required long OldMmFramesFreed { get; init; }

    /// <summary>Close-on-exec descriptors closed (every pidfd the process had open, for one).</summary>
    public required int FdsClosed { get; init; }

    /// <summary>The stack VMA after setup_arg_pages' pre-expansion.</summary>
    public required ulong StackStart { get; init; }

    public required ulong StackEnd { get; init; }

    /// <summary>mm->start_stack / mm->arg_start: the lowest byte of the argument strings.</summary>
    public required ulong StartStack { get; init; }
}
