using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>The hand-written part of the uffd zap: resolve the userfaultfd, check the scope, zap each VMA.</summary>
public sealed partial class UffdZapAdapter
{
    /// <summary>The ioctl's checks, in the order the other uffd range ioctls make them: the fd (EBADF / ENOTTY /
    /// EINVAL before UFFDIO_API), the mode, the range (validate_range), unread events (EAGAIN), the mm (ESRCH), then
    /// the scope and VM_LOCKED over the whole range before anything is zapped.</summary>
    private partial SysResult<long> ZapCore(Process target, int uffd, IoVec range, ulong mode)
    {
        if (Caller.Fds.Get(uffd) is not { } file)
        {
            return Errno.EBADF;
        }

        if (file is not UserfaultfdFile ctx)
        {
            return Errno.ENOTTY;
        }

        if (!ctx.Initialized || mode != 0 || !ValidRange(range))
        {
            return Errno.EINVAL;
        }

        if (ctx.MmapChanging > 0)
        {
            return Errno.EAGAIN;
        }

        if (ctx.Mm.IsDead)
        {
            return Errno.ESRCH;
        }

        var mm = ctx.Mm;
        var scope = CheckScope(mm, ctx, range);
        if (scope != Errno.None)
        {
            return scope;
        }

        mm.ZapPages(range.Base, range.End);
        return (long)range.Length;
    }

    private partial SysResult<int> WriteProtectCore(Process target, int uffd, IoVec range) =>
        Caller.Machine.UffdioWriteprotect(Caller, uffd, range.Base, range.Length, UffdWriteprotectMode.Wp);

    private partial SysResult<int> TakeUffdCore(Process target, int targetFd, uint flags) =>
        Caller.Machine.PidfdGetfd(Caller, PidfdOf(target), targetFd, flags);

    /// <summary>Every byte of the range lies in VMAs registered with <paramref name="ctx"/> (ENOENT otherwise), none of
    /// them VM_LOCKED or VM_PFNMAP (EINVAL, as madvise(DONTNEED) refuses them).</summary>
    private static Errno CheckScope(Mm mm, UserfaultfdFile ctx, IoVec range)
    {
        var address = range.Base;
        while (address < range.End)
        {
            var vma = mm.Vmas.Find(address);
            if (vma is null || !ReferenceEquals(vma.Uffd, ctx))
            {
                return Errno.ENOENT;
            }

            if ((vma.Flags & (VmFlags.Locked | VmFlags.PfnMap)) != 0)
            {
                return Errno.EINVAL;
            }

            address = vma.End;
        }

        return Errno.None;
    }

    /// <summary>validate_range: page-aligned, non-empty, below TASK_SIZE.</summary>
    private bool ValidRange(IoVec range) =>
        Page.IsAligned(range.Base) && Page.IsAligned(range.Length) && range.Length != 0
        && range.Base >= Caller.Machine.Config.MmapMinAddr && range.Base < Page.TaskSize && range.Length <= Page.TaskSize - range.Base;

    /// <summary>
    /// The generated adapter hands the core the process the pidfd resolved to, while the engine's pidfd_getfd takes the
    /// fd: any pidfd the caller holds for that process resolves the same way, so the first one is passed on.
    /// </summary>
    private Pidfd PidfdOf(Process target)
    {
        for (var fd = 0; fd < Caller.Fds.Limit; fd++)
        {
            if (Caller.Fds.Get(fd) is PidfdFile { } file && ReferenceEquals(file.Process, target))
            {
                return new Pidfd(fd);
            }
        }

        return Pidfd.Self;
    }
}
