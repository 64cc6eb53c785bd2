using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>
/// Michal Hocko's FD-per-VMA design (seed 000, 2019-05-28; never merged): open /proc/&lt;pid&gt;/map_files/&lt;start&gt;-&lt;end&gt;
/// (file VMAs, since 3.3) or a proposed /proc/&lt;pid&gt;/map_anons/... (anonymous VMAs), then give fadvise-style hints
/// on that fd. "The fd is the cookie": each use revalidates that the VMA it was opened on is still there, unchanged,
/// and fails otherwise. One VMA per fd, so N VMAs cost 2N syscalls plus N closes (Colascione: system_server has
/// ~4204 VMAs). Guesses, marked UNCONFIRMED: opening needs what map_files needs today (PTRACE_MODE_READ_FSCREDS and
/// CAP_CHECKPOINT_RESTORE); a stale fd fails with ESTALE; the hint call takes an advice as madvise does.
/// </summary>
[Proposal("remote-madvise", "fd-per-vma", Title = "An fd per VMA + fadvise-style hints",
    Seed = "000_9de8a7c864f17f9f.txt", Author = "Michal Hocko", Date = "2019-05-28", Outcome = Outcome.NeverMerged)]
public partial interface IFdPerVmaMadvise
{
    /// <summary>Lists /proc/&lt;pid&gt;/map_files and map_anons: the VMA ranges, as directory entry names.</summary>
    [Syscall("getdents:/proc/pid/map_anons"), Target(TargetKind.Pid), Requires(PtraceMode.ReadFsCreds), Snapshot(RevalidatedBy = typeof(VmaFd))]
    SysResult<IReadOnlyList<VmaInfo>> ListVmas(Pid target);

    /// <summary>open("/proc/pid/map_anons/start-end"): an fd naming exactly that VMA; ENOENT when no VMA spans it exactly.</summary>
    [Syscall("open:/proc/pid/map_anons"), Target(TargetKind.Pid), Requires(PtraceMode.ReadFsCreds, Capability.CheckpointRestore)]
    SysResult<VmaFd> OpenVma(Pid target, [TargetRange] IoVec range);

    /// <summary>fadvise-style hint on the VMA the fd names, after revalidating it (ESTALE, UNCONFIRMED, if it changed).</summary>
    [Syscall("fadvise:vma"), Target(TargetKind.VmaFd), Hint]
    SysResult<int> Advise([Revalidates] VmaFd vma, Advice advice);

    /// <summary>close(2).</summary>
    [Syscall("close"), Target(TargetKind.Self)]
    SysResult<int> Close([Releases] VmaFd vma);
}
