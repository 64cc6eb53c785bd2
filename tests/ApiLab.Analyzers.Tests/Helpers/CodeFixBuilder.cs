using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ApiLab.Analyzers.Tests.Helpers;

/// <summary>
/// One code fix test: the source before (with diagnostic markup) and after, plus the spec sources of
/// <see cref="TestSpecs"/>, which the fix must leave untouched. References as in <see cref="ProjectBuilder"/>. When
/// <c>after</c> equals <c>before</c> the test asserts that no fix is offered.
/// </summary>
internal static class CodeFixBuilder
{
    public static Task VerifyAsync<TAnalyzer, TCodeFix>(string before, string after, string? editorConfig = null)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new Test<TAnalyzer, TCodeFix>
        {
            ReferenceAssemblies = TestReferences.None,
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.Sources.Add(("/0/Specs.cs", TestSpecs.Madvise));
            state.Sources.Add(("/0/RuleSpecs.cs", TestSpecs.Rules));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        test.TestState.Sources.Add(("/0/Test.cs", before));
        test.FixedState.Sources.Add(("/0/Test.cs", after));
        return test.RunAsync(TestContext.Current.CancellationToken);
    }

    private sealed class Test<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);
    }
}
