namespace ApiLab.Engine;

/// <summary>The simulated machine's size and sysctls. Defaults are what this project's 6.18 host reports.</summary>
public sealed record MachineConfig
{
    /// <summary>Physical frames available to user memory (4 KiB each). Pressure is real: when they run out, reclaim runs.</summary>
    public int Frames { get; init; } = 1 << 20;

    /// <summary>Swap slots (4 KiB each). Zero means no swap: anonymous pages cannot be reclaimed.</summary>
    public int SwapSlots { get; init; } = 1 << 20;

    /// <summary>/proc/sys/kernel/pid_max.</summary>
    public int PidMax { get; init; } = 32768;

    /// <summary>/proc/sys/vm/max_map_count.</summary>
    public int MaxMapCount { get; init; } = 65530;

    /// <summary>/proc/sys/vm/mmap_min_addr.</summary>
    public ulong MmapMinAddr { get; init; } = 4096;

    /// <summary>/proc/sys/vm/unprivileged_userfaultfd (0 on the host): without it or CAP_SYS_PTRACE, userfaultfd(2) needs
    /// UFFD_USER_MODE_ONLY.</summary>
    public bool UnprivilegedUserfaultfd { get; init; }

    /// <summary>Keep <see cref="Machine.CallCosts"/>, the costs per syscall name (the machine's initial
    /// <see cref="Machine.CostPerCall"/>). Off by default: it snapshots the
    /// counters at every syscall entry, which the race explorer's hot path does not need.</summary>
    public bool CostPerCall { get; init; }

    /// <summary>Run the invariant checker after every syscall (tests); off by default so hot paths stay clean.</summary>
    public bool CheckInvariants { get; init; }
}
