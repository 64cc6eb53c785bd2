using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

/// <summary>Why a snapshot-derived range is unsafe at a call.</summary>
internal enum RangeFindingKind
{
    /// <summary>The callee takes no <c>[Revalidates]</c> handle: nothing can vouch for the range.</summary>
    NotRevalidated,

    /// <summary>The callee takes a <c>[Revalidates]</c> handle, but the one passed does not come from the range's
    /// snapshot family.</summary>
    ForeignRevalidator,

    /// <summary>An <c>[InvalidatesLayout]</c> call ran between the snapshot and this use, and no handle from that same
    /// (now stale) snapshot guards the call: the layout has most likely moved on.</summary>
    Invalidated,
}

/// <summary>One snapshot-derived argument reaching a <c>[TargetRange]</c> parameter unguarded.</summary>
internal sealed class RangeFinding
{
    public RangeFinding(IArgumentOperation argument, IMethodSymbol callee, SnapshotFact fact, RangeFindingKind kind, bool isMaybe, IParameterSymbol? revalidator)
    {
        Argument = argument;
        Callee = callee;
        Fact = fact;
        Kind = kind;
        IsMaybe = isMaybe;
        Revalidator = revalidator;
    }

    public IArgumentOperation Argument { get; }

    public IMethodSymbol Callee { get; }

    public SnapshotFact Fact { get; }

    public RangeFindingKind Kind { get; }

    /// <summary>True when the range carries snapshot data (or lacks a vouching handle) on some paths only.</summary>
    public bool IsMaybe { get; }

    /// <summary>The callee's <c>[Revalidates]</c> parameter, if it has one.</summary>
    public IParameterSymbol? Revalidator { get; }
}
