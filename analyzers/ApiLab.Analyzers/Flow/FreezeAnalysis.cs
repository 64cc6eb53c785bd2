using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

/// <summary>How well the ranges of a call are frozen at that point.</summary>
internal enum Coverage : byte
{
    /// <summary>No <c>[Freezes]</c> call covers it on any path.</summary>
    None,

    /// <summary>Covered on some paths only (or the range cannot be named while something was frozen).</summary>
    Maybe,

    /// <summary>Covered on every path.</summary>
    Must,
}

/// <summary>One unfrozen range argument of a <c>[TargetVisible]</c> call.</summary>
internal readonly record struct FreezeFinding(IArgumentOperation Argument, IMethodSymbol Callee, Coverage Coverage);

/// <summary>
/// APILAB1004's must/maybe analysis: which range paths (see <see cref="RangeKeys"/>) a <c>[Freezes]</c> call has frozen
/// on the paths reaching each point. An assignment to a path's root variable thaws it (it names another range now).
/// A <c>[Freezes]</c> call that takes no <c>[TargetRange]</c> (a stopped target) freezes everything.
/// </summary>
internal sealed class FreezeAnalysis : ForwardDataflow<Dictionary<string, bool>>
{
    private readonly SpecAnnotations _spec;
    private readonly ImmutableArray<FreezeFinding>.Builder _findings = ImmutableArray.CreateBuilder<FreezeFinding>();

    private FreezeAnalysis(SpecAnnotations spec)
    {
        _spec = spec;
    }

    public static ImmutableArray<FreezeFinding> Run(ControlFlowGraph graph, SpecAnnotations spec, CancellationToken cancellationToken)
    {
        var analysis = new FreezeAnalysis(spec);
        analysis.Run(graph, new Dictionary<string, bool>(), cancellationToken);
        return analysis._findings.ToImmutable();
    }

    /// <summary>A call on another process's (or a VMA's, a uffd's) memory, as opposed to the caller's own.</summary>
    public static bool IsForeign(SpecCall call) => call.TargetKind is { } kind && kind != WellKnownTypeNames.TargetKindSelf;

    protected override Dictionary<string, bool> Clone(Dictionary<string, bool> state) => new(state);

    /// <summary>Value true: frozen on every path; false: on some.</summary>
    protected override bool JoinInto(Dictionary<string, bool> target, Dictionary<string, bool> other)
    {
        if (target.Count == 0 && other.Count == 0)
        {
            return false;
        }

        List<string>? weakened = null;
        foreach (var pair in target)
        {
            if (pair.Value && (!other.TryGetValue(pair.Key, out var must) || !must))
            {
                (weakened ??= new List<string>()).Add(pair.Key);
            }
        }

        var changed = false;
        if (weakened is not null)
        {
            foreach (var key in weakened)
            {
                target[key] = false;
            }

            changed = true;
        }

        foreach (var pair in other)
        {
            if (!target.ContainsKey(pair.Key))
            {
                target[pair.Key] = false;
                changed = true;
            }
        }

        return changed;
    }

    protected override void Transfer(BasicBlock block, Dictionary<string, bool> state, bool report)
    {
        foreach (var operation in block.Operations)
        {
            Visit(operation, state, report);
        }

        if (block.BranchValue is { } branch)
        {
            Visit(branch, state, report);
        }
    }

    /// <summary>Children first: arguments run before the call that takes them.</summary>
    private void Visit(IOperation operation, Dictionary<string, bool> state, bool report)
    {
        foreach (var child in operation.ChildOperations)
        {
            Visit(child, state, report);
        }

        switch (operation)
        {
            case IInvocationOperation invocation:
                OnCall(invocation, state, report);
                break;
            case IDeconstructionAssignmentOperation deconstruction:
                foreach (var target in deconstruction.Target.DescendantsAndSelf())
                {
                    Thaw(target, state);
                }

                break;
            case IAssignmentOperation assignment:
                Thaw(assignment.Target, state);
                break;
        }
    }

    private void OnCall(IInvocationOperation invocation, Dictionary<string, bool> state, bool report)
    {
        var call = _spec.Get(invocation.TargetMethod);
        if (report && call.TargetVisible && IsForeign(call))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && call.TargetRangeOrdinals.Contains(parameter.Ordinal))
                {
                    var coverage = CoverageOf(argument.Value, state);
                    if (coverage != Coverage.Must)
                    {
                        _findings.Add(new FreezeFinding(argument, invocation.TargetMethod, coverage));
                    }
                }
            }
        }

        if (call.Freezes)
        {
            var any = false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter && call.TargetRangeOrdinals.Contains(parameter.Ordinal))
                {
                    any = true;
                    if (RangeKeys.PathOf(argument.Value) is { } path)
                    {
                        state[path] = true;
                    }

                    foreach (var element in RangeKeys.ElementPathsOf(argument.Value))
                    {
                        state[element] = true;
                    }
                }
            }

            if (!any)
            {
                state[RangeKeys.Everything] = true;
            }
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.RefKind is RefKind.Out or RefKind.Ref)
            {
                Thaw(argument.Value, state);
            }
        }
    }

    private static Coverage CoverageOf(IOperation range, Dictionary<string, bool> state)
    {
        if (state.TryGetValue(RangeKeys.Everything, out var all) && all)
        {
            return Coverage.Must;
        }

        var floor = state.ContainsKey(RangeKeys.Everything) ? Coverage.Maybe : Coverage.None;
        if (RangeKeys.PathOf(range) is { } path)
        {
            return state.TryGetValue(path, out var must) ? (must ? Coverage.Must : Coverage.Maybe) : floor;
        }

        var elements = RangeKeys.ElementPathsOf(range);
        if (elements.IsEmpty)
        {
            // An address computed in place cannot be matched: uncertain if anything is frozen here, else plainly unfrozen.
            return state.Count > 0 ? Coverage.Maybe : Coverage.None;
        }

        var result = Coverage.Must;
        foreach (var element in elements)
        {
            if (!state.TryGetValue(element, out var must))
            {
                return floor;
            }

            if (!must)
            {
                result = Coverage.Maybe;
            }
        }

        return result;
    }

    private static void Thaw(IOperation target, Dictionary<string, bool> state)
    {
        // Most bodies freeze nothing: then there is nothing to thaw, and no key to build.
        if (state.Count == 0)
        {
            return;
        }

        var root = OperationOrder.SkipConversions(target) switch
        {
            ILocalReferenceOperation local => RangeKeys.RootKey(local.Local),
            IParameterReferenceOperation parameter => RangeKeys.RootKey(parameter.Parameter),
            _ => RangeKeys.PathOf(target),
        };

        if (root is null)
        {
            return;
        }

        List<string>? thawed = null;
        foreach (var key in state.Keys)
        {
            if (key == root || RangeKeys.RootOfPath(key) == root || key.StartsWith(root + ".", System.StringComparison.Ordinal))
            {
                (thawed ??= new List<string>()).Add(key);
            }
        }

        if (thawed is not null)
        {
            foreach (var key in thawed)
            {
                state.Remove(key);
            }
        }
    }
}
