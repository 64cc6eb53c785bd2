using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers;

/// <summary>How the call-site rules (APILAB1001-1007) treat generated code: it is never analysed (STYLE.md 4: they are
/// about user-written call sites), and what they report is not re-checked for being in generated code.</summary>
internal static class GeneratedCode
{
    /// <summary>
    /// <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/> without <see cref="GeneratedCodeAnalysisFlags.Analyze"/>:
    /// the driver runs no callback on a generated file or a <c>[GeneratedCode]</c> symbol (exactly as with
    /// <see cref="GeneratedCodeAnalysisFlags.None"/>), and every rule reports only inside the body it was called for,
    /// so nothing it reports can be in generated code. With <c>None</c> the driver would check each report anyway, and
    /// the first report in a file makes it scan every token of that file for <c>[GeneratedCode]</c> symbols: in a
    /// 50,000-line client with findings in every file that scan cost more than all the rules' own work. The one
    /// difference: a finding inside a <c>#line hidden</c> span of a user's body is now reported. APILAB0xxx
    /// (<c>SpecShapeAnalyzer</c>) keeps <c>None</c>: a symbol action may report on a partial type's generated part.
    /// </summary>
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.ReportDiagnostics;
}
