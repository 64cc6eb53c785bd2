using ApiLab.Generators.Validation;

namespace ApiLab.Analyzers;

/// <summary>
/// The one registry of diagnostic ids. A constant exists only for a rule that ships (each must appear in
/// AnalyzerReleases.Unshipped.md, which a test checks, and release tracking rejects entries no descriptor reports), so
/// unimplemented ids are reserved here in prose:
/// <list type="bullet">
/// <item>APILAB0001-APILAB0010: malformed specs. Their values come from the shared validator's <see cref="SpecRules"/>
/// so the generator (which skips such a spec) and the analyzer (which reports it) cannot disagree.</item>
/// <item>APILAB1001-APILAB1007: unsafe calls. Planned after 1001: raw pid where a pidfd exists, ignored partial result
/// of a vectored call, target-visible operation on a range not write-protected first, handle used after dispose,
/// handle leaked, capability the calling context does not declare.</item>
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
}
