using ApiLab.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace ApiLab.Generators.Tests;

/// <summary>The generated code, with the spec and its hand-written semantics, compiles cleanly against Spec and Engine.</summary>
public sealed class CompileTests
{
    [Theory]
    [InlineData("CookieLike")]
    [InlineData("PidLike")]
    public void Spec_generated_code_and_semantics_compile_without_diagnostics(string sample)
    {
        var compilation = GeneratorHarness.Compile(
            GeneratorHarness.ReadTestData($"{sample}.cs"), GeneratorHarness.ReadTestData($"{sample}.Semantics.cs"));

        var (result, output) = GeneratorHarness.Run(compilation);

        Assert.Equal(2, result.GeneratedSources.Length);
        var problems = output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        using var assembly = new MemoryStream();
        Assert.True(output.Emit(assembly, cancellationToken: TestContext.Current.CancellationToken).Success);
    }

    [Fact]
    public void A_design_without_its_core_methods_does_not_compile()
    {
        var compilation = GeneratorHarness.Compile(GeneratorHarness.ReadTestData("PidLike.cs"));

        var (_, output) = GeneratorHarness.Run(compilation);

        // CS8795: the partial *Core methods have accessibility, so the design must implement them.
        var errors = output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id).Distinct();
        Assert.Equal(["CS8795"], errors);
    }
}
