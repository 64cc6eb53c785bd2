namespace ApiLab.Analyzers;

/// <summary>Metadata names of the ApiLab.Spec annotations the rules read. Rules key on these, never on method names.</summary>
internal static class WellKnownTypeNames
{
    public const string SnapshotAttribute = "ApiLab.Spec.SnapshotAttribute";
    public const string RevalidatesAttribute = "ApiLab.Spec.RevalidatesAttribute";
    public const string TargetRangeAttribute = "ApiLab.Spec.TargetRangeAttribute";
    public const string InvalidatesLayoutAttribute = "ApiLab.Spec.InvalidatesLayoutAttribute";
    public const string ProposalAttribute = "ApiLab.Spec.ProposalAttribute";
    public const string SyscallAttribute = "ApiLab.Spec.SyscallAttribute";

    /// <summary>The property of <c>[Snapshot]</c> naming the handle type that revalidates it.</summary>
    public const string SnapshotRevalidatedBy = "RevalidatedBy";
}
