using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>
/// Issue 7's remote-zap scenario: seed 001's manager loop (write-protect, read out, store, zap, fault back with
/// UFFDIO_COPY) against an app that writes and forks, and the same job by hint-only reclaim and by cooperation.
/// Size = pages managed (each its own range).
/// </summary>
public sealed class ManagerLoopScenario : IScenario
{
    public string Id => "remote-zap.manager-loop";

    public string Debate => "remote-zap";

    public string Title => "A userspace memory manager reclaims an app that keeps writing (and forks)";

    public IReadOnlyList<string> Designs => ["cooperative", "hint-only", "process-madvise-dontneed", "uffd-zap"];

    public string WhyNot(string design) => design == "process-mrelease"
        ? "process_mrelease reaps only a process with a pending SIGKILL (EINVAL on a live one); this app keeps running"
        : "this design cannot express the workload";

    public IReadOnlyList<ComparisonRow> CostRows => RemoteZapCosts.Rows;

    public string HarmLabel => "Interleavings that lost a write or left 'freed' pages resident";

    public int DefaultSize => 2;

    public int MaxSize => 4096;

    public IReadOnlyList<int> StepsPerActor => [4, 3];

    /// <summary>The manager's loop, then the app's program (whose faults the manager keeps serving).</summary>
    public Schedule Uncontended => new([0, 0, 0, 0, 1, 1, 1]);

    public IRaceRun Build(string design, int size) => new ManagerLoopWorld(design, size, protect: true);
}
