namespace ApiLab.Spec.Descriptors;

/// <summary>A design as its spec declares it: generated, one per spec, and read by the lab and the docs.</summary>
public sealed record ProposalDescriptor(
    string Debate,
    string Design,
    string Title,
    string Seed,
    string Author,
    string Date,
    Outcome Outcome,
    string? MergedIn,
    string Summary,
    string InterfaceName,
    Type AdapterType,
    IReadOnlyList<CallDescriptor> Calls)
{
    /// <summary><c>debate/design</c>.</summary>
    public string Id => $"{Debate}/{Design}";
}
