using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

/// <summary>One APILAB1005 finding: a use of a released handle, or a handle still open at the exit.</summary>
internal readonly record struct HandleFinding(SyntaxNode Node, IMethodSymbol Creator, ITypeSymbol HandleType, bool IsLeak, bool IsMaybe);

/// <summary>
/// APILAB1005's typestate analysis. A handle is born at a spec call returning a releasable <c>[Handle]</c> type
/// (Pending while still wrapped in a SysResult, Open once <c>.Value</c> is read), becomes Released when it reaches a
/// <c>[Releases]</c> parameter, and Escaped when it is returned, stored in a field, element or object, captured by a
/// lambda or local function, or passed to unannotated code (which may keep or close it). Reading a handle that is
/// Released on every path is a use after release (on some paths: a maybe finding); a handle that may still be Open at
/// the exit leaks.
/// </summary>
internal sealed class HandleAnalysis : ForwardDataflow<HandleState>
{
    private readonly SpecAnnotations _spec;
    private readonly Func<IMethodSymbol, SpecCall, ITypeSymbol, bool> _isReleasable;
    private readonly HashSet<ISymbol> _captured;
    private readonly Dictionary<SyntaxNode, (IMethodSymbol Creator, ITypeSymbol Type)> _creators = new();
    private readonly HashSet<SyntaxNode> _reported = new();
    private readonly ImmutableArray<HandleFinding>.Builder _findings = ImmutableArray.CreateBuilder<HandleFinding>();

    private HandleAnalysis(SpecAnnotations spec, Func<IMethodSymbol, SpecCall, ITypeSymbol, bool> isReleasable, HashSet<ISymbol> captured)
    {
        _spec = spec;
        _isReleasable = isReleasable;
        _captured = captured;
    }

    public static ImmutableArray<HandleFinding> Run(
        ControlFlowGraph graph,
        SpecAnnotations spec,
        Func<IMethodSymbol, SpecCall, ITypeSymbol, bool> isReleasable,
        CancellationToken cancellationToken)
    {
        var analysis = new HandleAnalysis(spec, isReleasable, CapturedVariables(graph, cancellationToken));
        var exit = analysis.Run(graph, new HandleState(), cancellationToken);
        if (exit is not null)
        {
            foreach (var pair in exit.Handles)
            {
                if ((pair.Value & HandleFlags.Open) != 0 && analysis._creators.TryGetValue(pair.Key, out var creator))
                {
                    analysis._findings.Add(new HandleFinding(pair.Key, creator.Creator, creator.Type, IsLeak: true, IsMaybe: pair.Value != HandleFlags.Open));
                }
            }
        }

        return analysis._findings.ToImmutable();
    }

    protected override HandleState Clone(HandleState state) => state.Clone();

    protected override bool JoinInto(HandleState target, HandleState other) => target.JoinWith(other);

