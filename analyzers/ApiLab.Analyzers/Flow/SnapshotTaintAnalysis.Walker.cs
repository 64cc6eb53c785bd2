using System.Collections.Generic;
using System.Collections.Immutable;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

internal sealed partial class SnapshotTaintAnalysis
{
    /// <summary>
    /// The transfer function: evaluates one block's (lowered) operations in order against a mutable state. Evaluating
    /// an operation returns the taint of its value (null: empty) and applies its stores to the state.
    /// </summary>
    private sealed class Walker
    {
        private readonly SnapshotTaintAnalysis _analysis;
        private readonly GraphContext _context;
        private readonly TaintState _state;
        private readonly bool _report;

        public Walker(SnapshotTaintAnalysis analysis, GraphContext context, TaintState state, bool report)
        {
            _analysis = analysis;
            _context = context;
            _state = state;
            _report = report;
        }

        public void Walk(BasicBlock block)
        {
            foreach (var operation in block.Operations)
            {
                Evaluate(operation);
            }

            Evaluate(block.BranchValue);
        }

        private Taint? Evaluate(IOperation? operation)
        {
            switch (operation)
            {
                case null:
                    return null;
                case ILocalReferenceOperation local:
                    return _state.Get(local.Local);
                case IParameterReferenceOperation parameter:
                    return _state.Get(parameter.Parameter);
                case IFlowCaptureReferenceOperation capture:
                    return _state.Get(capture.Id);
                case IFlowCaptureOperation capture:
                    RecordCapture(capture);
                    _state.Set(capture.Id, Evaluate(capture.Value));
                    return null;
                case ISimpleAssignmentOperation assignment:
                {
                    var value = Evaluate(assignment.Value);
                    Assign(assignment.Target, value);
                    return value;
                }

                case ICompoundAssignmentOperation assignment:
                {
                    var value = Taint.Combine(Evaluate(assignment.Target), Evaluate(assignment.Value));
                    Assign(assignment.Target, value);
                    return value;
                }

                case IDeconstructionAssignmentOperation deconstruction:
                    Deconstruct(deconstruction.Target, deconstruction.Value);
                    return null;
                case IInvocationOperation invocation:
                    return EvaluateInvocation(invocation);
                case IObjectCreationOperation creation:
                    return EvaluateCreation(creation);
                case IArrayCreationOperation array:
                    // A sized array holds default elements: empty until something is stored in it.
                    EvaluateAll(array.DimensionSizes);
                    return Evaluate(array.Initializer);
                case IArrayInitializerOperation initializer:
                    return CombineAll(initializer.ElementValues);
                case ICollectionExpressionOperation collection:
                    return CombineAll(collection.Elements);
                case IArrayElementReferenceOperation element:
                    // An element is as derived as its array; a snapshot-derived index does not make the address derived.
                    EvaluateAll(element.Indices);
                    return Evaluate(element.ArrayReference);
                case IPropertyReferenceOperation property:
                    EvaluateAll(property.Arguments);
                    return property.Instance is null ? Taint.Clean : Evaluate(property.Instance);
                case IFieldReferenceOperation field:
                    // Fields are not tracked: only what is read through a tracked instance is.
                    return field.Instance is null ? Taint.Clean : Evaluate(field.Instance);
                case IFlowAnonymousFunctionOperation lambda:
                    return EvaluateLambda(lambda);
                case ILiteralOperation literal:
                    return literal.ConstantValue.HasValue && literal.ConstantValue.Value is null ? null : Taint.Clean;
                case IDefaultValueOperation:
                    return null;
                case IInstanceReferenceOperation:
                    return Taint.Clean;
                default:
                    return EvaluateChildren(operation);
            }
        }

        private Taint? EvaluateChildren(IOperation operation)
        {
            var any = false;
            Taint? result = null;
            foreach (var child in operation.ChildOperations)
            {
                any = true;
                result = Taint.Combine(result, Evaluate(child));
            }

            return any ? result : Taint.Clean;
        }

