namespace ApiLab.Engine;

/// <summary>What every call of one syscall cost, summed (a row of <c>perf trace -s</c>, with the engine's counters).</summary>
public sealed class SyscallCost(string name)
{
    public string Name { get; } = name;

    public long Calls { get; internal set; }

    /// <summary>The counters the calls moved, from entry to return (faults the kernel took on the caller's behalf
    /// included; the caller's own faults between syscalls are not any syscall's).</summary>
    public MachineStats Costs { get; } = new();
}
