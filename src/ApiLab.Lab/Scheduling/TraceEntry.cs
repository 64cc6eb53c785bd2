namespace ApiLab.Lab;

/// <summary>One executed step in a run: who ran it, what it did, the syscalls it made and what it reported.</summary>
public sealed record TraceEntry(int Index, string Actor, string Step, IReadOnlyList<string> Syscalls, string Outcome);
