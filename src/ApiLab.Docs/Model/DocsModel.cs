using ApiLab.Fidelity.Format;
using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Docs.Charts;
using ApiLab.Docs.Rules;
using ApiLab.Lab.Comparison;
using ApiLab.Spec.Descriptors;
using Scriban.Runtime;

namespace ApiLab.Docs;

/// <summary>Turns the lab's comparison into the plain objects the templates read (names in snake_case).</summary>
internal static class DocsModel
{
    /// <summary>A debate page: every scenario of the debate, each with its table, charts and counterexamples, and
    /// the thread's arguments with the measured values of the row that is their evidence (first scenario that has it).</summary>
    public static ScriptObject ForDebate(
        IReadOnlyList<DebateComparison> comparisons, Func<string, IReadOnlyList<LineChart>> charts, Func<string, IReadOnlyList<string>> svg)
    {
        var debate = comparisons[0].Debate;
        return new ScriptObject
        {
            ["debate"] = Debate(debate),
            ["arguments"] = LabCatalog.ArgumentsOf(debate.Id).Select(a =>
            {
                var measured = comparisons.FirstOrDefault(c => a.Scenario is null ? c.Rows.Any(r => r.Key == a.Evidence) : c.ScenarioId == a.Scenario)
                    ?? comparisons[0];
                return new ScriptObject
                {
                    ["who"] = a.Who,
                    ["claim"] = a.Claim,
                    ["source"] = a.Source,
                    ["evidence"] = $"{measured.Rows.FirstOrDefault(r => r.Key == a.Evidence)?.Label ?? a.Evidence} ({measured.ScenarioId})",
                    // The table above gives each n/a its reason; here the value alone keeps the claim readable.
                    ["values"] = string.Join("; ", measured.Designs.Select(d =>
                        $"{d.Design}: {(d.Cells.GetValueOrDefault(a.Evidence, "n/a") is var v && v.StartsWith("n/a", StringComparison.Ordinal) ? "n/a" : v)}")),
                };
            }).ToList(),
            ["scenarios"] = comparisons.Select(c => Scenario(c, charts(c.ScenarioId), svg(c.ScenarioId))).ToList(),
        };
    }

    private static ScriptObject Scenario(DebateComparison comparison, IReadOnlyList<LineChart> charts, IReadOnlyList<string> svg) => new()
    {
        ["svg"] = svg.ToList(),
        ["scenario"] = new ScriptObject { ["id"] = comparison.ScenarioId, ["title"] = comparison.ScenarioTitle, ["size"] = comparison.Size },
        ["charts"] = charts.Select(ForChart).ToList(),
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

    public static ScriptObject ForIndex(IEnumerable<DebateInfo> debates) => new()
    {
        ["rule_count"] = RuleCatalog.Rules.Count,
        ["debates"] = debates.Select(d =>
        {
            var designs = LabCatalog.DesignsOf(d.Id);
            var entry = Debate(d);
            entry["design_count"] = designs.Count;
            entry["outcomes"] = string.Join("; ", designs.Select(p => $"{p.Design}: {Outcome(p)}"));
            entry["designs"] = designs.Select(p => new ScriptObject { ["id"] = p.Design, ["title"] = p.Title, ["outcome"] = Outcome(p) }).ToList();
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

    public static ScriptObject ForDesign(ProposalDescriptor design) => new()
    {
        ["debate"] = LabCatalog.FindDebate(design.Debate) is { } debate ? Debate(debate) : new ScriptObject { ["id"] = design.Debate, ["title"] = design.Debate },
        ["id"] = design.Design,
        ["title"] = design.Title,
        ["summary"] = design.Summary,
        ["seed"] = design.Seed,
        ["author"] = design.Author,
        ["date"] = design.Date,
        ["outcome"] = Outcome(design),
        ["interface"] = design.InterfaceName,
        ["adapter"] = design.AdapterType.Name,
        ["calls"] = design.Calls.Select(static c => new ScriptObject
        {
            ["method"] = c.Method,
            ["syscall"] = c.Syscall,
            ["signature"] = c.Signature,
            ["summary"] = c.Summary,
            ["annotations"] = AnnotationText.Explain(c).ToList(),
        }).ToList(),
        ["rules"] = RuleApplicability.For(design).Where(static r => RuleCatalog.Rules.Any(x => x.Id == r.Id)).Select(static r => new ScriptObject
        {
            ["id"] = r.Id,
            ["why"] = r.Why,
            ["title"] = RuleCatalog.Rules.First(x => x.Id == r.Id).Title,
        }).ToList(),
    };

    public static ScriptObject ForRules(IReadOnlyList<RuleDoc> rules) => new()
    {
        ["rules"] = rules.Select(Rule).ToList(),
    };

    public static ScriptObject ForRule(RuleDoc rule) => new()
    {
        ["rule"] = Rule(rule),
        ["designs"] = LabCatalog.Proposals.Where(p => RuleApplicability.For(p).Any(r => r.Id == rule.Id))
            .Select(static p => new ScriptObject { ["debate"] = p.Debate, ["id"] = p.Design, ["title"] = p.Title }).ToList(),
    };

    private static ScriptObject Rule(RuleDoc rule) => new()
    {
        ["id"] = rule.Id,
        ["title"] = rule.Title,
        ["category"] = rule.Category,
        ["severity"] = rule.Severity,
        ["message"] = rule.Message,
        ["help"] = rule.HelpLink,
        ["kind"] = rule.IsSpecRule ? "malformed spec" : "unsafe call",
        ["sections"] = RuleDoc.SectionNames.Select(n => new ScriptObject
        {
            ["name"] = n,
            ["text"] = rule.Sections.GetValueOrDefault(n, "(not written yet)"),
        }).ToList(),
    };

    public static ScriptObject ForChart(LineChart chart) => new()
    {
        ["id"] = chart.Id,
        ["title"] = chart.Title,
        ["x_label"] = chart.XLabel,
        ["width"] = LineChart.Width,
        ["height"] = LineChart.Height,
        ["left"] = LineChart.Left,
        ["right_edge"] = LineChart.Width - LineChart.Right,
        ["top"] = LineChart.Top,
        ["bottom_edge"] = LineChart.Height - LineChart.Bottom,
        ["legend_x"] = LineChart.Width - LineChart.Right + 16,
        ["x_ticks"] = chart.XTicks.Select(static t => new ScriptObject { ["at"] = t.At, ["label"] = t.Label }).ToList(),
        ["y_ticks"] = chart.YTicks.Select(static t => new ScriptObject { ["at"] = t.At, ["label"] = t.Label }).ToList(),
        ["lines"] = chart.Lines.Select(static l => new ScriptObject
        {
            ["design"] = l.Design,
            ["colour"] = l.Colour,
            ["points"] = l.Points,
            ["legend_y"] = l.LegendY,
            ["marks"] = l.Marks.Select(static m => new ScriptObject { ["x"] = m.X, ["y"] = m.Y, ["value"] = m.Value }).ToList(),
        }).ToList(),
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
        ["harmful"] = design.HazardousSchedules,
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
            ["diagram"] = SequenceDiagram.Of(example),
        },
    };

    private static string Outcome(ProposalDescriptor p) => p.Outcome switch
    {
        ApiLab.Spec.Outcome.Merged => $"merged in {p.MergedIn}",
        ApiLab.Spec.Outcome.MergedDifferently => "merged in another form",
        ApiLab.Spec.Outcome.Position => "a position",
        _ => "never merged",
    };
}
