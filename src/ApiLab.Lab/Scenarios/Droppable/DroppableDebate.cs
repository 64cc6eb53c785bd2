namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>Seed 002: memory for vDSO getrandom() state that no child, core dump or swap device may ever see.</summary>
public sealed class DroppableDebate : IDebate
{
    public DebateInfo Info { get; } = new("droppable", "Droppable memory: where should secret per-thread RNG state live?",
        "002_310b7bb94a93504d.txt",
        "Donenfeld's v14 asked for a vgetrandom_alloc syscall and VM_DROPPABLE memory (no dump, wiped on fork, never "
        + "swapped, dropped under pressure) with faulting writes skipped; Lutomirski wanted a special mapping with its "
        + "own fault handler, Molnar no instruction skipping, Torvalds all of it in libc. Mainline took MAP_DROPPABLE (6.11).");
}
