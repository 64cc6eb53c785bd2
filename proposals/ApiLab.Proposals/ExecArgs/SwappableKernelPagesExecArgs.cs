using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>
/// Al Viro's swappable follow-up (seed 004, 2009-12-08, quoted on lines 56-63): "embed an inode into bprm, use a
/// _very_ trimmed-down analog of shmem.c to handle it, then, after switch to new VM, swap what's needed in, steal it
/// from that inode and shove resulting anon pages into freshly created stack vma". The argument pages are page-cache
/// pages of that inode, so reclaim can swap them out while the exec waits; no foreign mm, no page-table move. Hugh
/// Dickins (lines 65-80): "Dr Frankenstein, … this idea fills me with dread": shmem pages (shared) and anonymous pages
/// (COWed) live by different rules, and switching a group of pages from one to the other is "weird new territory";
/// drop swappability for now. Never written, so every mechanism detail is UNCONFIRMED: a swapped-out page comes back
/// straight into a new anonymous frame; a resident one leaves the page cache, loses its dirty bit and becomes
/// anonymous where it sits on the LRU; the new mm's memcg is charged at the steal. The descriptor's stolen-page
/// count (StagedExec.PagesStolen) is where Hugh's objection applies.
/// </summary>
[Proposal("exec-args", "kernel-pages-swappable", Title = "Argument pages in a bprm inode, stolen into anon (swappable)",
    Seed = "004_fa0b3d4bae3e8db7.txt", Author = "Al Viro", Date = "2009-12-08", Outcome = Outcome.NeverMerged)]
public partial interface ISwappableKernelPagesExecArgs
{
    /// <summary>execve's entry: bprm_stack_limits (E2BIG), then copy_strings into the pages of bprm's inode.</summary>
    [Syscall("execve"), Target(TargetKind.Self)]
    SysResult<StagedExec> CopyArguments(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options);

    /// <summary>begin_new_exec: the point of no return; the inode's pages may still be reclaimed.</summary>
    [Syscall("execve:begin_new_exec"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<int> BeginNewExec(StagedExec exec);

    /// <summary>setup_arg_pages: a stack VMA at the final top; every page swapped in if it went out, stolen from the
    /// inode and installed as an anonymous page.</summary>
    [Syscall("execve:setup_arg_pages"), Target(TargetKind.Self), InvalidatesLayout]
    SysResult<ExecStats> SetupArgPages(StagedExec exec);
}
