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
    private readonly List<DiagnosticResult> _expected = [];
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
        test.TestState.OutputKind = _outputKind;
        for (var i = 0; i < _sources.Count; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", _sources[i]));
        }

        if (_editorConfig.Count > 0)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + string.Join("\n", _editorConfig) + "\n"));
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
