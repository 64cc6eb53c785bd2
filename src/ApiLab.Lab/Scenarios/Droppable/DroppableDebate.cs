namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>Seed 002: memory for vDSO getrandom() state that no child, core dump or swap device may ever see.</summary>
public sealed class DroppableDebate : IDebate
{
    public DebateInfo Info { get; } = new("droppable", "Droppable memory: where should secret per-thread RNG state live?",
        "002_310b7bb94a93504d.txt",
        "Donenfeld's v14 asked for a vgetrandom_alloc syscall and VM_DROPPABLE memory (no dump, wiped on fork, never "
        + "swapped, dropped under pressure) with faulting writes skipped; Lutomirski wanted a special mapping with its "
        + "own fault handler, Molnar no instruction skipping, Torvalds all of it in libc. Mainline took MAP_DROPPABLE (6.11).");

    public IReadOnlyList<DebateArgument> Arguments { get; } =
    [
        new("Jason Donenfeld", "RNG state must never reach a child, a core dump or swap, and must not crash on a fault when memory is short.",
            "<20230101162910.710293-3-Jason@zx2c4.com>", "harm"),
        new("Andy Lutomirski", "The kernel has no magic instruction emulator: a fault either OOMs or waits (against skipping).",
            "seed 002", "states_zeroed"),
        new("Linus Torvalds", "This should all be in libc.", "<Y7SDgtXayQCy6xT6@zx2c4.com>", "pages_swapped"),
        new("Jason Donenfeld", "Unlike MADV_FREE, droppable pages can be dropped even if they have been dirtied.",
            "<20240709130513.98102-2-Jason@zx2c4.com>", "pages_dropped"),
    ];
}
