using ApiLab.Lab.Comparison;
using ApiLab.Proposals.Droppable;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>The vgetrandom state buffer as a scenario: size = per-thread states (v14's 144-byte states, 28 a page).</summary>
public sealed class StateBufferScenario : IScenario
{
    public string Id => "droppable.state-buffer";

    public string Debate => "droppable";

    public string Title => "Secret RNG states vs fork, core dump, memory pressure and mlock";

    public IReadOnlyList<string> Designs => ["libc", "map-droppable", "special-mapping", "v14-retry", "v14-skip"];

    public IReadOnlyList<ComparisonRow> CostRows { get; } =
    [
        new("syscalls", "Syscalls (owner, allocation included)", ComparisonBuilder.Cost),
        new("page_faults", "Page faults (owner)", ComparisonBuilder.Cost),
        new("memory_charged", "State pages resident after filling", ComparisonBuilder.Cost),
        new("pages_dropped", "Pages dropped under pressure", ComparisonBuilder.Cost),
        new("pages_swapped", "Pages written to swap", ComparisonBuilder.Cost),
        new("states_zeroed", "State pages the owner found zeroed", ComparisonBuilder.Cost),
        new("oom_kills", "OOM kills", ComparisonBuilder.Cost),
    ];

    public string HarmLabel => "Interleavings that leaked a key (child, dump, swap), lost a write or killed the owner";

    public int DefaultSize => (int)(2 * VgetrandomAlloc.StatesPerPage);

    public int MaxSize => (int)(4096 * VgetrandomAlloc.StatesPerPage);

    public IReadOnlyList<int> StepsPerActor => StateBufferWorld.StepsPerActor;

    public Schedule Uncontended => new([0, 0, 0, 0, 1, 1, 2, 2]);

    public IRaceRun Build(string design, int size) => new StateBufferWorld(design, size);
}
