using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>Mainline since 6.11: libc mmaps the states with the flags the vDSO's opaque params give.</summary>
public sealed class MapDroppableDriver(Process owner) : StateDriver(owner)
{
    private readonly MapDroppableAdapter _api = new(owner);

    public override string Design => "map-droppable";

    public override SysResult<ulong> Allocate(int states, ulong numPointer, ulong sizePointer) =>
        _api.Map(0, BytesFor(states), Prot.ReadWrite, MapDroppableAdapter.StateFlags, -1, 0);

    public override StoreResult Store(ulong address, ulong value) => _api.Store(address, value);
}
