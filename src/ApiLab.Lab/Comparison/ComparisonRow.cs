namespace ApiLab.Lab.Comparison;

/// <summary>One property compared across designs. <see cref="Group"/> says whether it is declared, measured or a harm.</summary>
public sealed record ComparisonRow(string Key, string Label, string Group);
