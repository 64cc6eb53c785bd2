using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// Memcg charges (mem_cgroup_charge / uncharge). The engine gives each mm its own memcg; a private anonymous frame is
/// charged to the mm that faulted it and stays charged until the frame is freed, even after that mm exits, as in
/// Linux. A frame is nearly always charged to the mm that maps it, so the charge is one bit of the rmap word
/// (<see cref="ChargedBit"/>: "charged to the inline mapping's mm"; with no mapping left the word keeps the slot and
/// the <see cref="NoVpn"/> vpn). Other charges (a shared frame, a frame charged to another mm) are in a side table.
/// </summary>
public sealed partial class FramePool
{
    private const ulong ChargedBit = 1UL << 46;

    // Charges the rmap word cannot hold: frame -> mm slot.
    private readonly Dictionary<int, int> _sideCharges = [];

    /// <summary>The mm whose memcg <paramref name="frame"/> is charged to, or null.</summary>
    public Mm? MemcgOwner(int frame)
    {
        var word = _rmap[frame];
        if ((word & (SpillBit | ChargedBit)) == ChargedBit)
        {
            return SlotMm(InlineSlot(word));
        }

        return _sideCharges.Count != 0 && _sideCharges.TryGetValue(frame, out var slot) ? SlotMm(slot) : null;
    }

    /// <summary>mem_cgroup_charge: charges <paramref name="frame"/> to <paramref name="mm"/>'s memcg (moving any
    /// previous charge).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Charge(int frame, Mm mm)
    {
        Uncharge(frame);
        mm.MemcgCharged++;
        var slot = PinSlot(mm);
        var word = _rmap[frame];
        if (word == 0 && slot <= MaxInlineSlot)
        {
            _rmap[frame] = ChargedBit | SlotBits(slot) | NoVpn;
        }
        else if (IsInlineMapping(word) && InlineSlot(word) == slot)
        {
            _rmap[frame] = word | ChargedBit;
        }
        else
        {
            _sideCharges[frame] = slot;
        }
    }

    /// <summary>mem_cgroup_uncharge: drops the frame's charge, if it has one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Uncharge(int frame)
    {
        var word = _rmap[frame];
        int slot;
        if ((word & (SpillBit | ChargedBit)) == ChargedBit)
        {
            slot = InlineSlot(word);
            _rmap[frame] = (word & VpnMask) == NoVpn ? 0 : word & ~ChargedBit;
        }
        else if (_sideCharges.Count == 0 || !_sideCharges.Remove(frame, out slot))
        {
            return;
        }

        SlotMm(slot).MemcgCharged--;
        UnpinSlot(slot);
    }

    /// <summary>Before the rmap word stops naming the charged mm inline, its charge moves to the side table.</summary>
    private ulong MoveChargeAside(int frame, ulong word)
    {
        if ((word & (SpillBit | ChargedBit)) != ChargedBit)
        {
            return word;
        }

        _sideCharges[frame] = InlineSlot(word);
        return (word & VpnMask) == NoVpn ? 0 : word & ~ChargedBit;
    }

    /// <summary>A word that just became an inline mapping takes back a side charge of the same mm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ulong TakeChargeBack(int frame, ulong word)
    {
        if (_sideCharges.Count != 0 && _sideCharges.TryGetValue(frame, out var slot) && slot == InlineSlot(word))
        {
            _sideCharges.Remove(frame);
            return word | ChargedBit;
        }

        return word;
    }
}
