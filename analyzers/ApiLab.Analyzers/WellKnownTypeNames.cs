namespace ApiLab.Analyzers;

/// <summary>Metadata names of the ApiLab.Spec annotations the rules read. Rules key on these, never on method names.</summary>
internal static class WellKnownTypeNames
{
    /// <summary>The assembly the annotations ship in (the package's lib folder).</summary>
    public const string SpecAssemblyName = "ApiLab.Spec";

    /// <summary>The annotations' namespace.</summary>
    public const string SpecNamespace = "ApiLab.Spec";

    public const string SnapshotAttribute = "ApiLab.Spec.SnapshotAttribute";
    public const string RevalidatesAttribute = "ApiLab.Spec.RevalidatesAttribute";
    public const string TargetRangeAttribute = "ApiLab.Spec.TargetRangeAttribute";
    public const string InvalidatesLayoutAttribute = "ApiLab.Spec.InvalidatesLayoutAttribute";
    public const string ProposalAttribute = "ApiLab.Spec.ProposalAttribute";
    public const string SyscallAttribute = "ApiLab.Spec.SyscallAttribute";
    public const string TargetAttribute = "ApiLab.Spec.TargetAttribute";
    public const string PartialResultAttribute = "ApiLab.Spec.PartialResultAttribute";
    public const string TargetVisibleAttribute = "ApiLab.Spec.TargetVisibleAttribute";
    public const string FreezesAttribute = "ApiLab.Spec.FreezesAttribute";
    public const string ReleasesAttribute = "ApiLab.Spec.ReleasesAttribute";
    public const string HandleAttribute = "ApiLab.Spec.HandleAttribute";
    public const string AllocatesAttribute = "ApiLab.Spec.AllocatesAttribute";
    public const string RequiresAttribute = "ApiLab.Spec.RequiresAttribute";
    public const string RunsWithAttribute = "ApiLab.Spec.RunsWithAttribute";
    public const string SecretAttribute = "ApiLab.Spec.SecretAttribute";
    public const string PayloadAttribute = "ApiLab.Spec.PayloadAttribute";
    public const string SysResult = "ApiLab.Spec.SysResult`1";
    public const string Pid = "ApiLab.Spec.Pid";
    public const string Pidfd = "ApiLab.Spec.Pidfd";
    public const string IoVec = "ApiLab.Spec.IoVec";

    /// <summary>The property of <c>[Snapshot]</c> naming the handle type that revalidates it.</summary>
    public const string SnapshotRevalidatedBy = "RevalidatedBy";

    /// <summary>Properties of <c>[Allocates]</c> that together make memory safe for secrets.</summary>
    public const string AllocatesExcludedFromDump = "ExcludedFromDump";
    public const string AllocatesHiddenFromChild = "HiddenFromChild";

    /// <summary>The property of <c>[Payload]</c> naming the destination parameter.</summary>
    public const string PayloadInto = "Into";

    /// <summary>The property of <c>[RunsWith]</c> declaring ptrace access.</summary>
    public const string RunsWithPtrace = "Ptrace";

    /// <summary><c>SysResult&lt;T&gt;</c> members: the value, and the failure tests.</summary>
    public const string SysResultValue = "Value";
    public const string SysResultValueOrDefault = "ValueOrDefault";
    public const string SysResultIsOk = "IsOk";
    public const string SysResultError = "Error";

    /// <summary>The numeric values of <c>ApiLab.Spec.TargetKind</c> the rules compare with.</summary>
    public const int TargetKindSelf = 0;
    public const int TargetKindPid = 1;
    public const int TargetKindPidfd = 2;
}
