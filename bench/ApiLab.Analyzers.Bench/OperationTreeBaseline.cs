using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// An analyzer that does nothing but ask for what ours ask for: an operation block action and an invocation action.
/// The driver then binds every body again and builds its operation tree, whatever the actions do. Any operation-based
/// analyzer in the build pays that once for all of them (the SDK's default-on rules, e.g. CA1416, are such analyzers),
/// so (bind + this) is the floor against which our analyzers' own cost is measured.
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
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
#pragma warning restore RS1001, RS1036, RS2008
