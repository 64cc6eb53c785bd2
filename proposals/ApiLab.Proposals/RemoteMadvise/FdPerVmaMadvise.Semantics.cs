using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>The hand-written part of FD-per-VMA: listing, opening a VMA fd, and revalidating it on every use.</summary>
public sealed partial class FdPerVmaMadviseAdapter
{
    /// <summary>A directory entry name "start-end" plus its dirent header, roughly.</summary>
    public const int DirentBytes = 48;

    private partial SysResult<IReadOnlyList<VmaInfo>> ListVmasCore(Process target)
    {
        var vmas = target.Mm!.Describe();
        Caller.Machine.Stats.BytesCopied += (long)vmas.Count * DirentBytes;
        return SysResult<IReadOnlyList<VmaInfo>>.Ok(vmas);
    }

    private partial SysResult<VmaFd> OpenVmaCore(Process target, IoVec range)
    {
        var vma = target.Mm!.Vmas.Find(range.Base);
        if (vma is null || vma.Start != range.Base || vma.End != range.End)
        {
            return Errno.ENOENT;
        }

        var fd = Caller.Fds.Install(new VmaFdFile(target, vma.Id, vma.Start, vma.End));
        return fd < 0 ? Errno.EMFILE : new VmaFd(fd);
    }

    private partial SysResult<int> AdviseCore(Process target, VmaFd vma, Advice advice)
    {
        if (Caller.Fds.Get(vma.Fd) is not VmaFdFile file)
        {
            return Errno.EBADF;
        }

        var owner = file.Target;
        var error = AdviceInfo.CheckProcessMadvise(Caller, owner, advice);
        if (error != Errno.None)
        {
            return error;
        }

        if (owner.Mm is null || file.Revalidate() is null)
        {
            return Errno.ESTALE;
        }

        return owner.Mm.Madvise(file.Start, file.End - file.Start, advice);
    }

    private partial SysResult<int> CloseCore(Process target, VmaFd vma) =>
        Caller.Fds.Close(vma.Fd) ? SysResult<int>.Ok(0) : Errno.EBADF;
}
