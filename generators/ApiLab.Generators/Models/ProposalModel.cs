namespace ApiLab.Generators.Models;

/// <summary>What [Proposal] and the spec's XML docs say about the design, defaults already applied.</summary>
internal sealed record ProposalModel(
    string Debate,
    string Design,
    string Title,
    string Seed,
    string Author,
    string Date,
    EnumValue Outcome,
    string? MergedIn,
    string Summary);
