using ApiLab.Lab.Scenarios;

namespace ApiLab.Lab.Comparison;

/// <summary>One cost counter of one scenario, measured for every design at growing sizes (uncontended runs).</summary>
public sealed record ScalingSeries(string ScenarioId, ComparisonRow Counter, IReadOnlyList<int> Sizes, IReadOnlyList<ScalingLine> Lines)
{
    /// <summary>Sizes 1, 4, 16, … up to <paramref name="limit"/> (and the scenario's maximum): a log-scale x axis.</summary>
    public static IReadOnlyList<int> DefaultSizes(IScenario scenario, int limit = 1024)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var sizes = new List<int>();
        for (long s = 1; s <= Math.Min(limit, scenario.MaxSize); s *= 4)
        {
            sizes.Add((int)s);
        }

        return sizes;
    }

    /// <summary>Measures every design the scenario can run at each size, for each of its cost rows.</summary>
    public static IReadOnlyList<ScalingSeries> Measure(IScenario scenario, IReadOnlyList<int> sizes)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(sizes);
        var runs = scenario.Designs.ToDictionary(static d => d, d => sizes
            .Select(size => Runner.Run(() => scenario.Build(d, size), scenario.Uncontended, trace: false).Measurement).ToList());
        return
        [
            .. scenario.CostRows.Select(row => new ScalingSeries(scenario.Id, row, sizes,
                [.. scenario.Designs.Select(d => new ScalingLine(d, [.. runs[d].Select(m => m[row.Key])]))])),
        ];
    }
}

/// <summary>One design's values of a counter, one per size.</summary>
public sealed record ScalingLine(string Design, IReadOnlyList<long> Values);
