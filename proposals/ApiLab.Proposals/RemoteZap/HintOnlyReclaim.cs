using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>
/// Keep remote operations hints (David Hildenbrand, seed 001_5fc4631f11fe68c2.txt, 2021-09-27: "very different to all
/// the other process_madvise() calls we allow, which are merely hints, but the target cannot be broken"; Michal Hocko:
/// "Why cannot you use MADV_PAGEOUT/MADV_COLD for this usecase?"). What mainline 6.18 has: process_madvise accepts only
/// COLD, PAGEOUT, WILLNEED and COLLAPSE on another mm (EINVAL for MADV_DONTNEED), with PTRACE_MODE_READ_FSCREDS and
/// CAP_SYS_NICE. PAGEOUT swaps private anonymous pages out (the kernel's swap, not the manager's), skips folios mapped
/// more than once, and the target reads back exactly what it wrote.
/// </summary>
[Proposal("remote-zap", "hint-only", Title = "Hints only: process_madvise(COLD/PAGEOUT) (mainline)",
    Seed = "001_5fc4631f11fe68c2.txt", Author = "David Hildenbrand, Michal Hocko", Date = "2021-09-27",
    Outcome = Outcome.Merged, MergedIn = "5.10")]
public partial interface IHintOnlyReclaim
{
    /// <summary>process_madvise(pidfd, iov, vlen, MADV_COLD or MADV_PAGEOUT, 0): bytes advised before the first failure;
    /// MADV_DONTNEED on another mm → EINVAL.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Reclaim(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);
}
