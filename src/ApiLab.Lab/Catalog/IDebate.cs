namespace ApiLab.Lab;

/// <summary>
/// A debate as the lab presents it. Each debate folder under <c>Scenarios/</c> declares one (a class with a public
/// parameterless constructor); <see cref="LabCatalog"/> finds them by reflection, so adding a debate touches no
/// shared list.
/// </summary>
public interface IDebate
{
    DebateInfo Info { get; }
}

/// <summary>A debate: its id, the question it argues, the seed thread, and what became of it.</summary>
public sealed record DebateInfo(string Id, string Title, string Seed, string Summary);
