using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using ApiLab.Analyzers.Annotations;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ApiLab.Analyzers.Flow;

/// <summary>Where the memory an address points into came from (a set: parts and paths add up).</summary>
[System.Flags]
internal enum AllocationOrigin : byte
{
    None = 0,

    /// <summary>An <c>[Allocates]</c> call without both ExcludedFromDump and HiddenFromChild.</summary>
    Exposed = 1,

    /// <summary>An <c>[Allocates]</c> call with both.</summary>
    Protected = 2,

    /// <summary>On some path the value came from somewhere else (a parameter, a field): unknown memory.</summary>
    Elsewhere = 4,
}

/// <summary>The abstract value of one variable for APILAB1007: how secret it is, and what memory it may address.</summary>
/// <param name="Secret">0: not secret; 1: secret on some paths; 2: secret on every path that gives it data.</param>
/// <param name="Origin">The allocations the value may point into.</param>
internal sealed record Provenance(byte Secret, AllocationOrigin Origin)
{
    public static readonly Provenance Clean = new(0, AllocationOrigin.None);

    public static readonly Provenance SecretValue = new(2, AllocationOrigin.None);

    /// <summary>Parts of one value: secret if any part is; addresses from every part.</summary>
    public static Provenance? Combine(Provenance? a, Provenance? b) =>
        a is null ? b : b is null ? a : new(a.Secret > b.Secret ? a.Secret : b.Secret, a.Origin | b.Origin);

    /// <summary>One value from two paths (null, "empty", is the identity).</summary>
    public static Provenance? Join(Provenance? a, Provenance? b)
    {
        if (a is null || a == b)
        {
            return b;
        }

        if (b is null)
        {
            return a;
        }

        var secret = a.Secret == b.Secret ? a.Secret : (byte)1;
        var origin = a.Origin | b.Origin;
        if ((a.Origin == AllocationOrigin.None) != (b.Origin == AllocationOrigin.None))
        {
            origin |= AllocationOrigin.Elsewhere;
        }

        return new(secret, origin);
    }
}

/// <summary>One APILAB1007 finding: a secret payload argument and whether it is certain.</summary>
internal readonly record struct SecretFinding(IArgumentOperation Payload, IMethodSymbol Callee, bool IsMaybe);

/// <summary>
/// APILAB1007's forward analysis: <c>[Secret]</c> fields, properties, parameters and return values are the sources
/// of secrecy; <c>[Allocates]</c> results are the sources of addresses (exposed or protected memory). Both flow
/// through locals, operands, constructor and unannotated-call arguments, and stores into a variable's object. The
/// sinks are <c>[Payload]</c> arguments, judged against the address in the parameter the payload goes into.
/// </summary>
internal sealed class SecretFlow : ForwardDataflow<Dictionary<object, Provenance>>
{
    private readonly SpecAnnotations _spec;
    private readonly ImmutableArray<SecretFinding>.Builder _findings = ImmutableArray.CreateBuilder<SecretFinding>();
    private readonly HashSet<SyntaxNode> _judged = new();

    private SecretFlow(SpecAnnotations spec)
    {
        _spec = spec;
    }

    public static ImmutableArray<SecretFinding> Run(
        ControlFlowGraph graph,
        ImmutableArray<IParameterSymbol> parameters,
        SpecAnnotations spec,
        CancellationToken cancellationToken)
    {
        var analysis = new SecretFlow(spec);
        var entry = new Dictionary<object, Provenance>(VariableComparer.Instance);
        foreach (var parameter in parameters)
        {
            entry[parameter] = SpecAnnotations.Has(parameter, spec.Secret) ? Provenance.SecretValue : Provenance.Clean;
        }

        analysis.Run(graph, entry, cancellationToken);
        return analysis._findings.ToImmutable();
    }

    protected override Dictionary<object, Provenance> Clone(Dictionary<object, Provenance> state) => new(state, VariableComparer.Instance);

    protected override bool JoinInto(Dictionary<object, Provenance> target, Dictionary<object, Provenance> other)
    {
        var changed = false;
        foreach (var pair in other)
        {
            target.TryGetValue(pair.Key, out var current);
            var joined = Provenance.Join(current, pair.Value)!;
            if (joined != current)
            {
                target[pair.Key] = joined;
                changed = true;
            }
        }

        return changed;
    }

    protected override void Transfer(BasicBlock block, Dictionary<object, Provenance> state, bool report)
    {
        foreach (var root in OperationOrder.Roots(block))
        {
            Evaluate(root, state, report);
        }
    }

    private Provenance? Evaluate(IOperation? operation, Dictionary<object, Provenance> state, bool report)
    {
        switch (operation)
        {
            case null:
                return null;
            case ILocalReferenceOperation local:
                return Get(state, local.Local);
            case IParameterReferenceOperation parameter:
                return Get(state, parameter.Parameter);
            case IFlowCaptureReferenceOperation capture:
                return Get(state, capture.Id);
            case IFlowCaptureOperation capture:
                Set(state, capture.Id, Evaluate(capture.Value, state, report));
                return null;
            case ISimpleAssignmentOperation assignment:
            {
                var value = Evaluate(assignment.Value, state, report);
                Assign(assignment.Target, value, state, report);
                return value;
            }

            case IFieldReferenceOperation field:
                return Member(field.Instance, field.Field, state, report);
            case IPropertyReferenceOperation property:
                foreach (var argument in property.Arguments)
                {
                    Evaluate(argument, state, report);
                }

                return Member(property.Instance, property.Property, state, report);
            case IInvocationOperation invocation:
                return EvaluateInvocation(invocation, state, report);
            case ILiteralOperation:
            case IInstanceReferenceOperation:
                return Provenance.Clean;
            case IDefaultValueOperation:
                return null;
            default:
            {
                Provenance? result = null;
                var any = false;
                foreach (var child in operation.ChildOperations)
                {
                    any = true;
                    result = Provenance.Combine(result, Evaluate(child, state, report));
                }

                return any ? result : Provenance.Clean;
            }
        }
    }

