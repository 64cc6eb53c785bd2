using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>
/// Michal Hocko's question (seed 003 thread, 2019-05-16, &lt;20190516135259.GU16651@dhcp22.suse.cz&gt; as Tkhai quotes
/// it): why not shared memory? The source keeps its heap in a memfd, the destination gets the fd (pidfd_getfd, or
/// SCM_RIGHTS) and maps it MAP_SHARED: no copy, no new UAPI, everything mainline (memfd 3.17, pidfd_getfd 5.6).
/// Tkhai's objection: the VMA type changes — private anonymous memory becomes shared after migration, so the two
/// processes see each other's writes and a fork child shares its parent's later writes. A position in the thread,
/// not a patch. Guess: the fd reaches the destination by pidfd_getfd; SCM_RIGHTS would need the source's help.
/// </summary>
[Proposal("vma-duplication", "memfd", Title = "memfd + MAP_SHARED between the processes (Hocko)",
    Seed = "003_e3f5c1e57564c3cc.txt", Author = "Michal Hocko", Date = "2019-05-16", Outcome = Outcome.Position)]
public partial interface IMemfdShare
{
    /// <summary>pidfd_getfd(pidfd, targetfd, 0): EBADF / ESRCH for the pidfd, EPERM when
    /// PTRACE_MODE_ATTACH_REALCREDS is denied, EBADF for no such fd, EMFILE for a full table; the new fd shares the file.</summary>
    [Syscall("pidfd_getfd"), Target(TargetKind.Pidfd), Requires(PtraceMode.AttachRealCreds, DeniedErrno = Errno.EPERM)]
    SysResult<int> TakeFd(Pidfd target, int targetFd, [MustBeZero] uint flags);

    /// <summary>mmap(hint, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0) of a memfd: EBADF for no fd, ENODEV for
    /// one that is not a memfd, otherwise mmap's errnos. The mapping shares the file's pages with every other mapping.</summary>
    [Syscall("mmap"), Target(TargetKind.Self), Allocates]
    SysResult<ulong> MapShared(int fd, ulong length, ulong hint);
}
