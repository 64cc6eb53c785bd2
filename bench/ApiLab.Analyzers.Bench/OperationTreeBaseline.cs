using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// An analyzer that does nothing but ask for what ours ask for: an operation block action. The driver then binds every
/// body again and builds its operation tree, whatever the action does. Any operation-based analyzer in the build pays
/// that once for all of them (the SDK's default-on rules, e.g. CA1416, are such analyzers), so (bind + this) is the
/// floor against which our analyzers' own cost is measured; (bind + as many of these as ours) also leaves out what the
/// driver spends per analyzer. It registered an invocation action too while some of ours did: the driver's call per
/// invocation is dearer than the rest of what it does, so keeping it once ours stopped would flatter ours.
/// </summary>
#pragma warning disable RS1001, RS1036, RS2008 // A bench fixture, never shipped or loaded by a compiler.
internal sealed class OperationTreeBaseline : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "BENCH0001", "Never reported", "Never reported", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockAction(static _ => { });
    }
}
#pragma warning restore RS1001, RS1036, RS2008
