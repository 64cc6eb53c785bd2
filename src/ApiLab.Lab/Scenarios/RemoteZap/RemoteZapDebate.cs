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
}
