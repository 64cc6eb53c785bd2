namespace ApiLab.Spec;

/// <summary>One VMA as a query reports it (what a /proc/pid/maps line or a PROCMAP_QUERY answer carries).</summary>
public readonly record struct VmaInfo(ulong Start, ulong End, Prot Prot, bool Shared, bool FileBacked, string Name)
{
    public ulong Length => End - Start;

    public bool IsAnonymous => !FileBacked;
}
