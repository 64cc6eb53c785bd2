using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>
/// Nadav Amit's remote zap (seed 001_5fc4631f11fe68c2.txt: "[RFC PATCH 0/8] mm/madvise: support
/// process_madvise(MADV_DONTNEED)", 2021-09-26, and his reply of 2021-09-27; never merged). process_madvise(pidfd, iov,
/// vlen, MADV_DONTNEED, 0) on another process: the PTEs over every range are zapped under one mmap-lock acquisition
/// and one mmu_gather, so the whole vector costs one TLB flush. Private anonymous pages read back as zero-fill (or
/// through the target's userfaultfd), private file pages from the file; a VMA whose userfaultfd asked for
/// UFFD_EVENT_REMOVE gets it; VM_LOCKED ranges are EINVAL unless MADV_DONTNEED_LOCKED, as madvise has it. Hildenbrand:
/// it is target-visible, unlike every hint process_madvise allows; Nadav offered "an additional capability, such as
/// CAP_SYS_PTRACE", on top of PTRACE_MODE_READ_FSCREDS and CAP_SYS_NICE. Guesses, marked UNCONFIRMED: CAP_SYS_PTRACE is
/// checked after CAP_SYS_NICE (both EPERM); MADV_DONTNEED_LOCKED (5.18, after the RFC) is accepted with DONTNEED; any
/// other advice through this call is EINVAL (the hints stay mainline process_madvise's, see "hint-only").
/// Nadav's manager write-protects first with UFFDIO_WRITEPROTECT, the call below that freezes the range.
/// </summary>
[Proposal("remote-zap", "process-madvise-dontneed", Title = "process_madvise(MADV_DONTNEED) + CAP_SYS_PTRACE",
    Seed = "001_5fc4631f11fe68c2.txt", Author = "Nadav Amit", Date = "2021-09-26", Outcome = Outcome.NeverMerged)]
public partial interface IProcessMadviseDontneed
{
    /// <summary>process_madvise(pidfd, iov, vlen, MADV_DONTNEED, 0) on a foreign mm: zaps every range in order, one TLB
    /// flush for the call; returns the bytes of the entries zapped before the first failure.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), TargetVisible, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice, Capability.SysPtrace), PartialResult]
    SysResult<long> Zap(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);

    /// <summary>UFFDIO_WRITEPROTECT(range, WP) on the target's userfaultfd (held by the manager): from now on the target's
    /// stores to the range sleep until the manager resolves them, so the copy it reads out stays the page's content.</summary>
    [Syscall("ioctl:UFFDIO_WRITEPROTECT"), Target(TargetKind.Uffd), Freezes]
    SysResult<int> WriteProtect(int uffd, [TargetRange] IoVec range);
}
