using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>
/// The vma-duplication scenario (issue 7): restore a forking app's heap (size = pages; half swapped out) into another
/// process, with Shutemov's fork-and-pass-back as the race. Every design can express it.
/// </summary>
public sealed class HeapMigrationScenario : IScenario
{
    public string Id => "vma-duplication.heap-migration";

    public string Debate => "vma-duplication";

    public string Title => "Restore a forking app's half-swapped heap into another process";

    public IReadOnlyList<string> Designs => ["memfd", "move", "proc-mem-splice", "process-vm-mmap", "vm-writev"];

    public IReadOnlyList<ComparisonRow> CostRows { get; } =
    [
        new("syscalls", "Syscalls (restorer's transfers)", ComparisonBuilder.Cost),
        new("bytes_copied", "Bytes copied", ComparisonBuilder.Cost),
        new("pages_swapped_in", "Pages swapped in", ComparisonBuilder.Cost),
        new("page_faults", "Page faults", ComparisonBuilder.Cost),
        new("tlb_flushes", "TLB flushes", ComparisonBuilder.Cost),
        new("memcg_source", "Pages charged to the source side's memcg", ComparisonBuilder.Cost),
        new("memcg_dest", "Pages charged to the restorer's memcg", ComparisonBuilder.Cost),
        new("double_mapped_pages", "Anonymous pages mapped twice in the restorer", ComparisonBuilder.Cost),
    ];

    public string HarmLabel => "Interleavings with a page mapped twice in one mm, a write seen by the wrong process, or private memory made shared";

    public int DefaultSize => 8;

    public int MaxSize => 262_144;

    public IReadOnlyList<int> StepsPerActor => HeapMigrationWorld.StepsPerActor;

    /// <summary>The app forks and writes, then the restorer transfers both heaps: Shutemov's order.</summary>
    public Schedule Uncontended => new([0, 0, 1, 1]);

    public IRaceRun Build(string design, int size) => new HeapMigrationWorld(design, size);
}
