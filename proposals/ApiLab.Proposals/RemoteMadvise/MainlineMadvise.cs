using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>
/// Mainline process_madvise(2) (Minchan Kim; merged in 5.10, widened in 5.12, 5.15, 6.1, 6.13, 6.15), with the
/// ranges found by reading /proc/pid/maps. The pidfd pins the process but not its layout: nothing tells the caller
/// that the ranges it parsed still name the VMAs it meant. Reviewers accepted this because the remote advice set is
/// non-destructive (seed 000, Minchan's fallback "D"; Hocko: range-based calls are "racy by design").
/// </summary>
[Proposal("remote-madvise", "mainline", Title = "process_madvise + /proc/pid/maps (merged)",
    Seed = "000_9de8a7c864f17f9f.txt", Author = "Minchan Kim", Date = "2019-05-20",
    Outcome = Outcome.Merged, MergedIn = "5.10")]
public partial interface IMainlineMadvise
{
    /// <summary>open + read + close of /proc/&lt;pid&gt;/maps: a text snapshot of the layout, stale as soon as it is read.
    /// Opening needs PTRACE_MODE_READ_FSCREDS (proc_mem_open → mm_access).</summary>
    [Syscall("read:/proc/pid/maps"), Target(TargetKind.Pid), Requires(PtraceMode.ReadFsCreds), Snapshot]
    SysResult<string> ReadMaps(Pid target);

    /// <summary>process_madvise(pidfd, iovec, vlen, advice, flags): flags must be 0; a foreign mm accepts only
    /// COLD/PAGEOUT/WILLNEED/COLLAPSE and needs CAP_SYS_NICE; returns the bytes of the entries advised before the
    /// first failure.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);
}
