using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>The hand-written part: the maps fd and its query ioctl; process_madvise is mainline's.</summary>
public sealed partial class ProcmapQueryMadviseAdapter
{
    /// <summary>sizeof(struct procmap_query) in 6.11.</summary>
    public const int QueryBytes = 104;

    private partial SysResult<int> OpenMapsCore(Process target)
    {
        var fd = Caller.Fds.Install(new ProcMapsFile(target));
        return fd < 0 ? Errno.EMFILE : fd;
    }

    private partial SysResult<VmaInfo> QueryCore(Process target, int mapsFd, ulong address, uint queryFlags)
    {
        if (Caller.Fds.Get(mapsFd) is not ProcMapsFile file)
        {
            return Errno.EBADF;
        }

        Caller.Machine.Stats.BytesCopied += QueryBytes;
        return file.Query(address, queryFlags);
    }

    partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, ref Errno error) =>
        error = AdviceInfo.CheckProcessMadvise(Caller, target, advice);

    private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) =>
        VectorMadvise.Apply(target.Mm!, ranges, advice);

    private partial SysResult<int> CloseCore(Process target, int fd) =>
        Caller.Fds.Close(fd) ? SysResult<int>.Ok(0) : Errno.EBADF;
}
