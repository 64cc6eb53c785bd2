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
/// APILAB1007: a <c>[Secret]</c> value (a field, property, parameter or return value marked so) given to a
/// <c>[Payload]</c> parameter whose destination address comes from an <c>[Allocates]</c> call that does not promise
/// both <c>ExcludedFromDump</c> (VM_DONTDUMP) and <c>HiddenFromChild</c> (VM_WIPEONFORK, or unmapped on fork): a core
/// dump or a forked child can read the secret. Memory of unknown origin (a parameter, a field) is not reported: only
/// memory proven to come from such a call is. The debate is seed 002 (VM_DROPPABLE v14, Andy Lutomirski replying to Jason A. Donenfeld, 2023-01-03: RNG state "shouldn't be written to core dumps" and "should be zeroed on fork").
/// </summary>
[SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute", Justification = "Composed by CallSiteAnalyzer.")]
public sealed class SecretExposureAnalyzer : CallSiteRule
{
    /// <summary><c>.editorconfig</c> key: also report when the value is secret, or the memory exposed, on some paths only.</summary>
    public const string ReportMaybePathsOption = "apilab_1007.report_maybe_paths";

    private const string Title = "Secret written to memory that a core dump or a child can see";

    private const string Description =
        "Memory that is dumped on a crash or inherited by fork() leaks what is stored in it. Store [Secret] values only " +
        "in memory from an [Allocates] call that is ExcludedFromDump and HiddenFromChild (MADV_DONTDUMP plus " +
        "MADV_WIPEONFORK, or a droppable or secretmem mapping).";

    internal static readonly DiagnosticDescriptor ExposedRule = new(
        DiagnosticIds.SecretInExposedMemory,
        Title,
        "'{0}' writes a [Secret] value into memory from an [Allocates] call that is not both ExcludedFromDump and HiddenFromChild; a core dump or a forked child can read it",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.SecretInExposedMemory));

    internal static readonly DiagnosticDescriptor MaybeRule = new(
        DiagnosticIds.SecretInExposedMemory,
        Title,
        "'{0}' may write a [Secret] value into memory that a core dump or a forked child can read (on some paths)",
        DiagnosticCategories.Usage,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: Description,
        helpLinkUri: HelpLinks.GetHelpUri(DiagnosticIds.SecretInExposedMemory));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ExposedRule, MaybeRule);

    internal override Action<SpecBody>? Create(SpecAnnotations spec, Compilation compilation) =>
        spec.Secret is null ? null : blockContext => Analyze(blockContext, spec);

    private static void Analyze(SpecBody context, SpecAnnotations spec)
    {
        if (!HasPayloadCall(context, spec))
        {
            return;
        }

        FlowBodies.ForEachGraph(context, (graph, parameters, tree) =>
        {
            var findings = SecretFlow.Run(graph, parameters, spec, context.CancellationToken);
            var reportMaybe = !findings.IsEmpty && FlowBodies.ReadBoolOption(context, tree, ReportMaybePathsOption);
            foreach (var finding in findings)
            {
                if (!finding.IsMaybe || reportMaybe)
                {
                    var callee = finding.Callee.ContainingType is { } type ? type.Name + "." + finding.Callee.Name : finding.Callee.Name;
                    context.ReportDiagnostic(Diagnostic.Create(finding.IsMaybe ? MaybeRule : ExposedRule, finding.Payload.Syntax.GetLocation(), callee));
                }
            }
        });
    }

    private static bool HasPayloadCall(SpecBody context, SpecAnnotations spec)
    {
        foreach (var (_, call) in BodyCalls.TopLevelOf(context, spec))
        {
            if (!call.Payloads.IsEmpty)
            {
                return true;
            }
        }

        return false;
    }
}
