using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
    private readonly INamedTypeSymbol? _target;
    private readonly INamedTypeSymbol? _partialResult;
    private readonly INamedTypeSymbol? _targetVisible;
    private readonly INamedTypeSymbol? _freezes;
    private readonly INamedTypeSymbol? _releases;
    private readonly INamedTypeSymbol? _allocates;
    private readonly INamedTypeSymbol? _requires;
    private readonly INamedTypeSymbol? _payload;
    // Lazy: the rules start on several threads at once, and the table would resolve the attributes for each of them.
    private static readonly ConditionalWeakTable<Compilation, System.Lazy<SpecAnnotations?>> Shared = new();

    private readonly ConcurrentDictionary<IMethodSymbol, SpecCall> _calls = new(SymbolEqualityComparer.Default);

    private SpecAnnotations(Compilation compilation, INamedTypeSymbol snapshot)
    {
        _snapshot = snapshot;

        // The annotations live beside [Snapshot]: look there first. Compilation.GetTypeByMetadataName searches every
        // reference for each name (to detect duplicates), which cost more than many bodies' analysis.
        var specAssembly = snapshot.ContainingAssembly;
        INamedTypeSymbol? Find(string metadataName) =>
            specAssembly.GetTypeByMetadataName(metadataName) ?? compilation.GetTypeByMetadataName(metadataName);

        _revalidates = Find(WellKnownTypeNames.RevalidatesAttribute);
        _targetRange = Find(WellKnownTypeNames.TargetRangeAttribute);
        _invalidatesLayout = Find(WellKnownTypeNames.InvalidatesLayoutAttribute);
        _proposal = Find(WellKnownTypeNames.ProposalAttribute);
        _syscall = Find(WellKnownTypeNames.SyscallAttribute);
        _target = Find(WellKnownTypeNames.TargetAttribute);
        _partialResult = Find(WellKnownTypeNames.PartialResultAttribute);
        _targetVisible = Find(WellKnownTypeNames.TargetVisibleAttribute);
        _freezes = Find(WellKnownTypeNames.FreezesAttribute);
        _releases = Find(WellKnownTypeNames.ReleasesAttribute);
        _allocates = Find(WellKnownTypeNames.AllocatesAttribute);
        _requires = Find(WellKnownTypeNames.RequiresAttribute);
        _payload = Find(WellKnownTypeNames.PayloadAttribute);
        Handle = Find(WellKnownTypeNames.HandleAttribute);
        RunsWith = Find(WellKnownTypeNames.RunsWithAttribute);
        Secret = Find(WellKnownTypeNames.SecretAttribute);
        SysResult = Find(WellKnownTypeNames.SysResult);
        Pid = Find(WellKnownTypeNames.Pid);
        Pidfd = Find(WellKnownTypeNames.Pidfd);
        IoVec = Find(WellKnownTypeNames.IoVec);
    }

    /// <summary>The assembly that declares the spec attributes (ApiLab.Spec).</summary>
    public IAssemblySymbol SpecAssembly => _snapshot.ContainingAssembly;

    public INamedTypeSymbol? Handle { get; }

    public INamedTypeSymbol? Proposal => _proposal;

    public INamedTypeSymbol? RunsWith { get; }

    public INamedTypeSymbol? Secret { get; }

    /// <summary>The unbound <c>SysResult&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? SysResult { get; }

    public INamedTypeSymbol? Pid { get; }

    public INamedTypeSymbol? Pidfd { get; }

    public INamedTypeSymbol? IoVec { get; }

    /// <summary>True for a <c>[Handle]</c> type.</summary>
    public bool IsHandle(ITypeSymbol? type) =>
        Handle is not null && type is INamedTypeSymbol { TypeKind: not TypeKind.Error } named && HasAttribute(named, Handle);

    /// <summary>The T of a <c>SysResult&lt;T&gt;</c>, or null.</summary>
    public ITypeSymbol? SysResultValueType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && SysResult is not null
        && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, SysResult)
            ? named.TypeArguments[0]
            : null;

    /// <summary>The type a call hands back: T for <c>SysResult&lt;T&gt;</c>, else the return type itself.</summary>
    public ITypeSymbol ResultValueType(IMethodSymbol method) => SysResultValueType(method.ReturnType) ?? method.ReturnType;

    /// <summary>True when <paramref name="symbol"/> carries <paramref name="attributeType"/>.</summary>
    public static bool Has(ISymbol symbol, INamedTypeSymbol? attributeType) =>
        attributeType is not null && HasAttribute(symbol, attributeType);

    /// <summary>
    /// The one instance of a compilation, shared by every rule: the attribute symbols are resolved, and each called
    /// member's annotations read, once per compilation rather than once per rule. Held weakly: it dies with the
    /// compilation. Null when the compilation does not reference ApiLab.Spec.
    /// </summary>
    public static SpecAnnotations? For(Compilation compilation) =>
        Shared.GetValue(compilation, static c => new System.Lazy<SpecAnnotations?>(() => TryCreate(c))).Value;

    /// <summary>Null when the compilation does not reference ApiLab.Spec: no spec, nothing to check.</summary>
    public static SpecAnnotations? TryCreate(Compilation compilation) =>
        FindSnapshotAttribute(compilation) is { } snapshot
            ? new SpecAnnotations(compilation, snapshot)
            : null;

    /// <summary>
    /// <c>[Snapshot]</c> as <see cref="Compilation.GetTypeByMetadataName"/> would find it (the compilation's own source
    /// first), but asking the ApiLab.Spec reference before every other: the compilation-wide lookup opens each
    /// reference's type table (some 200 for a net10.0 project) to rule out duplicates, a tenth of a second at the
    /// start of a cold build.
    /// </summary>
    private static INamedTypeSymbol? FindSnapshotAttribute(Compilation compilation)
    {
        if (compilation.Assembly.GetTypeByMetadataName(WellKnownTypeNames.SnapshotAttribute) is { } own)
        {
            return own;
        }

        foreach (var reference in compilation.References)
        {
            if (compilation.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol { Name: WellKnownTypeNames.SpecAssemblyName } spec
                && spec.GetTypeByMetadataName(WellKnownTypeNames.SnapshotAttribute) is { } found)
            {
                return found;
            }
        }

        // The annotations compiled into some other assembly (a test's, say).
        return compilation.GetTypeByMetadataName(WellKnownTypeNames.SnapshotAttribute);
    }

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
        IMethodSymbol? declaration = null;
        ITypeSymbol? revalidatedBy = null;
        var invalidatesLayout = false;
        string? syscallName = null;
        string? debate = null;
        int? targetKind = null;
        bool partialResult = false, targetVisible = false, freezes = false;
        AllocationFacts? allocates = null;
        Privileges? requires = null;
        var targetRanges = ImmutableArray.CreateBuilder<int>();
        var revalidates = ImmutableArray.CreateBuilder<int>();
        var releases = ImmutableArray.CreateBuilder<int>();
        var payloads = ImmutableArray.CreateBuilder<(int, int)>();

        foreach (var member in SelfAndImplementedMembers(method))
        {
            var declares = false;
            if (_proposal is not null && member.ContainingType is { } type && FindAttribute(type, _proposal) is { } proposal)
            {
                isSpecMember = true;
                debate ??= proposal.ConstructorArguments.Length > 0 ? proposal.ConstructorArguments[0].Value as string : null;
            }

            foreach (var attribute in member.GetAttributes())
            {
                var attributeClass = attribute.AttributeClass;
                if (attributeClass is null || attributeClass.TypeKind == TypeKind.Error)
                {
                    continue;
                }

                declares |= ReadMethodAttribute(member, attribute, attributeClass);
            }

            foreach (var parameter in member.Parameters)
            {
                declares |= ReadParameterAttributes(member, parameter);
            }

            if (declares)
            {
                isSpecMember = true;
                declaration ??= member;
            }
        }

        return isSpecMember
            ? new SpecCall(isSpecMember, snapshot, revalidatedBy, invalidatesLayout, targetRanges.ToImmutable(), revalidates.ToImmutable())
            {
                Declaration = declaration,
                SyscallName = syscallName,
                Debate = debate,
                TargetKind = targetKind,
                PartialResult = partialResult,
                TargetVisible = targetVisible,
                Freezes = freezes,
                ReleasesOrdinals = releases.ToImmutable(),
                Payloads = payloads.ToImmutable(),
                Allocates = allocates,
                Requires = requires,
            }
            : SpecCall.None;

        bool ReadMethodAttribute(IMethodSymbol member, AttributeData attribute, INamedTypeSymbol attributeClass)
        {
            if (Is(attributeClass, _snapshot))
            {
                snapshot ??= member;
                revalidatedBy ??= ReadRevalidatedBy(attribute);
            }
            else if (Is(attributeClass, _invalidatesLayout))
            {
                invalidatesLayout = true;
            }
            else if (Is(attributeClass, _syscall))
            {
                syscallName ??= attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
            }
            else if (Is(attributeClass, _target))
            {
                targetKind ??= attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is int kind ? kind : null;
            }
            else if (Is(attributeClass, _partialResult))
            {
                partialResult = true;
            }
            else if (Is(attributeClass, _targetVisible))
            {
                targetVisible = true;
            }
            else if (Is(attributeClass, _freezes))
            {
                freezes = true;
            }
            else if (Is(attributeClass, _allocates))
            {
                allocates ??= new AllocationFacts(
                    ReadBool(attribute, WellKnownTypeNames.AllocatesExcludedFromDump),
                    ReadBool(attribute, WellKnownTypeNames.AllocatesHiddenFromChild));
            }
            else if (Is(attributeClass, _requires))
            {
                requires ??= ReadPrivileges(attribute);
            }
            else
            {
                return false;
            }

            return true;
        }

        bool ReadParameterAttributes(IMethodSymbol member, IParameterSymbol parameter)
        {
            var declares = false;
            if (_targetRange is not null && HasAttribute(parameter, _targetRange))
            {
                declares = true;
                AddOnce(targetRanges, parameter.Ordinal);
            }

            if (_revalidates is not null && HasAttribute(parameter, _revalidates))
            {
                declares = true;
                AddOnce(revalidates, parameter.Ordinal);
            }

            if (_releases is not null && HasAttribute(parameter, _releases))
            {
                declares = true;
                AddOnce(releases, parameter.Ordinal);
            }

            if (_payload is not null && FindAttribute(parameter, _payload) is { } payload)
            {
                declares = true;
                var into = -1;
                foreach (var argument in payload.NamedArguments)
                {
                    if (argument.Key == WellKnownTypeNames.PayloadInto && argument.Value.Value is string name)
                    {
                        foreach (var candidate in member.Parameters)
                        {
                            if (candidate.Name == name)
                            {
                                into = candidate.Ordinal;
                            }
                        }
                    }
                }

                payloads.Add((parameter.Ordinal, into));
            }

            return declares;
        }
    }

    /// <summary>Reads <c>[Requires(mode, caps)]</c> or <c>[RunsWith(caps, Ptrace = mode)]</c>; null when malformed.</summary>
    public static Privileges? ReadPrivileges(AttributeData attribute)
    {
        var mode = 0;
        var capabilities = ImmutableArray.CreateBuilder<int>();
        foreach (var argument in attribute.ConstructorArguments)
        {
            switch (argument.Kind)
            {
                case TypedConstantKind.Enum when argument.Value is int value:
                    mode = value;
                    break;
                case TypedConstantKind.Array when !argument.IsNull:
                    foreach (var element in argument.Values)
                    {
                        if (element.Value is int capability)
                        {
                            capabilities.Add(capability);
                        }
                    }

                    break;
                case TypedConstantKind.Error:
                    return null;
            }
        }

        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == WellKnownTypeNames.RunsWithPtrace && argument.Value.Value is int value)
            {
                mode = value;
            }
        }

        return new Privileges(mode, capabilities.ToImmutable());
    }

    private static bool Is(INamedTypeSymbol attributeClass, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(attributeClass, expected);

    private static bool ReadBool(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is bool value)
            {
                return value;
            }
        }

        return false;
    }

    /// <summary>The attribute of that class on the symbol, if any.</summary>
    public static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
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
