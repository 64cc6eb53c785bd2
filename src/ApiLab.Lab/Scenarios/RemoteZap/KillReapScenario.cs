using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// A low-memory killer frees a victim's memory right after SIGKILL (Suren's use case for process_mrelease), done by
/// each design that can act on a dying process. Size = pages of the victim's heap. Its id sorts after
/// "remote-zap.manager-loop" so that the debate's comparison is measured on issue 7's manager loop.
/// </summary>
public sealed class KillReapScenario : IScenario
{
    public string Id => "remote-zap.reap-after-kill";

    public string Debate => "remote-zap";

    public string Title => "A low-memory killer frees a victim's memory right after SIGKILL";

    public IReadOnlyList<string> Designs => ["hint-only", "process-madvise-dontneed", "process-mrelease", "uffd-zap"];

    public string WhyNot(string design) => design == "cooperative"
        ? "a killed process runs no more of its own code, so its library cannot zap for it"
        : "this design cannot express the workload";

    public IReadOnlyList<ComparisonRow> CostRows { get; } =
    [
        new("syscalls", "Syscalls (killer)", ComparisonBuilder.Cost),
        new("tlb_flushes", "TLB flushes", ComparisonBuilder.Cost),
        new("pages_freed", "Pages the reclaim call freed before the victim's exit", ComparisonBuilder.Cost),
        new("pages_swapped_out", "Pages written to swap (for a process about to die)", ComparisonBuilder.Cost),
    ];

    public string HarmLabel => "Interleavings where pages the killer believed freed stayed resident";

    public int DefaultSize => 4;

    public int MaxSize => 4096;

    public IReadOnlyList<int> StepsPerActor => [2, 2];

    public Schedule Uncontended => new([0, 0, 1, 1]);

    public IRaceRun Build(string design, int size) => new KillReapWorld(design, size);
}
