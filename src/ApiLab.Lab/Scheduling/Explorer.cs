namespace ApiLab.Lab;

/// <summary>
/// Runs a scenario under many schedules, each on a fresh, deterministic world, and keeps the ones that caused harm.
/// The counterexample it reports is the harmful schedule with the fewest preemptions (then the smallest string).
/// </summary>
public static class Explorer
{
    public static Exploration Explore(Func<IRaceRun> build, IReadOnlyList<int> stepsPerActor) =>
        Explore(build, stepsPerActor, ExplorationMode.Exhaustive);

    public static Exploration Explore(Func<IRaceRun> build, IReadOnlyList<int> stepsPerActor, ExplorationMode mode)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        ArgumentNullException.ThrowIfNull(mode);
        var probe = build();
        var total = 0;
        var hazards = new List<RunResult>();
        foreach (var schedule in ScheduleSpace.Generate(probe.Actors, mode))
        {
            total++;
            var result = Runner.Run(build, schedule, trace: false);
            if (result.IsHazard)
            {
                hazards.Add(result);
            }
        }

        hazards.Sort((a, b) =>
        {
            var byPreemptions = ScheduleSpace.Preemptions(a.Schedule, stepsPerActor)
                .CompareTo(ScheduleSpace.Preemptions(b.Schedule, stepsPerActor));
            return byPreemptions != 0 ? byPreemptions : string.CompareOrdinal(a.Schedule.ToString(), b.Schedule.ToString());
        });
        return new Exploration(total, hazards, mode);
    }

    /// <summary>All interleavings, in lexicographic order of the schedule strings.</summary>
    public static IEnumerable<Schedule> Enumerate(IReadOnlyList<int> stepsPerActor)
    {
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        var actors = stepsPerActor.Select(static (n, i) => new Actor($"a{i}", [.. Enumerable.Repeat(new Step("", static () => { }), n)])).ToList();
        return ScheduleSpace.Generate(actors, ExplorationMode.Exhaustive);
    }
}

/// <summary>What an exploration found: how many schedules ran, and the harmful ones, minimal first.</summary>
public sealed record Exploration(int Schedules, IReadOnlyList<RunResult> Hazards, ExplorationMode Mode)
{
    public int HazardCount => Hazards.Count;
}
