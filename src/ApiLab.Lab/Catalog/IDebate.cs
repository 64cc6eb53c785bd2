namespace ApiLab.Lab;

/// <summary>
/// A debate as the lab presents it. Each debate folder under <c>Scenarios/</c> declares one (a class with a public
/// parameterless constructor); <see cref="LabCatalog"/> finds them by reflection, so adding a debate touches no
/// shared list.
/// </summary>
public interface IDebate
{
    DebateInfo Info { get; }

    /// <summary>The thread's arguments, each mapped to the comparison row that measures it.</summary>
    IReadOnlyList<DebateArgument> Arguments => [];
}

/// <summary>One argument from the thread: who made it, what they claimed, where (seed message), and the key of the
/// comparison row whose measured values are the evidence for or against it — in <see cref="Scenario"/>, or the
/// debate's primary scenario when that is null.</summary>
public sealed record DebateArgument(string Who, string Claim, string Source, string Evidence, string? Scenario = null);

/// <summary>A debate: its id, the question it argues, the seed thread, and what became of it.</summary>
public sealed record DebateInfo(string Id, string Title, string Seed, string Summary);
