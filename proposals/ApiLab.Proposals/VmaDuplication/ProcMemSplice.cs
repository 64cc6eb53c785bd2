using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// Jann Horn's alternative (seed 003 thread, reply to the RFC, 2019-05-16,
/// &lt;CAG48ez3EOwLd8A6Ku53vKLdofmZAh1ZYfkK4rVgSgM8ZfcR4zg@mail.gmail.com&gt;, as Tkhai's answer quotes it): "splice() from the socket
/// into /proc/$pid/mem ... proc_mem_operations has no -&gt;splice_read() at the moment ... but that could be built
/// without creating new UAPI". The data is copied into the target's existing pages (get_user_pages for write: the
/// pages are faulted in, swapped in, copy-on-write broken), so the target sees the writes; opening /proc/pid/mem is
/// proc_mem_open's mm_access(PTRACE_MODE_ATTACH_FSCREDS). Tkhai's reply: the data is usually encrypted and
/// compressed, so it cannot go straight from the socket. Never built. Guesses: the call is modelled as
/// vmsplice of the caller's buffer + splice into the mem file, one pipe-full (<see cref="ProcMemSpliceAdapter.PipeBytes"/>,
/// a pipe grown to pipe-max-size) at most per call — UNCONFIRMED; failing on the first page gives EIO as mem_rw does.
/// </summary>
[Proposal("vma-duplication", "proc-mem-splice", Title = "splice into /proc/pid/mem (no new UAPI)",
    Seed = "003_e3f5c1e57564c3cc.txt", Author = "Jann Horn", Date = "2019-05-16", Outcome = Outcome.NeverMerged)]
public partial interface IProcMemSplice
{
    /// <summary>open(/proc/pid/mem) + splice of the caller's [localAddress, +length) into the target at remoteAddress:
    /// EACCES from mm_access, ESRCH without a process or mm; returns the bytes written, at most one pipe-full (a partial
    /// result the caller must loop on), EIO if the first page cannot be reached.</summary>
    [Syscall("splice:/proc/pid/mem"), Target(TargetKind.Pid), Requires(PtraceMode.AttachFsCreds), TargetVisible, PartialResult]
    SysResult<long> Splice(Pid target, ulong localAddress, [TargetRange] ulong remoteAddress, ulong length);
}
