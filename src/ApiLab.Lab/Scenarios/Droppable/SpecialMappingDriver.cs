using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>Lutomirski's special mapping, reached through a vgetrandom_alloc-style call.</summary>
public sealed class SpecialMappingDriver(Process owner) : StateDriver(owner)
{
    private readonly SpecialMappingStatesAdapter _api = new(owner);

    public override string Design => "special-mapping";

    public override bool TakesArgPointers => true;

    public override SysResult<ulong> Allocate(int states, ulong numPointer, ulong sizePointer) =>
        CallVgetrandomAlloc(states, numPointer, sizePointer, (num, size) => _api.Alloc(num, size, 0, 0));

    public override StoreResult Store(ulong address, ulong value) => _api.Store(address, value);
}
