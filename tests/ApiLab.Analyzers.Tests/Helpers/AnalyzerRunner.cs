using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>
/// Runs analyzers over code that need not compile, outside the testing library (which insists on exact compiler
/// diagnostics). An analyzer exception surfaces as an AD0001 diagnostic, as it would in a build.
/// </summary>
internal static class AnalyzerRunner
{
    public static async Task<ImmutableArray<Diagnostic>> GetAnalyzerDiagnosticsAsync(ImmutableArray<DiagnosticAnalyzer> analyzers, params string[] sources)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, $"/0/Test{i}.cs", cancellationToken: cancellationToken));
        var compilation = CSharpCompilation.Create(
            "Broken",
            trees,
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
    }
}