        private Taint? CombineAll<T>(ImmutableArray<T> operations)
            where T : IOperation
        {
            Taint? result = null;
            foreach (var operation in operations)
            {
                result = Taint.Combine(result, Evaluate(operation));
            }

            return result;
        }

        private void EvaluateAll<T>(ImmutableArray<T> operations)
            where T : IOperation
        {
            foreach (var operation in operations)
            {
                Evaluate(operation);
            }
        }

        private Taint? EvaluateCreation(IObjectCreationOperation creation)
        {
            var arguments = CombineAll(creation.Arguments);
            var initializer = Evaluate(creation.Initializer);

            // new List<IoVec>(capacity) starts empty; new List<IoVec>(snapshotRanges) and new IoVec(v.Start, n) do not.
            if (IsCollection(creation.Type) && !AnyArgumentIsCollection(creation.Arguments))
            {
                return initializer;
            }

            return creation.Arguments.IsEmpty ? initializer : Taint.Combine(arguments, initializer);
        }

        private Taint? EvaluateInvocation(IInvocationOperation invocation)
        {
            var call = _analysis._spec.Get(invocation.TargetMethod);
            var instance = Evaluate(invocation.Instance);
            var arguments = invocation.Arguments;
            var values = new Taint?[arguments.Length];
            for (var i = 0; i < arguments.Length; i++)
            {
                values[i] = Evaluate(arguments[i].Value);
            }

            if (_report)
            {
                if (!call.TargetRangeOrdinals.IsEmpty)
                {
                    _analysis.Judge(invocation, call, values);
                }

                SeedLambdaParameters(arguments, instance, values);
            }

            // Arguments are evaluated before the call runs, so the call's own ranges are judged against the old layout.
            if (call.InvalidatesLayout)
            {
                _state.InvalidateAll(invocation.TargetMethod);
            }

            if (call.IsSnapshot)
            {
                var result = Taint.From(new SnapshotFact(call.Snapshot!, call.RevalidatedBy, invalidatedBy: null));
                for (var i = 0; i < arguments.Length; i++)
                {
                    if (arguments[i].Parameter?.RefKind is RefKind.Out or RefKind.Ref)
                    {
                        Assign(arguments[i].Value, result);
                    }
                }

                return result;
            }

            if (call.IsSpecMember)
            {
                // A kernel answer: not a function of the addresses passed in.
                return Taint.Clean;
            }

            return EvaluateOrdinaryCall(invocation, instance, values);
        }

        /// <summary>
        /// An unannotated call: its result is derived from its receiver and inputs, and it may store its inputs into
        /// its receiver (<c>list.Add(x)</c>, also as an extension method) and into out/ref arguments.
        /// </summary>
        private Taint? EvaluateOrdinaryCall(IInvocationOperation invocation, Taint? instance, Taint?[] values)
        {
            var arguments = invocation.Arguments;
            var receiver = invocation.Instance;
            var firstInput = 0;
            if (receiver is null && invocation.TargetMethod.IsExtensionMethod && arguments.Length > 0)
            {
                receiver = arguments[0].Value;
                firstInput = 1;
            }

            Taint? inputs = null;
            for (var i = firstInput; i < arguments.Length; i++)
            {
                if (arguments[i].Parameter?.RefKind != RefKind.Out)
                {
                    inputs = Taint.Combine(inputs, values[i]);
                }
            }

            var receiverTaint = firstInput == 1 ? values[0] : instance;
            var result = Taint.Combine(receiverTaint, inputs);

            if (inputs is not null && receiver is not null && RootOf(receiver) is { } root)
            {
                StoreInto(root, inputs);
            }

            for (var i = 0; i < arguments.Length; i++)
            {
                switch (arguments[i].Parameter?.RefKind)
                {
                    case RefKind.Out:
                        Assign(arguments[i].Value, result);
                        break;
                    case RefKind.Ref when RootOf(arguments[i].Value) is { } refRoot:
                        StoreInto(refRoot, result);
                        break;
                }
            }

            return result;
        }

