namespace ApiLab.Fidelity.Format;

/// <summary>
/// <c>f = p: open_tmpfile NAME</c>: an empty, unnamed regular file (the host opens <c>/tmp</c> with O_TMPFILE, so it
/// is a real file on a disk filesystem). Its maps name holds an inode number on the host, so traces with regular files
/// compare values and errnos, not the name column.
/// </summary>
public sealed record OpenTmpfileOp(int Line, string Process, string? Bind, string Name) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"open_tmpfile {Name}";
}

/// <summary><c>p: msync ADDR LEN [sync|async|invalidate[|...] | flags N]</c>.</summary>
public sealed record MsyncOp(int Line, string Process, string? Bind, AddressExpr Address, ulong Length, int Flags) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"msync {Address} {Names.Size(Length)} {Names.MsyncFlags(Flags)}";
}

/// <summary><c>p: fsync FD</c>.</summary>
public sealed record FsyncOp(int Line, string Process, string? Bind, string Fd) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"fsync {Fd}";
}

/// <summary><c>p: kill TARGET SIGNAL</c>: kill(2) by the target's pid; SIGNAL is a number or a name such as SIGSTOP.
/// Traces send only signals that leave the host's workers able to answer (0, invalid ones, SIGSTOP then SIGCONT,
/// default-ignored ones).</summary>
public sealed record KillOp(int Line, string Process, string? Bind, string Target, int Signal) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"kill {Target} {Names.Signal(Signal)}";
}
