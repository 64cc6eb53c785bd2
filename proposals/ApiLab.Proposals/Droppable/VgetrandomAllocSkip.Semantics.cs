using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>The hand-written part of v14: the syscall body, and patch 3/7's skipping of faulting writes.</summary>
public sealed partial class VgetrandomAllocSkipAdapter
{
    /// <summary>x86 with patch 3/7: a write fault on VM_DROPPABLE memory that finds no page skips the instruction.</summary>
    public const WriteFaultPolicy FaultPolicy = WriteFaultPolicy.SkipWrite;

    /// <summary>A store by the caller into its own memory, as this design's kernel handles its faults.</summary>
    public StoreResult Store(ulong address, ulong value) => UserStore.Write(Caller, address, value, FaultPolicy);

    private partial SysResult<ulong> AllocCore(Process target, ulong num, ulong sizePerEach, ulong addr, uint flags) =>
        VgetrandomAlloc.Allocate(target, num, sizePerEach, MapDroppableStates);

    /// <summary>do_mmap(MAP_PRIVATE | MAP_ANONYMOUS) with VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP: the
    /// same VMA the merged MAP_DROPPABLE type makes, so the engine's MAP_DROPPABLE path builds it.</summary>
    internal static SysResult<ulong> MapDroppableStates(Mm mm, ulong bytes) =>
        mm.MmapAnonymous(0, bytes, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous);
}
