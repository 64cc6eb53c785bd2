using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;

namespace ApiLab.Docs;

/// <summary>The whole site from its sources: every debate's comparison and scaling curves, the fidelity report.</summary>
public static class DocsSite
{
    /// <summary>Largest size the scaling charts measure: enough to show the curve, cheap enough for `docs --check`.</summary>
    public const int ScalingLimit = 256;

    public static IReadOnlyDictionary<string, string> Render(string? templateDirectory = null)
    {
        var comparisons = new List<DebateComparison>();
        var scaling = new Dictionary<string, IReadOnlyList<ScalingSeries>>(StringComparer.Ordinal);
        foreach (var debate in LabCatalog.Debates)
        {
            // The primary scenario first: it is the one `apilab compare` measures.
            var primary = LabCatalog.PrimaryScenario(debate.Id);
            foreach (var scenario in LabCatalog.Scenarios.Where(s => s.Debate == debate.Id).OrderBy(s => s == primary ? 0 : 1))
            {
                comparisons.Add(ComparisonBuilder.Build(debate, scenario, scenario.DefaultSize));
                scaling[scenario.Id] = ScalingSeries.Measure(scenario, ScalingSeries.DefaultSizes(scenario, ScalingLimit));
            }
        }

        return new DocsRenderer(templateDirectory).RenderSite(comparisons, FidelityReport.Run(ConformanceSuite.All()), scaling);
    }
}
