using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>
/// Hocko's shared memory: the source's heap is a memfd, whose fd the restorer already holds (taken with pidfd_getfd
/// at setup); a transfer maps it MAP_SHARED. A fork child's heap is that same memfd.
/// </summary>
public sealed class MemfdDriver(Process restorer, int fd) : TransferDriver(restorer)
{
    private readonly IMemfdShare _api = new MemfdShareAdapter(restorer);

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        if (source is null)
        {
            return Errno.ESRCH;
        }

        var mapped = _api.MapShared(fd, length, dst);
        return mapped.IsOk ? (long)length : mapped.Error;
    }
}