    private Provenance? Member(IOperation? instance, ISymbol member, Dictionary<object, Provenance> state, bool report)
    {
        var value = instance is null ? Provenance.Clean : Evaluate(instance, state, report);
        return SpecAnnotations.Has(member, _spec.Secret) ? Provenance.Combine(value, Provenance.SecretValue) : value;
    }

    private Provenance? EvaluateInvocation(IInvocationOperation invocation, Dictionary<object, Provenance> state, bool report)
    {
        var method = invocation.TargetMethod;
        var call = _spec.Get(method);
        var instance = Evaluate(invocation.Instance, state, report);
        var arguments = invocation.Arguments;
        var values = new Provenance?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = Evaluate(arguments[i].Value, state, report);
        }

        if (report && !call.Payloads.IsEmpty)
        {
            Judge(invocation, call, values);
        }

        Provenance? result;
        if (call.Allocates is { } allocation)
        {
            result = new Provenance(0, allocation.IsSafeForSecrets ? AllocationOrigin.Protected : AllocationOrigin.Exposed);
        }
        else if (call.IsSpecMember)
        {
            // A kernel answer: not a function of the bytes passed in.
            result = Provenance.Clean;
        }
        else
        {
            result = instance;
            foreach (var value in values)
            {
                result = Provenance.Combine(result, value);
            }

            // list.Add(secret): the receiver's (or an extension's first argument's) object now holds it.
            var receiver = invocation.Instance ?? (method.IsExtensionMethod && arguments.Length > 0 ? arguments[0].Value : null);
            if (receiver is not null && RootOf(receiver) is { } root)
            {
                Set(state, root, Provenance.Combine(Get(state, root), result));
            }

            // secret.CopyTo(buffer), Array.Copy(secret, buffer): a secret may be copied into any writable buffer argument.
            if (result is { Secret: > 0 })
            {
                foreach (var argument in arguments)
                {
                    if (IsWritableBuffer(argument.Parameter?.Type) && RootOf(argument.Value) is { } buffer)
                    {
                        Set(state, buffer, Provenance.Combine(Get(state, buffer), new Provenance(result.Secret, AllocationOrigin.None)));
                    }
                }
            }
        }

        foreach (var attribute in method.GetReturnTypeAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _spec.Secret))
            {
                result = Provenance.Combine(result, Provenance.SecretValue);
            }
        }

        return result;
    }

    private void Judge(IInvocationOperation invocation, SpecCall call, Provenance?[] values)
    {
        var arguments = invocation.Arguments;
        foreach (var (ordinal, into) in call.Payloads)
        {
            var destination = into >= 0 ? into : (call.TargetRangeOrdinals.IsEmpty ? -1 : call.TargetRangeOrdinals[0]);
            var payloadIndex = IndexOf(arguments, ordinal);
            var destinationIndex = IndexOf(arguments, destination);
            if (payloadIndex < 0 || destinationIndex < 0
                || values[payloadIndex] is not { Secret: > 0 } payload
                || values[destinationIndex] is not { } address
                || (address.Origin & AllocationOrigin.Exposed) == 0
                || !_judged.Add(arguments[payloadIndex].Syntax))
            {
                continue;
            }

            var isMaybe = payload.Secret < 2 || address.Origin != AllocationOrigin.Exposed;
            _findings.Add(new SecretFinding(arguments[payloadIndex], invocation.TargetMethod, isMaybe));
        }
    }

    private void Assign(IOperation target, Provenance? value, Dictionary<object, Provenance> state, bool report)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                Set(state, local.Local, value);
                break;
            case IParameterReferenceOperation parameter:
                Set(state, parameter.Parameter, value);
                break;
            case IFlowCaptureReferenceOperation capture:
                Set(state, capture.Id, value);
                break;
            default:
                Evaluate(target is IMemberReferenceOperation { Instance: { } instance } ? instance : null, state, report);
                if (RootOf(target) is { } root && value is not null)
                {
                    Set(state, root, Provenance.Combine(Get(state, root), value));
                }

                break;
        }
    }

    private static bool IsWritableBuffer(ITypeSymbol? type) =>
        type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_Array || (type is INamedTypeSymbol { Name: "Span" or "Memory", IsGenericType: true } named
            && named.ContainingNamespace?.ToDisplayString() == "System");

    private static int IndexOf(ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        for (var i = 0; i < arguments.Length; i++)
        {
            if (ordinal >= 0 && arguments[i].Parameter?.Ordinal == ordinal)
            {
                return i;
            }
        }

        return -1;
    }

    private static object? RootOf(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IMemberReferenceOperation { Instance: { } instance }:
                    operation = instance;
                    break;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
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

    private static Provenance? Get(Dictionary<object, Provenance> state, object key) => state.TryGetValue(key, out var value) ? value : null;

    private static void Set(Dictionary<object, Provenance> state, object key, Provenance? value)
    {
        if (value is null)
        {
            state.Remove(key);
        }
        else
        {
            state[key] = value;
        }
    }

    private sealed class VariableComparer : IEqualityComparer<object>
    {
        public static readonly VariableComparer Instance = new();

        public new bool Equals(object? x, object? y) =>
            x is ISymbol left && y is ISymbol right ? SymbolEqualityComparer.Default.Equals(left, right) : object.Equals(x, y);

        public int GetHashCode(object obj) => obj is ISymbol symbol ? SymbolEqualityComparer.Default.GetHashCode(symbol) : obj.GetHashCode();
    }
}
