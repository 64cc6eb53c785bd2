using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>
/// Minchan Kim's RFC 7/7 (seed 000, May 2019; never merged): MADV_ANONYMOUS_FILTER (1&lt;&lt;31) and MADV_FILE_FILTER
/// (1&lt;&lt;30) OR-ed into the advice, so one call over the whole address space advises only anonymous (or only file)
/// VMAs and nobody parses /proc/pid/maps. The test is /proc/pid/clear_refs's: a VMA with a vm_file is "file", so
/// shmem and shared anonymous memory count as file. Both filters → EINVAL. Hocko: userspace can filter itself.
/// Modelled on the merged process_madvise signature (UNCONFIRMED: the RFC had per-range behaviours and results).
/// </summary>
[Proposal("remote-madvise", "filters", Title = "process_madvise + anon/file filter bits (RFC)",
    Seed = "000_9de8a7c864f17f9f.txt", Author = "Minchan Kim", Date = "2019-05-20", Outcome = Outcome.NeverMerged)]
public partial interface IFilterMadvise
{
    /// <summary>process_madvise with filter bits in the advice: VMAs of the other kind are skipped.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, int behavior, [MustBeZero] uint flags);
}
