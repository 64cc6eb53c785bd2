using System.Text.RegularExpressions;
using ApiLab.Docs.Html;
using ApiLab.Docs.Rules;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;

namespace ApiLab.Docs.Tests;

/// <summary>The HTML site stands alone: every link resolves inside it, nothing is fetched from elsewhere.</summary>
public sealed partial class SiteStructureTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Site = new(() =>
    {
        // Every debate, so that every design page's link back to its debate has a target.
        var comparisons = new List<DebateComparison>();
        var scaling = new Dictionary<string, IReadOnlyList<ScalingSeries>>();
        foreach (var scenario in LabCatalog.Scenarios)
        {
            comparisons.Add(ComparisonBuilder.Build(LabCatalog.FindDebate(scenario.Debate)!, scenario, scenario.DefaultSize));
            scaling[scenario.Id] = ScalingSeries.Measure(scenario, [1, 4]);
        }

        return new DocsRenderer().RenderSite(comparisons, new ApiLab.Fidelity.Report.FidelityReport("test host", []), scaling);
    });

    [Fact]
    public void Every_local_link_and_stylesheet_of_the_html_site_resolves()
    {
        var files = Site.Value;
        var checkedLinks = 0;
        foreach (var (path, content) in files.Where(static f => f.Key.EndsWith(".html", StringComparison.Ordinal)))
        {
            foreach (Match m in Href().Matches(content))
            {
                var target = m.Groups[1].Value;
                if (target.StartsWith("https://", StringComparison.Ordinal))
                {
                    continue; // An outbound link a reader may follow, not a request the page makes.
                }

                var resolved = Resolve(path, target);
                Assert.True(files.ContainsKey(resolved), $"{path} links to {target} ({resolved}), which the site does not have");
                checkedLinks++;
            }
        }

        Assert.True(checkedLinks > 50, $"only {checkedLinks} links checked");
    }

    [Fact]
    public void Pages_make_no_external_requests_and_carry_no_script()
    {
        foreach (var (path, content) in Site.Value.Where(static f => f.Key.EndsWith(".html", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("<script", content, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"(src|href)=""(https?:)?//[^""]*\.(css|js|png|svg|woff2?)""", content);
            Assert.Contains("Content-Security-Policy", content, StringComparison.Ordinal);
            Assert.Contains("style.css", content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_debate_page_draws_one_line_per_design_in_each_scaling_chart_and_a_sequence_diagram()
    {
        var html = Site.Value["site/debates/remote-madvise.html"];
        var designs = LabCatalog.PrimaryScenario("remote-madvise")!.Designs.Count;
        var charts = Regex.Matches(html, "<svg[^>]*class=\"chart\"").Count;
        Assert.Equal(LabCatalog.Scenarios.Where(static s => s.Debate == "remote-madvise").Sum(static s => s.CostRows.Count), charts);
        Assert.Equal(charts * designs, Regex.Matches(html, "<polyline class=\"series\"").Count);
        Assert.Contains("class=\"sequence\"", html, StringComparison.Ordinal);
        Assert.True(Site.Value.ContainsKey("debates/remote-madvise.reclaim-race-syscalls.svg"));
        Assert.Contains("remote-madvise.reclaim-race-syscalls.svg", Site.Value["debates/remote-madvise.md"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_debate_page_shows_every_scenario_of_its_debate()
    {
        foreach (var scenario in LabCatalog.Scenarios)
        {
            Assert.Contains($"`{scenario.Id}`", Site.Value[$"debates/{scenario.Debate}.md"], StringComparison.Ordinal);
            Assert.Contains($"<code>{scenario.Id}</code>", Site.Value[$"site/debates/{scenario.Debate}.html"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_shipped_rule_has_a_page_and_its_help_link_names_it()
    {
        Assert.NotEmpty(RuleCatalog.Rules);
        foreach (var rule in RuleCatalog.Rules)
        {
            Assert.Equal(ApiLab.Analyzers.HelpLinks.GetHelpUri(rule.Id), rule.HelpLink);
            var page = ApiLab.Analyzers.HelpLinks.GetDocsPath(rule.Id);
            Assert.StartsWith("docs/", page, StringComparison.Ordinal);
            Assert.True(Site.Value.ContainsKey(page["docs/".Length..]), $"no page {page}");
            Assert.True(Site.Value.ContainsKey($"site/rules/{rule.Id}.html"));
        }
    }

    [Fact]
    public void Mini_markdown_escapes_raw_html_and_drops_script_links()
    {
        var html = MiniMarkdown.ToHtml("Hi <img src=x onerror=alert(1)> [a](javascript:alert(1)) `<b>` **b**\n\n| x \\| y | z |\n|---|---|\n| 1 | &lt;i&gt; |");
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript:", html, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;b&gt;</code>", html, StringComparison.Ordinal);
        Assert.Contains("<strong>b</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<th>x | y</th>", html, StringComparison.Ordinal);
        Assert.Contains("<td>&lt;i&gt;</td>", html, StringComparison.Ordinal);
    }

    private static string Resolve(string page, string target)
    {
        var hash = target.IndexOf('#', StringComparison.Ordinal);
        target = hash >= 0 ? target[..hash] : target;
        var parts = page.Split('/').SkipLast(1).ToList();
        foreach (var part in target.Split('/'))
        {
            if (part == "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }

    [GeneratedRegex(@"(?:href|src)=""([^""#][^""]*)""")]
    private static partial Regex Href();
}
