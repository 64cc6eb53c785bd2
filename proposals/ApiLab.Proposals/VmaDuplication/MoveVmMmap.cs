using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// Andy Lutomirski's "move instead of duplicate", which Tkhai accepted (seed 003 thread, Tkhai 2019-05-24,
/// &lt;c3cd3719-0a5e-befe-89f2-328526bb714d@virtuozzo.com&gt;: "Andy suggested to unmap PTEs from source page table, and
/// this make the single page never be mapped in the same process twice"). The same call and checks as
/// process_vm_mmap v2, but the source's page-table entries move to the caller. Shutemov's answer
/// (&lt;20190524115239.ugxv766doolc6nsc@box&gt;): "I don't think that unmapping alone will do ... Task A forks ... Task B
/// calls process_vm_mmap() and passes the mapping to the parent. After this Task A will have the same anon pages
/// mapped twice." Never merged (no revision after June 2019 is known). Guesses: the source keeps its (now empty) VMA
/// rather than losing it, and is therefore a target-visible change (its next load reads zero) — UNCONFIRMED; the
/// thread gives no separate syscall or flag, so this is the same process_vm_mmap signature — UNCONFIRMED; the date is
/// that of Tkhai's report of the suggestion, Lutomirski's own message was not found — UNCONFIRMED.
/// </summary>
[Proposal("vma-duplication", "move", Title = "process_vm_mmap that moves the PTEs (Lutomirski)",
    Seed = "003_e3f5c1e57564c3cc.txt", Author = "Andy Lutomirski", Date = "2019-05-24", Outcome = Outcome.NeverMerged)]
public partial interface IMoveVmMmap
{
    /// <summary>process_vm_mmap with the source PTEs removed: the same errnos as v2; the source range reads zero
    /// afterwards, and its pages (with their memcg charge) now belong to the caller's mapping.</summary>
    [Syscall("process_vm_mmap"), Target(TargetKind.Pid), Requires(PtraceMode.AttachRealCreds), ChecksArgumentsFirst]
    [TargetVisible, Allocates]
    SysResult<ulong> Move(Pid pid, ulong srcAddr, ulong length, ulong dstAddr, ulong flags);
}
