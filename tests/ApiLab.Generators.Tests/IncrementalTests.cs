using System.Collections;
using System.Reflection;
using ApiLab.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ApiLab.Generators.Tests;

/// <summary>The pipeline caches: equal input gives equal models, and models hold nothing that roots a compilation.</summary>
public sealed class IncrementalTests
{
    private static readonly string[] OurSteps = [TrackingNames.SpecModels, TrackingNames.ValidSpecs];

    private static readonly string Spec = GeneratorHarness.ReadTestData("CookieLike.cs");
    private const string Unrelated = "namespace Other; public static class Unrelated { public const int Value = 1; }";

    [Fact]
    public void Running_twice_on_the_same_compilation_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(Spec, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);

        var second = driver.RunGenerators(compilation.Clone(), TestContext.Current.CancellationToken).GetRunResult().Results[0];

        AssertAllReasons(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    [Fact]
    public void Editing_an_unrelated_file_is_all_cached()
    {
        var compilation = GeneratorHarness.Compile(Spec, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var edited = ReplaceTree(compilation, 1, Unrelated.Replace("Value = 1", "Value = 2", StringComparison.Ordinal));

        var second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results[0];

        AssertAllReasons(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void An_equivalent_edit_to_the_spec_reparses_to_an_equal_model()
    {
        var compilation = GeneratorHarness.Compile(Spec, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var edited = ReplaceTree(compilation, 0, Spec + "\n// a comment changes the tree, not the model\n");

        var second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results[0];

        // Unchanged (not Cached) proves the transform re-ran and its new model compared equal to the old one.
        Assert.Equal(IncrementalStepRunReason.Unchanged, Assert.Single(Outputs(second, TrackingNames.SpecModels)).Reason);
        AssertAllReasons(second, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
    }

    [Fact]
    public void A_real_spec_change_is_modified()
    {
        var compilation = GeneratorHarness.Compile(Spec, Unrelated);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        var edited = ReplaceTree(compilation, 0, Spec.Replace("\"process_madvise\"", "\"process_madvise2\"", StringComparison.Ordinal));

        var second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results[0];

        Assert.All(OurSteps, step => Assert.Equal(IncrementalStepRunReason.Modified, Assert.Single(Outputs(second, step)).Reason));
        Assert.Contains("process_madvise2", GeneratorHarness.Generated(second, "ICookieLike.Adapter.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Models_hold_no_symbols_syntax_compilations_or_locations()
    {
        var compilation = GeneratorHarness.Compile(Spec, GeneratorHarness.ReadTestData("PidLike.cs"));
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken).GetRunResult().Results[0];

        var outputs = OurSteps.SelectMany(step => Outputs(result, step)).ToList();

        Assert.Equal(4, outputs.Count); // Two specs through two steps: the walk below has something to walk.
        Assert.All(outputs, output => AssertNoRoslynObjects(output.Value));
    }

    [Fact]
    public void The_model_walk_finds_a_symbol_when_there_is_one()
    {
        var compilation = GeneratorHarness.Compile(Spec);
        var symbol = compilation.GetTypeByMetadataName("ApiLab.Generators.Tests.TestData.ICookieLike")!;

        // Nested inside a list inside a tuple: the walk must look through fields and collections.
        Assert.ThrowsAny<Exception>(() => AssertNoRoslynObjects(("model", new List<object> { 1, symbol })));
        Assert.ThrowsAny<Exception>(() => AssertNoRoslynObjects(new[] { compilation.SyntaxTrees.First().GetRoot(TestContext.Current.CancellationToken) }));
    }

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(s => s.Outputs);

    private static void AssertAllReasons(GeneratorRunResult result, params IncrementalStepRunReason[] allowed)
    {
        foreach (var step in OurSteps)
        {
            var outputs = Outputs(result, step).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.Contains(o.Reason, allowed));
        }
    }

    private static CSharpCompilation ReplaceTree(CSharpCompilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees[index];
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, GeneratorHarness.ParseOptions, old.FilePath));
    }

    /// <summary>
    /// Walks an object graph through fields and collections. Uses <c>is</c>, not exact-type equality: no runtime type
    /// equals an interface or abstract base, so a type-equality check could never fail (STYLE.md 2.3).
    /// </summary>
    private static void AssertNoRoslynObjects(object? root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object? Node, string Path)>();
        pending.Push((root, "model"));
        while (pending.Count > 0)
        {
            var (node, path) = pending.Pop();
            if (node is null || node is string || node.GetType().IsPrimitive || node.GetType().IsEnum || !seen.Add(node))
            {
                continue;
            }

            Assert.False(
                node is ISymbol or SyntaxNode or SyntaxTree or Compilation or SemanticModel or Location or AttributeData,
                $"{path} holds a {node.GetType().Name}, which roots a compilation and defeats caching");
            if (node is IEnumerable items)
            {
                var i = 0;
                foreach (var item in items)
                {
                    pending.Push((item, $"{path}[{i++}]"));
                }
            }

            for (var type = node.GetType(); type is not null; type = type.BaseType)
            {
                foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    pending.Push((field.GetValue(node), $"{path}.{field.Name}"));
                }
            }
        }
    }
}
