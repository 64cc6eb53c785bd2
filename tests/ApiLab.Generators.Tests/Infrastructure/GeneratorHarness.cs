using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ApiLab.Generators.Tests.Infrastructure;

/// <summary>Builds in-memory compilations against .NET 10, ApiLab.Spec and ApiLab.Engine, and runs the generator on them.</summary>
internal static class GeneratorHarness
{
    /// <summary>Docs are parsed as in the real build (GenerateDocumentationFile), so summaries reach the descriptor.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ApiLab.Spec.Errno).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ApiLab.Engine.Process).Assembly.Location),
    ];

    /// <summary>The test project's source directory (golden files and test data live there, not in bin/).</summary>
    public static string ProjectDirectory { get; } = FindProjectDirectory();

    public static string ReadTestData(string fileName) => File.ReadAllText(Path.Combine(ProjectDirectory, "TestData", fileName));

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "GeneratorTestAssembly",
        sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Source{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new AdapterGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once; returns its result and the compilation with its output added.</summary>
    public static (GeneratorRunResult Result, Compilation Output) Run(Compilation compilation)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var result = Assert.Single(driver.GetRunResult().Results);
        Assert.Null(result.Exception);
        return (result, output);
    }

    /// <summary>The generated file whose hint name ends with <paramref name="suffix"/>, e.g. "ICookieLike.Adapter.g.cs".</summary>
    public static string Generated(GeneratorRunResult result, string suffix) =>
        Assert.Single(result.GeneratedSources, s => s.HintName.EndsWith(suffix, StringComparison.Ordinal)).SourceText.ToString();

    private static string FindProjectDirectory([CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
