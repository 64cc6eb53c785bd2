namespace ApiLab.Engine;

/// <summary>
/// The soft resource limits the mm consults (signal->rlim). Values are in bytes; <see cref="Infinity"/> is
/// RLIM_INFINITY. Defaults are this project's 6.18 host's (ulimit -s 8192, ulimit -l 8192, data unlimited). Setting a
/// property is setrlimit without the hard-limit checks. A fork copies them; exec keeps them.
/// </summary>
public sealed class ResourceLimits
{
    public const ulong Infinity = ulong.MaxValue;

    /// <summary>RLIMIT_STACK: how far a stack VMA may grow, and what exec sizes the argument area from.</summary>
    public ulong Stack { get; set; } = 8UL << 20;

    /// <summary>RLIMIT_MEMLOCK: how much memory mlock may lock without CAP_IPC_LOCK.</summary>
    public ulong Memlock { get; set; } = 8UL << 20;

    /// <summary>RLIMIT_DATA: brk checks it (check_data_rlimit); mmap's data_vm accounting is not modelled.</summary>
    public ulong Data { get; set; } = Infinity;

    public ResourceLimits Clone() => (ResourceLimits)MemberwiseClone();
}
