using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>The move variant: the same call; the source's PTEs go with it.</summary>
public sealed class MoveDriver(Process restorer) : TransferDriver(restorer)
{
    private readonly IMoveVmMmap _api = new MoveVmMmapAdapter(restorer);

    public override bool MovesPages => true;

    public override SysResult<long> Transfer(Pid pid, Process? source, ulong src, ulong length, ulong dst)
    {
        var moved = _api.Move(pid, src, length, dst, 0x02);
        return moved.IsOk ? (long)length : moved.Error;
    }
}
