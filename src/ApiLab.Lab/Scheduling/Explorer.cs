namespace ApiLab.Lab;

/// <summary>
/// Exhaustive exploration: every interleaving of the actors' steps (each actor's own order kept), each run on a
/// fresh, deterministic world. For two actors of m and n steps that is C(m+n, n) runs.
/// </summary>
public static class Explorer
{
    public static Exploration Explore(Func<IRaceRun> build, IReadOnlyList<int> stepsPerActor)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        var total = 0;
        var hazards = new List<RunResult>();
        foreach (var schedule in Enumerate(stepsPerActor))
        {
            total++;
            var result = Runner.Run(build, schedule, trace: false);
            if (result.IsHazard)
            {
                hazards.Add(result);
            }
        }

        return new Exploration(total, hazards);
    }

    /// <summary>All interleavings, in lexicographic order of the schedule strings.</summary>
    public static IEnumerable<Schedule> Enumerate(IReadOnlyList<int> stepsPerActor)
    {
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        var remaining = stepsPerActor.ToArray();
        var length = remaining.Sum();
        var order = new int[length];
        return Recurse(0);

        IEnumerable<Schedule> Recurse(int position)
        {
            if (position == length)
            {
                yield return new Schedule(order.ToArray());
                yield break;
            }

            for (var a = 0; a < remaining.Length; a++)
            {
                if (remaining[a] == 0)
                {
                    continue;
                }

                remaining[a]--;
                order[position] = a;
                foreach (var schedule in Recurse(position + 1))
                {
                    yield return schedule;
                }

                remaining[a]++;
            }
        }
    }
}

/// <summary>What an exploration found: how many schedules ran, and the ones that caused harm.</summary>
public sealed record Exploration(int Schedules, IReadOnlyList<RunResult> Hazards)
{
    public int HazardCount => Hazards.Count;
}
