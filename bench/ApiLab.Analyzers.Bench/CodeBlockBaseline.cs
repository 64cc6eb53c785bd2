using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// An analyzer that registers what ours register now, a code-block action, and does nothing in it: the driver's own
/// cost for any analyzer that looks at bodies (compilation events, declarations, one callback per body), without
/// operation trees. (bind + this) is the floor our rules' own work is measured over.
/// </summary>
#pragma warning disable RS1001, RS1036, RS2008 // A bench fixture, never shipped or loaded by a compiler.
internal sealed class CodeBlockBaseline : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "BENCH0002", "Never reported", "Never reported", "Bench", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Never];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCodeBlockAction(static _ => { });
    }
}
#pragma warning restore RS1001, RS1036, RS2008
