using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// The status quo Tkhai's cover letter starts from (seed 003 thread, RFC 2019-05-15): copy the memory with
/// process_vm_writev (pushing from the process that holds it) or process_vm_readv (pulling into the destination).
/// Christopher Yeoh's Cross Memory Attach, merged in 3.2 (the date given is of its late postings — UNCONFIRMED).
/// Every page is read (swapped in if it was out) and written into a page of the destination (charged to the
/// destination's memcg); the transfer may stop part way at an iovec element. Lutomirski: "writing to remote memory
/// allocates it anyway". The adapter looks the pid up even for an empty transfer, where Linux returns 0 first (the
/// engine's own process_vm_readv/writev do return 0 there).
/// </summary>
[Proposal("vma-duplication", "vm-writev", Title = "process_vm_writev / readv copy (status quo)",
    Seed = "003_e3f5c1e57564c3cc.txt", Author = "Christopher Yeoh", Date = "2011-09-15",
    Outcome = Outcome.Merged, MergedIn = "3.2")]
public partial interface IVmCopy
{
    /// <summary>process_vm_writev(pid, local_iov, liovcnt, remote_iov, riovcnt, 0): EINVAL for flags or iovec
    /// problems, ESRCH, EPERM when PTRACE_MODE_ATTACH_REALCREDS is denied (mm_access's EACCES turned into EPERM);
    /// returns the bytes written, partial at element granularity.</summary>
    [Syscall("process_vm_writev"), Target(TargetKind.Pid), Requires(PtraceMode.AttachRealCreds, DeniedErrno = Errno.EPERM)]
    [Vectored, PartialResult, TargetVisible, ChecksArgumentsFirst]
    SysResult<long> Write(Pid pid, IoVec[] local, [TargetRange] IoVec[] remote, [MustBeZero] ulong flags);

    /// <summary>process_vm_readv: the same checks; copies from the target into the caller's memory.</summary>
    [Syscall("process_vm_readv"), Target(TargetKind.Pid), Requires(PtraceMode.AttachRealCreds, DeniedErrno = Errno.EPERM)]
    [Vectored, PartialResult, ChecksArgumentsFirst]
    SysResult<long> Read(Pid pid, IoVec[] local, [TargetRange] IoVec[] remote, [MustBeZero] ulong flags);
}
