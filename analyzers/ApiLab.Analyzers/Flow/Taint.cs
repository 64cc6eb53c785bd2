using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Flow;

/// <summary>How a value relates to snapshots on the paths that reach a program point.</summary>
internal enum Derivation : byte
{
    /// <summary>Holds data, none of it from a snapshot ("clean").</summary>
    None,

    /// <summary>From a snapshot on some paths, from elsewhere on others.</summary>
    Maybe,

    /// <summary>From a snapshot on every path that gives it data.</summary>
    Must,
}

/// <summary>
/// The abstract value of one local, parameter or flow capture. A missing entry (null) is a third state, "empty":
/// unassigned, <c>default</c>, <c>null</c>, or a new collection with no elements yet. Empty carries no addresses, so
/// it is the identity of both operators below: a list that is empty on the loop-skipped path and filled from the
/// snapshot on the other is still Must, while <c>c ? snapshotRanges : configRanges</c> is Maybe.
/// </summary>
internal sealed class Taint
{
    public static readonly Taint Clean = new(Derivation.None, ImmutableArray<SnapshotFact>.Empty);

    private Taint(Derivation derivation, ImmutableArray<SnapshotFact> facts)
    {
        Derivation = derivation;
        Facts = facts;
    }

    public Derivation Derivation { get; }

    /// <summary>The snapshots the value may come from; empty exactly when <see cref="Derivation"/> is None.</summary>
    public ImmutableArray<SnapshotFact> Facts { get; }

    public bool IsDerived => Derivation != Derivation.None;

    public static Taint From(SnapshotFact fact) => new(Derivation.Must, ImmutableArray.Create(fact));

    /// <summary>Parts of one value on one path (operands, elements, added items): derived if any part is.</summary>
    public static Taint? Combine(Taint? a, Taint? b)
    {
        if (a is null || ReferenceEquals(a, b))
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var derivation = a.Derivation > b.Derivation ? a.Derivation : b.Derivation;
        return Create(derivation, a.Facts, b.Facts);
    }

    /// <summary>One value arriving from two paths: Must only if Must on both, None only if None on both.</summary>
    public static Taint? Join(Taint? a, Taint? b)
    {
        if (a is null || ReferenceEquals(a, b))
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var derivation = a.Derivation == b.Derivation ? a.Derivation : Derivation.Maybe;
        return Create(derivation, a.Facts, b.Facts);
    }

    public Taint Invalidate(IMethodSymbol by)
    {
        if (Facts.IsEmpty)
        {
            return this;
        }

        var builder = ImmutableArray.CreateBuilder<SnapshotFact>(Facts.Length);
        foreach (var fact in Facts)
        {
            builder.Add(fact.Invalidate(by));
        }

        return new Taint(Derivation, builder.MoveToImmutable());
    }

    public bool IsSameAs(Taint? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other.Derivation != Derivation || other.Facts.Length != Facts.Length)
        {
            return false;
        }

        foreach (var fact in Facts)
        {
            if (!other.Facts.Contains(fact))
            {
                return false;
            }
        }

        return true;
    }

    private static Taint Create(Derivation derivation, ImmutableArray<SnapshotFact> left, ImmutableArray<SnapshotFact> right)
    {
        if (derivation == Derivation.None)
        {
            return Clean;
        }

        if (right.IsEmpty)
        {
            return new Taint(derivation, left);
        }

        var builder = ImmutableArray.CreateBuilder<SnapshotFact>(left.Length + right.Length);
        builder.AddRange(left);
        foreach (var fact in right)
        {
            var index = IndexOfSameSnapshot(builder, fact);
            if (index < 0)
            {
                builder.Add(fact);
            }
            else
            {
                builder[index] = builder[index].Merge(fact);
            }
        }

        return new Taint(derivation, builder.ToImmutable());
    }

    private static int IndexOfSameSnapshot(ImmutableArray<SnapshotFact>.Builder facts, SnapshotFact fact)
    {
        for (var i = 0; i < facts.Count; i++)
        {
            if (facts[i].IsSameSnapshot(fact))
            {
                return i;
            }
        }

        return -1;
    }
}
