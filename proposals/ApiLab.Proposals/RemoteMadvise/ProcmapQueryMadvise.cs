using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>
/// Mainline process_madvise with the ranges found by PROCMAP_QUERY (6.11, Andrii Nakryiko): an ioctl on a
/// /proc/&lt;pid&gt;/maps fd that returns one VMA as a binary record, iterated with query_addr = previous end. It met
/// Colascione's wish for cheap binary lookups but not his TOCTOU one: there is no snapshot and no generation number.
/// </summary>
[Proposal("remote-madvise", "procmap-query", Title = "process_madvise + PROCMAP_QUERY (merged)",
    Seed = "000_9de8a7c864f17f9f.txt", Author = "Andrii Nakryiko", Date = "2024-06-05",
    Outcome = Outcome.Merged, MergedIn = "6.11")]
public partial interface IProcmapQueryMadvise
{
    /// <summary>open("/proc/pid/maps"): mm_access with PTRACE_MODE_READ_FSCREDS.</summary>
    [Syscall("open:/proc/pid/maps"), Target(TargetKind.Pid), Requires(PtraceMode.ReadFsCreds)]
    SysResult<int> OpenMaps(Pid target);

    /// <summary>ioctl(maps_fd, PROCMAP_QUERY): the VMA covering (or, with COVERING_OR_NEXT_VMA, after) an address; ENOENT past the last.</summary>
    [Syscall("ioctl:PROCMAP_QUERY"), Target(TargetKind.ProcFd), Snapshot]
    SysResult<VmaInfo> Query(int mapsFd, ulong address, uint queryFlags);

    /// <summary>process_madvise, as merged.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);

    /// <summary>close(2).</summary>
    [Syscall("close"), Target(TargetKind.Self)]
    SysResult<int> Close(int fd);
}
