using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>v14: vgetrandom_alloc, and writes that find no memory are skipped.</summary>
public sealed class V14SkipDriver(Process owner) : StateDriver(owner)
{
    private readonly VgetrandomAllocSkipAdapter _api = new(owner);

    public override string Design => "v14-skip";

    public override bool TakesArgPointers => true;

    public override SysResult<ulong> Allocate(int states, ulong numPointer, ulong sizePointer) =>
        CallVgetrandomAlloc(states, numPointer, sizePointer, (num, size) => _api.Alloc(num, size, 0, 0));

    public override StoreResult Store(ulong address, ulong value) => _api.Store(address, value);
}
