using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// An analyzer with one empty operation block action, the shape most of ours have. Beside
/// <see cref="OperationTreeBaseline"/> it measures what the driver spends per analyzer (events, contexts, timing) before
/// any rule does anything: the floor of as many analyzers as ours, which only fewer analyzers could lower.
/// </summary>
#pragma warning disable RS1001, RS1036, RS2008 // A bench fixture, never shipped or loaded by a compiler.
internal sealed class EmptyBlockAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "BENCH0002", "Never reported", "Never reported", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterOperationBlockAction(static _ => { });
    }
}
#pragma warning restore RS1001, RS1036, RS2008
