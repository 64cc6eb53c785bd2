namespace ApiLab.Engine;

/// <summary>Moving a frame's memcg charge, for exec stagings that hand a page from one owner to another.</summary>
public sealed partial class FramePool
{
    /// <summary>Uncharges <paramref name="frame"/> from whatever mm holds its charge and charges <paramref name="mm"/>.</summary>
    internal void Recharge(int frame, Mm mm)
    {
        Uncharge(frame);
        Charge(frame, mm);
    }
}
