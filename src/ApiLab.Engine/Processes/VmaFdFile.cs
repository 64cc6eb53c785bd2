namespace ApiLab.Engine;

/// <summary>
/// An fd naming one VMA (Hocko's FD-per-VMA design, seed 000: /proc/pid/map_files for file VMAs and a proposed
/// map_anons for anonymous ones). It records the VMA's identity and range at open; every use revalidates that a VMA
/// with that identity still spans exactly that range.
/// </summary>
public sealed class VmaFdFile(Process target, ulong vmaId, ulong start, ulong end)
{
    public Process Target { get; } = target;

    public ulong VmaId { get; } = vmaId;

    public ulong Start { get; } = start;

    public ulong End { get; } = end;

    /// <summary>The VMA, if it still exists unchanged (same identity, same range); otherwise null.</summary>
    public Vma? Revalidate()
    {
        var vma = Target.Mm?.Vmas.Find(Start);
        return vma is not null && vma.Id == VmaId && vma.Start == Start && vma.End == End ? vma : null;
    }
}
