using ApiLab.Fidelity.Format;
using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;
using Scriban.Runtime;

namespace ApiLab.Docs;

/// <summary>Turns the lab's comparison into the plain objects the templates read (names in snake_case).</summary>
internal static class DocsModel
{
    public static ScriptObject ForDebate(DebateComparison comparison)
    {
        var model = new ScriptObject
        {
            ["debate"] = Debate(comparison.Debate),
            ["scenario"] = new ScriptObject { ["id"] = comparison.ScenarioId, ["title"] = comparison.ScenarioTitle, ["size"] = comparison.Size },
            ["designs"] = comparison.Designs.Select(Design).ToList(),
            ["groups"] = comparison.Rows.GroupBy(static r => r.Group).Select(g => new ScriptObject
            {
                ["name"] = g.Key,
                ["rows"] = g.Select(row => new ScriptObject
                {
                    ["label"] = row.Label,
                    ["cells"] = comparison.Designs.Select(d => d.Cells.GetValueOrDefault(row.Key, "n/a: not measured")).ToList(),
                }).ToList(),
            }).ToList(),
        };
        return model;
    }

    public static ScriptObject ForIndex(IEnumerable<DebateInfo> debates) => new()
    {
        ["debates"] = debates.Select(d =>
        {
            var designs = LabCatalog.DesignsOf(d.Id);
            var entry = Debate(d);
            entry["design_count"] = designs.Count;
            entry["outcomes"] = string.Join("; ", designs.Select(p => $"{p.Design}: {Outcome(p)}"));
            return entry;
        }).ToList(),
    };

    public static ScriptObject ForFidelity(FidelityReport report) => new()
    {
        ["host"] = report.Host,
        ["total"] = report.Cases.Count,
        ["matches"] = report.Matches,
        ["divergences"] = report.Divergences,
        ["unsupported"] = report.Unsupported,
        ["calls"] = report.Cases.Sum(static c => c.Calls),
        ["cases"] = report.Cases.Select(static c => new ScriptObject
        {
            ["name"] = c.Name,
            ["modelled_on"] = c.ModelledOn,
            ["description"] = c.Description,
            ["outcome"] = c.Outcome switch
            {
                FidelityOutcome.Match => "match",
                FidelityOutcome.Divergence => "DIVERGENCE",
                _ => "unsupported",
            },
            ["calls"] = c.Calls,
            ["detail"] = c.Detail,
        }).ToList(),
    };

    public static ScriptObject ForTraceFormat() => new()
    {
        ["calls"] = TraceParser.CallNames.ToList(),
        ["advices"] = string.Join(", ", Names.Advices.Keys),
        ["map_types"] = string.Join(", ", Names.MapTypes.Keys),
        ["map_flags"] = string.Join(", ", Names.MapFlagWords.Keys),
        ["mremap_flags"] = string.Join(", ", Names.MremapFlagWords.Keys),
    };

    private static ScriptObject Debate(DebateInfo debate) => new()
    {
        ["id"] = debate.Id,
        ["title"] = debate.Title,
        ["seed"] = debate.Seed,
        ["summary"] = debate.Summary,
    };

    private static ScriptObject Design(DesignResult design) => new()
    {
        ["id"] = design.Design,
        ["title"] = design.Title,
        ["example"] = design.Example is not { } example ? null : new ScriptObject
        {
            ["schedule"] = example.Schedule.ToString(),
            ["harms"] = string.Join("; ", example.Harms),
            ["trace"] = example.Trace.Select(t => new ScriptObject
            {
                ["index"] = t.Index,
                ["actor"] = t.Actor,
                ["step"] = t.Step,
                ["syscalls"] = string.Join(", ", t.Syscalls),
                ["outcome"] = t.Outcome,
            }).ToList(),
        },
    };

    private static string Outcome(ApiLab.Spec.Descriptors.ProposalDescriptor p) => p.Outcome switch
    {
        ApiLab.Spec.Outcome.Merged => $"merged in {p.MergedIn}",
        ApiLab.Spec.Outcome.MergedDifferently => "merged in another form",
        ApiLab.Spec.Outcome.Position => "a position",
        _ => "never merged",
    };
}
