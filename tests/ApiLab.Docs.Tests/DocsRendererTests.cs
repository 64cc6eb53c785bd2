using ApiLab.Lab;
using ApiLab.Lab.Comparison;

namespace ApiLab.Docs.Tests;

public sealed class DocsRendererTests
{
    private static DebateComparison Comparison(DebateInfo? debate = null)
    {
        debate ??= LabCatalog.FindDebate("remote-madvise")!;
        return ComparisonBuilder.Build(debate, LabCatalog.PrimaryScenario(debate.Id)!, 2);
    }

    [Fact]
    public void The_debate_page_has_the_side_by_side_table_and_the_counterexample()
    {
        var page = new DocsRenderer().RenderDebate(Comparison());
        Assert.Contains("| Outcome in mainline | never merged | never merged | never merged | merged in 5.10 | merged in 6.11 |", page);
        Assert.Contains("--replay 00110", page);
        Assert.Contains("| 4 | manager | advise PAGEOUT | process\\_madvise |", page);
    }

    [Fact]
    public void Rendering_twice_gives_identical_bytes()
    {
        var first = new DocsRenderer().RenderSite([Comparison()]);
        var second = new DocsRenderer().RenderSite([Comparison()]);
        Assert.Equal(first, second);
        Assert.Contains("debates/remote-madvise.md", first.Keys);
        Assert.Contains("site/debates/remote-madvise.html", first.Keys);
        Assert.Contains("site/style.css", first.Keys);
        foreach (var design in LabCatalog.Proposals)
        {
            Assert.Contains($"designs/{design.Debate}/{design.Design}.md", first.Keys);
            Assert.Contains($"site/designs/{design.Debate}/{design.Design}.html", first.Keys);
        }
    }

    [Fact]
    public void The_fidelity_report_lists_every_case_and_escapes_what_traces_say()
    {
        var report = new ApiLab.Fidelity.Report.FidelityReport("Linux 6.18",
        [
            new("ok-case", "LTP madvise01", "A <b>bold</b> claim | with a pipe.", ApiLab.Fidelity.Report.FidelityOutcome.Match, 4, ""),
            new("bad-case", "man2 mremap.2", "Moves.", ApiLab.Fidelity.Report.FidelityOutcome.Divergence, 3,
                "log line 2: host `= same`, engine `= moved`"),
        ]);
        var page = new DocsRenderer().RenderSite([Comparison()], report)["fidelity.md"];
        Assert.Contains("| 2 | 7 | 1 | 1 | 0 |", page);
        Assert.Contains("| `ok-case` | LTP madvise01 | A &lt;b&gt;bold&lt;/b&gt; claim \\| with a pipe. | 4 | match |", page);
        Assert.Contains("| `bad-case` | man2 mremap.2 | Moves. | 3 | DIVERGENCE: log line 2: host \\`= same\\`", page);
        Assert.DoesNotContain("<b>", page);
    }

    [Fact]
    public void Markup_in_spec_text_renders_inert()
    {
        var hostile = LabCatalog.FindDebate("remote-madvise")! with { Title = "<script>alert(1)</script> | *bold* [x](y)" };
        var page = new DocsRenderer().RenderDebate(Comparison(hostile));
        Assert.DoesNotContain("<script>", page);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; \\| \\*bold\\* \\[x\\](y)", page);

        var site = new DocsRenderer().RenderSite([Comparison(hostile)]);
        var html = site["site/debates/remote-madvise.html"];
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; | *bold* [x](y)", html);
        Assert.DoesNotContain("<script", site["site/index.html"], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_template_folder_overrides_the_built_in_template()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "index.md.sbn"), "custom {{ debates.size }}");
            var site = new DocsRenderer(dir.FullName).RenderSite([Comparison()]);
            // The index lists every debate the lab knows, however many debates have landed.
            Assert.Equal(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"custom {LabCatalog.Debates.Count}"), site["index.md"]);
            Assert.StartsWith("# Remote madvise", site["debates/remote-madvise.md"], StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Stale_reports_missing_and_changed_files()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var files = new Dictionary<string, string> { ["a.md"] = "x", ["b/c.md"] = "y" };
            Assert.Equal(["a.md", "b/c.md"], SiteWriter.Stale(dir.FullName, files));
            SiteWriter.Write(dir.FullName, files);
            Assert.Empty(SiteWriter.Stale(dir.FullName, files));
            File.WriteAllText(Path.Combine(dir.FullName, "a.md"), "changed");
            Assert.Equal(["a.md"], SiteWriter.Stale(dir.FullName, files));
            File.WriteAllText(Path.Combine(dir.FullName, "old.svg"), "from an older generation");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "images"));
            File.WriteAllText(Path.Combine(dir.FullName, "images", "shot.md"), "the author's");
            Assert.Equal(["a.md", "old.svg"], SiteWriter.Stale(dir.FullName, files));
            SiteWriter.Write(dir.FullName, files);
            Assert.Empty(SiteWriter.Stale(dir.FullName, files));
            Assert.False(File.Exists(Path.Combine(dir.FullName, "old.svg")));
            Assert.True(File.Exists(Path.Combine(dir.FullName, "images", "shot.md")));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
