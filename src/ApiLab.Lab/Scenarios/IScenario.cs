namespace ApiLab.Lab.Scenarios;

/// <summary>A workload written once for a debate and run for every design of it.</summary>
public interface IScenario
{
    string Id { get; }

    string Debate { get; }

    string Title { get; }

    /// <summary>The designs that can express this workload.</summary>
    IReadOnlyList<string> Designs { get; }

    /// <summary>Workload size (e.g. VMAs in the target); <see cref="DefaultSize"/> when not given.</summary>
    int DefaultSize { get; }

    int MaxSize { get; }

    IReadOnlyList<int> StepsPerActor { get; }

    /// <summary>Builds a fresh world for one run.</summary>
    IRaceRun Build(string design, int size);

    /// <summary>The schedule with no interference (each actor runs to completion in turn): the cost baseline.</summary>
    Schedule Uncontended { get; }
}
