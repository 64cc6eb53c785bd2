namespace ApiLab.Spec;

/// <summary>
/// Marks a partial interface as the spec of one design in one debate. The generator emits an adapter
/// (<c>{Name}Adapter</c>, the interface name without its leading I) and a descriptor for it.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, AllowMultiple = false, Inherited = false)]
public sealed class ProposalAttribute(string debate, string design) : Attribute
{
    /// <summary>The debate id, e.g. <c>remote-madvise</c>.</summary>
    public string Debate { get; } = debate;

    /// <summary>The design id within the debate, e.g. <c>cookie</c>.</summary>
    public string Design { get; } = design;

    /// <summary>A short human title.</summary>
    public string? Title { get; set; }

    /// <summary>The seed thread file in <c>shared/seeds/</c> this design is argued in.</summary>
    public string? Seed { get; set; }

    /// <summary>Who proposed it.</summary>
    public string? Author { get; set; }

    /// <summary>When it was proposed (ISO date).</summary>
    public string? Date { get; set; }

    public Outcome Outcome { get; set; } = Outcome.NeverMerged;

    /// <summary>The Linux version it was merged in, when <see cref="Outcome"/> is Merged.</summary>
    public string? MergedIn { get; set; }
}
