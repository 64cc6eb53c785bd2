namespace ApiLab.Spec;

/// <summary>A pidfd: an fd that names one process for its whole life, across pid reuse and exec.</summary>
[Handle]
public readonly record struct Pidfd(int Fd)
{
    /// <summary>PIDFD_SELF_THREAD (6.15): names the calling thread without opening an fd.</summary>
    public static readonly Pidfd Self = new(-10000);

    /// <summary>PIDFD_SELF_THREAD_GROUP as redefined in 6.17 (was -20000 in 6.15 and 6.16).</summary>
    public static readonly Pidfd SelfProcess = new(-10001);

    public override string ToString() => $"pidfd:{Fd}";
}
