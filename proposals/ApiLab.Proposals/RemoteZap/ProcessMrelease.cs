using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>
/// process_mrelease (Suren Baghdasaryan; merged in 5.15, commit 884a7e5964e0; PROPOSALS.md §2.2 D and §2.5): destructive
/// remote reclaim, but only of a process that is already dying. The caller (a low-memory killer) sends SIGKILL with
/// pidfd_send_signal and then reaps the victim's private memory at once, as the OOM reaper does, instead of waiting for
/// the victim to run its exit. Checks (the engine's, after the kernel's): flags → EINVAL; the pidfd (EBADF / ESRCH);
/// no mm left → ESRCH; not dying (no SIGKILL pending) → EINVAL. No permission beyond holding the pidfd: whoever may
/// kill it (kill_ok_by_cred, EPERM) may reap it (the full errno set is UNCONFIRMED, §8). Shared pages stay with their
/// other users. Both calls wrap the engine's syscalls. The date is of the series as the lab cites it, UNCONFIRMED (the
/// seed thread only mentions the interface; PROPOSALS.md gives the merge, 5.15, not the posting day).
/// </summary>
[Proposal("remote-zap", "process-mrelease", Title = "process_mrelease for a dying process (merged)",
    Seed = "001_5fc4631f11fe68c2.txt", Author = "Suren Baghdasaryan", Date = "2021-08-02", Outcome = Outcome.Merged,
    MergedIn = "5.15")]
public partial interface IProcessMrelease
{
    /// <summary>process_mrelease(pidfd, 0): reaps a process with a pending SIGKILL; EINVAL for a live one.</summary>
    [Syscall("process_mrelease"), Target(TargetKind.Pidfd), TargetVisible]
    SysResult<int> Release(Pidfd target, [MustBeZero] uint flags);

    /// <summary>pidfd_send_signal(pidfd, SIGKILL or 0, NULL, 0): the kill that makes the reap legal.</summary>
    [Syscall("pidfd_send_signal"), Target(TargetKind.Pidfd)]
    SysResult<int> Kill(Pidfd target, int signal, [MustBeZero] uint flags);
}
