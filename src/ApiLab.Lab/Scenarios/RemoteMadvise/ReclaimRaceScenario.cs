using ApiLab.Lab.Comparison;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>The remote-madvise race as a scenario: size = private anonymous VMAs in the target (4 pages each).</summary>
public sealed class ReclaimRaceScenario : IScenario
{
    public const int PagesPerVma = 4;

    public string Id => "remote-madvise.reclaim-race";

    public string Debate => "remote-madvise";

    public string Title => "Reclaim a cached app while it remaps its heap";

    public IReadOnlyList<string> Designs => ["cookie", "fd-per-vma", "filters", "mainline", "procmap-query"];

    public IReadOnlyList<ComparisonRow> CostRows { get; } =
    [
        new("syscalls", "Syscalls", ComparisonBuilder.Cost),
        new("proc_bytes_read", "Bytes of /proc text parsed", ComparisonBuilder.Cost),
        new("bytes_copied", "Bytes copied to the caller", ComparisonBuilder.Cost),
        new("tlb_flushes", "TLB flushes", ComparisonBuilder.Cost),
        new("tlb_shootdowns", "TLB shootdowns (flushes of the app's mm from the manager)", ComparisonBuilder.Cost),
        new("mmap_lock_acquisitions", "mmap_lock acquisitions", ComparisonBuilder.Cost),
        new("mmap_lock_held", "mmap_lock hold (page-table entries walked while holding it: the app's mmap and munmap wait that long)", ComparisonBuilder.Cost),
        new("pages_reclaimed", "Pages reclaimed", ComparisonBuilder.Cost),
    ];

    public string HarmLabel => "Interleavings that advised a VMA the caller never saw";

    public int DefaultSize => 8;

    public int MaxSize => 10_000;

    public IReadOnlyList<int> StepsPerActor => ReclaimRaceWorld.StepsPerActor;

    public Schedule Uncontended => new([0, 0, 0, 1, 1]);

    public IRaceRun Build(string design, int size) => new ReclaimRaceWorld(design, size, PagesPerVma);
}
