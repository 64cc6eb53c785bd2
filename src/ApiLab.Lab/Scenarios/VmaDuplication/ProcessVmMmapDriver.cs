using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>process_vm_mmap v2: the restorer pulls the mapping, PVMMAP_FIXED_NOREPLACE at the address it wants.</summary>
public sealed class ProcessVmMmapDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IProcessVmMmap _api = new ProcessVmMmapAdapter(restorer);

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        var mapped = _api.Map(pid, src, length, dst, 0x02);
        return mapped.IsOk ? (long)length : mapped.Error;
    }
}
