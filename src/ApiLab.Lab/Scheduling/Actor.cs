namespace ApiLab.Lab;

/// <summary>A process's script in a race: its name and its steps, run in order.</summary>
public sealed record Actor(string Name, IReadOnlyList<Step> Steps);
