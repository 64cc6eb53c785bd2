namespace ApiLab.Lab.Bench;

/// <summary>One measured figure against its target. <see cref="Met"/> is null when there is nothing to compare with.</summary>
public sealed record BenchFigure(string Name, string Value, string Target, bool? Met);
