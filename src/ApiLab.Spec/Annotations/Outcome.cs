namespace ApiLab.Spec;

/// <summary>What became of a design in mainline Linux.</summary>
public enum Outcome
{
    /// <summary>Merged as proposed (see <see cref="ProposalAttribute.MergedIn"/>).</summary>
    Merged,
    /// <summary>The idea was merged, but in another form than this design.</summary>
    MergedDifferently,
    /// <summary>Never merged.</summary>
    NeverMerged,
    /// <summary>A position argued in the thread rather than a patch (e.g. "do it in libc").</summary>
    Position,
}
