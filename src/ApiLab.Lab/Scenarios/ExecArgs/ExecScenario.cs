using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// The exec-args scenarios' common part (issue 7): size is KiB of argument data, from 1 KiB to just under the E2BIG
/// limit (2 MiB with an 8 MiB RLIMIT_STACK); every design can express every workload. Costs are the execer's, over
/// one uncontended pass (exec first, then the pressure).
/// </summary>
public abstract class ExecScenario : IScenario
{
    public abstract string Id { get; }

    public string Debate => "exec-args";

    public abstract string Title { get; }

    public IReadOnlyList<string> Designs => ExecDriver.Designs;

    public IReadOnlyList<ComparisonRow> CostRows { get; } =
    [
        new("syscalls", "Syscalls (execve; its stages are not syscalls)", ComparisonBuilder.Cost),
        new("page_table_moves", "Page-table moves of the argument area", ComparisonBuilder.Cost),
        new("ptes_moved", "Page-table entries moved", ComparisonBuilder.Cost),
        new("tlb_flushes", "TLB flushes (exec's, old mm teardown included)", ComparisonBuilder.Cost),
        new("remote_gup", "get_user_pages_remote calls on bprm->mm", ComparisonBuilder.Cost),
        new("pages_copied", "Argument pages filled", ComparisonBuilder.Cost),
        new("bytes_copied", "Argument bytes copied", ComparisonBuilder.Cost),
        new("pinned_pages", "Unswappable pages pinned (peak)", ComparisonBuilder.Cost),
        new("pages_swapped_in", "Argument pages swapped back in by exec", ComparisonBuilder.Cost),
    ];

    public string HarmLabel => "Interleavings where exec failed, corrupted its arguments, or pinned memory under pressure";

    public abstract int DefaultSize { get; }

    /// <summary>2047 KiB of strings is the largest the 2 MiB bprm_stack_limits allows with this argv's pointers.</summary>
    public int MaxSize => 2047;

    public IReadOnlyList<int> StepsPerActor { get; } = [3, 2];

    public Schedule Uncontended => new([0, 0, 0, 1, 1]);

    protected abstract ExecWorkload Workload { get; }

    public IRaceRun Build(string design, int size) =>
        new ExecPressureWorld(design, Math.Clamp(size, 1, MaxSize), Workload);
}