    protected override void Transfer(BasicBlock block, HandleState state, bool report)
    {
        var walker = new Walker(this, state, report);
        foreach (var root in block.Operations)
        {
            var operation = root is IExpressionStatementOperation statement ? statement.Operation : root;

            // A call whose result is dropped: a handle it returns is lost at once, errno or not.
            var handles = walker.Evaluate(operation);
            if (OperationOrder.SkipConversions(operation) is IInvocationOperation)
            {
                state.Mark(handles, HandleFlags.Open);
            }
        }

        var branch = walker.Evaluate(block.BranchValue);
        if (block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
        {
            state.Mark(branch, HandleFlags.Escaped);
        }
    }

    /// <summary>Locals and parameters that a lambda or local function reads: a handle stored in one escapes.</summary>
    private static HashSet<ISymbol> CapturedVariables(ControlFlowGraph graph, CancellationToken cancellationToken)
    {
        var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var pending = new Stack<ControlFlowGraph>();
        foreach (var localFunction in graph.LocalFunctions)
        {
            pending.Push(graph.GetLocalFunctionControlFlowGraph(localFunction, cancellationToken));
        }

        Collect(graph, topLevel: true);
        while (pending.Count > 0)
        {
            Collect(pending.Pop(), topLevel: false);
        }

        return captured;

        void Collect(ControlFlowGraph current, bool topLevel)
        {
            foreach (var block in current.Blocks)
            {
                foreach (var root in OperationOrder.Roots(block))
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        switch (operation)
                        {
                            case IFlowAnonymousFunctionOperation lambda:
                                pending.Push(current.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken));
                                break;
                            case ILocalReferenceOperation local when !topLevel:
                                captured.Add(local.Local);
                                break;
                            case IParameterReferenceOperation parameter when !topLevel:
                                captured.Add(parameter.Parameter);
                                break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Evaluates operations against a state: returns the handles a value may be, applies effects.</summary>
    private sealed class Walker
    {
        private readonly HandleAnalysis _analysis;
        private readonly HandleState _state;
        private readonly bool _report;

        public Walker(HandleAnalysis analysis, HandleState state, bool report)
        {
            _analysis = analysis;
            _state = state;
            _report = report;
        }

        public ImmutableHashSet<SyntaxNode>? Evaluate(IOperation? operation)
        {
            switch (operation)
            {
                case null:
                    return null;
                case ILocalReferenceOperation local:
                    return Read(local.Local, local);
                case IParameterReferenceOperation parameter:
                    return Read(parameter.Parameter, parameter);
                case IFlowCaptureReferenceOperation capture:
                    return _state.Get(capture.Id);
                case IFlowCaptureOperation capture:
                    _state.Set(capture.Id, Evaluate(capture.Value));
                    return null;
                case IConversionOperation conversion:
                    return Evaluate(conversion.Operand);
                case ISimpleAssignmentOperation assignment:
                {
                    var value = Evaluate(assignment.Value);
                    Assign(assignment.Target, value);
                    return value;
                }

                case IInvocationOperation invocation:
                    return EvaluateInvocation(invocation);
                case IPropertyReferenceOperation property:
                    return EvaluateProperty(property);
                case IObjectCreationOperation or IAnonymousObjectCreationOperation or ITupleOperation or IArrayCreationOperation
                    or ICollectionExpressionOperation or IDeconstructionAssignmentOperation:
                    // Stored in an object (or spread into several variables): no longer tracked here.
                    _state.Mark(EvaluateChildren(operation), HandleFlags.Escaped);
                    return null;
                default:
                    EvaluateChildren(operation);
                    return null;
            }
        }

        private ImmutableHashSet<SyntaxNode>? EvaluateChildren(IOperation operation)
        {
            ImmutableHashSet<SyntaxNode>? all = null;
            foreach (var child in operation.ChildOperations)
            {
                all = Union(all, Evaluate(child));
            }

            return all;
        }

        private ImmutableHashSet<SyntaxNode>? Read(ISymbol variable, IOperation reference)
        {
            var handles = _state.Get(variable);
            if (_report && handles is not null)
            {
                var released = 0;
                var other = 0;
                foreach (var handle in handles)
                {
                    var flags = _state.Handles.TryGetValue(handle, out var f) ? f : HandleFlags.None;
                    if ((flags & HandleFlags.Released) != 0)
                    {
                        released++;
                    }

                    if ((flags & ~HandleFlags.Released) != 0)
                    {
                        other++;
                    }
                }

                if (released > 0 && _analysis._reported.Add(reference.Syntax))
                {
                    var creator = _analysis._creators[First(handles)];
                    _analysis._findings.Add(new HandleFinding(reference.Syntax, creator.Creator, creator.Type, IsLeak: false, IsMaybe: other > 0));
                }
            }

            return handles;
        }

        private void Assign(IOperation target, ImmutableHashSet<SyntaxNode>? value)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    _state.Set(local.Local, value);
                    if (_analysis._captured.Contains(local.Local))
                    {
                        _state.Mark(value, HandleFlags.Escaped);
                    }

                    break;
                case IParameterReferenceOperation parameter:
                    _state.Set(parameter.Parameter, value);
                    if (parameter.Parameter.RefKind != RefKind.None || _analysis._captured.Contains(parameter.Parameter))
                    {
                        _state.Mark(value, HandleFlags.Escaped);
                    }

                    break;
                case IFlowCaptureReferenceOperation capture:
                    _state.Set(capture.Id, value);
                    break;
                case IDiscardOperation:
                    break;
                default:
                    // A field, property, element or out parameter: the handle now lives outside this body's locals.
                    EvaluateChildren(target);
                    _state.Mark(value, HandleFlags.Escaped);
                    break;
            }
        }

        private ImmutableHashSet<SyntaxNode>? EvaluateInvocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var call = _analysis._spec.Get(method);
            Evaluate(invocation.Instance);
            foreach (var argument in invocation.Arguments)
            {
                var value = Evaluate(argument.Value);
                if (value is null)
                {
                    continue;
                }

                if (!call.IsSpecMember)
                {
                    _state.Mark(value, HandleFlags.Escaped);
                }
                else if (argument.Parameter is { } parameter && call.ReleasesOrdinals.Contains(parameter.Ordinal))
                {
                    _state.Mark(value, HandleFlags.Released);
                }
            }

            if (!call.IsSpecMember)
            {
                return null;
            }

            var handleType = _analysis._spec.ResultValueType(method);
            if (!_analysis._spec.IsHandle(handleType) || !_analysis._isReleasable(method, call, handleType))
            {
                return null;
            }

            var node = invocation.Syntax;
            _analysis._creators[node] = (call.Declaration ?? method, handleType);
            var isWrapped = _analysis._spec.SysResultValueType(method.ReturnType) is not null;
            _state.Handles[node] = isWrapped ? HandleFlags.Pending : HandleFlags.Open;
            return ImmutableHashSet.Create(node);
        }

        private ImmutableHashSet<SyntaxNode>? EvaluateProperty(IPropertyReferenceOperation property)
        {
            var instance = Evaluate(property.Instance);
            EvaluateChildren(property);
            if (instance is null || _analysis._spec.SysResultValueType(property.Instance?.Type) is null)
            {
                // A member of the handle itself (fd.Fd): a use, already checked when the handle was read.
                return null;
            }

            if (property.Property.Name is not (WellKnownTypeNames.SysResultValue or WellKnownTypeNames.SysResultValueOrDefault))
            {
                return null;
            }

            // Unwrapping: the call succeeded on this path, so the handle is open.
            foreach (var handle in instance)
            {
                if (_state.Handles.TryGetValue(handle, out var flags) && (flags & HandleFlags.Pending) != 0)
                {
                    _state.Handles[handle] = (flags & ~HandleFlags.Pending) | HandleFlags.Open;
                }
            }

            return instance;
        }

        private static ImmutableHashSet<SyntaxNode>? Union(ImmutableHashSet<SyntaxNode>? a, ImmutableHashSet<SyntaxNode>? b) =>
            a is null ? b : b is null ? a : a.Union(b);

        /// <summary>A deterministic representative of several handles: the earliest in the source.</summary>
        private static SyntaxNode First(ImmutableHashSet<SyntaxNode> handles)
        {
            SyntaxNode? first = null;
            foreach (var handle in handles)
            {
                if (first is null || handle.SpanStart < first.SpanStart)
                {
                    first = handle;
                }
            }

            return first!;
        }
    }
}
