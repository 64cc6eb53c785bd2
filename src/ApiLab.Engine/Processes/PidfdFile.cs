namespace ApiLab.Engine;

/// <summary>The open file behind a pidfd: it pins the process (struct pid), not its pid number or its mm.</summary>
public sealed class PidfdFile(Process process, bool nonBlocking)
{
    public Process Process { get; } = process;

    public bool NonBlocking { get; } = nonBlocking;
}
