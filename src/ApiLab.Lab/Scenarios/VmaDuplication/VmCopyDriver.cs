using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>The status quo: the restorer pulls a copy with process_vm_readv into its already mapped heap.</summary>
public sealed class VmCopyDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IVmCopy _api = new VmCopyAdapter(restorer);

    public override bool NeedsMappedDestination => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst) =>
        _api.Read(pid, [new IoVec(dst, length)], [new IoVec(src, length)], 0);
}
