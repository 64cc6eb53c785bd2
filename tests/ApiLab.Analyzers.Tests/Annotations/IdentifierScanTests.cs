using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis.Text;

namespace ApiLab.Analyzers.Tests.Annotations;

public sealed class IdentifierScanTests
{
    private static readonly NameSet Names = new(["Kill", "Open"]);

    private static (List<(int Position, string Name)> Hits, bool Escape) Scan(string text)
    {
        var hits = new List<(int, string)>();
        var result = IdentifierScan.Run(SourceText.From(text), Names, (position, name) => hits.Add((position, name)));
        return (hits, result.HasUnicodeEscape);
    }

    [Fact]
    public void Finds_whole_identifiers_only_at_their_start()
    {
        const string text = "s.Kill(p); Killer(); xKill(); Kill_2(); Open (x); s?.Open(); \u00e9Kill();";
        var (hits, escape) = Scan(text);
        Assert.Equal([(text.IndexOf("Kill(", StringComparison.Ordinal), "Kill"), (text.IndexOf("Open ", StringComparison.Ordinal), "Open"),
            (text.IndexOf("Open()", StringComparison.Ordinal), "Open")], hits);
        Assert.False(escape);
    }

    [Fact]
    public void Over_reports_names_in_comments_and_strings_and_sees_past_a_verbatim_at_sign()
    {
        const string text = "// Kill it\nvar s = \"Open\"; x.@Kill();";
        var (hits, _) = Scan(text);
        Assert.Equal(["Kill", "Open", "Kill"], hits.Select(static h => h.Name));
        Assert.Equal(text.IndexOf("@Kill", StringComparison.Ordinal) + 1, hits[^1].Position);
    }

    [Fact]
    public void An_identifier_across_a_chunk_boundary_is_found_once()
    {
        foreach (var offset in (int[])[8188, 8189, 8190, 8191, 8192])
        {
            var text = new string(' ', offset) + "Kill();" + new string(' ', 50);
            var (hits, _) = Scan(text);
            Assert.Equal([(offset, "Kill")], hits);
        }

        var (end, _) = Scan(new string(' ', 8190) + "Open");
        Assert.Equal([(8190, "Open")], end);
    }

    [Theory]
    [InlineData("s.\\u004Bill(p);", true)]
    [InlineData("var c = '\\U0001F600';", true)]
    [InlineData("var s = \"a\\nb\"; s.Kill(p);", false)]
    public void A_unicode_escape_is_flagged_for_the_caller_to_walk_the_tree(string text, bool escape) =>
        Assert.Equal(escape, Scan(text).Escape);
}
