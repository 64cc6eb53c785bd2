using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>The libc baseline: mmap, then MADV_WIPEONFORK and MADV_DONTDUMP; mlock is the race's lock step.</summary>
public sealed class LibcDriver(Process owner) : StateDriver(owner)
{
    private readonly LibcStatesAdapter _api = new(owner);

    public override string Design => "libc";

    public override SysResult<ulong> Allocate(int states, ulong numPointer, ulong sizePointer)
    {
        var bytes = BytesFor(states);
        var mapped = _api.Map(bytes);
        if (!mapped.IsOk)
        {
            return mapped;
        }

        var wipe = _api.Advise(mapped.Value, bytes, Advice.WipeOnFork);
        var dump = _api.Advise(mapped.Value, bytes, Advice.DontDump);
        return !wipe.IsOk ? wipe.Error : !dump.IsOk ? dump.Error : mapped;
    }

    public override StoreResult Store(ulong address, ulong value) => _api.Store(address, value);

    public override SysResult<int> Lock(ulong address, ulong length) => _api.Lock(address, length);
}
