using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>
/// Today's exec (Ollie Wild and Peter Zijlstra, "mm: variable length argument support", b6a2fea39318, 2.6.23; still
/// the MMU path of 6.18, now mm/vma_exec.c): bprm_mm_init makes the new mm with a temporary stack VMA ending at
/// STACK_TOP_MAX, copy_strings fills it page by page with get_user_pages_remote on bprm->mm — the one access to an mm
/// that is not current->mm, which is what seed 004 (Hugh Dickins, 2009-12-09, lines 7-12) wants to eliminate — and
/// setup_arg_pages moves the whole stack down to the binary's stack top with relocate_vma_down: a page-table move
/// and TLB flushes whenever the final top differs from STACK_TOP_MAX. David Miller (seed lines 37-39): "The forced
/// page table move, and TLB+cache flush … for every single compat task … is not acceptable"; Hugh (lines 41-44) asks
/// whether anyone ever saw it as a regression. The pages are ordinary anonymous pages of the new mm (swappable) and,
/// since 2.6.37, charged to the execing task while it copies. The target is the caller itself; bprm->mm belongs to
/// it, so no ptrace check applies even to the remote GUP.
/// </summary>
[Proposal("exec-args", "relocate", Title = "Temporary stack at STACK_TOP_MAX, relocated down (merged)",
    Seed = "004_fa0b3d4bae3e8db7.txt", Author = "Ollie Wild, Peter Zijlstra", Date = "2007-06-13",
    Outcome = Outcome.Merged, MergedIn = "2.6.23")]
public partial interface IRelocateExecArgs
{
    /// <summary>execve's entry: bprm_mm_init (the new mm and its temporary stack), bprm_stack_limits (E2BIG) and
    /// copy_strings through get_user_pages_remote(bprm->mm). The old image is untouched until begin_new_exec.</summary>
    [Syscall("execve"), Target(TargetKind.Self)]
    SysResult<StagedExec> CopyArguments(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options);

    /// <summary>begin_new_exec: the point of no return (exec_mmap switches to the new mm and drops the old one).</summary>
    [Syscall("execve:begin_new_exec"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<int> BeginNewExec(StagedExec exec);

    /// <summary>setup_arg_pages: relocate_vma_down by STACK_TOP_MAX minus the stack top (page-table move, TLB
    /// flushes), then the stack flags and the 128 KiB pre-expansion.</summary>
    [Syscall("execve:setup_arg_pages"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<ExecStats> SetupArgPages(StagedExec exec);
}
