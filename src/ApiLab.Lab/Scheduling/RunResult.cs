namespace ApiLab.Lab;

/// <summary>One schedule, executed: the trace, the harms, the cost, and the actors left stopped with steps not run.</summary>
public sealed record RunResult(Schedule Schedule, IReadOnlyList<TraceEntry> Trace, IReadOnlyList<string> Harms, Metrics.Measurement Measurement)
{
    public bool IsHazard => Harms.Count > 0;

    /// <summary>Actors whose process was still stopped when the run ended, with the steps they never ran.</summary>
    public IReadOnlyList<string> LeftStopped { get; init; } = [];
}
