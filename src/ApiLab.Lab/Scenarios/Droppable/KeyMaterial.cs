using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.Droppable;

/// <summary>The keys the owner writes (one word per page, tagged so a leak is recognised wherever it turns up).</summary>
internal static class KeyMaterial
{
    private const ulong FirstKey = 0x6b31_0000_0000UL;
    private const ulong SecondKey = 0x6b32_0000_0000UL;
    private const ulong TagMask = 0xffff_ffff_0000_0000UL;

    /// <summary>The key page <paramref name="page"/> holds after the fill (first) or the rekey (second).</summary>
    public static ulong Key(bool second, int page) => (second ? SecondKey : FirstKey) | (uint)page;

    public static bool IsKey(ulong value) => (value & TagMask) is FirstKey or SecondKey;

    /// <summary>Whether a slot in use on the swap device holds a key.</summary>
    public static bool OnSwap(SwapDevice swap)
    {
        for (var slot = 1; slot <= swap.Slots; slot++)
        {
            if (swap.Count(slot) > 0 && IsKey(swap.Content(slot)))
            {
                return true;
            }
        }

        return false;
    }
}
