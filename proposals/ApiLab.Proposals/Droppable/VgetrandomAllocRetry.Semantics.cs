using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>The hand-written part of v14 minus 3/7: the v14 syscall body, and faults that are retried.</summary>
public sealed partial class VgetrandomAllocRetryAdapter
{
    /// <summary>The fault returns without OOM and the instruction runs again.</summary>
    public const WriteFaultPolicy FaultPolicy = WriteFaultPolicy.RetryFault;

    /// <summary>A store by the caller into its own memory, as this design's kernel handles its faults.</summary>
    public StoreResult Store(ulong address, ulong value) => UserStore.Write(Caller, address, value, FaultPolicy);

    private partial SysResult<ulong> AllocCore(Process target, ulong num, ulong sizePerEach, ulong addr, uint flags) =>
        VgetrandomAlloc.Allocate(target, num, sizePerEach, VgetrandomAllocSkipAdapter.MapDroppableStates);
}
