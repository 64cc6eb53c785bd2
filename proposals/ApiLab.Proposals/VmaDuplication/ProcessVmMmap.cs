using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// Kirill Tkhai's process_vm_mmap v2 (seed 003_e3f5c1e57564c3cc.txt; "[PATCH v2 7/7] mm: Add process_vm_mmap()",
/// 2019-05-20, Message-ID &lt;155836083941.2441.1939229815005692644.stgit@localhost.localdomain&gt;; never merged).
/// Duplicates part of one VMA of another process into the caller (remote → current only: v2 dropped the RFC's
/// current → remote direction because get_unmapped_area cannot act on a foreign mm). Both mmap locks are taken for
/// write in address order; copy_vma clones the VMA and copy_page_range copies the PTEs as fork does: private
/// anonymous pages become copy-on-write shared, swap entries are copied without a swap-in, shared mappings stay
/// shared, and the memcg charge stays where it was (Tkhai, 2019-06-04 in seed 003: "Once assigned memcg remains the
/// same after VMA duplication ... the same thing occurs as after fork()+mremap()"). Shutemov (2019-05-22, quoted in
/// seed 003): it "allows to map the same page multiple times within one process or even map page allocated by child
/// to the parrent. It was not allowed before." Guesses: the VM_ACCOUNT and RLIMIT_AS checks are not modelled (the
/// engine has no commit limit) — UNCONFIRMED; a same-mm duplicate whose destination overlaps the source VMA fails
/// with EINVAL (the patch would carry on with a freed source VMA) — UNCONFIRMED.
/// </summary>
[Proposal("vma-duplication", "process-vm-mmap", Title = "process_vm_mmap v2 (fork-like PTE copy into the caller)",
    Seed = "003_e3f5c1e57564c3cc.txt", Author = "Kirill Tkhai", Date = "2019-05-20", Outcome = Outcome.NeverMerged)]
public partial interface IProcessVmMmap
{
    /// <summary>process_vm_mmap(pid, src_addr, len, dst_addr, flags): EINVAL for unknown flags, len 0 or &gt; TASK_SIZE,
    /// src_addr 0, dst_addr &gt; TASK_SIZE - len or pid &lt;= 0 (before the pid is looked up); ESRCH; EACCES from
    /// mm_access(PTRACE_MODE_ATTACH_REALCREDS); EFAULT when the source range is not inside one VMA or that VMA is
    /// VM_HUGETLB, VM_DONTEXPAND, VM_PFNMAP or VM_IO; ENOMEM at the map count limit or with no room; ENOTSUPP for a
    /// userfaultfd-registered source; EEXIST for a PVMMAP_FIXED_NOREPLACE collision. Returns the new mapping's address.</summary>
    [Syscall("process_vm_mmap"), Target(TargetKind.Pid), Requires(PtraceMode.AttachRealCreds), ChecksArgumentsFirst, Allocates]
    SysResult<ulong> Map(Pid pid, ulong srcAddr, ulong length, ulong dstAddr, ulong flags);
}
