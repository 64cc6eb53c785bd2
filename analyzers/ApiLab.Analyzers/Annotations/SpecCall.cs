using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ApiLab.Analyzers.Annotations;

/// <summary>
/// What the spec declares about one callable member, merged from the member itself and every interface member it
/// implements: generated adapters carry no attributes, their interface does.
/// </summary>
internal sealed class SpecCall
{
    public static readonly SpecCall None = new(
        isSpecMember: false,
        snapshot: null,
        revalidatedBy: null,
        invalidatesLayout: false,
        targetRangeOrdinals: ImmutableArray<int>.Empty,
        revalidatesOrdinals: ImmutableArray<int>.Empty);

    public SpecCall(
        bool isSpecMember,
        IMethodSymbol? snapshot,
        ITypeSymbol? revalidatedBy,
        bool invalidatesLayout,
        ImmutableArray<int> targetRangeOrdinals,
        ImmutableArray<int> revalidatesOrdinals)
    {
        IsSpecMember = isSpecMember;
        Snapshot = snapshot;
        RevalidatedBy = revalidatedBy;
        InvalidatesLayout = invalidatesLayout;
        TargetRangeOrdinals = targetRangeOrdinals;
        RevalidatesOrdinals = revalidatesOrdinals;
    }

    /// <summary>Declared by a spec (any ApiLab annotation, or a member of a <c>[Proposal]</c> interface): its result
    /// is a kernel answer, not a function of the caller's arguments.</summary>
    public bool IsSpecMember { get; }

    /// <summary>The member that carries <c>[Snapshot]</c> (the interface member for an adapter call), or null.</summary>
    public IMethodSymbol? Snapshot { get; }

    /// <summary>The handle type named by <c>[Snapshot(RevalidatedBy = ...)]</c>: the snapshot's family.</summary>
    public ITypeSymbol? RevalidatedBy { get; }

    public bool InvalidatesLayout { get; }

    /// <summary>Ordinals of <c>[TargetRange]</c> parameters.</summary>
    public ImmutableArray<int> TargetRangeOrdinals { get; }

    /// <summary>Ordinals of <c>[Revalidates]</c> parameters.</summary>
    public ImmutableArray<int> RevalidatesOrdinals { get; }

    public bool IsSnapshot => Snapshot is not null;

    /// <summary>The interface member that carries the spec's annotations (the first annotated one), for lookups and
    /// messages; null when nothing declares anything.</summary>
    public IMethodSymbol? Declaration { get; init; }

    /// <summary>The <c>[Syscall]</c> name, if any.</summary>
    public string? SyscallName { get; init; }

    /// <summary>The debate id of the <c>[Proposal]</c> that declares the member, if any.</summary>
    public string? Debate { get; init; }

    /// <summary>The numeric <c>TargetKind</c> of <c>[Target]</c>, if any.</summary>
    public int? TargetKind { get; init; }

    public bool PartialResult { get; init; }

    public bool TargetVisible { get; init; }

    public bool Freezes { get; init; }

    /// <summary>Ordinals of <c>[Releases]</c> parameters.</summary>
    public ImmutableArray<int> ReleasesOrdinals { get; init; } = ImmutableArray<int>.Empty;

    /// <summary><c>[Payload]</c> parameters and the ordinal of the parameter each writes into (-1: unknown).</summary>
    public ImmutableArray<(int Ordinal, int IntoOrdinal)> Payloads { get; init; } = ImmutableArray<(int, int)>.Empty;

    /// <summary>What <c>[Allocates]</c> guarantees about the memory the call returns, or null.</summary>
    public AllocationFacts? Allocates { get; init; }

    /// <summary>What <c>[Requires]</c> asks of the caller, or null.</summary>
    public Privileges? Requires { get; init; }
}

/// <summary>The <c>[Allocates]</c> properties APILAB1007 needs.</summary>
internal sealed record AllocationFacts(bool ExcludedFromDump, bool HiddenFromChild)
{
    /// <summary>Neither a core dump nor a child can see what is stored there.</summary>
    public bool IsSafeForSecrets => ExcludedFromDump && HiddenFromChild;
}

/// <summary>A ptrace access mode (numeric <c>PtraceMode</c>) and capabilities (numeric <c>Capability</c>): what
/// <c>[Requires]</c> asks for or <c>[RunsWith]</c> declares.</summary>
internal sealed record Privileges(int PtraceMode, ImmutableArray<int> Capabilities);
