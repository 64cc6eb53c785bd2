using ApiLab.Lab;
using ApiLab.Lab.Scenarios;

namespace ApiLab.Cli;

/// <summary>Turns user-given names into catalog entries, or a usage error naming what is valid.</summary>
internal static class Resolve
{
    public static DebateInfo Debate(string id) =>
        LabCatalog.FindDebate(id)
        ?? throw new UsageException($"unknown debate '{id}'; valid: {string.Join(", ", LabCatalog.Debates.Select(static d => d.Id))}");

    public static IScenario ScenarioFor(DebateInfo debate) =>
        LabCatalog.PrimaryScenario(debate.Id)
        ?? throw new UsageException($"debate '{debate.Id}' has no scenario yet");

    public static IScenario Scenario(string id) =>
        LabCatalog.FindScenario(id)
        ?? LabCatalog.Scenarios.FirstOrDefault(s => s.Debate == id)
        ?? throw new UsageException($"unknown scenario '{id}'; valid: {string.Join(", ", LabCatalog.Scenarios.Select(static s => s.Id))}");

    public static int Size(IScenario scenario, int? size)
    {
        var value = size ?? scenario.DefaultSize;
        return value >= 1 && value <= scenario.MaxSize
            ? value
            : throw new UsageException($"size {value} is out of range for {scenario.Id}; valid: 1..{scenario.MaxSize}");
    }

    public static string Design(IScenario scenario, string design) =>
        scenario.Designs.Contains(design)
            ? design
            : throw new UsageException($"unknown design '{design}' for {scenario.Id}; valid: {string.Join(", ", scenario.Designs)}");
}
