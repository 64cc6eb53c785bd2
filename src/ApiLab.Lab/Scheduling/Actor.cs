using ApiLab.Engine;

namespace ApiLab.Lab;

/// <summary>
/// A process's script in a race: its name and its steps, run in order. <paramref name="Task"/>, when given, is the
/// simulated process the actor is: while it is stopped (SIGSTOP and friends) the scheduler runs none of its steps.
/// </summary>
public sealed record Actor(string Name, IReadOnlyList<Step> Steps, Process? Task = null)
{
    /// <summary>The actor's process is stopped by a signal: it is not runnable until SIGCONT (or a fatal signal).</summary>
    public bool IsStopped => Task is { Stopped: true };
}
