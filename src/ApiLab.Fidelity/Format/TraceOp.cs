namespace ApiLab.Fidelity.Format;

/// <summary>
/// One parsed trace line: which process runs it, the name its result is bound to (if any), and the call. Numbers are
/// Linux's (prot, map flags, advice and mremap flags are passed through as the ABI values).
/// </summary>
public abstract record TraceOp(int Line, string Process, string? Bind)
{
    /// <summary>The call as written, for the log (names, not addresses).</summary>
    public abstract string Describe();
}

public sealed record MmapOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, int Prot, int Flags)
    : TraceOp(Line, Process, Bind)
{
    /// <summary>The memfd mapped (MAP_ANONYMOUS is then clear), or null for anonymous memory.</summary>
    public string? File { get; init; }

    public ulong Offset { get; init; }

    public override string Describe() =>
        $"mmap {Names.Size(Length)} {Names.Prot(Prot)} {Names.MapFlags(Flags)}"
        + (File is null ? "" : $" file {File}") + (Offset == 0 ? "" : $" offset {Names.Size(Offset)}")
        + (Address == default ? "" : $" at {Address}");
}

public sealed record MunmapOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"munmap {Address} {Names.Size(Length)}";
}

public sealed record MprotectOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, int Prot)
    : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"mprotect {Address} {Names.Size(Length)} {Names.Prot(Prot)}";
}

public sealed record MadviseOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, int Advice)
    : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"madvise {Address} {Names.Size(Length)} {Names.Advice(Advice)}";
}

public sealed record MremapOp(int Line, string Process, string? Bind, AddressExpr Address, ulong OldLength, ulong NewLength, int Flags,
    AddressExpr NewAddress) : TraceOp(Line, Process, Bind)
{
    public override string Describe() =>
        $"mremap {Address} {Names.Size(OldLength)} {Names.Size(NewLength)} {Names.MremapFlags(Flags)}"
        + (NewAddress == default ? "" : $" to {NewAddress}");
}

public sealed record LoadOp(int Line, string Process, string? Bind, AddressExpr Address) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"load {Address}";
}

public sealed record StoreOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Value) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"store {Address} 0x{Value:x}";
}

/// <summary><c>q = p: fork</c>: the child is named by the binding.</summary>
public sealed record ForkOp(int Line, string Process, string? Bind) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "fork";
}

public sealed record ExitOp(int Line, string Process, string? Bind) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "exit";
}

public sealed record MapsOp(int Line, string Process, string? Bind) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "maps";
}

public sealed record SetUidOp(int Line, string Process, string? Bind, int Uid) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"setuid {Uid}";
}

/// <summary>prctl(PR_SET_DUMPABLE, value).</summary>
public sealed record SetDumpableOp(int Line, string Process, string? Bind, int Value) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"set_dumpable {Value}";
}

public sealed record PidfdOpenOp(int Line, string Process, string? Bind, string Target, uint Flags) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"pidfd_open {Target}" + (Flags == 0 ? "" : $" flags 0x{Flags:x}");
}

public sealed record CloseOp(int Line, string Process, string? Bind, string Fd) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"close {Fd}";
}

/// <summary>One iovec element of a trace: an address expression and a length.</summary>
public readonly record struct IoVecExpr(AddressExpr Base, ulong Length)
{
    public override string ToString() => $"{Base} {Names.Size(Length)}";
}

public sealed record ProcessMadviseOp(int Line, string Process, string? Bind, string Fd, IReadOnlyList<IoVecExpr> Ranges, int Advice,
    uint Flags) : TraceOp(Line, Process, Bind)
{
    public override string Describe() =>
        $"process_madvise {Fd} [{string.Join(", ", Ranges)}] {Names.Advice(Advice)}" + (Flags == 0 ? "" : $" flags 0x{Flags:x}");
}

public sealed record ProcessVmOp(int Line, string Process, string? Bind, bool Write, string Target, IReadOnlyList<IoVecExpr> Local,
    IReadOnlyList<IoVecExpr> Remote, ulong Flags) : TraceOp(Line, Process, Bind)
{
    public override string Describe() =>
        $"{(Write ? "process_vm_writev" : "process_vm_readv")} {Target} local [{string.Join(", ", Local)}] remote [{string.Join(", ", Remote)}]"
        + (Flags == 0 ? "" : $" flags 0x{Flags:x}");
}
