namespace ApiLab.Fidelity.Format;

public sealed record MsealOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, ulong Flags) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"mseal {Address} {Names.Size(Length)}" + (Flags == 0 ? "" : $" flags 0x{Flags:x}");
}

/// <summary>mlock(2) or munlock(2).</summary>
public sealed record MlockOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, bool Unlock) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"{(Unlock ? "munlock" : "mlock")} {Address} {Names.Size(Length)}";
}

/// <summary>execve of the same program with these arguments: the address space is replaced, pid and pidfds stay.</summary>
public sealed record ExecOp(int Line, string Process, string? Bind, IReadOnlyList<string> Args) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "exec" + string.Concat(Args.Select(static a => " " + a));
}

/// <summary>userfaultfd(2) followed by UFFDIO_API with the named features.</summary>
public sealed record UserfaultfdOp(int Line, string Process, string? Bind, uint Flags, ulong Features, IReadOnlyList<string> Words)
    : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "userfaultfd" + string.Concat(Words.Select(static w => " " + w));
}

/// <summary>A userfaultfd ioctl on a range: register, unregister, copy, zeropage or writeprotect.</summary>
public sealed record UffdIoctlOp(int Line, string Process, string? Bind, string Call, string Fd, AddressExpr Address, ulong Length,
    AddressExpr Source, ulong Mode, IReadOnlyList<string> Words) : TraceOp(Line, Process, Bind)
{
    public override string Describe() =>
        $"{Call} {Fd} {Address}" + (Call == "uffd_copy" ? $" {Source}" : "") + $" {Names.Size(Length)}" + string.Concat(Words.Select(static w => " " + w));
}

/// <summary>One non-blocking read of a userfaultfd: the next message, or EAGAIN.</summary>
public sealed record UffdReadOp(int Line, string Process, string? Bind, string Fd) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"uffd_read {Fd}";
}

/// <summary>memfd_create(NAME, MFD_CLOEXEC): an empty shmem file.</summary>
public sealed record MemfdCreateOp(int Line, string Process, string? Bind, string Name) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"memfd_create {Name}";
}

public sealed record FtruncateOp(int Line, string Process, string? Bind, string Fd, ulong Length) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"ftruncate {Fd} {Names.Size(Length)}";
}
