using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>
/// Nadav Amit's fallback (seed 001_5fc4631f11fe68c2.txt, thread of 2021-09-27, PROPOSALS.md §2.2 A′: "this can be a
/// UFFD IOCTL instead of process_madvise() behavior"; never merged, never specified). The same zap as remote DONTNEED,
/// but as an ioctl on a userfaultfd and scoped to the ranges registered with it: registering was the target's consent,
/// so no capability is needed beyond holding the fd, which a monitor gets from the target's cooperation or with
/// pidfd_getfd (PTRACE_MODE_ATTACH_REALCREDS, EPERM otherwise). Every detail is a guess, marked UNCONFIRMED: the name
/// UFFDIO_ZAP; one range per call, as every uffd ioctl takes (so one TLB flush per range, not per vector); mode must be
/// 0 (EINVAL); a range not wholly registered with this userfaultfd (a hole, another VMA) is ENOENT, as
/// UFFDIO_WRITEPROTECT answers for a range not registered for WP, and nothing is zapped; VM_LOCKED is EINVAL as for
/// madvise; unread non-cooperative events are EAGAIN as for the other range ioctls; no UFFD_EVENT_REMOVE is raised,
/// the monitor being the one that zaps; the result is the bytes zapped (the range length).
/// </summary>
[Proposal("remote-zap", "uffd-zap", Title = "A userfaultfd ioctl zapping registered ranges",
    Seed = "001_5fc4631f11fe68c2.txt", Author = "Nadav Amit", Date = "2021-09-27", Outcome = Outcome.NeverMerged)]
public partial interface IUffdZap
{
    /// <summary>UFFDIO_ZAP (UNCONFIRMED): zaps one range of the userfaultfd's mm, which must be registered with it.</summary>
    [Syscall("ioctl:UFFDIO_ZAP"), Target(TargetKind.Uffd), TargetVisible]
    SysResult<long> Zap(int uffd, [TargetRange] IoVec range, ulong mode);

    /// <summary>UFFDIO_WRITEPROTECT(range, WP): freezes the range before it is read out and zapped.</summary>
    [Syscall("ioctl:UFFDIO_WRITEPROTECT"), Target(TargetKind.Uffd), Freezes]
    SysResult<int> WriteProtect(int uffd, [TargetRange] IoVec range);

    /// <summary>pidfd_getfd(pidfd, targetfd, 0): the monitor takes the target's userfaultfd.</summary>
    [Syscall("pidfd_getfd"), Target(TargetKind.Pidfd), Requires(PtraceMode.AttachRealCreds, DeniedErrno = Errno.EPERM)]
    SysResult<int> TakeUffd(Pidfd target, int targetFd, [MustBeZero] uint flags);
}
