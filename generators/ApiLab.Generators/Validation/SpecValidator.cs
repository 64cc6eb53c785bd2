using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ApiLab.Generators.Validation;

/// <summary>
/// Checks a [Proposal] spec against <see cref="SpecRules"/>. Pure and symbol-based: the generator skips a spec with
/// any violation, and the analyzer (which links this file) reports each one. It never throws on broken code and
/// never creates diagnostics itself. The lookups the generator also needs (the target parameter, the iovec
/// parameter) live here too, so the two can never disagree.
/// </summary>
internal static class SpecValidator
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat;

    /// <summary>Every rule <paramref name="spec"/> breaks, in declaration order; empty when it has no [Proposal].</summary>
    public static ImmutableArray<SpecViolation> Validate(INamedTypeSymbol spec, CancellationToken cancellationToken)
    {
        var proposal = FindAttribute(spec, SpecTypeNames.ProposalAttribute);
        if (proposal is null)
        {
            return ImmutableArray<SpecViolation>.Empty;
        }

        var violations = ImmutableArray.CreateBuilder<SpecViolation>();
        CheckShape(spec, proposal, violations, cancellationToken);
        CheckIdentity(spec, proposal, violations);
        foreach (var member in SpecMembers(spec))
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckMember(member, violations);
        }

        return violations.ToImmutable();
    }

    /// <summary>The members an adapter must implement: the spec's own, then those of the interfaces it extends.</summary>
    public static ImmutableArray<ISymbol> SpecMembers(INamedTypeSymbol spec) =>
        spec.GetMembers()
            .Concat(spec.AllInterfaces.SelectMany(static i => i.GetMembers()))
            .Where(static m => m is not INamedTypeSymbol && !IsAccessor(m))
            .ToImmutableArray();

    /// <summary>The parameter that names the target for [Target(Pid)] or [Target(Pidfd)]: the first of that type.</summary>
    public static IParameterSymbol? TargetParameter(IMethodSymbol method, string? targetKind) => targetKind switch
    {
        "Pid" => method.Parameters.FirstOrDefault(static p => Is(p.Type, SpecTypeNames.Pid)),
        "Pidfd" => method.Parameters.FirstOrDefault(static p => Is(p.Type, SpecTypeNames.Pidfd)),
        _ => null,
    };

    /// <summary>The first ReadOnlySpan&lt;IoVec&gt; or IoVec[] parameter: the one import_iovec checks.</summary>
    public static IParameterSymbol? IoVecParameter(IMethodSymbol method) =>
        method.Parameters.FirstOrDefault(static p => IsIoVecSpan(p.Type) || IsIoVecArray(p.Type));

    public static bool IsIoVecArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1 } array && Is(array.ElementType, SpecTypeNames.IoVec);

    public static bool IsIoVecSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && Is(named, SpecTypeNames.ReadOnlySpan)
        && Is(named.TypeArguments[0], SpecTypeNames.IoVec);

    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => Is(a.AttributeClass, metadataName));

    public static bool HasAttribute(ISymbol symbol, string metadataName) => FindAttribute(symbol, metadataName) is not null;

    /// <summary>The name of the enum member an attribute argument holds, or null (not an enum, or no such member).</summary>
    public static string? EnumMemberName(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Enum || constant.Value is null || constant.Type is null)
        {
            return null;
        }

        foreach (var member in constant.Type.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, constant.Value))
            {
                return field.Name;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="type"/>'s definition is the top-level type with this metadata name.</summary>
    public static bool Is(ITypeSymbol? type, string fullMetadataName)
    {
        if (type?.OriginalDefinition is not INamedTypeSymbol { ContainingType: null } named)
        {
            return false;
        }

        // Compared segment by segment, from the type outwards: this runs for every attribute of every spec member, and
        // ToDisplayString or Substring would allocate each time.
        var end = fullMetadataName.Length;
        var dot = fullMetadataName.LastIndexOf('.');
        if (!EndsSegment(fullMetadataName, dot, end, named.MetadataName))
        {
            return false;
        }

        for (var ns = named.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            end = dot;
            if (end <= 0)
            {
                return false;
            }

            dot = fullMetadataName.LastIndexOf('.', end - 1);
            if (!EndsSegment(fullMetadataName, dot, end, ns.Name))
            {
                return false;
            }
        }

        return dot < 0 && named.ContainingNamespace is not null;
    }

    /// <summary>Whether <paramref name="name"/> is the segment of <paramref name="text"/> between
    /// <paramref name="dot"/> (exclusive; -1: the start) and <paramref name="end"/>.</summary>
    private static bool EndsSegment(string text, int dot, int end, string name) =>
        end - dot - 1 == name.Length && string.CompareOrdinal(text, dot + 1, name, 0, name.Length) == 0;

    private static void CheckShape(
        INamedTypeSymbol spec, AttributeData proposal, ImmutableArray<SpecViolation>.Builder violations, CancellationToken ct)
    {
        var reason =
            spec.TypeKind != TypeKind.Interface ? "it is not an interface"
            : spec.ContainingType is not null ? "it is nested in another type"
            : spec.IsGenericType ? "it is generic"
            : spec.IsFileLocal ? "it is file-local"
            : !IsPartial(spec, ct) ? "it is not declared partial"
            : null;
        if (reason is not null)
        {
            violations.Add(Violation(SpecRules.ProposalShape, spec, proposal, spec.Name, reason));
        }
    }

    private static void CheckIdentity(INamedTypeSymbol spec, AttributeData proposal, ImmutableArray<SpecViolation>.Builder violations)
    {
        var args = proposal.ConstructorArguments;
        string? Arg(int i) => args.Length > i ? args[i].Value as string : null;
        var seed = proposal.NamedArguments.FirstOrDefault(static a => a.Key == "Seed").Value.Value as string;
        var reason =
            string.IsNullOrWhiteSpace(Arg(0)) ? "its debate id is empty"
            : string.IsNullOrWhiteSpace(Arg(1)) ? "its design id is empty"
            : string.IsNullOrWhiteSpace(seed) ? "it names no Seed thread"
            : null;
        if (reason is not null)
        {
            violations.Add(Violation(SpecRules.ProposalIdentity, spec, proposal, spec.Name, reason));
        }
    }

    private static void CheckMember(ISymbol member, ImmutableArray<SpecViolation>.Builder violations)
    {
        var kind = member switch
        {
            IPropertySymbol { IsIndexer: true } => "it is an indexer",
            IPropertySymbol => "it is a property",
            IEventSymbol => "it is an event",
            IFieldSymbol => "it is a field",
            IMethodSymbol { MethodKind: not MethodKind.Ordinary } => "it is not an ordinary method",
            { IsStatic: true } => "it is static",
            _ => null,
        };
        if (kind is not null || member is not IMethodSymbol method)
        {
            violations.Add(Violation(SpecRules.MemberNotASyscall, member, null, member.Name, kind ?? "it is not a method"));
            return;
        }

        var syscall = FindAttribute(method, SpecTypeNames.SyscallAttribute);
        if (syscall is null)
        {
            violations.Add(Violation(SpecRules.MemberNotASyscall, method, null, method.Name, "it has no [Syscall]"));
        }
        else if (string.IsNullOrWhiteSpace(syscall.ConstructorArguments.FirstOrDefault().Value as string))
        {
            violations.Add(Violation(SpecRules.MemberNotASyscall, method, syscall, method.Name, "its [Syscall] names no system call"));
        }

        if (!Is(method.ReturnType, SpecTypeNames.SysResult))
        {
            violations.Add(Violation(
                SpecRules.ReturnTypeNotSysResult, method, null, method.Name, method.ReturnType.ToDisplayString(TypeFormat)));
        }

        CheckTarget(method, violations);
        CheckEffect(method, violations);
        CheckHandles(method, violations);
        CheckSignature(method, violations);
        CheckVectored(method, violations);
        CheckMustBeZero(method, violations);
    }

    private static void CheckTarget(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        var target = FindAttribute(method, SpecTypeNames.TargetAttribute);
        if (target is null)
        {
            violations.Add(Violation(SpecRules.TargetMissing, method, null, method.Name, "it has no [Target]"));
            return;
        }

        if (target.ConstructorArguments.Length != 1 || target.ConstructorArguments[0].Kind != TypedConstantKind.Enum)
        {
            violations.Add(Violation(SpecRules.TargetMissing, method, target, method.Name, "its [Target] names no target kind"));
            return;
        }

        var kind = EnumMemberName(target.ConstructorArguments[0]);
        if (kind is "Pid" or "Pidfd" && TargetParameter(method, kind) is null)
        {
            violations.Add(Violation(
                SpecRules.TargetMissing, method, target, method.Name, $"it targets a {kind} but has no {kind} parameter"));
        }
    }

    private static void CheckEffect(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        var hint = FindAttribute(method, SpecTypeNames.HintAttribute);
        if (hint is not null && HasAttribute(method, SpecTypeNames.TargetVisibleAttribute))
        {
            violations.Add(Violation(SpecRules.HintAndTargetVisible, method, hint, method.Name));
        }
    }

    private static void CheckHandles(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        var snapshot = FindAttribute(method, SpecTypeNames.SnapshotAttribute);
        var revalidatedBy = snapshot?.NamedArguments.FirstOrDefault(static a => a.Key == "RevalidatedBy").Value.Value;
        if (revalidatedBy is ITypeSymbol handle && !HasAttribute(handle, SpecTypeNames.HandleAttribute))
        {
            violations.Add(Violation(
                SpecRules.RevalidatorNotAHandle, method, snapshot, method.Name, handle.ToDisplayString(TypeFormat)));
        }

        foreach (var parameter in method.Parameters)
        {
            var revalidates = FindAttribute(parameter, SpecTypeNames.RevalidatesAttribute);
            if (revalidates is not null && !HasAttribute(parameter.Type, SpecTypeNames.HandleAttribute))
            {
                violations.Add(Violation(
                    SpecRules.RevalidatorNotAHandle, parameter, revalidates, parameter.Name, parameter.Type.ToDisplayString(TypeFormat)));
            }
        }
    }

    private static void CheckSignature(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        if (method.IsGenericMethod)
        {
            violations.Add(Violation(SpecRules.UnsupportedSignature, method, null, method.Name, "it is generic"));
        }

        if (method.IsVararg)
        {
            violations.Add(Violation(SpecRules.UnsupportedSignature, method, null, method.Name, "it takes __arglist"));
        }

        foreach (var parameter in method.Parameters)
        {
            var reason =
                parameter.RefKind != RefKind.None ? $"parameter '{parameter.Name}' is passed by reference"
                : ContainsPointer(parameter.Type) ? $"parameter '{parameter.Name}' is a pointer"
                : null;
            if (reason is not null)
            {
                violations.Add(Violation(SpecRules.UnsupportedSignature, parameter, null, method.Name, reason));
            }
        }
    }

    private static void CheckVectored(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        var vectored = FindAttribute(method, SpecTypeNames.VectoredAttribute);
        if (vectored is not null && IoVecParameter(method) is null)
        {
            violations.Add(Violation(SpecRules.VectoredWithoutIoVec, method, vectored, method.Name));
        }
    }

    private static void CheckMustBeZero(IMethodSymbol method, ImmutableArray<SpecViolation>.Builder violations)
    {
        foreach (var parameter in method.Parameters)
        {
            var mustBeZero = FindAttribute(parameter, SpecTypeNames.MustBeZeroAttribute);
            if (mustBeZero is not null && !IsInteger(parameter.Type))
            {
                violations.Add(Violation(
                    SpecRules.MustBeZeroNotInteger, parameter, mustBeZero, parameter.Name, parameter.Type.ToDisplayString(TypeFormat)));
            }
        }
    }

    private static bool IsPartial(INamedTypeSymbol type, CancellationToken ct) =>
        type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(ct) is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static bool IsAccessor(ISymbol member) => member is IMethodSymbol
    {
        MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd
            or MethodKind.EventRemove or MethodKind.EventRaise,
    };

    private static bool ContainsPointer(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol or IFunctionPointerTypeSymbol => true,
        IArrayTypeSymbol array => ContainsPointer(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsPointer),
        _ => false,
    };

    private static bool IsInteger(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
        or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private static SpecViolation Violation(string ruleId, ISymbol symbol, AttributeData? attribute, params string[] args) =>
        new(ruleId, symbol, attribute, args.ToImmutableArray());
}
