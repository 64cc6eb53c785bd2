namespace ApiLab.Lab;

/// <summary>How the explorer chooses schedules.</summary>
public enum ExplorationKind
{
    /// <summary>Every interleaving.</summary>
    Exhaustive,
    /// <summary>One interleaving per equivalence class of independent-step reorderings (partial-order reduction).</summary>
    Reduced,
    /// <summary>Every interleaving with at most <see cref="ExplorationMode.Bound"/> preemptions.</summary>
    BoundedPreemption,
    /// <summary><see cref="ExplorationMode.Samples"/> uniformly random interleavings from a seed.</summary>
    Random,
    /// <summary>Probabilistic concurrency testing: random priorities with <see cref="ExplorationMode.Bound"/> change points.</summary>
    Pct,
}

/// <summary>An exploration strategy and its parameters.</summary>
public sealed record ExplorationMode(ExplorationKind Kind, int Bound = 0, int Samples = 0, int Seed = 0)
{
    public static ExplorationMode Exhaustive { get; } = new(ExplorationKind.Exhaustive);

    public static ExplorationMode Reduced { get; } = new(ExplorationKind.Reduced);

    public static ExplorationMode Preemptions(int bound) => new(ExplorationKind.BoundedPreemption, Bound: bound);

    public static ExplorationMode RandomSamples(int samples, int seed) => new(ExplorationKind.Random, Samples: samples, Seed: seed);

    public static ExplorationMode PctSamples(int samples, int depth, int seed) => new(ExplorationKind.Pct, Bound: depth, Samples: samples, Seed: seed);

    public override string ToString() => Kind switch
    {
        ExplorationKind.BoundedPreemption => $"bounded preemption (<= {Bound})",
        ExplorationKind.Random => $"random ({Samples} samples, seed {Seed})",
        ExplorationKind.Pct => $"PCT ({Samples} samples, depth {Bound}, seed {Seed})",
        ExplorationKind.Reduced => "exhaustive with partial-order reduction",
        _ => "exhaustive",
    };
}
