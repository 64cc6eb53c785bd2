using System.Collections.Immutable;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

internal sealed partial class SnapshotTaintAnalysis
{
    /// <summary>
    /// Judges each <c>[TargetRange]</c> argument of a call. A snapshot-derived range is safe only when a
    /// <c>[Revalidates]</c> argument carries a handle from the same snapshot family (the snapshot's
    /// <c>RevalidatedBy</c> type) on every path, and that handle is no fresher than the range: a cookie taken after an
    /// <c>[InvalidatesLayout]</c> call vouches for the new layout, not for ranges read before it. A stale range with a
    /// stale cookie is safe: the kernel refuses the call.
    /// </summary>
    private void Judge(IInvocationOperation invocation, SpecCall call, Taint?[] values)
    {
        var arguments = invocation.Arguments;
        for (var i = 0; i < arguments.Length; i++)
        {
            var argument = arguments[i];
            if (argument.Parameter is not { } parameter
                || !call.TargetRangeOrdinals.Contains(parameter.Ordinal)
                || values[i] is not { IsDerived: true } range
                || !_judged.Add(argument.Syntax))
            {
                continue;
            }

            if (FindUnguardedFact(arguments, call, values, range) is { } finding)
            {
                _findings.Add(new RangeFinding(argument, invocation.TargetMethod, finding.Fact, finding.Kind, finding.IsMaybe, RevalidatorOf(arguments, call)));
            }
        }
    }

    private static (SnapshotFact Fact, RangeFindingKind Kind, bool IsMaybe)? FindUnguardedFact(
        ImmutableArray<IArgumentOperation> arguments,
        SpecCall call,
        Taint?[] values,
        Taint range)
    {
        (SnapshotFact Fact, RangeFindingKind Kind, bool IsMaybe)? best = null;
        foreach (var fact in range.Facts)
        {
            var vouched = VouchFor(arguments, call, values, fact);
            if (vouched == Derivation.Must)
            {
                continue;
            }

            var kind = fact.IsStale ? RangeFindingKind.Invalidated
                : call.RevalidatesOrdinals.IsEmpty ? RangeFindingKind.NotRevalidated
                : RangeFindingKind.ForeignRevalidator;
            var isMaybe = range.Derivation == Derivation.Maybe || vouched == Derivation.Maybe;

            // Deterministic choice among several unguarded snapshots: definite before maybe, then stale first, then by name.
            if (best is null || IsBetter(kind, isMaybe, fact, best.Value))
            {
                best = (fact, kind, isMaybe);
            }
        }

        return best;
    }

    private static bool IsBetter(RangeFindingKind kind, bool isMaybe, SnapshotFact fact, (SnapshotFact Fact, RangeFindingKind Kind, bool IsMaybe) current)
    {
        if (isMaybe != current.IsMaybe)
        {
            return !isMaybe;
        }

        var stale = kind == RangeFindingKind.Invalidated;
        var currentStale = current.Kind == RangeFindingKind.Invalidated;
        if (stale != currentStale)
        {
            return stale;
        }

        return string.CompareOrdinal(fact.Snapshot.ToDisplayString(), current.Fact.Snapshot.ToDisplayString()) < 0;
    }

    /// <summary>How surely the call's <c>[Revalidates]</c> arguments carry a handle that vouches for <paramref name="fact"/>.</summary>
    private static Derivation VouchFor(ImmutableArray<IArgumentOperation> arguments, SpecCall call, Taint?[] values, SnapshotFact fact)
    {
        if (fact.RevalidatedBy is null || call.RevalidatesOrdinals.IsEmpty)
        {
            return Derivation.None;
        }

        var best = Derivation.None;
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Parameter is not { } parameter
                || !call.RevalidatesOrdinals.Contains(parameter.Ordinal)
                || values[i] is not { IsDerived: true } handle)
            {
                continue;
            }

            foreach (var handleFact in handle.Facts)
            {
                if (SymbolEqualityComparer.Default.Equals(handleFact.RevalidatedBy, fact.RevalidatedBy)
                    && (!fact.IsStale || handleFact.IsStale)
                    && handle.Derivation > best)
                {
                    best = handle.Derivation;
                }
            }
        }

        return best;
    }

    private static IParameterSymbol? RevalidatorOf(ImmutableArray<IArgumentOperation> arguments, SpecCall call)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter && call.RevalidatesOrdinals.Contains(parameter.Ordinal))
            {
                return parameter;
            }
        }

        return null;
    }
}
