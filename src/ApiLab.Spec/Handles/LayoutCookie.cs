namespace ApiLab.Spec;

/// <summary>
/// Colascione's "VMA configuration sequence number" (seed 000): the target's layout generation at query time. A call
/// that presents it acts only if no VMA was created, split, merged, moved or removed since.
/// </summary>
[Handle]
public readonly record struct LayoutCookie(ulong Seq)
{
    public override string ToString() => $"cookie:{Seq}";
}
