using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>The hand-written part of the move variant: v2's checks, then the PTEs move instead of being shared.</summary>
public sealed partial class MoveVmMmapAdapter
{
    partial void PrecheckMove(Pid pid, ulong srcAddr, ulong length, ulong dstAddr, ulong flags, ref Errno error) =>
        error = PvmMmapCore.Precheck(pid, srcAddr, length, dstAddr, flags);

    private partial SysResult<ulong> MoveCore(Process target, ulong srcAddr, ulong length, ulong dstAddr, ulong flags) =>
        PvmMmapCore.Map(Caller, target, srcAddr, length, dstAddr, flags, move: true);
}
