namespace ApiLab.Lab.Scenarios;

/// <summary>A workload written once for a debate and run for every design of it.</summary>
public interface IScenario
{
    string Id { get; }

    string Debate { get; }

    string Title { get; }

    /// <summary>The designs that can express this workload.</summary>
    IReadOnlyList<string> Designs { get; }

    /// <summary>Why a design of the debate that is not in <see cref="Designs"/> cannot express the workload (shown in
    /// its comparison cells; a design is never left blank without a reason).</summary>
    string WhyNot(string design) => "this design cannot express the workload";

    /// <summary>The cost counters (keys of <see cref="Metrics.Measurement"/>) the comparison shows, with their labels.</summary>
    IReadOnlyList<Comparison.ComparisonRow> CostRows { get; }

    /// <summary>What a harmful interleaving means here, as a comparison row label (e.g. "Interleavings that lost a write").</summary>
    string HarmLabel { get; }

    /// <summary>Workload size (e.g. VMAs in the target); <see cref="DefaultSize"/> when not given.</summary>
    int DefaultSize { get; }

    int MaxSize { get; }

    IReadOnlyList<int> StepsPerActor { get; }

    /// <summary>Builds a fresh world for one run.</summary>
    IRaceRun Build(string design, int size);

    /// <summary>The schedule with no interference (each actor runs to completion in turn): the cost baseline.</summary>
    Schedule Uncontended { get; }
}
