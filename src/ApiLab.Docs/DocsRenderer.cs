using System.Reflection;
using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;
using Scriban;
using Scriban.Runtime;

namespace ApiLab.Docs;

/// <summary>
/// Renders the docs site to a folder: index.md and one page per debate. Templates are embedded resources; a folder
/// given with <paramref name="templateDirectory"/> overrides any template it contains. Output is deterministic.
/// </summary>
public sealed class DocsRenderer(string? templateDirectory = null)
{
    /// <summary>Every file of the site, path relative to the output folder → content.</summary>
    public IReadOnlyDictionary<string, string> RenderSite(IReadOnlyList<DebateComparison> comparisons, FidelityReport? fidelity = null)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["index.md"] = Render("index.md.sbn", DocsModel.ForIndex(LabCatalog.Debates)),
            ["trace-format.md"] = Render("trace-format.md.sbn", DocsModel.ForTraceFormat()),
        };
        if (fidelity is not null)
        {
            files["fidelity.md"] = Render("fidelity.md.sbn", DocsModel.ForFidelity(fidelity));
        }

        foreach (var comparison in comparisons)
        {
            files[$"debates/{comparison.Debate.Id}.md"] = Render("debate.md.sbn", DocsModel.ForDebate(comparison));
        }

        return files;
    }

    public string RenderDebate(DebateComparison comparison) => Render("debate.md.sbn", DocsModel.ForDebate(comparison));

    private string Render(string name, ScriptObject model)
    {
        var template = Template.Parse(LoadTemplate(name), name);
        if (template.HasErrors)
        {
            throw new InvalidOperationException($"template {name}: {string.Join("; ", template.Messages)}");
        }

        var functions = new ScriptObject();
        functions.Import("md", new Func<object?, string>(static value => MarkdownText.Escape(value?.ToString())));
        var context = new TemplateContext { MemberRenamer = static m => m.Name, StrictVariables = true };
        context.PushGlobal(functions);
        context.PushGlobal(model);
        var text = template.Render(context);
        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

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
