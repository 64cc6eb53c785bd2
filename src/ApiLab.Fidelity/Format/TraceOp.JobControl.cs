namespace ApiLab.Fidelity.Format;

/// <summary><c>p: setpgid TARGET GROUP</c>: setpgid(2); each operand is a process (its pid) or <c>0</c>.</summary>
public sealed record SetpgidOp(int Line, string Process, string? Bind, string Target, string Group) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"setpgid {Target} {Group}";
}

/// <summary><c>p: setsid</c>: setsid(2); the result is the new session's id, shown as the process it names.</summary>
public sealed record SetsidOp(int Line, string Process, string? Bind) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => "setsid";
}

/// <summary><c>p: getpgid TARGET</c> or <c>p: getsid TARGET</c> (TARGET a process or <c>0</c>): the group or session
/// id, shown as the trace process whose pid it is, or <c>outside</c> (the runner's own group and session).</summary>
public sealed record GetpgidOp(int Line, string Process, string? Bind, string Target, bool Session) : TraceOp(Line, Process, Bind)
{
    public override string Describe() => $"{(Session ? "getsid" : "getpgid")} {Target}";
}
