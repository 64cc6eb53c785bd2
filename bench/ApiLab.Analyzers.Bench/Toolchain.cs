using System.Collections.Immutable;
using System.Reflection;
using ApiLab.Analyzers;
using ApiLab.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Bench;

/// <summary>What both benchmarks compile with: references, options, and the shipped extensions (by reflection).</summary>
internal static class Toolchain
{
    /// <summary>As the real build parses (GenerateDocumentationFile=true).</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    /// <summary>Single-threaded, so compile time and analyzer execution time are the same kind of figure (work).</summary>
    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release, concurrentBuild: false);

    public static ImmutableArray<MetadataReference> References { get; } =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ApiLab.Spec.Errno).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ApiLab.Engine.Process).Assembly.Location),
        MetadataReference.CreateFromFile(SpecShapes.ProposalsAssembly.Location),
    ];

    public static string RepositoryRoot { get; } =
        typeof(Toolchain).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(static a => a.Key == "ApiLabRepositoryRoot").Value!;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        [.. typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(static t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static ImmutableArray<ISourceGenerator> Generators() =>
        [.. typeof(AdapterGenerator).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && t.GetCustomAttribute<GeneratorAttribute>() is not null)
            .Select(static t => Activator.CreateInstance(t) is IIncrementalGenerator g ? g.AsSourceGenerator() : (ISourceGenerator)Activator.CreateInstance(t)!)];

    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
