using System.Reflection;
using ApiLab.Lab.Scenarios;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Lab;

/// <summary>
/// Everything the lab knows: the generated proposal descriptors, and the debates and scenarios declared in this
/// assembly (found by reflection, ordered by seed then id, so the order is stable and nothing is listed twice).
/// </summary>
public static class LabCatalog
{
    private static readonly Lazy<IReadOnlyList<ProposalDescriptor>> LazyProposals =
        new(() => ProposalCatalog.FromAssembly(typeof(MainlineMadviseAdapter).Assembly));

    private static readonly Lazy<IReadOnlyList<IDebate>> LazyDebates =
        new(() => [.. Instances<IDebate>().OrderBy(static d => d.Info.Seed, StringComparer.Ordinal).ThenBy(static d => d.Info.Id, StringComparer.Ordinal)]);

    private static readonly Lazy<IReadOnlyList<IScenario>> LazyScenarios =
        new(() => [.. Instances<IScenario>()
            .OrderBy(static s => FindDebate(s.Debate)?.Seed ?? "", StringComparer.Ordinal)
            .ThenBy(static s => s.Id, StringComparer.Ordinal)]);

    public static IReadOnlyList<ProposalDescriptor> Proposals => LazyProposals.Value;

    public static IReadOnlyList<IScenario> Scenarios => LazyScenarios.Value;

    public static IReadOnlyList<DebateInfo> Debates => [.. LazyDebates.Value.Select(static d => d.Info)];

    /// <summary>The thread's arguments of a debate, mapped to measured evidence (empty for an unknown id).</summary>
    public static IReadOnlyList<DebateArgument> ArgumentsOf(string debate) =>
        LazyDebates.Value.FirstOrDefault(d => d.Info.Id == debate)?.Arguments ?? [];

    public static DebateInfo? FindDebate(string id) => Debates.FirstOrDefault(d => d.Id == id);

    public static IScenario? FindScenario(string id) => Scenarios.FirstOrDefault(s => s.Id == id);

    /// <summary>The scenario a debate's comparison is measured on: the first of that debate by id.</summary>
    public static IScenario? PrimaryScenario(string debate) => Scenarios.FirstOrDefault(s => s.Debate == debate);

    public static IReadOnlyList<ProposalDescriptor> DesignsOf(string debate) => [.. Proposals.Where(p => p.Debate == debate)];

    private static IEnumerable<T> Instances<T>() =>
        typeof(LabCatalog).Assembly.GetTypes()
            .Where(static t => typeof(T).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }
                && t.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes) is not null)
            .Select(static t => (T)Activator.CreateInstance(t)!);
}
