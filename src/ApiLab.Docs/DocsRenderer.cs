using System.Reflection;
using ApiLab.Docs.Charts;
using ApiLab.Docs.Html;
using ApiLab.Docs.Rules;
using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;
using Scriban;
using Scriban.Runtime;

namespace ApiLab.Docs;

/// <summary>
/// Renders the docs from one model twice: Markdown for the repository (paths at the root of the output folder) and a
/// static HTML site under <c>site/</c> (a shared stylesheet, navigation, charts inline, no external requests).
/// Templates are embedded resources; a folder given with <paramref name="templateDirectory"/> overrides any template
/// it contains. Output is deterministic: the same inputs give the same bytes.
/// </summary>
public sealed class DocsRenderer(string? templateDirectory = null)
{
    public const string SiteFolder = "site";

    /// <summary>Every file of the site, path relative to the output folder → content. <paramref name="comparisons"/> holds
    /// one comparison per scenario (a debate's page shows all of its scenarios); <paramref name="scaling"/> is keyed by
    /// scenario id.</summary>
    public IReadOnlyDictionary<string, string> RenderSite(
        IReadOnlyList<DebateComparison> comparisons,
        FidelityReport? fidelity = null,
        IReadOnlyDictionary<string, IReadOnlyList<ScalingSeries>>? scaling = null)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var nav = Navigation(comparisons, fidelity is not null);
        Page(files, nav, "index", "index", "ApiLab", DocsModel.ForIndex(LabCatalog.Debates));
        Page(files, nav, "trace-format", "trace-format", "Trace format", DocsModel.ForTraceFormat());
        if (fidelity is not null)
        {
            Page(files, nav, "fidelity", "fidelity", "Fidelity", DocsModel.ForFidelity(fidelity));
        }

        foreach (var debate in comparisons.GroupBy(static c => c.Debate.Id))
        {
            var charts = debate.ToDictionary(static c => c.ScenarioId, c =>
                (IReadOnlyList<LineChart>)[.. (scaling?.GetValueOrDefault(c.ScenarioId) ?? []).Select(s => LineChart.From(s, "workload size"))]);
            var svg = new Dictionary<string, List<string>>();
            foreach (var (scenarioId, scenarioCharts) in charts)
            {
                svg[scenarioId] = [];
                foreach (var chart in scenarioCharts)
                {
                    var text = Render("chart.svg.sbn", new ScriptObject { ["chart"] = DocsModel.ForChart(chart) });
                    files[$"debates/{chart.Id}.svg"] = text;
                    svg[scenarioId].Add(text);
                }
            }

            var model = DocsModel.ForDebate([.. debate], id => charts[id], id => svg[id]);

            Page(files, nav, $"debates/{debate.Key}", "debate", debate.First().Debate.Title, model);
        }

        foreach (var design in LabCatalog.Proposals)
        {
            Page(files, nav, $"designs/{design.Debate}/{design.Design}", "design", design.Title, DocsModel.ForDesign(design));
        }

        Page(files, nav, "rules/index", "rules", "Diagnostics", DocsModel.ForRules(RuleCatalog.Rules));
        foreach (var rule in RuleCatalog.Rules)
        {
            Page(files, nav, $"rules/{rule.Id}", "rule", $"{rule.Id}: {rule.Title}", DocsModel.ForRule(rule));
        }

        files[$"{SiteFolder}/style.css"] = LoadTemplate("style.css");
        return files;
    }

    /// <summary>The Markdown page of one debate (without charts), for tests and the CLI.</summary>
    public string RenderDebate(DebateComparison comparison) =>
        Render("debate.md.sbn", WithPaths(DocsModel.ForDebate([comparison], static _ => [], static _ => []), "debates/x", ".md"));

    /// <summary>Writes <paramref name="path"/>.md and <c>site/</c><paramref name="path"/>.html from the same model.</summary>
    private void Page(SortedDictionary<string, string> files, ScriptArray nav, string path, string template, string title, ScriptObject model)
    {
        var markdown = Render(template + ".md.sbn", WithPaths(model, path, ".md"));
        files[path + ".md"] = markdown;
        var html = WithPaths(model, path, ".html");
        // A page without an HTML template of its own is its Markdown, converted (escaped) by MiniMarkdown.
        html["markdown"] = markdown;
        var content = Render(HasTemplate(template + ".html.sbn") ? template + ".html.sbn" : "generic.html.sbn", html);
        var layout = new ScriptObject { ["title"] = title, ["content"] = content, ["nav"] = nav, ["root"] = html["root"], ["path"] = path };
        files[$"{SiteFolder}/{path}.html"] = Render("layout.html.sbn", layout);
    }

    /// <summary>The model plus where the page sits: <c>root</c> (the relative way back to the top) and <c>ext</c>.</summary>
    private static ScriptObject WithPaths(ScriptObject model, string path, string ext)
    {
        var copy = new ScriptObject();
        model.CopyTo(copy);
        copy["root"] = string.Concat(Enumerable.Repeat("../", path.Count(static c => c == '/')));
        copy["ext"] = ext;
        return copy;
    }

    private static ScriptArray Navigation(IReadOnlyList<DebateComparison> comparisons, bool withFidelity)
    {
        var nav = new ScriptArray { new ScriptObject { ["label"] = "Index", ["path"] = "index" } };
        foreach (var id in comparisons.Select(static c => c.Debate.Id).Distinct())
        {
            nav.Add(new ScriptObject { ["label"] = id, ["path"] = $"debates/{id}" });
        }

        nav.Add(new ScriptObject { ["label"] = "Diagnostics", ["path"] = "rules/index" });
        if (withFidelity)
        {
            nav.Add(new ScriptObject { ["label"] = "Fidelity", ["path"] = "fidelity" });
        }

        nav.Add(new ScriptObject { ["label"] = "Trace format", ["path"] = "trace-format" });
        return nav;
    }

    private string Render(string name, ScriptObject model)
    {
        var template = Template.Parse(LoadTemplate(name), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"template {name}: {string.Join("; ", template.Messages)}");
        }

        var functions = new ScriptObject();
        functions.Import("md", new Func<object?, string>(static value => MarkdownText.Escape(value?.ToString())));
        functions.Import("h", new Func<object?, string>(static value => HtmlText.Escape(value?.ToString())));
        functions.Import("mdhtml", new Func<object?, string>(static value => MiniMarkdown.ToHtml(value?.ToString())));
        var context = new TemplateContext { MemberRenamer = static m => m.Name, StrictVariables = true };
        context.PushGlobal(functions);
        context.PushGlobal(model);
        var text = template.Render(context);
        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private bool HasTemplate(string name) =>
        (templateDirectory is not null && File.Exists(Path.Combine(templateDirectory, name)))
        || Assembly.GetExecutingAssembly().GetManifestResourceInfo("ApiLab.Docs.Templates." + name) is not null;

    private string LoadTemplate(string name)
    {
        if (templateDirectory is not null)
        {
            var path = Path.Combine(templateDirectory, name);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ApiLab.Docs.Templates." + name)
            ?? throw new InvalidOperationException($"no embedded template {name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
