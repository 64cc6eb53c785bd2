using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The calls of spec members (anything <see cref="SpecCall.IsSpecMember"/>) in one operation block, lambdas and local
/// functions included. The flow rules build a control flow graph only for bodies whose spec calls can matter to them;
/// most bodies make none, and this list is what they test, so one walk of a body serves every rule. The calls outside
/// any lambda or local function are listed apart: they are the ones in the body's own graph, the only graph the
/// typestate rules (APILAB1004, 1005, 1007) analyse.
/// </summary>
internal sealed class BodyCalls
{
    private static readonly BodyCalls Empty = new(
        ImmutableArray<(IInvocationOperation, SpecCall)>.Empty, ImmutableArray<(IInvocationOperation, SpecCall)>.Empty);

    private BodyCalls(
        ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> calls,
        ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> topLevel)
    {
        Calls = calls;
        TopLevel = topLevel;
    }

    /// <summary>Each spec-member invocation (in no particular order) with what its callee declares.</summary>
    public ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> Calls { get; }

    /// <summary>The <see cref="Calls"/> not inside a lambda or local function.</summary>
    public ImmutableArray<(IInvocationOperation Invocation, SpecCall Call)> TopLevel { get; }

    /// <summary>The spec calls of every block of a body (a body can appear as several, possibly nested, blocks).</summary>
    public static IEnumerable<(IInvocationOperation Invocation, SpecCall Call)> Of(SpecBody context, SpecAnnotations spec)
    {
        for (var i = 0; i < context.OperationBlocks.Length; i++)
        {
            foreach (var call in context.CallsIn(i, spec).Calls)
            {
                yield return call;
            }
        }
    }

    /// <summary>The spec calls outside lambdas and local functions of every block of a body.</summary>
    public static IEnumerable<(IInvocationOperation Invocation, SpecCall Call)> TopLevelOf(SpecBody context, SpecAnnotations spec)
    {
        for (var i = 0; i < context.OperationBlocks.Length; i++)
        {
            foreach (var call in context.CallsIn(i, spec).TopLevel)
            {
                yield return call;
            }
        }
    }

    internal static BodyCalls Collect(IOperation block, SpecAnnotations spec)
    {
        ImmutableArray<(IInvocationOperation, SpecCall)>.Builder? calls = null;
        ImmutableArray<(IInvocationOperation, SpecCall)>.Builder? topLevel = null;
        var pending = new Stack<(IOperation Operation, bool Nested)>(32);
        pending.Push((block, false));
        while (pending.Count > 0)
        {
            var (operation, nested) = pending.Pop();
            if (operation is IInvocationOperation invocation && spec.Get(invocation.TargetMethod) is { IsSpecMember: true } call)
            {
                (calls ??= ImmutableArray.CreateBuilder<(IInvocationOperation, SpecCall)>()).Add((invocation, call));
                if (!nested)
                {
                    (topLevel ??= ImmutableArray.CreateBuilder<(IInvocationOperation, SpecCall)>()).Add((invocation, call));
                }
            }

            nested |= operation is IAnonymousFunctionOperation or ILocalFunctionOperation;
            foreach (var child in operation.ChildOperations)
            {
                pending.Push((child, nested));
            }
        }

        if (calls is null)
        {
            return Empty;
        }

        // Usually no call is in a lambda or local function: then both lists are one array.
        var all = calls.ToImmutable();
        return new BodyCalls(
            all,
            topLevel is null ? ImmutableArray<(IInvocationOperation, SpecCall)>.Empty
                : topLevel.Count == all.Length ? all
                : topLevel.ToImmutable());
    }
}
