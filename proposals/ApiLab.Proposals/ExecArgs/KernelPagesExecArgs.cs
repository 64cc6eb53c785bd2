using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>
/// Al Viro's kernel-held argument pages (seed 004, 2009-12-08, as Hugh Dickins restates it on lines 82-86: "A
/// reversion of commit b6a2fea39318 … but putting the pages into a linked list instead of a MAX_ARG_PAGES array").
/// copy_strings writes into pages the kernel allocates and keeps on a list off bprm, never touching a foreign mm;
/// after the switch they are installed into a fresh stack VMA at the final stack top, so there is no page-table move
/// and no TLB flush (what Miller prefers, lines 47-48). The cost: the pages are kernel memory on no LRU list, not
/// swappable and invisible to reclaim for as long as the exec holds them — "non-swapability added by Al's approach"
/// (Miller). Never merged for MMU kernels; 6.18's NOMMU path still keeps bprm->page[MAX_ARG_PAGES]. The list is
/// bounded here by the same bprm_stack_limits as today (the thread names no other limit: UNCONFIRMED); charging the
/// installed pages to the new mm's memcg is UNCONFIRMED.
/// </summary>
[Proposal("exec-args", "kernel-pages", Title = "Kernel-held argument pages (unswappable)",
    Seed = "004_fa0b3d4bae3e8db7.txt", Author = "Al Viro", Date = "2009-12-08", Outcome = Outcome.NeverMerged)]
public partial interface IKernelPagesExecArgs
{
    /// <summary>execve's entry: bprm_stack_limits (E2BIG), then copy_strings into kernel pages on bprm's list.</summary>
    [Syscall("execve"), Target(TargetKind.Self)]
    [Allocates(NeverSwapped = true)]
    SysResult<StagedExec> CopyArguments(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options);

    /// <summary>begin_new_exec: the point of no return; the pages stay on the list, pinned.</summary>
    [Syscall("execve:begin_new_exec"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<int> BeginNewExec(StagedExec exec);

    /// <summary>setup_arg_pages: a stack VMA created at the final top, each listed page installed into it (no move,
    /// no flush); from here on they are ordinary anonymous pages.</summary>
    [Syscall("execve:setup_arg_pages"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<ExecStats> SetupArgPages(StagedExec exec);
}
