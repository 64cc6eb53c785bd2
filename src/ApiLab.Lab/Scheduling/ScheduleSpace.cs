namespace ApiLab.Lab;

/// <summary>
/// Generates schedules for one mode. Footprints come from one probe run's actors (steps have the same footprints in
/// every run: they are declared by the scenario, not observed).
/// </summary>
public static class ScheduleSpace
{
    public static IEnumerable<Schedule> Generate(IReadOnlyList<Actor> actors, ExplorationMode mode)
    {
        ArgumentNullException.ThrowIfNull(actors);
        ArgumentNullException.ThrowIfNull(mode);
        var steps = actors.Select(static a => a.Steps.Count).ToArray();
        return mode.Kind switch
        {
            ExplorationKind.Exhaustive => Depth(actors, steps, reduce: false, preemptionBound: int.MaxValue),
            ExplorationKind.Reduced => Depth(actors, steps, reduce: true, preemptionBound: int.MaxValue),
            ExplorationKind.BoundedPreemption => Depth(actors, steps, reduce: false, preemptionBound: mode.Bound),
            ExplorationKind.Random => RandomWalks(steps, mode.Samples, mode.Seed),
            ExplorationKind.Pct => Pct(steps, mode.Samples, mode.Bound, mode.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(mode)),
        };
    }

    /// <summary>Preemptions: switches away from an actor that still had steps to run.</summary>
    public static int Preemptions(Schedule schedule, IReadOnlyList<int> stepsPerActor)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(stepsPerActor);
        var done = new int[stepsPerActor.Count];
        var preemptions = 0;
        for (var i = 0; i < schedule.Order.Count; i++)
        {
            var actor = schedule.Order[i];
            done[actor]++;
            if (i + 1 < schedule.Order.Count && schedule.Order[i + 1] != actor && done[actor] < stepsPerActor[actor])
            {
                preemptions++;
            }
        }

        return preemptions;
    }

    /// <summary>
    /// Depth-first enumeration. With <paramref name="reduce"/>, a step is only appended if it cannot be moved left,
    /// past steps it is independent of, to before a step of a higher-numbered actor: that keeps exactly the
    /// lexicographically least schedule of each equivalence class (Anisimov-Knuth normal form).
    /// </summary>
    private static IEnumerable<Schedule> Depth(IReadOnlyList<Actor> actors, int[] steps, bool reduce, int preemptionBound)
    {
        var length = steps.Sum();
        var order = new int[length];
        var next = new int[steps.Length];
        return Recurse(0, 0);

        IEnumerable<Schedule> Recurse(int position, int preemptions)
        {
            if (position == length)
            {
                yield return new Schedule(order.ToArray());
                yield break;
            }

            for (var a = 0; a < steps.Length; a++)
            {
                if (next[a] == steps[a])
                {
                    continue;
                }

                var cost = preemptions;
                if (position > 0 && order[position - 1] != a && next[order[position - 1]] < steps[order[position - 1]])
                {
                    cost++;
                }

                if (cost > preemptionBound || (reduce && CanMoveBeforeHigherActor(actors, order, position, a, next[a])))
                {
                    continue;
                }

                order[position] = a;
                next[a]++;
                foreach (var schedule in Recurse(position + 1, cost))
                {
                    yield return schedule;
                }

                next[a]--;
            }
        }
    }

    private static bool CanMoveBeforeHigherActor(IReadOnlyList<Actor> actors, int[] order, int position, int actor, int stepIndex)
    {
        var footprint = actors[actor].Steps[stepIndex].Footprint;
        var seen = new int[actors.Count];
        for (var k = 0; k < position; k++)
        {
            seen[order[k]]++;
        }

        for (var k = position - 1; k >= 0; k--)
        {
            var other = order[k];
            seen[other]--;
            if (other == actor || !Footprint.Independent(footprint, actors[other].Steps[seen[other]].Footprint))
            {
                return false;
            }

            if (other > actor)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<Schedule> RandomWalks(int[] steps, int samples, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < samples; i++)
        {
            var left = steps.ToArray();
            var order = new List<int>(steps.Sum());
            var remaining = steps.Sum();
            while (remaining > 0)
            {
                // Weighted by remaining steps: every interleaving is equally likely.
                var pick = random.Next(remaining);
                var actor = 0;
                while (pick >= left[actor])
                {
                    pick -= left[actor++];
                }

                left[actor]--;
                remaining--;
                order.Add(actor);
            }

            yield return new Schedule(order);
        }
    }

    /// <summary>PCT (Burckhardt et al., ASPLOS 2010): highest priority runs; at d-1 random steps the runner's priority drops.</summary>
    private static IEnumerable<Schedule> Pct(int[] steps, int samples, int depth, int seed)
    {
        var random = new Random(seed);
        var total = steps.Sum();
        for (var i = 0; i < samples; i++)
        {
            var priority = Enumerable.Range(depth, steps.Length).OrderBy(_ => random.Next()).ToArray();
            var changes = Enumerable.Range(0, Math.Max(0, depth - 1)).Select(_ => random.Next(total)).ToHashSet();
            var left = steps.ToArray();
            var order = new List<int>(total);
            for (var position = 0; position < total; position++)
            {
                var actor = -1;
                for (var a = 0; a < left.Length; a++)
                {
                    if (left[a] > 0 && (actor < 0 || priority[a] > priority[actor]))
                    {
                        actor = a;
                    }
                }

                order.Add(actor);
                left[actor]--;
                if (changes.Contains(position))
                {
                    priority[actor] = changes.Count(c => c < position);
                }
            }

            yield return new Schedule(order);
        }
    }
}
