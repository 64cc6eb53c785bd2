using ApiLab.Generators.Helpers;

namespace ApiLab.Generators.Models;

/// <summary>One spec method: its signature, and what its attributes declare, defaults already applied.</summary>
/// <param name="Name">The method name, unescaped (used in strings and in the hook names).</param>
/// <param name="Identifier">The method name as C# needs it.</param>
/// <param name="Syscall">The syscall [Syscall] names; EnterSyscall counts it under this name.</param>
/// <param name="ReturnType">The <c>global::</c>-qualified <c>SysResult&lt;T&gt;</c>.</param>
/// <param name="Signature">A readable signature with minimally qualified names, for the descriptor.</param>
/// <param name="Parameters">The parameters, in declaration order.</param>
/// <param name="Target">The declared <c>TargetKind</c>.</param>
/// <param name="TargetSource">Where the adapter gets the target process from.</param>
/// <param name="TargetParameter">Index of the Pid/Pidfd parameter that names the target, or -1.</param>
/// <param name="Mode">The ptrace access mode [Requires] declares (<c>None</c> without [Requires]).</param>
/// <param name="ChecksPtrace">The mode is not <c>None</c>, so the adapter calls <c>PtraceAccess.MmAccess</c>.</param>
/// <param name="Capabilities">The capabilities needed to act on another process's mm.</param>
/// <param name="DeniedErrno">The errno a failed ptrace check gives.</param>
/// <param name="DeniedRemapped">A failed ptrace check gives <see cref="DeniedErrno"/> instead of EACCES.</param>
/// <param name="Effect">The <c>Effect</c> member name: Unspecified, Hint or TargetVisible.</param>
/// <param name="Vectored">Carries [Vectored].</param>
/// <param name="IoVecParameter">Index of the iovec parameter a [Vectored] call checks, or -1.</param>
/// <param name="IoVecIsArray">The iovec parameter is <c>IoVec[]</c> (which may be null) rather than a span.</param>
/// <param name="Flush">How a vectored call batches TLB flushes.</param>
/// <param name="Snapshot">Carries [Snapshot].</param>
/// <param name="RevalidatedBy">The short name of the handle type that revalidates a snapshot, or null.</param>
/// <param name="TakesRevalidatingHandle">A parameter carries [Revalidates].</param>
/// <param name="PartialResult">Carries [PartialResult].</param>
/// <param name="InvalidatesLayout">Carries [InvalidatesLayout].</param>
/// <param name="Summary">The method's XML doc summary as one line.</param>
/// <param name="Freezes">Carries [Freezes].</param>
/// <param name="ReleasesHandle">A parameter carries [Releases].</param>
/// <param name="Allocates">Carries [Allocates].</param>
/// <param name="Guarantees">The MemoryGuarantees member names [Allocates] sets, joined with " | ", or "None".</param>
internal sealed record CallModel(
    string Name,
    string Identifier,
    string Syscall,
    string ReturnType,
    string Signature,
    EquatableArray<ParameterModel> Parameters,
    EnumValue Target,
    TargetSource TargetSource,
    int TargetParameter,
    EnumValue Mode,
    bool ChecksPtrace,
    EquatableArray<EnumValue> Capabilities,
    EnumValue DeniedErrno,
    bool DeniedRemapped,
    string Effect,
    bool Vectored,
    int IoVecParameter,
    bool IoVecIsArray,
    EnumValue Flush,
    bool Snapshot,
    string? RevalidatedBy,
    bool TakesRevalidatingHandle,
    bool PartialResult,
    bool InvalidatesLayout,
    string Summary,
    bool Freezes,
    bool ReleasesHandle,
    bool Allocates,
    string Guarantees);
