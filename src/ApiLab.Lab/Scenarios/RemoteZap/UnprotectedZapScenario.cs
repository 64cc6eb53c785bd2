using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// The same loop with step 1 left out: read out, zap, serve. Only the designs that zap remotely can leave it out;
/// this is where Hildenbrand's question (seed 001: "How would the target use case make sure that the target process
/// doesn't suddenly lose data?") gets its answer.
/// </summary>
public sealed class UnprotectedZapScenario : IScenario
{
    public string Id => "remote-zap.unprotected-zap";

    public string Debate => "remote-zap";

    public string Title => "The manager loop without UFFD-WP first";

    public IReadOnlyList<string> Designs => ["process-madvise-dontneed", "uffd-zap"];

    public string WhyNot(string design) => design switch
    {
        "hint-only" => "a hint never zaps: there is no copy to go stale",
        "cooperative" => "the target copies and zaps in its own program order: no write can fall between the two",
        "process-mrelease" => "process_mrelease reaps only a dying process, whose writes no longer matter",
        _ => "this design cannot express the workload",
    };

    public IReadOnlyList<ComparisonRow> CostRows => RemoteZapCosts.Rows;

    public string HarmLabel => "Interleavings that lost a write or left 'freed' pages resident";

    public int DefaultSize => 2;

    public int MaxSize => 4096;

    public IReadOnlyList<int> StepsPerActor => [3, 3];

    public Schedule Uncontended => new([0, 0, 0, 1, 1, 1]);

    public IRaceRun Build(string design, int size) => new ManagerLoopWorld(design, size, protect: false);
}
