using System.Collections.Immutable;
using System.Reflection;
using ApiLab.Analyzers;
using ApiLab.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Package.Tests.Robustness;

/// <summary>
/// Runs every shipped generator, then every shipped analyzer over the generator's output, as a build does, and
/// reports what a build would show as a crash: a generator exception (CS8785, or CS8784 at initialization) or an
/// analyzer exception (AD0001). References, parse options and the extension instances are shared by all runs.
/// </summary>
internal static class CorpusCompiler
{
    /// <summary>As the real build parses (GenerateDocumentationFile): summaries reach the generator.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ApiLab.Spec.Errno).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ApiLab.Engine.Process).Assembly.Location),
    ];

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: false);

    /// <summary>The assemblies the package puts in analyzers/dotnet/cs that this test can load.</summary>
    private static readonly Assembly[] Shipped = [typeof(DiagnosticIds).Assembly, typeof(AdapterGenerator).Assembly];

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        [.. Shipped.SelectMany(static a => a.GetTypes())
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(static t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static ImmutableArray<ISourceGenerator> Generators { get; } =
        [.. Shipped.SelectMany(static a => a.GetTypes())
            .Where(static t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(static t => Activator.CreateInstance(t) switch
            {
                IIncrementalGenerator incremental => incremental.AsSourceGenerator(),
                ISourceGenerator generator => generator,
                var other => throw new InvalidOperationException($"{other} is not a generator"),
            })];

    /// <summary>The SDK's implicit global usings (ImplicitUsings=enable in Directory.Build.props).</summary>
    public static SyntaxTree ImplicitUsings { get; } = Parse("""
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """, "/corpus/ImplicitUsings.g.cs");

    public static SyntaxTree Parse(string text, string path) => CSharpSyntaxTree.ParseText(text, ParseOptions, path);

    /// <summary>
    /// A compilation of <paramref name="context"/> to add each run's trees to: compilations derived from one another
    /// share the bound references, which is most of the cost of a small compilation.
    /// </summary>
    public static CSharpCompilation CreateBase(IEnumerable<SyntaxTree> context) =>
        CSharpCompilation.Create("Corpus", [ImplicitUsings, .. context], References, Options);

    /// <summary>
    /// The crashes, one line each (empty when none), and the compilation with the generated sources. The generator
    /// runs over the whole compilation; the analyzers over all of it, or (<paramref name="analyzeOnly"/>) over those
    /// trees alone (their syntax, semantic and symbol actions: the unchanged context need not be analysed again).
    /// </summary>
    public static async Task<CorpusRun> RunAsync(
        CSharpCompilation compilation, bool reportMaybePaths, CancellationToken ct, IReadOnlyList<SyntaxTree>? analyzeOnly = null, GeneratorDriver? warmDriver = null,
        ImmutableArray<DiagnosticAnalyzer>? analyzers = null, ImmutableArray<ISourceGenerator>? generators = null)
    {
        var crashes = new List<string>();
        var options = new CorpusAnalyzerOptions(reportMaybePaths);
        var driver = (warmDriver ?? CreateDriver(reportMaybePaths, generators))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, ct);
        var run = driver.GetRunResult();
        crashes.AddRange(run.Results.Where(static r => r.Exception is not null).Select(static r => $"generator {r.Generator.GetGeneratorType().Name} threw {r.Exception}"));
        crashes.AddRange(generatorDiagnostics.Where(static d => d.Id is "CS8784" or "CS8785").Select(static d => d.ToString()));

        var withAnalyzers = output.WithAnalyzers(
            analyzers ?? Analyzers,
            new CompilationWithAnalyzersOptions(new AnalyzerOptions([], options), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var diagnostics = new List<Diagnostic>();
        if (analyzeOnly is null)
        {
            diagnostics.AddRange(await withAnalyzers.GetAnalyzerDiagnosticsAsync(ct));
        }
        else
        {
            foreach (var tree in analyzeOnly)
            {
                diagnostics.AddRange(await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(tree, ct));
                diagnostics.AddRange(await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(output.GetSemanticModel(tree), filterSpan: null, ct));
            }
        }

        crashes.AddRange(diagnostics.Where(static d => d.Id == "AD0001").Select(static d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        return new(crashes, output, run, diagnostics.Count(static d => d.Id != "AD0001"));
    }

    /// <summary>What one run showed: crashes (one line each), the compilation with the generated sources, the
    /// generator's results, and how many findings the analyzers reported.</summary>
    public sealed record CorpusRun(IReadOnlyList<string> Crashes, Compilation Output, GeneratorDriverRunResult Generated, int Findings);

    /// <summary>A driver with no state yet, or (run once over a base compilation) one that has already seen the
    /// base's trees, so a run that adds trees to that base re-parses only the new ones, as an IDE's would.</summary>
    public static GeneratorDriver CreateDriver(bool reportMaybePaths, ImmutableArray<ISourceGenerator>? generators = null) =>
        CSharpGeneratorDriver.Create(generators ?? Generators, parseOptions: ParseOptions, optionsProvider: new CorpusAnalyzerOptions(reportMaybePaths));

    /// <summary>.editorconfig options for every tree: half the runs switch on APILAB1001's "maybe" paths, so that
    /// code runs too.</summary>
    private sealed class CorpusAnalyzerOptions(bool reportMaybePaths) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options = new(reportMaybePaths
            ? ImmutableDictionary<string, string>.Empty.Add("apilab_1001.report_maybe_paths", "true")
            : ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
                values.TryGetValue(key, out value);
        }
    }
}
