using ApiLab.Generators.Validation;

namespace ApiLab.Analyzers;

/// <summary>
/// The one registry of diagnostic ids. A constant exists only for a rule that ships (each must appear in
/// AnalyzerReleases.Unshipped.md, which a test checks, and release tracking rejects entries no descriptor reports), so
/// unimplemented ids are reserved here in prose:
/// <list type="bullet">
/// <item>APILAB0001-APILAB0010: malformed specs. Their values come from the shared validator's <see cref="SpecRules"/>
/// so the generator (which skips such a spec) and the analyzer (which reports it) cannot disagree.</item>
/// <item>APILAB1001-APILAB1007: unsafe calls, each driven by the callee's spec annotations.</item>
/// </list>
/// </summary>
public static class DiagnosticIds
{
    public const string ProposalShape = SpecRules.ProposalShape;
    public const string MemberNotASyscall = SpecRules.MemberNotASyscall;
    public const string ReturnTypeNotSysResult = SpecRules.ReturnTypeNotSysResult;
    public const string TargetMissing = SpecRules.TargetMissing;
    public const string HintAndTargetVisible = SpecRules.HintAndTargetVisible;
    public const string RevalidatorNotAHandle = SpecRules.RevalidatorNotAHandle;
    public const string UnsupportedSignature = SpecRules.UnsupportedSignature;
    public const string VectoredWithoutIoVec = SpecRules.VectoredWithoutIoVec;
    public const string MustBeZeroNotInteger = SpecRules.MustBeZeroNotInteger;
    public const string ProposalIdentity = SpecRules.ProposalIdentity;

    /// <summary>A range taken from a <c>[Snapshot]</c> result reaches a <c>[TargetRange]</c> parameter with nothing
    /// revalidating it (TOCTOU).</summary>
    public const string UnrevalidatedSnapshotRange = "APILAB1001";

    /// <summary>A raw <c>Pid</c> given to a remote call where the spec family offers a pidfd form (pid reuse).</summary>
    public const string PidWherePidfdExists = "APILAB1002";

    /// <summary>The result of a <c>[PartialResult]</c> call is ignored or only tested for failure.</summary>
    public const string PartialResultNotChecked = "APILAB1003";

    /// <summary>A <c>[TargetVisible]</c> call on a foreign range not frozen (<c>[Freezes]</c>) first on every path.</summary>
    public const string TargetVisibleWithoutFreeze = "APILAB1004";

    /// <summary>A handle from a spec call used after it was released, or never released (leak).</summary>
    public const string HandleMisuse = "APILAB1005";

    /// <summary>A call <c>[Requires]</c> a capability or ptrace mode that the calling context's <c>[RunsWith]</c>
    /// does not declare.</summary>
    public const string UndeclaredPrivilege = "APILAB1006";

    /// <summary>A <c>[Secret]</c> value written into memory a core dump or a child can see.</summary>
    public const string SecretInExposedMemory = "APILAB1007";
}
