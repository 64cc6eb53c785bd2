using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.VmaDuplication;

/// <summary>The hand-written part of process_vm_mmap v2: its early EINVALs and the fork-like copy.</summary>
public sealed partial class ProcessVmMmapAdapter
{
    partial void PrecheckMap(Pid pid, ulong srcAddr, ulong length, ulong dstAddr, ulong flags, ref Errno error) =>
        error = PvmMmapCore.Precheck(pid, srcAddr, length, dstAddr, flags);

    private partial SysResult<ulong> MapCore(Process target, ulong srcAddr, ulong length, ulong dstAddr, ulong flags) =>
        PvmMmapCore.Map(Caller, target, srcAddr, length, dstAddr, flags, move: false);
}
