namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Seed 000: remote madvise and how the caller knows the ranges still name the VMAs it meant.</summary>
public sealed class RemoteMadviseDebate : IDebate
{
    public DebateInfo Info { get; } = new("remote-madvise", "Remote madvise: how does a manager know it hit the VMA it meant?",
        "000_9de8a7c864f17f9f.txt",
        "Hocko (FD per VMA), Colascione (a layout cookie) and Minchan (hint-only, tolerate races) argued over how a "
        + "process advising another process's memory can be sure the ranges it read still name the VMAs it meant.");

    public IReadOnlyList<DebateArgument> Arguments { get; } =
    [
        new("Michal Hocko", "Range-based remote calls are racy by design; an fd naming one VMA revalidates it on every use.",
            "seed 000, 2019-05-28", "harm"),
        new("Daniel Colascione", "An fd per VMA costs 2N syscalls (system_server has ~4204 VMAs); one query plus a layout cookie costs O(1).",
            "seed 000, 2019-05-28", "syscalls"),
        new("Daniel Colascione", "Parsing /proc/pid/maps text is slow; a binary query returns the same layout.",
            "seed 000, 2019-05-28", "proc_bytes_read"),
        new("Minchan Kim", "The remote advice set is non-destructive, so hitting the wrong VMA only misplaces a hint (fallback \"D\").",
            "seed 000, 2019-05-20", "pages_reclaimed"),
    ];
}