        /// <summary>The value of a lambda is what it reads from the enclosing scope (a deferred computation over it).</summary>
        private Taint? EvaluateLambda(IFlowAnonymousFunctionOperation lambda)
        {
            if (!_context.LambdaReads.TryGetValue(lambda, out var reads))
            {
                reads = CollectReads(_context.Graph, lambda);
                _context.LambdaReads[lambda] = reads;
            }

            Taint? result = null;
            foreach (var symbol in reads)
            {
                result = Taint.Combine(result, _state.Get(symbol));
            }

            if (_report)
            {
                if (_context.Lambdas.TryGetValue(lambda, out var existing))
                {
                    existing.CapturedState.JoinWith(_state);
                }
                else
                {
                    _context.Lambdas[lambda] = new LambdaContext(_state.Clone());
                }
            }

            return result ?? Taint.Clean;
        }

        private ImmutableArray<ISymbol> CollectReads(ControlFlowGraph graph, IFlowAnonymousFunctionOperation lambda)
        {
            var reads = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<(ControlFlowGraph Graph, IFlowAnonymousFunctionOperation Lambda)>();
            pending.Push((graph, lambda));
            while (pending.Count > 0)
            {
                var (outer, current) = pending.Pop();
                var body = outer.GetAnonymousFunctionControlFlowGraph(current, _analysis._cancellationToken);
                foreach (var block in body.Blocks)
                {
                    foreach (var root in Roots(block))
                    {
                        foreach (var operation in root.DescendantsAndSelf())
                        {
                            switch (operation)
                            {
                                case ILocalReferenceOperation local:
                                    reads.Add(local.Local);
                                    break;
                                case IParameterReferenceOperation parameter:
                                    reads.Add(parameter.Parameter);
                                    break;
                                case IFlowAnonymousFunctionOperation nested:
                                    pending.Push((body, nested));
                                    break;
                            }
                        }
                    }
                }
            }

            return reads.ToImmutableArray();
        }

        private static IEnumerable<IOperation> Roots(BasicBlock block)
        {
            foreach (var operation in block.Operations)
            {
                yield return operation;
            }

            if (block.BranchValue is not null)
            {
                yield return block.BranchValue;
            }
        }

        /// <summary>Elements of what a call receives flow into the lambdas it also receives (LINQ, ForEach).</summary>
        private void SeedLambdaParameters(ImmutableArray<IArgumentOperation> arguments, Taint? instance, Taint?[] values)
        {
            for (var i = 0; i < arguments.Length; i++)
            {
                if (LambdaOf(arguments[i].Value) is not { } lambda || !_context.Lambdas.TryGetValue(lambda, out var context))
                {
                    continue;
                }

                var source = instance;
                for (var j = 0; j < arguments.Length; j++)
                {
                    if (j != i)
                    {
                        source = Taint.Combine(source, values[j]);
                    }
                }

                context.ParameterTaint = Taint.Combine(context.ParameterTaint, source);
            }
        }

