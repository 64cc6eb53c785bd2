using ApiLab.Lab.Scenarios;
using ApiLab.Lab.Scenarios.RemoteMadvise;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec.Descriptors;

namespace ApiLab.Lab;

/// <summary>Everything the lab knows: the generated proposal descriptors, the debates and their scenarios.</summary>
public static class LabCatalog
{
    private static readonly Lazy<IReadOnlyList<ProposalDescriptor>> LazyProposals =
        new(() => ProposalCatalog.FromAssembly(typeof(MainlineMadviseAdapter).Assembly));

    public static IReadOnlyList<ProposalDescriptor> Proposals => LazyProposals.Value;

    public static IReadOnlyList<IScenario> Scenarios { get; } = [new ReclaimRaceScenario()];

    public static IReadOnlyList<DebateInfo> Debates { get; } =
    [
        new("remote-madvise", "Remote madvise: how does a manager know it hit the VMA it meant?",
            "000_9de8a7c864f17f9f.txt",
            "Hocko (FD per VMA), Colascione (a layout cookie) and Minchan (hint-only, tolerate races) argued over how a "
            + "process advising another process's memory can be sure the ranges it read still name the VMAs it meant."),
    ];

    public static DebateInfo? FindDebate(string id) => Debates.FirstOrDefault(d => d.Id == id);

    public static IScenario? FindScenario(string id) => Scenarios.FirstOrDefault(s => s.Id == id);

    public static IReadOnlyList<ProposalDescriptor> DesignsOf(string debate) => [.. Proposals.Where(p => p.Debate == debate)];
}

/// <summary>A debate: its id, the question it argues, the seed thread.</summary>
public sealed record DebateInfo(string Id, string Title, string Seed, string Summary);
