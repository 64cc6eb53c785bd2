namespace ApiLab.Lab.Comparison;

/// <summary>The side-by-side model of one debate that the CLI and the docs both render.</summary>
public sealed record DebateComparison(
    DebateInfo Debate,
    string ScenarioId,
    string ScenarioTitle,
    int Size,
    IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<DesignResult> Designs);