        private IFlowAnonymousFunctionOperation? LambdaOf(IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IDelegateCreationOperation delegateCreation:
                        operation = delegateCreation.Target;
                        break;
                    case IFlowCaptureReferenceOperation capture:
                        return _context.CaptureLambdas.TryGetValue(capture.Id, out var captured) ? captured : null;
                    case IFlowAnonymousFunctionOperation lambda:
                        return lambda;
                    default:
                        return null;
                }
            }
        }

        private void RecordCapture(IFlowCaptureOperation capture)
        {
            var value = capture.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            ISymbol? symbol = value switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };

            if (symbol is not null)
            {
                if (!_context.CaptureAliases.TryGetValue(capture.Id, out var aliases))
                {
                    aliases = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                    _context.CaptureAliases[capture.Id] = aliases;
                }

                aliases.Add(symbol);
            }
            else if (LambdaOf(value) is { } lambda)
            {
                _context.CaptureLambdas[capture.Id] = lambda;
            }
        }

        /// <summary>A store: strong into a variable, weak (content added) into whatever object a member access roots at.</summary>
        private void Assign(IOperation target, Taint? value)
        {
            switch (target)
            {
                case ILocalReferenceOperation local:
                    _state.Set(local.Local, value);
                    break;
                case IParameterReferenceOperation parameter:
                    _state.Set(parameter.Parameter, value);
                    break;
                case IFlowCaptureReferenceOperation capture:
                    _state.Set(capture.Id, value);
                    StoreIntoAliases(capture.Id, value);
                    break;
                case IDeclarationExpressionOperation or ITupleOperation:
                    AssignAll(target, value);
                    break;
                case IDiscardOperation:
                    break;
                default:
                    EvaluateChildren(target);
                    if (RootOf(target) is { } root)
                    {
                        StoreInto(root, value);
                    }

                    break;
            }
        }

        private void Deconstruct(IOperation target, IOperation value)
        {
            if (target is IDeclarationExpressionOperation declaration)
            {
                target = declaration.Expression;
            }

            var source = value;
            while (source is IConversionOperation conversion)
            {
                source = conversion.Operand;
            }

            if (target is ITupleOperation targets && source is ITupleOperation sources
                && targets.Elements.Length == sources.Elements.Length)
            {
                // (a, b) = (x, y): element-wise, so a snapshot-derived x does not taint b.
                var values = new Taint?[sources.Elements.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Evaluate(sources.Elements[i]);
                }

                for (var i = 0; i < values.Length; i++)
                {
                    Assign(targets.Elements[i], values[i]);
                }

                return;
            }

            AssignAll(target, Evaluate(value));
        }

        /// <summary>Deconstructing an opaque value: every part is as derived as the whole.</summary>
        private void AssignAll(IOperation target, Taint? value)
        {
            switch (target)
            {
                case IDeclarationExpressionOperation declaration:
                    AssignAll(declaration.Expression, value);
                    break;
                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        AssignAll(element, value);
                    }

                    break;
                default:
                    Assign(target, value);
                    break;
            }
        }

        private void StoreInto(object root, Taint? value)
        {
            if (value is null)
            {
                return;
            }

            _state.Add(root, value);
            if (root is CaptureId capture)
            {
                StoreIntoAliases(capture, value);
            }
        }

        private void StoreIntoAliases(CaptureId capture, Taint? value)
        {
            if (value is not null && _context.CaptureAliases.TryGetValue(capture, out var aliases))
            {
                foreach (var alias in aliases)
                {
                    _state.Add(alias, value);
                }
            }
        }

        /// <summary>The tracked variable whose object a member or element access reaches into, if any.</summary>
        private static object? RootOf(IOperation operation)
        {
            while (true)
            {
                switch (operation)
                {
                    case IConversionOperation conversion:
                        operation = conversion.Operand;
                        break;
                    case IFieldReferenceOperation { Instance: { } instance }:
                        operation = instance;
                        break;
                    case IPropertyReferenceOperation { Instance: { } instance }:
                        operation = instance;
                        break;
                    case IArrayElementReferenceOperation element:
                        operation = element.ArrayReference;
                        break;
                    case IInlineArrayAccessOperation inlineArray:
                        operation = inlineArray.Instance;
                        break;
                    case ILocalReferenceOperation local:
                        return local.Local;
                    case IParameterReferenceOperation parameter:
                        return parameter.Parameter;
                    case IFlowCaptureReferenceOperation capture:
                        return capture.Id;
                    default:
                        return null;
                }
            }
        }

        private static bool IsCollection(ITypeSymbol? type) =>
            type is IArrayTypeSymbol
            || (type is not null && type.SpecialType != SpecialType.System_String && ImplementsEnumerable(type));

        private static bool AnyArgumentIsCollection(ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                var type = argument.Value is IConversionOperation conversion ? conversion.Operand.Type : argument.Value.Type;
                if (IsCollection(type))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ImplementsEnumerable(ITypeSymbol type)
        {
            if (type.SpecialType == SpecialType.System_Collections_IEnumerable)
            {
                return true;
            }

            foreach (var @interface in type.AllInterfaces)
            {
                if (@interface.SpecialType == SpecialType.System_Collections_IEnumerable)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
