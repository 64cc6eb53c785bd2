using ApiLab.Analyzers.Annotations;
using ApiLab.Analyzers.Tests.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Analyzers.Tests.Annotations;

/// <summary>The prefilter's view of a compilation: which bodies invoke a spec member's name, and whether few enough
/// do for it to pay. A body it misses would lose its diagnostics, so every way of naming a call is checked.</summary>
public sealed class SpecCallSitesTests
{
    private static readonly string Padding = string.Join("\n", Enumerable.Range(0, 60).Select(static i => $"public int Pad{i}(int x) => x + {i};"));

    private static (SpecCallSites Sites, Func<string, bool> Calls) Sites(string members)
    {
        var client = $$"""
            using System;
            using ApiLab.Spec;

            namespace Demo;

            public class Caller
            {
                {{members}}
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Sites",
            [.. new[] { TestSpecs.Madvise, TestSpecs.Rules, client }.Select(static s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest)))],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var sites = SpecCallSites.For(compilation, SpecMemberNames.For(compilation));
        var methods = compilation.SyntaxTrees[^1].GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToList();
        return (sites, name => sites.AnyWithin(methods.Single(m => m.Identifier.ValueText == name)));
    }

    [Fact]
    public void Every_way_of_invoking_a_spec_member_by_name_is_a_call_site()
    {
        var (_, calls) = Sites("""
            public object Plain(ISignals s, Pid pid) => s.Kill(pid, 9);
            public object Conditional(ISignals? s, Pid pid) => s?.Kill(pid, 9)!;
            public object Verbatim(ISignals s, Pid pid) => s.@Kill(pid, 9);
            public object Escaped(ISignals s, Pid pid) => s.\u004Bill(pid, 9);
            public void InLocal(ISignals s, Pid pid) { Local(); object Local() => s.Kill(pid, 9); }
            public void InLambda(ISignals s, Pid pid) { Func<object> f = () => s.Kill(pid, 9); }
            """);
        Assert.All((string[])["Plain", "Conditional", "Verbatim", "Escaped", "InLocal", "InLambda"], name => Assert.True(calls(name), name));
    }

    [Fact]
    public void A_name_that_is_not_invoked_is_not_a_call_site()
    {
        var (_, calls) = Sites("""
            // s.Kill(pid, 9) in a comment
            public string Commented() => "s.Kill(pid, 9)";
            public string NameOf(ISignals s) => nameof(s.Kill);
            public object Group(ISignals s) { Func<Pid, int, SysResult<int>> f = s.Kill; return f; }
            public int Kill => 1;
            public int ReadsProperty() => Kill;
            public int Other(string s) => s.Length;
            """);
        Assert.All((string[])["Commented", "NameOf", "Group", "ReadsProperty", "Other"], name => Assert.False(calls(name), name));
    }

    [Fact]
    public void The_prefilter_pays_only_when_few_bodies_call()
    {
        // The test specs' hand-written adapters have bodies too: a dense client needs many calling methods.
        var dense = string.Join("\n", Enumerable.Range(0, 60).Select(static i => $"public object Run{i}(ISignals s, Pid pid) => s.Kill(pid, {i});"));
        Assert.False(Sites(dense).Sites.PrefilterPays);
        Assert.True(Sites(dense + "\n" + Padding + "\n" + Padding.Replace("Pad", "More", StringComparison.Ordinal) + "\n" + Padding.Replace("Pad", "Yet", StringComparison.Ordinal)
            + "\n" + Padding.Replace("Pad", "Last", StringComparison.Ordinal)).Sites.PrefilterPays);
    }
}
