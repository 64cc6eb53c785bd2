using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>
/// Hugh Dickins's idea (seed 004; his 2009-12-08 13:03 mail quoted on lines 20-22, then lines 27-34 and 50-53): build
/// argv+envp below sp on the execer's own user stack, then "migrate the pages over to the new mm later (instead of
/// relocating within the new mm as we do now)". The copy touches only current's mm and the pages stay swappable
/// anonymous pages, but: "building up the argv+env below sp on the execer's userstack would be in danger of
/// colliding with the vma below if the space allowed to that userstack is too small. We can say 'sorry, you left
/// too little space for your userstack', but it's still a regression" — an exec that succeeds today fails; and
/// "it would involve that overhead in all cases": the migration is a page-table move with a TLB flush even when the
/// stack tops agree. Miller (lines 24-25): "new failure cases that don't exist now". Never written; UNCONFIRMED: the
/// build area starts at the page boundary below sp (sp = one page below the old image's start_stack, the engine
/// keeping no registers), pages are zeroed when first used, the collision is ENOMEM (expand_downwards' errno), and
/// the move goes once, to the final top, just before exec_mmap drops the old mm.
/// </summary>
[Proposal("exec-args", "below-sp", Title = "Build below sp on the execer's own stack, then migrate",
    Seed = "004_fa0b3d4bae3e8db7.txt", Author = "Hugh Dickins", Date = "2009-12-08", Outcome = Outcome.NeverMerged)]
public partial interface IBelowSpExecArgs
{
    /// <summary>execve's entry: bprm_stack_limits (E2BIG), then copy_strings below the caller's sp, growing its
    /// stack (ENOMEM when the VMA below is too close).</summary>
    [Syscall("execve"), Target(TargetKind.Self)]
    SysResult<StagedExec> CopyArguments(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options);

    /// <summary>The migration into the new mm at the final stack top (page-table move, TLB flushes of the old mm),
    /// then begin_new_exec.</summary>
    [Syscall("execve:begin_new_exec"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<int> BeginNewExec(StagedExec exec);

    /// <summary>setup_arg_pages: the stack is already in place; flags and the 128 KiB pre-expansion.</summary>
    [Syscall("execve:setup_arg_pages"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<ExecStats> SetupArgPages(StagedExec exec);
}
