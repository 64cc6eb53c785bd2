namespace ApiLab.Lab.Comparison;

/// <summary>One design's column: a value (with its reason where there is no number) for every row, and its worst race.</summary>
public sealed record DesignResult(
    string Design,
    string Title,
    IReadOnlyDictionary<string, string> Cells,
    int Schedules,
    int HazardousSchedules,
    RunResult? Example);
