using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Immutable;
using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Flow;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Rules;

/// <summary>
/// APILAB1004: a <c>[TargetVisible]</c> call (a zap: the target's next read sees zeroes) on a foreign target's range
/// that no <c>[Freezes]</c> call (userfaultfd write-protect, a stopped target) covered on every path before it. The
/// target may write to the range between the manager reading it and zapping it, and that write is lost. Seed 001
/// (Nadav Amit, 2021-09-27): his userspace memory manager write-protects with UFFD-WP first, then reads the memory
/// with process_vm_readv, writes it to "swap", and only then zaps it with process_madvise(MADV_DONTNEED).
/// Ranges are matched by the variable path they are read from (<see cref="RangeKeys"/>), intraprocedurally.
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class TargetVisibleWithoutFreezeAnalyzer : CallSiteRule
{
    /// <summary><c>.editorconfig</c> key: also report ranges frozen on some paths only.</summary>
    public const string ReportMaybePathsOption = "apilab_1004.report_maybe_paths";

    private const string Title = "Target-visible call on a range not frozen first";

    private const string Description =
        "A target-visible call (a zap) on another process's memory discards what the target wrote since the caller " +
        "last looked. Freeze the range first ([Freezes]: write-protect it with userfaultfd, or stop the target) on " +
        "every path, so no write can land between reading the range and zapping it.";

    internal static readonly DiagnosticDescriptor NotFrozenRule = new(
        DiagnosticIds.TargetVisibleWithoutFreeze,
        Title,
        "'{0}' changes what the target sees in this range, but no [Freezes] call covers it before; the target's writes to it can be lost",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.TargetVisibleWithoutFreeze));

    internal static readonly DiagnosticDescriptor MaybeRule = new(
        DiagnosticIds.TargetVisibleWithoutFreeze,
        Title,
        "'{0}' changes what the target sees in this range, which a [Freezes] call covers on some paths only; the target's writes to it can be lost",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.TargetVisibleWithoutFreeze));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(NotFrozenRule, MaybeRule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation) =>
        blockContext => Analyze(blockContext, spec);

    private static void Analyze(SpecBody context, SpecAnnotations spec)
    {
        // Build a CFG only for bodies that make a foreign target-visible call: most make none.
        if (!HasTargetVisibleCall(context, spec))
        {
            return;
        }

        FlowBodies.ForEachGraph(context, (graph, _, tree) =>
        {
            var findings = FreezeAnalysis.Run(graph, spec, context.CancellationToken);
            var reportMaybe = !findings.IsEmpty && FlowBodies.ReadBoolOption(context, tree, ReportMaybePathsOption);
            foreach (var finding in findings)
            {
                if (finding.Coverage == Coverage.None || reportMaybe)
                {
                    var callee = finding.Callee.ContainingType is { } type ? type.Name + "." + finding.Callee.Name : finding.Callee.Name;
                    context.ReportDiagnostic(Diagnostic.Create(
                        finding.Coverage == Coverage.None ? NotFrozenRule : MaybeRule, finding.Argument.Syntax.GetLocation(), callee));
                }
            }
        });
    }

    private static bool HasTargetVisibleCall(SpecBody context, SpecAnnotations spec)
    {
        foreach (var (_, call) in BodyCalls.TopLevelOf(context, spec))
        {
            if (call.TargetVisible && FreezeAnalysis.IsForeign(call))
            {
                return true;
            }
        }

        return false;
    }
}
