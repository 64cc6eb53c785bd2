using System.Globalization;
using ApiLab.Lab.Scenarios;
using ApiLab.Spec;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Lab.Comparison;

/// <summary>Builds a debate's comparison: declared properties from the descriptors, cost and harm from the scenario.</summary>
public static class ComparisonBuilder
{
    public const string Declared = "Declared by the spec";
    public const string Cost = "Cost of one uncontended pass";
    public const string Harm = "Harm over every interleaving";

    /// <summary>Rows every debate shows, read from the specs.</summary>
    public static IReadOnlyList<ComparisonRow> DeclaredRows { get; } =
    [
        new("outcome", "Outcome in mainline", Declared),
        new("proposed", "Proposed by", Declared),
        new("target", "Target named by", Declared),
        new("privilege", "Privilege on a foreign mm", Declared),
        new("toctou", "TOCTOU defence", Declared),
        new("partial", "Partial results", Declared),
    ];

    /// <summary>The rows of one scenario's comparison: declared, the scenario's own cost counters, then harm.</summary>
    public static IReadOnlyList<ComparisonRow> RowsFor(IScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        return
        [
            .. DeclaredRows,
            .. scenario.CostRows,
            new("schedules", "Interleavings explored", Harm),
            new("classes", "Distinct orders after partial-order reduction", Harm),
            new("harm", scenario.HarmLabel, Harm),
            new("example", "Simplest replayable counterexample (fewest context switches)", Harm),
        ];
    }

    public static DebateComparison Build(DebateInfo debate, IScenario scenario, int size)
    {
        ArgumentNullException.ThrowIfNull(debate);
        ArgumentNullException.ThrowIfNull(scenario);
        var designs = new List<DesignResult>();
        foreach (var descriptor in LabCatalog.DesignsOf(debate.Id))
        {
            designs.Add(BuildColumn(descriptor, scenario, size));
        }

        return new DebateComparison(debate, scenario.Id, scenario.Title, size, RowsFor(scenario), designs);
    }

    private static DesignResult BuildColumn(ProposalDescriptor descriptor, IScenario scenario, int size)
    {
        var cells = new Dictionary<string, string>(Declare(descriptor));
        if (!scenario.Designs.Contains(descriptor.Design))
        {
            var why = "n/a: " + scenario.WhyNot(descriptor.Design);
            foreach (var row in RowsFor(scenario).Where(r => r.Group != Declared))
            {
                cells[row.Key] = why;
            }

            return new DesignResult(descriptor.Design, descriptor.Title, cells, 0, 0, null);
        }

        var baseline = Runner.Run(() => scenario.Build(descriptor.Design, size), scenario.Uncontended, trace: false);
        foreach (var row in scenario.CostRows)
        {
            cells[row.Key] = baseline.Measurement[row.Key].ToString(CultureInfo.InvariantCulture);
        }

        var exploration = Explorer.Explore(() => scenario.Build(descriptor.Design, size), scenario.StepsPerActor);
        cells["schedules"] = exploration.Schedules.ToString(CultureInfo.InvariantCulture);
        var reduced = Explorer.Explore(() => scenario.Build(descriptor.Design, size), scenario.StepsPerActor, ExplorationMode.Reduced);
        cells["classes"] = string.Create(CultureInfo.InvariantCulture, $"{reduced.Schedules} ({reduced.HazardCount} harmful)");
        var share = exploration.Schedules == 0 ? 0 : 100.0 * exploration.HazardCount / exploration.Schedules;
        cells["harm"] = string.Create(CultureInfo.InvariantCulture, $"{exploration.HazardCount} ({share:0.#}%)");
        RunResult? example = null;
        if (exploration.HazardCount > 0)
        {
            // The minimal counterexample: the harmful schedule with the fewest context switches (then the first found).
            var first = exploration.Hazards.MinBy(static h => h.Schedule.Switches)!;
            example = Runner.Run(() => scenario.Build(descriptor.Design, size), first.Schedule, trace: true);
            cells["example"] = example.Schedule.ToString();
        }
        else
        {
            cells["example"] = "none: no interleaving causes harm";
        }

        return new DesignResult(descriptor.Design, descriptor.Title, cells, exploration.Schedules, exploration.HazardCount, example);
    }

    /// <summary>The declared rows, read from the call that acts on the target's ranges.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Declare(ProposalDescriptor descriptor)
    {
        var acting = descriptor.Calls.FirstOrDefault(c => c.Vectored || c.Effect != Effect.Unspecified) ?? descriptor.Calls.FirstOrDefault();
        var snapshot = descriptor.Calls.FirstOrDefault(c => c.Snapshot);
        yield return new("outcome", descriptor.Outcome switch
        {
            Outcome.Merged => $"merged in {descriptor.MergedIn}",
            Outcome.MergedDifferently => "merged in another form",
            Outcome.Position => "a position, not a patch",
            _ => "never merged",
        });
        yield return new("proposed", $"{descriptor.Author}, {descriptor.Date}");
        yield return new("target", acting is null ? "n/a: no calls declared" : acting.Target.ToString().ToLowerInvariant());
        yield return new("privilege", PrivilegeText.Of(descriptor));
        var freeze = descriptor.Calls.FirstOrDefault(static c => c.Freezes);
        yield return new("toctou", acting is { TakesRevalidatingHandle: true }
            ? $"revalidated by {snapshot?.RevalidatedBy ?? "a handle"}"
            : descriptor.Calls.All(static c => c.Target == TargetKind.Self && !c.Vectored && !c.Snapshot)
                ? "n/a: acts only on the caller's own mm"
                : freeze is not null
                    ? $"frozen first: {freeze.Method} ({freeze.Syscall}) stops the target changing the range"
                    : "none: ranges may be stale");
        yield return new("partial", acting is { PartialResult: true } ? "yes: bytes done before the first failure" : "no");
    }
}
