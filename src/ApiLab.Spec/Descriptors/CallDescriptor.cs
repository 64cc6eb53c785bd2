namespace ApiLab.Spec.Descriptors;

/// <summary>Everything a spec declares about one call, as the generator read it.</summary>
public sealed record CallDescriptor(
    string Method,
    string Syscall,
    string Signature,
    TargetKind Target,
    PtraceMode Mode,
    IReadOnlyList<Capability> Capabilities,
    Errno DeniedErrno,
    Effect Effect,
    bool Vectored,
    TlbFlush Flush,
    bool Snapshot,
    string? RevalidatedBy,
    bool TakesRevalidatingHandle,
    bool PartialResult,
    bool InvalidatesLayout,
    string Summary,
    bool Freezes = false,
    bool ReleasesHandle = false,
    bool Allocates = false,
    MemoryGuarantees Guarantees = MemoryGuarantees.None);
