using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>
/// Builds one analyzer test (after Meziantou's ProjectBuilder): sources with <c>{|ID:...|}</c> or <c>{|#0:...|}</c>
/// markup, the spec types from <see cref="TestSpecs"/>, optional <c>.editorconfig</c> entries, and the expected
/// diagnostics that markup cannot say (message arguments).
/// </summary>
internal sealed class ProjectBuilder
{
    private readonly List<string> _sources = [];
    private readonly List<string> _editorConfig = [];
    private readonly List<string> _globalConfig = [];
    private readonly List<DiagnosticResult> _expected = [];
    private readonly List<MetadataReference> _references = [];
    private DiagnosticAnalyzer? _analyzer;
    private OutputKind _outputKind = OutputKind.DynamicallyLinkedLibrary;

    public ProjectBuilder WithAnalyzer<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        _analyzer = new TAnalyzer();
        return this;
    }

    /// <summary>Adds the small madvise specs and stand-in adapters every rule test calls.</summary>
    public ProjectBuilder WithSpecs() => WithSourceCode(TestSpecs.Madvise);

    /// <summary>Adds <see cref="TestSpecs.Madvise"/> and the usage-rule specs of <see cref="TestSpecs.Rules"/>.</summary>
    public ProjectBuilder WithRuleSpecs() => WithSourceCode(TestSpecs.Madvise).WithSourceCode(TestSpecs.Rules);

    /// <summary>References <see cref="TestSpecs.Madvise"/> and <see cref="TestSpecs.Rules"/> compiled into an assembly, as
    /// a user's project references the proposals: the rules then read the annotations from metadata.</summary>
    public ProjectBuilder WithCompiledRuleSpecs()
    {
        _references.Add(CompiledSpecs.Value);
        return this;
    }

    private static readonly Lazy<MetadataReference> CompiledSpecs = new(static () =>
    {
        var compilation = CSharpCompilation.Create(
            "CompiledSpecs",
            [CSharpSyntaxTree.ParseText(TestSpecs.Madvise, new CSharpParseOptions(LanguageVersion.Latest)),
             CSharpSyntaxTree.ParseText(TestSpecs.Rules, new CSharpParseOptions(LanguageVersion.Latest))],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        return result.Success
            ? MetadataReference.CreateFromImage(image.ToArray())
            : throw new InvalidOperationException("the test specs do not compile: " + result.Diagnostics.First(static d => d.Severity == DiagnosticSeverity.Error));
    });

    public ProjectBuilder WithSourceCode(string source)
    {
        _sources.Add(source);
        return this;
    }

    /// <summary>Compiles the sources as a program (top-level statements need one).</summary>
    public ProjectBuilder AsProgram()
    {
        _outputKind = OutputKind.ConsoleApplication;
        return this;
    }

    public ProjectBuilder WithEditorConfig(string key, string value)
    {
        _editorConfig.Add($"{key} = {value}");
        return this;
    }

    /// <summary>An entry of a global analyzer config (<c>is_global = true</c>), which applies to the whole compilation.</summary>
    public ProjectBuilder WithGlobalConfig(string key, string value)
    {
        _globalConfig.Add($"{key} = {value}");
        return this;
    }

    public ProjectBuilder ShouldReportDiagnostic(DiagnosticResult expected)
    {
        _expected.Add(expected);
        return this;
    }

    public Task ValidateAsync()
    {
        var test = new Test(_analyzer ?? throw new InvalidOperationException("call WithAnalyzer first"))
        {
            ReferenceAssemblies = TestReferences.None,

            // A rule may have several descriptors (one message per reason) under one id: {|ID:...|} checks the id only.
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.TestState.AdditionalReferences.AddRange(_references);
        test.TestState.OutputKind = _outputKind;
        for (var i = 0; i < _sources.Count; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", _sources[i]));
        }

        if (_editorConfig.Count > 0)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", _editorConfig) + "\n"));
        }

        if (_globalConfig.Count > 0)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + string.Join("\n", _globalConfig) + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(_expected);
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    private sealed class Test(DiagnosticAnalyzer analyzer) : CSharpAnalyzerTest<EmptyDiagnosticAnalyzer, DefaultVerifier>
    {
        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => [analyzer];

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
    }
}
