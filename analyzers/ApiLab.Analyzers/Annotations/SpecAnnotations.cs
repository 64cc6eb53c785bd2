using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// The ApiLab.Spec attribute symbols of one compilation, resolved once, and a per-compilation cache of what each
/// invoked member declares. Lives in the compilation-start context, never in an analyzer field (RS1008).
/// </summary>
internal sealed class SpecAnnotations
{
    private readonly INamedTypeSymbol _snapshot;
    private readonly INamedTypeSymbol? _revalidates;
    private readonly INamedTypeSymbol? _targetRange;
    private readonly INamedTypeSymbol? _invalidatesLayout;
    private readonly INamedTypeSymbol? _proposal;
    private readonly INamedTypeSymbol? _syscall;
    private readonly ConcurrentDictionary<IMethodSymbol, SpecCall> _calls = new(SymbolEqualityComparer.Default);

    private SpecAnnotations(Compilation compilation, INamedTypeSymbol snapshot)
    {
        _snapshot = snapshot;
        _revalidates = compilation.GetTypeByMetadataName(WellKnownTypeNames.RevalidatesAttribute);
        _targetRange = compilation.GetTypeByMetadataName(WellKnownTypeNames.TargetRangeAttribute);
        _invalidatesLayout = compilation.GetTypeByMetadataName(WellKnownTypeNames.InvalidatesLayoutAttribute);
        _proposal = compilation.GetTypeByMetadataName(WellKnownTypeNames.ProposalAttribute);
        _syscall = compilation.GetTypeByMetadataName(WellKnownTypeNames.SyscallAttribute);
    }

    /// <summary>Null when the compilation does not reference ApiLab.Spec: no spec, nothing to check.</summary>
    public static SpecAnnotations? TryCreate(Compilation compilation) =>
        compilation.GetTypeByMetadataName(WellKnownTypeNames.SnapshotAttribute) is { } snapshot
            ? new SpecAnnotations(compilation, snapshot)
            : null;

    public SpecCall Get(IMethodSymbol method)
    {
        var key = method.ReducedFrom ?? method;
        key = key.OriginalDefinition;
        return _calls.GetOrAdd(key, Read);
    }

    private SpecCall Read(IMethodSymbol method)
    {
        var isSpecMember = false;
        IMethodSymbol? snapshot = null;
        ITypeSymbol? revalidatedBy = null;
        var invalidatesLayout = false;
        var targetRanges = ImmutableArray.CreateBuilder<int>();
        var revalidates = ImmutableArray.CreateBuilder<int>();

        foreach (var member in SelfAndImplementedMembers(method))
        {
            if (_proposal is not null && member.ContainingType is { } type && HasAttribute(type, _proposal))
            {
                isSpecMember = true;
            }

            foreach (var attribute in member.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass is null || attributeClass.TypeKind == TypeKind.Error)
                {
                    continue;
                }

                if (SymbolEqualityComparer.Default.Equals(attributeClass, _snapshot))
                {
                    isSpecMember = true;
                    snapshot ??= member;
                    revalidatedBy ??= ReadRevalidatedBy(attribute);
                }
                else if (SymbolEqualityComparer.Default.Equals(attributeClass, _invalidatesLayout))
                {
                    isSpecMember = true;
                    invalidatesLayout = true;
                }
                else if (SymbolEqualityComparer.Default.Equals(attributeClass, _syscall))
                {
                    isSpecMember = true;
                }
            }

            foreach (var parameter in member.Parameters)
            {
                if (_targetRange is not null && HasAttribute(parameter, _targetRange))
                {
                    isSpecMember = true;
                    AddOnce(targetRanges, parameter.Ordinal);
                }

                if (_revalidates is not null && HasAttribute(parameter, _revalidates))
                {
                    isSpecMember = true;
                    AddOnce(revalidates, parameter.Ordinal);
                }
            }
        }

        return isSpecMember
            ? new SpecCall(isSpecMember, snapshot, revalidatedBy, invalidatesLayout, targetRanges.ToImmutable(), revalidates.ToImmutable())
            : SpecCall.None;
    }

    /// <summary>
    /// The member, what it overrides, and the interface members each of those implements (explicitly, or implicitly
    /// as <c>FindImplementationForInterfaceMember</c> decides): this is how an adapter call finds its spec.
    /// </summary>
    private static IEnumerable<IMethodSymbol> SelfAndImplementedMembers(IMethodSymbol method)
    {
        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            yield return current;

            foreach (var explicitImplementation in current.ExplicitInterfaceImplementations)
            {
                yield return explicitImplementation;
            }

            var type = current.ContainingType;
            if (type is null || type.TypeKind == TypeKind.Interface || current.MethodKind != MethodKind.Ordinary)
            {
                continue;
            }

            foreach (var @interface in type.AllInterfaces)
            {
                foreach (var candidate in @interface.GetMembers(current.Name))
                {
                    if (candidate is IMethodSymbol interfaceMethod
                        && type.FindImplementationForInterfaceMember(interfaceMethod) is IMethodSymbol implementation
                        && SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, current.OriginalDefinition))
                    {
                        yield return interfaceMethod;
                    }
                }
            }
        }
    }

    private static ITypeSymbol? ReadRevalidatedBy(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == WellKnownTypeNames.SnapshotRevalidatedBy
                && argument.Value.Kind == TypedConstantKind.Type
                && argument.Value.Value is ITypeSymbol { TypeKind: not TypeKind.Error } type)
            {
                return type;
            }
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private static void AddOnce(ImmutableArray<int>.Builder builder, int value)
    {
        if (!builder.Contains(value))
        {
            builder.Add(value);
        }
    }
}
