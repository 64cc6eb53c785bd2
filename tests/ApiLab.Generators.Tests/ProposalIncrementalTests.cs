using System.Reflection;
using ApiLab.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ApiLab.Generators.Tests;

/// <summary>
/// Over every real proposal (read from proposals/ at test time, so new specs are covered): an edit to a file that is
/// no spec re-runs no generator step. Every step named in <see cref="TrackingNames"/> is found by reflection, so a
/// step added later is checked without editing this test.
/// </summary>
public sealed class ProposalIncrementalTests
{
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.Linq;
        """;

    private const string Unrelated = "namespace Other; public static class Unrelated { public static int Value() => 1; }";

    [Fact]
    public void Editing_an_unrelated_file_reruns_no_step_for_any_proposal()
    {
        var ct = TestContext.Current.CancellationToken;
        var specs = ProposalSources();
        Assert.NotEmpty(specs);
        var compilation = GeneratorHarness.Compile([ImplicitUsings, Unrelated, .. specs]);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, ct);
        var first = driver.GetRunResult().Results.Single();
        Assert.Null(first.Exception);
        var proposals = specs.Count(static s => s.Contains("[Proposal(", StringComparison.Ordinal));
        Assert.Equal(2 * proposals, first.GeneratedSources.Length); // Every proposal made it through: each step has outputs to check.

        var unrelated = compilation.SyntaxTrees[1];
        var edited = compilation.ReplaceSyntaxTree(unrelated, CSharpSyntaxTree.ParseText(Unrelated.Replace("=> 1", "=> 2", StringComparison.Ordinal), GeneratorHarness.ParseOptions, unrelated.FilePath, cancellationToken: ct));
        var second = driver.RunGenerators(edited, ct).GetRunResult().Results.Single();

        Assert.Null(second.Exception);
        foreach (var name in StepNames())
        {
            Assert.True(second.TrackedSteps.TryGetValue(name, out var steps), $"step {name} did not run");
            var outputs = steps.SelectMany(static s => s.Outputs).ToList();
            Assert.Equal(proposals, outputs.Count);
            Assert.All(outputs, o => Assert.True(
                o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{name} output was {o.Reason} after an unrelated edit"));
        }

        // Nothing downstream either: the source outputs are replayed, not re-emitted.
        Assert.All(second.TrackedOutputSteps.SelectMany(static s => s.Value).SelectMany(static s => s.Outputs),
            static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static IEnumerable<string> StepNames() =>
        typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(static f => (string)f.GetRawConstantValue()!);

    /// <summary>The specs and their semantics, as the proposals project compiles them.</summary>
    private static string[] ProposalSources()
    {
        var root = Path.GetFullPath(Path.Combine(GeneratorHarness.ProjectDirectory, "..", "..", "proposals", "ApiLab.Proposals"));
        return [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Split(Path.DirectorySeparatorChar).Any(static part => part is "bin" or "obj"))
            .OrderBy(static f => f, StringComparer.Ordinal)
            .Select(File.ReadAllText)];
    }
}
