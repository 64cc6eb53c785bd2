namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Seed 000: remote madvise and how the caller knows the ranges still name the VMAs it meant.</summary>
public sealed class RemoteMadviseDebate : IDebate
{
    public DebateInfo Info { get; } = new("remote-madvise", "Remote madvise: how does a manager know it hit the VMA it meant?",
        "000_9de8a7c864f17f9f.txt",
        "Hocko (FD per VMA), Colascione (a layout cookie) and Minchan (hint-only, tolerate races) argued over how a "
        + "process advising another process's memory can be sure the ranges it read still name the VMAs it meant.");
}
