using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Generators.Validation;

/// <summary>
/// The ids of the spec rules, shared by the generator (which skips a spec that breaks any) and the analyzer (which
/// reports them). Each rule's message arguments are listed in order, so its message format can use {0}, {1}.
/// </summary>
internal static class SpecRules
{
    /// <summary>[Proposal] on a type that is not a top-level, non-generic partial interface. Args: type, reason.</summary>
    public const string ProposalShape = "APILAB0001";

    /// <summary>A spec member that is not an instance method with [Syscall]. Args: member, reason.</summary>
    public const string MemberNotASyscall = "APILAB0002";

    /// <summary>A spec method that does not return SysResult&lt;T&gt;. Args: method, return type.</summary>
    public const string ReturnTypeNotSysResult = "APILAB0003";

    /// <summary>No [Target], or [Target(Pid/Pidfd)] without a parameter of that type. Args: method, reason.</summary>
    public const string TargetMissing = "APILAB0004";

    /// <summary>Both [Hint] and [TargetVisible] on one method. Args: method.</summary>
    public const string HintAndTargetVisible = "APILAB0005";

    /// <summary>A type used as a revalidating handle lacks [Handle]. Args: method or parameter, type.</summary>
    public const string RevalidatorNotAHandle = "APILAB0006";

    /// <summary>A ref/out/in, pointer or varargs parameter, or a generic method. Args: method, reason.</summary>
    public const string UnsupportedSignature = "APILAB0007";

    /// <summary>[Vectored] on a method without a ReadOnlySpan&lt;IoVec&gt; or IoVec[] parameter. Args: method.</summary>
    public const string VectoredWithoutIoVec = "APILAB0008";

    /// <summary>[MustBeZero] on a parameter that is not of an integer type. Args: parameter, type.</summary>
    public const string MustBeZeroNotInteger = "APILAB0009";

    /// <summary>[Proposal] with an empty debate or design id, or no Seed. Args: type, reason.</summary>
    public const string ProposalIdentity = "APILAB0010";
}

/// <summary>
/// One broken rule: which symbol it is about (the spec, a member or a parameter), the attribute at fault when
/// there is one (its syntax is the most precise place to report), and the message arguments.
/// </summary>
internal readonly record struct SpecViolation(
    string RuleId,
    ISymbol Symbol,
    AttributeData? Attribute,
    ImmutableArray<string> MessageArgs);

/// <summary>Metadata names of the ApiLab.Spec types the rules are about.</summary>
internal static class SpecTypeNames
{
    public const string Namespace = "ApiLab.Spec";
    public const string ProposalAttribute = "ApiLab.Spec.ProposalAttribute";
    public const string SyscallAttribute = "ApiLab.Spec.SyscallAttribute";
    public const string TargetAttribute = "ApiLab.Spec.TargetAttribute";
    public const string RequiresAttribute = "ApiLab.Spec.RequiresAttribute";
    public const string HintAttribute = "ApiLab.Spec.HintAttribute";
    public const string TargetVisibleAttribute = "ApiLab.Spec.TargetVisibleAttribute";
    public const string VectoredAttribute = "ApiLab.Spec.VectoredAttribute";
    public const string SnapshotAttribute = "ApiLab.Spec.SnapshotAttribute";
    public const string RevalidatesAttribute = "ApiLab.Spec.RevalidatesAttribute";
    public const string MustBeZeroAttribute = "ApiLab.Spec.MustBeZeroAttribute";
    public const string PartialResultAttribute = "ApiLab.Spec.PartialResultAttribute";
    public const string InvalidatesLayoutAttribute = "ApiLab.Spec.InvalidatesLayoutAttribute";
    public const string HandleAttribute = "ApiLab.Spec.HandleAttribute";
    public const string FreezesAttribute = "ApiLab.Spec.FreezesAttribute";
    public const string ReleasesAttribute = "ApiLab.Spec.ReleasesAttribute";
    public const string AllocatesAttribute = "ApiLab.Spec.AllocatesAttribute";
    public const string SysResult = "ApiLab.Spec.SysResult`1";
    public const string Pid = "ApiLab.Spec.Pid";
    public const string Pidfd = "ApiLab.Spec.Pidfd";
    public const string IoVec = "ApiLab.Spec.IoVec";
    public const string ReadOnlySpan = "System.ReadOnlySpan`1";
}
