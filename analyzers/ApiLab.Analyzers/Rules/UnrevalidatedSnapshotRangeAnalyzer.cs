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
/// APILAB1001: an address range read from a <c>[Snapshot]</c> result reaches a <c>[TargetRange]</c> parameter of a
/// call that nothing revalidates, so the call may act on a layout that has changed since (TOCTOU). Driven by the
/// callee's annotations (read through generated adapters to the spec interface), never by method names.
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class UnrevalidatedSnapshotRangeAnalyzer : CallSiteRule
{
    /// <summary>
    /// <c>.editorconfig</c> key: when true, also report ranges that come from a snapshot on some control-flow paths
    /// only (or whose revalidating handle does), e.g. <c>var r = fresh ? Query() : cached;</c>.
    /// </summary>
    public const string ReportMaybePathsOption = "apilab_1001.report_maybe_paths";

    private const string Title = "Snapshot-derived range used without revalidation";

    private const string Description =
        "A [Snapshot] call describes the target's layout at one instant. Passing addresses derived from it to a " +
        "[TargetRange] parameter is a time-of-check/time-of-use race unless the call also takes a [Revalidates] " +
        "handle from the same snapshot, which makes the kernel refuse the call if the layout changed.";

    // One id, four messages: each says why this range is unguarded. Descriptors are spelled out in full because release
    // tracking (RS2000-RS2002) only recognises ids passed to a DiagnosticDescriptor constructor directly.
    internal static readonly DiagnosticDescriptor NotRevalidatedRule = new(
        DiagnosticIds.UnrevalidatedSnapshotRange,
        Title,
        "Range passed to '{0}' comes from snapshot '{1}' and nothing revalidates it; the target's layout may have changed (TOCTOU)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UnrevalidatedSnapshotRange));

    internal static readonly DiagnosticDescriptor ForeignRevalidatorRule = new(
        DiagnosticIds.UnrevalidatedSnapshotRange,
        Title,
        "Range passed to '{0}' comes from snapshot '{1}', but the handle passed as '{2}' does not come from that snapshot; the target's layout may have changed (TOCTOU)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UnrevalidatedSnapshotRange));

    internal static readonly DiagnosticDescriptor InvalidatedRule = new(
        DiagnosticIds.UnrevalidatedSnapshotRange,
        Title,
        "Range passed to '{0}' comes from snapshot '{1}', and '{2}' has changed the target's layout since on at least one path; nothing revalidates the range (TOCTOU)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UnrevalidatedSnapshotRange));

    internal static readonly DiagnosticDescriptor MaybeRule = new(
        DiagnosticIds.UnrevalidatedSnapshotRange,
        Title,
        "Range passed to '{0}' comes from snapshot '{1}' on some paths and is not revalidated there; the target's layout may have changed (TOCTOU)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.UnrevalidatedSnapshotRange));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(NotRevalidatedRule, ForeignRevalidatorRule, InvalidatedRule, MaybeRule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation) => blockContext =>
    {
        // Build a CFG only for bodies that both take a snapshot and call a [TargetRange] member: most have neither.
        if (TakesSnapshotAndPassesRange(blockContext, spec))
        {
            Analyze(blockContext, spec);
        }
    };

    private static bool TakesSnapshotAndPassesRange(SpecBody context, SpecAnnotations spec)
    {
        bool snapshot = false, targetRange = false;
        foreach (var (_, call) in BodyCalls.Of(context, spec))
        {
            snapshot |= call.IsSnapshot;
            targetRange |= !call.TargetRangeOrdinals.IsEmpty;
            if (snapshot && targetRange)
            {
                return true;
            }
        }

        return false;
    }

    private static void Analyze(SpecBody context, SpecAnnotations spec)
    {
        FlowBodies.ForEachGraph(context, (graph, parameters, tree) =>
        {
            var findings = SnapshotTaintAnalysis.Run(graph, parameters, spec, context.CancellationToken);
            var reportMaybe = !findings.IsEmpty && FlowBodies.ReadBoolOption(context, tree, ReportMaybePathsOption);
            foreach (var finding in findings)
            {
                if (!finding.IsMaybe || reportMaybe)
                {
                    context.ReportDiagnostic(CreateDiagnostic(finding));
                }
            }
        });
    }

    private static Diagnostic CreateDiagnostic(RangeFinding finding)
    {
        var location = finding.Argument.Syntax.GetLocation();
        var callee = DisplayName(finding.Callee);
        var snapshot = DisplayName(finding.Fact.Snapshot);
        if (finding.IsMaybe)
        {
            return Diagnostic.Create(MaybeRule, location, callee, snapshot);
        }

        return finding.Kind switch
        {
            RangeFindingKind.Invalidated => Diagnostic.Create(InvalidatedRule, location, callee, snapshot, DisplayName(finding.Fact.InvalidatedBy!)),
            RangeFindingKind.ForeignRevalidator => Diagnostic.Create(ForeignRevalidatorRule, location, callee, snapshot, finding.Revalidator?.Name),
            _ => Diagnostic.Create(NotRevalidatedRule, location, callee, snapshot),
        };
    }

    private static string DisplayName(IMethodSymbol method) => method.ContainingType is { } type ? type.Name + "." + method.Name : method.Name;
}
