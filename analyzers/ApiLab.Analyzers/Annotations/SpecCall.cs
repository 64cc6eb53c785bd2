using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// What the spec declares about one callable member, merged from the member itself and every interface member it
/// implements: generated adapters carry no attributes, their interface does.
/// </summary>
internal sealed class SpecCall
{
    public static readonly SpecCall None = new(
        isSpecMember: false,
        snapshot: null,
        revalidatedBy: null,
        invalidatesLayout: false,
        targetRangeOrdinals: ImmutableArray<int>.Empty,
        revalidatesOrdinals: ImmutableArray<int>.Empty);

    public SpecCall(
        bool isSpecMember,
        IMethodSymbol? snapshot,
        ITypeSymbol? revalidatedBy,
        bool invalidatesLayout,
        ImmutableArray<int> targetRangeOrdinals,
        ImmutableArray<int> revalidatesOrdinals)
    {
        IsSpecMember = isSpecMember;
        Snapshot = snapshot;
        RevalidatedBy = revalidatedBy;
        InvalidatesLayout = invalidatesLayout;
        TargetRangeOrdinals = targetRangeOrdinals;
        RevalidatesOrdinals = revalidatesOrdinals;
    }

    /// <summary>Declared by a spec (any ApiLab annotation, or a member of a <c>[Proposal]</c> interface): its result
    /// is a kernel answer, not a function of the caller's arguments.</summary>
    public bool IsSpecMember { get; }

    /// <summary>The member that carries <c>[Snapshot]</c> (the interface member for an adapter call), or null.</summary>
    public IMethodSymbol? Snapshot { get; }

    /// <summary>The handle type named by <c>[Snapshot(RevalidatedBy = ...)]</c>: the snapshot's family.</summary>
    public ITypeSymbol? RevalidatedBy { get; }

    public bool InvalidatesLayout { get; }

    /// <summary>Ordinals of <c>[TargetRange]</c> parameters.</summary>
    public ImmutableArray<int> TargetRangeOrdinals { get; }

    /// <summary>Ordinals of <c>[Revalidates]</c> parameters.</summary>
    public ImmutableArray<int> RevalidatesOrdinals { get; }

    public bool IsSnapshot => Snapshot is not null;
}
