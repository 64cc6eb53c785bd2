using System.Text.RegularExpressions;
using ApiLab.Package.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Package.Tests.Robustness;

/// <summary>A source the corpus starts from: where it came from, and its text.</summary>
internal sealed record CorpusFile(string Origin, string Text);

/// <summary>
/// The corpus's starting points, read from the repository at test time so new specs, drivers and rule tests are
/// covered with no change here:
/// <list type="bullet">
/// <item>The project: every spec and semantics file under proposals/ApiLab.Proposals and every client driver under
/// src/ApiLab.Lab/Scenarios (mutated), compiled with the rest of src/ApiLab.Lab (kept as is), as the lab is built.</item>
/// <item>Snippets: every raw string literal in the analyzer and generator tests (markup stripped; bare statements put
/// in a method, as the tests' templates do), plus the generator tests' TestData files, each compiled beside the
/// analyzer tests' shared specs.</item>
/// </list>
/// </summary>
internal static partial class CorpusFiles
{
    public static IReadOnlyList<CorpusFile> ProjectMutable { get; } =
        [.. Repository.SourceFiles("proposals/ApiLab.Proposals").Concat(Repository.SourceFiles("src/ApiLab.Lab/Scenarios")).Select(Read)];

    public static IReadOnlyList<CorpusFile> ProjectContext { get; } =
        [.. Repository.SourceFiles("src/ApiLab.Lab")
            .Where(static f => !Repository.Relative(f).StartsWith("src/ApiLab.Lab/Scenarios/", StringComparison.Ordinal))
            .Select(Read)];

    /// <summary>The specs the analyzer tests share (Helpers/TestSpecs.cs), compiled beside every snippet.</summary>
    public static IReadOnlyList<CorpusFile> SnippetContext { get; } = RawStrings(Repository.PathOf("tests/ApiLab.Analyzers.Tests/Helpers"));

    public static IReadOnlyList<CorpusFile> Snippets { get; } =
    [
        .. RawStrings(Repository.PathOf("tests/ApiLab.Analyzers.Tests/Rules")),
        .. RawStrings(Repository.PathOf("tests/ApiLab.Generators.Tests")),
        .. Repository.SourceFiles("tests/ApiLab.Generators.Tests/TestData").Select(Read),
    ];

    private static CorpusFile Read(string path) => new(Repository.Relative(path), File.ReadAllText(path));

    private static List<CorpusFile> RawStrings(string directory)
    {
        var found = new List<CorpusFile>();
        if (!Directory.Exists(directory))
        {
            return found;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(static f => f, StringComparer.Ordinal))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path), CorpusCompiler.ParseOptions).GetRoot();
            var literals = root.DescendantTokens()
                .Where(static t => t.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || t.IsKind(SyntaxKind.SingleLineRawStringLiteralToken))
                .ToList();
            for (var i = 0; i < literals.Count; i++)
            {
                var code = StripMarkup(literals[i].ValueText);
                if (code.Contains(';', StringComparison.Ordinal) || code.Contains('{', StringComparison.Ordinal))
                {
                    found.Add(new($"{Repository.Relative(path)} raw string #{i} (line {literals[i].GetLocation().GetLineSpan().StartLinePosition.Line + 1})", InMethodIfStatements(code)));
                }
            }
        }

        return found;
    }

    /// <summary>The analyzer testing library's markup: <c>{|ID:code|}</c>, <c>{|#0:code|}</c>, <c>[|code|]</c>.</summary>
    private static string StripMarkup(string code) =>
        MarkupEnd().Replace(MarkupStart().Replace(code, ""), "");

    /// <summary>Statements alone (the tests' <c>Body("...")</c> fragments) go into a method like the tests' own.</summary>
    private static string InMethodIfStatements(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, CorpusCompiler.ParseOptions).GetRoot();
        if (root.Members.Count == 0 || !root.Members.All(static m => m is GlobalStatementSyntax) || root.Usings.Count > 0)
        {
            return code;
        }

        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using ApiLab.Spec;

            namespace Demo;

            public static class Caller
            {
                public static void Run(IMainlineMadvise m, ICookieMadvise c, Pid pid, Pidfd fd)
                {
            {{code}}
                }
            }
            """;
    }

    [GeneratedRegex(@"\{\|[^:|]*:|\[\|")]
    private static partial Regex MarkupStart();

    [GeneratedRegex(@"\|\}|\|\]")]
    private static partial Regex MarkupEnd();
}
