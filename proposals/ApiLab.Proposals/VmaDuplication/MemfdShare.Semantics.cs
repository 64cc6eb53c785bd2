using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>The hand-written part of the memfd position: receive the fd, map it shared.</summary>
public sealed partial class MemfdShareAdapter
{
    private partial SysResult<int> TakeFdCore(Process target, int targetFd, uint flags)
    {
        if (target.Fds.Get(targetFd) is not { } file)
        {
            return Errno.EBADF;
        }

        var fd = Caller.Machine.ReceiveFd(Caller, file);
        return fd >= 0 ? fd : Errno.EMFILE;
    }

    private partial SysResult<ulong> MapSharedCore(Process target, int fd, ulong length, ulong hint)
    {
        if (Caller.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        var open = Caller.Fds.Get(fd);
        if (open is null)
        {
            return Errno.EBADF;
        }

        return open is MemfdFile memfd
            ? mm.Mmap(hint, length, Prot.ReadWrite, MapFlags.Shared, Caller.Credentials.Has(Capability.SysRawio), memfd.Shmem, 0)
            : Errno.ENODEV;
    }
}
