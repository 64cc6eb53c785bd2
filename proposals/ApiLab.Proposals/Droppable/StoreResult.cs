using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>What became of one user store into state memory.</summary>
public enum StoreOutcome
{
    /// <summary>The value is in memory.</summary>
    Written,

    /// <summary>The instruction was skipped: the program went on as if it had written, memory is unchanged.</summary>
    Skipped,

    /// <summary>The fault found no memory and will be retried: the task is stuck on this instruction until memory is
    /// freed (it runs again at its next step).</summary>
    Retrying,

    /// <summary>The OOM killer chose the writer itself: it is dead.</summary>
    Killed,

    /// <summary>The access itself was bad (SIGSEGV, SIGBUS): <see cref="StoreResult.Error"/> says which.</summary>
    Faulted,
}

/// <summary>One store's outcome, the errno behind a fault, and whom the OOM killer took on the way (if anyone).</summary>
public readonly record struct StoreResult(StoreOutcome Outcome, Errno Error = Errno.None, Process? OomVictim = null)
{
    /// <summary>The program continues after the store (it was written or skipped).</summary>
    public bool Retired => Outcome is StoreOutcome.Written or StoreOutcome.Skipped;
}
