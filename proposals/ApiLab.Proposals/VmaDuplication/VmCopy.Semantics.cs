using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>The hand-written part of the status quo: the remote iovec's checks, then process_vm_rw_core.</summary>
public sealed partial class VmCopyAdapter
{
    partial void PrecheckWrite(Pid pid, IoVec[] local, IoVec[] remote, ulong flags, ref Errno error) => error = CheckRemote(remote);

    partial void PrecheckRead(Pid pid, IoVec[] local, IoVec[] remote, ulong flags, ref Errno error) => error = CheckRemote(remote);

    private partial SysResult<long> WriteCore(Process target, IoVec[] local, IoVec[] remote, ulong flags) =>
        Caller.Machine.CopyProcessVm(Caller, target.Mm!, local, remote, write: true);

    private partial SysResult<long> ReadCore(Process target, IoVec[] local, IoVec[] remote, ulong flags) =>
        Caller.Machine.CopyProcessVm(Caller, target.Mm!, local, remote, write: false);

    /// <summary>import_iovec on the remote side: a null array is EFAULT, too many entries or a length over
    /// SSIZE_MAX EINVAL (the generator checks the local one).</summary>
    private static Errno CheckRemote(IoVec[] remote)
    {
        if (remote is null)
        {
            return Errno.EFAULT;
        }

        if (remote.Length > IoVec.Max)
        {
            return Errno.EINVAL;
        }

        foreach (var iov in remote)
        {
            if (iov.Length > long.MaxValue)
            {
                return Errno.EINVAL;
            }
        }

        return Errno.None;
    }
}
