namespace ApiLab.Lab;

/// <summary>One schedule, executed: the trace, the harms, the cost.</summary>
public sealed record RunResult(Schedule Schedule, IReadOnlyList<TraceEntry> Trace, IReadOnlyList<string> Harms, Metrics.Measurement Measurement)
{
    public bool IsHazard => Harms.Count > 0;
}
