namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>Seed 001: may one process zap another's memory, and what does the target lose if it can?</summary>
public sealed class RemoteZapDebate : IDebate
{
    public DebateInfo Info { get; } = new("remote-zap", "Remote zap: may a memory manager throw away another process's pages?",
        "001_5fc4631f11fe68c2.txt",
        "Nadav Amit wanted process_madvise(MADV_DONTNEED) (or a userfaultfd ioctl) for a userspace memory manager that "
        + "write-protects, reads out, zaps and faults pages back with UFFDIO_COPY; Hildenbrand and Hocko answered that remote "
        + "calls must stay hints (COLD/PAGEOUT), Peter Xu that the target can zap itself, and mainline kept destructive "
        + "remote reclaim for dying processes only (process_mrelease).");

    public IReadOnlyList<DebateArgument> Arguments { get; } =
    [
        new("Nadav Amit", "Vectored remote DONTNEED with batched TLB flushes is cheaper than one madvise per range.",
            "<20210926161259.238054-1-namit@vmware.com>", "tlb_flushes"),
        new("David Hildenbrand", "DONTNEED on MAP_PRIVATE is target-visible: the target loses data unless the range is frozen first.",
            "seed 001", "harm", "remote-zap.unprotected-zap"),
        new("David Hildenbrand", "A zap does not guarantee the memory is freed: pages shared after fork stay.",
            "<f47970f5-faa7-9d5f-f07a-9399e4626eda@redhat.com>", "pages_freed"),
        new("Michal Hocko", "Why cannot you use MADV_PAGEOUT/MADV_COLD for this use case?",
            "<E8456D5C-4FCD-46E4-B6F8-771076243D7E@gmail.com>", "pages_reclaimed"),
        new("Suren Baghdasaryan", "Destructive remote reclaim is fine for a process already being killed (process_mrelease).",
            "process_mrelease, merged 5.15", "pages_freed", "remote-zap.reap-after-kill"),
    ];
}
