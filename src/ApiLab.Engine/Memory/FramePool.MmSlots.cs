using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// Small numbers for the mms the frame arrays refer to (inline rmap entries, memcg charges), so a frame stores an int
/// slot rather than an 8-byte reference. A slot is pinned once per use and given back when its last use goes, so an
/// exited mm does not hold one for ever and slot numbers stay as small as the number of mms in use.
/// </summary>
public sealed partial class FramePool
{
    private Mm?[] _slotMm = new Mm?[8];
    private int[] _slotUses = new int[8];
    private readonly Stack<int> _freeSlots = new();
    private int _slotCount;

    private Mm SlotMm(int slot) => _slotMm[slot]!;

    /// <summary>The slot of <paramref name="mm"/>, with one more use counted (a new one if it had none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PinSlot(Mm mm)
    {
        var slot = mm.FrameSlot;
        if (slot < 0)
        {
            if (!_freeSlots.TryPop(out slot))
            {
                if (_slotCount == _slotMm.Length)
                {
                    Array.Resize(ref _slotMm, _slotCount * 2);
                    Array.Resize(ref _slotUses, _slotCount * 2);
                }

                slot = _slotCount++;
            }

            _slotMm[slot] = mm;
            mm.FrameSlot = slot;
        }

        _slotUses[slot]++;
        return slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UnpinSlot(int slot)
    {
        if (--_slotUses[slot] == 0)
        {
            _slotMm[slot]!.FrameSlot = -1;
            _slotMm[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    /// <summary>Recounts every slot's uses from the frame arrays, every spilled chain's length and the packed chunks'
    /// bookkeeping (for the invariant checker); null when they agree with what is recorded.</summary>
    internal string? CheckSlots()
    {
        if (CheckPacking() is { } packing)
        {
            return packing;
        }

        var uses = new int[_slotCount];
        for (var f = 1; f < _nextFresh; f++)
        {
            var word = _rmap[f];
            if (IsInlineMapping(word))
            {
                uses[InlineSlot(word)]++;
            }

            if ((word & (SpillBit | ChargedBit)) == ChargedBit)
            {
                uses[InlineSlot(word)]++;
            }

            if ((word & SpillBit) != 0 && SpillProblem(f, word) is { } problem)
            {
                return problem;
            }
        }

        foreach (var (frame, slot) in _sideCharges)
        {
            if (frame >= _nextFresh || (_rmap[frame] & (SpillBit | ChargedBit)) == ChargedBit)
            {
                return $"frame {frame}: charged twice (inline and in the side table)";
            }

            uses[slot]++;
        }

        for (var s = 0; s < _slotCount; s++)
        {
            var mm = _slotMm[s];
            if (uses[s] != _slotUses[s] || (uses[s] == 0) != (mm is null) || (mm is not null && mm.FrameSlot != s))
            {
                return $"mm slot {s}: {_slotUses[s]} uses recorded, {uses[s]} counted";
            }
        }

        return null;
    }

    private string? SpillProblem(int frame, ulong word)
    {
        var length = 0;
        for (var e = SpillHead(word); e >= 0 && length <= _rmapCount; e = _rmapNext[e])
        {
            length++;
        }

        return length == SpillCount(word) && length > 0
            ? null
            : $"frame {frame}: spilled rmap of {length} entries, count {SpillCount(word)}";
    }
}
