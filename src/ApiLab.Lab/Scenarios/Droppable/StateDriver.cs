using ApiLab.Engine;
using ApiLab.Proposals.Droppable;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>
/// The debate's common shape: a library that allocates per-thread getrandom states, writes keys into them, and tries
/// to keep them out of swap. One driver per design is the code that library would contain.
/// </summary>
public abstract class StateDriver(Process owner)
{
    protected Process Owner { get; } = owner;

    public abstract string Design { get; }

    /// <summary>Whether the design's allocation takes vgetrandom_alloc's two in/out pointers.</summary>
    public virtual bool TakesArgPointers => false;

    /// <summary>Allocates memory for <paramref name="states"/> states (as many syscalls as the design needs) and
    /// returns the first state's address. <paramref name="numPointer"/> and <paramref name="sizePointer"/> are the
    /// caller's two words for vgetrandom_alloc (unused by the other designs).</summary>
    public abstract SysResult<ulong> Allocate(int states, ulong numPointer, ulong sizePointer);

    /// <summary>A store into the states, as the design's kernel handles a fault that finds no memory.</summary>
    public abstract StoreResult Store(ulong address, ulong value);

    /// <summary>The library's attempt to keep the states out of swap: mlock(2).</summary>
    public virtual SysResult<int> Lock(ulong address, ulong length) => Owner.Mlock(address, length);

    /// <summary>The bytes <paramref name="states"/> states take (v14's state size, no state straddling a page).</summary>
    public static ulong BytesFor(int states) => VgetrandomAlloc.BytesFor((uint)states);

    /// <summary>The two argument words, then vgetrandom_alloc itself (one syscall).</summary>
    protected SysResult<ulong> CallVgetrandomAlloc(int states, ulong numPointer, ulong sizePointer,
        Func<ulong, ulong, SysResult<ulong>> alloc)
    {
        Owner.Store(numPointer, (ulong)states);
        Owner.Store(sizePointer, 0);
        return alloc(numPointer, sizePointer);
    }
}
