using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>
/// The zap inside the target (Peter Xu, citing LLNL's umap, in the thread of seed 001_5fc4631f11fe68c2.txt, September
/// 2021, [src: &lt;595A6581-86CF-4372-98AF-532DF65186C6@gmail.com&gt;]; the day of his message is UNCONFIRMED): a library
/// in the target (LD_PRELOAD or an explicit API) evicts on the manager's request with its own madvise(MADV_DONTNEED).
/// Nothing new in the kernel: the target owns its layout and zaps only at points where its own code is not using
/// the pages, so no capability is needed and no write can fall between the copy and the zap. The price is one
/// madvise, and one TLB flush, per range (umap's evictor; the 6.13+ process_madvise(PIDFD_SELF) that would batch
/// them is mainline's answer, not this position). The request channel (a word the manager writes into the target with
/// process_vm_writev) is the lab's choice, UNCONFIRMED.
/// </summary>
[Proposal("remote-zap", "cooperative", Title = "The target zaps itself on request (umap)",
    Seed = "001_5fc4631f11fe68c2.txt", Author = "Peter Xu", Date = "2021-09-27", Outcome = Outcome.Position)]
public partial interface ICooperativeZap
{
    /// <summary>madvise(addr, len, advice) by the target's own library, on its own mm: 0 or the errno.</summary>
    [Syscall("madvise"), Target(TargetKind.Self), TargetVisible]
    SysResult<int> ZapOwn([TargetRange] IoVec range, Advice advice);
}
