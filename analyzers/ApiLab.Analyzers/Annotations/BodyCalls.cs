using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The calls of spec members (anything <see cref="SpecCall.IsSpecMember"/>) in one operation block, lambdas and local
/// functions included. The flow rules build a control flow graph only for bodies whose spec calls can matter to them;
/// most bodies make none, and this list is what they test, so one walk of a body serves every rule.
/// </summary>
internal sealed class BodyCalls
{
    private static readonly BodyCalls Empty = new(ImmutableArray<(IInvocationOperation, SpecCall)>.Empty);

    private BodyCalls(ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> calls)
    {
        Calls = calls;
    }

    /// <summary>Each spec-member invocation (in no particular order) with what its callee declares.</summary>
    public ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> Calls { get; }

    /// <summary>The spec calls of every block of a body (a body can appear as several, possibly nested, blocks).</summary>
    public static IEnumerable<(IInvocationOperation Invocation, SpecCall Call)> Of(OperationBlockAnalysisContext context, SpecAnnotations spec)
    {
        foreach (var block in context.OperationBlocks)
        {
            foreach (var call in spec.CallsIn(block).Calls)
            {
                yield return call;
            }
        }
    }

    internal static BodyCalls Collect(IOperation block, SpecAnnotations spec)
    {
        ImmutableArray<(IInvocationOperation, SpecCall)>.Builder? calls = null;
        var pending = new Stack<IOperation>();
        pending.Push(block);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            if (operation is IInvocationOperation invocation && spec.Get(invocation.TargetMethod) is { IsSpecMember: true } call)
            {
                (calls ??= ImmutableArray.CreateBuilder<(IInvocationOperation, SpecCall)>()).Add((invocation, call));
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return calls is null ? Empty : new BodyCalls(calls.ToImmutable());
    }
}
