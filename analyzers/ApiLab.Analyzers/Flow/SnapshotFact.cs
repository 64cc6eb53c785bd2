using System;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>
/// "This value was computed from the result of <see cref="Snapshot"/>", plus the typestate of that snapshot: fresh,
/// or made stale by a later call to an <c>[InvalidatesLayout]</c> member (<see cref="InvalidatedBy"/>).
/// </summary>
internal sealed class SnapshotFact : IEquatable<SnapshotFact>
{
    public SnapshotFact(IMethodSymbol snapshot, ITypeSymbol? revalidatedBy, IMethodSymbol? invalidatedBy)
    {
        Snapshot = snapshot;
        RevalidatedBy = revalidatedBy;
        InvalidatedBy = invalidatedBy;
    }

    /// <summary>The <c>[Snapshot]</c> member; facts of one member merge.</summary>
    public IMethodSymbol Snapshot { get; }

    /// <summary>The handle type that can revalidate this snapshot (its family), or null if nothing can.</summary>
    public ITypeSymbol? RevalidatedBy { get; }

    /// <summary>An <c>[InvalidatesLayout]</c> member called after the snapshot on some path, or null.</summary>
    public IMethodSymbol? InvalidatedBy { get; }

    public bool IsStale => InvalidatedBy is not null;

    public bool IsSameSnapshot(SnapshotFact other) => SymbolEqualityComparer.Default.Equals(Snapshot, other.Snapshot);

    /// <summary>Both facts describe the same member: stale if either is (staleness on any path or in any part).</summary>
    public SnapshotFact Merge(SnapshotFact other) =>
        InvalidatedBy is not null || other.InvalidatedBy is null ? this : other;

    public SnapshotFact Invalidate(IMethodSymbol by) =>
        InvalidatedBy is null ? new SnapshotFact(Snapshot, RevalidatedBy, by) : this;

    public bool Equals(SnapshotFact? other) =>
        other is not null
        && SymbolEqualityComparer.Default.Equals(Snapshot, other.Snapshot)
        && SymbolEqualityComparer.Default.Equals(InvalidatedBy, other.InvalidatedBy);

    public override bool Equals(object? obj) => Equals(obj as SnapshotFact);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Snapshot);
}
