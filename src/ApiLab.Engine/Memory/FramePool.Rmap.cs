using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// The reverse map: every (mm, virtual page) that maps a frame (page_add_*_rmap / page_remove_rmap), and the mapcount,
/// which is the number of those mappings. Most frames are mapped once (private anonymous memory), so one 48-bit word
/// per frame holds that mapping inline: (mm slot + 1) in the high bits, the vpn in the low <see cref="VpnBits"/>. A
/// frame mapped more than once (after fork, shmem) spills to pooled entries; the word then holds
/// <see cref="SpillBit"/> and the head of its chain, and the head entry holds the count. Zero means unmapped and
/// uncharged; bit 46 and the <see cref="NoVpn"/> vpn carry the memcg charge (<c>FramePool.Memcg.cs</c>).
/// </summary>
public sealed partial class FramePool
{
    // The word is 48 bits: [spill 47][charged 46][mm slot + 1: 45..35][vpn: 34..0]. A 47-bit user address space
    // has vpns below 2^35 - 1; a wider vpn, or an mm slot past 2046, spills.
    private const int VpnBits = 35;
    private const ulong VpnMask = (1UL << VpnBits) - 1;
    private const int SlotFieldBits = 11;
    private const ulong SlotFieldMask = (1UL << SlotFieldBits) - 1;
    private const int MaxInlineSlot = (1 << SlotFieldBits) - 2;
    private const ulong SpillBit = 1UL << 47;

    // The vpn of a word that names an mm (for its memcg charge) but no mapping (above TASK_SIZE's last page).
    private const ulong NoVpn = VpnMask;

    private readonly RmapWords _rmap;

    // Spilled reverse-map entries, pooled: entry i maps _rmapMm[i] at _rmapVpn[i]; _rmapNext chains a frame's entries,
    // newest first.
    private Mm?[] _rmapMm = new Mm?[16];
    private ulong[] _rmapVpn = new ulong[16];
    private int[] _rmapNext = new int[16];
    private int[] _rmapCounts = new int[16];
    private int _rmapFreeHead = -1;
    private int _rmapCount;

    public int MapCount(int frame)
    {
        var word = _rmap[frame];
        return (word & SpillBit) != 0 ? SpillCount(word) : IsInlineMapping(word) ? 1 : 0;
    }

    /// <summary>Records that <paramref name="mm"/> maps <paramref name="frame"/> at <paramref name="vpn"/> (page_add_*_rmap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void AddMapping(int frame, Mm mm, ulong vpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        var word = _rmap[frame];
        if ((word & SpillBit) == 0 && (word & VpnMask) == NoVpn)
        {
            // Charged but unmapped: the charged mm mapping it keeps the charge inline.
            if (ReferenceEquals(SlotMm(InlineSlot(word)), mm) && vpn < NoVpn)
            {
                _rmap[frame] = (word & ~VpnMask) | vpn;
                PinSlot(mm);
                return;
            }

            word = MoveChargeAside(frame, word);
        }

        if (word == 0)
        {
            if (TryInline(mm, vpn, out var inline))
            {
                _rmap[frame] = TakeChargeBack(frame, inline);
                return;
            }

            word = Spill(0, -1);
        }
        else if ((word & SpillBit) == 0)
        {
            word = MoveChargeAside(frame, word);
            var inlineSlot = InlineSlot(word);
            word = Spill(1, NewEntry(SlotMm(inlineSlot), word & VpnMask, -1));
            UnpinSlot(inlineSlot);
        }

        _rmap[frame] = Spill(SpillCount(word) + 1, NewEntry(mm, vpn, SpillHead(word)));
    }

    /// <summary>Removes the (mm, vpn) mapping of <paramref name="frame"/> (page_remove_rmap).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void RemoveMapping(int frame, Mm mm, ulong vpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        if (!Unlink(frame, mm, vpn))
        {
            throw new InvalidOperationException($"rmap: frame {frame} is not mapped at vpn 0x{vpn:x}");
        }

        if ((_flags[frame] & FrameFlags.Unevictable) != 0)
        {
            RescueIfUnlocked(frame);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Unlink(int frame, Mm mm, ulong vpn)
    {
        var word = _rmap[frame];
        if ((word & SpillBit) == 0)
        {
            if (!IsInlineMapping(word) || !ReferenceEquals(InlineMm(word), mm) || (word & VpnMask) != vpn)
            {
                return false;
            }

            // A charge stays with the frame: the word keeps the charged mm, with no vpn.
            _rmap[frame] = (word & ChargedBit) != 0 ? (word & ~VpnMask) | NoVpn : 0;
            UnpinSlot(InlineSlot(word));
            return true;
        }

        var previous = -1;
        for (var e = SpillHead(word); e >= 0; previous = e, e = _rmapNext[e])
        {
            if (!ReferenceEquals(_rmapMm[e], mm) || _rmapVpn[e] != vpn)
            {
                continue;
            }

            var head = SpillHead(word);
            if (previous < 0)
            {
                head = _rmapNext[e];
            }
            else
            {
                _rmapNext[previous] = _rmapNext[e];
            }

            var count = SpillCount(word) - 1;
            FreeEntry(e);
            _rmap[frame] = count == 0 ? 0 : Spill(count, head);
            if (count == 1 && TryInline(_rmapMm[head]!, _rmapVpn[head], out var inline))
            {
                // Back to one mapping: it moves inline again, so a frame shared only for a while costs nothing after.
                FreeEntry(head);
                _rmap[frame] = TakeChargeBack(frame, inline);
            }

            return true;
        }

        return false;
    }

    /// <summary>Rewrites the vpn of one mapping when a page table entry moves (mremap's move_ptes).</summary>
    internal void MoveMapping(int frame, Mm mm, ulong oldVpn, ulong newVpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        var word = _rmap[frame];
        if (IsInlineMapping(word))
        {
            if (ReferenceEquals(InlineMm(word), mm) && (word & VpnMask) == oldVpn)
            {
                if (newVpn < NoVpn)
                {
                    _rmap[frame] = (word & ~VpnMask) | newVpn;
                }
                else
                {
                    var slot = InlineSlot(word);
                    MoveChargeAside(frame, word);
                    _rmap[frame] = Spill(1, NewEntry(mm, newVpn, -1));
                    UnpinSlot(slot);
                }

                return;
            }
        }
        else if ((word & SpillBit) != 0)
        {
            for (var e = SpillHead(word); e >= 0; e = _rmapNext[e])
            {
                if (ReferenceEquals(_rmapMm[e], mm) && _rmapVpn[e] == oldVpn)
                {
                    _rmapVpn[e] = newVpn;
                    return;
                }
            }
        }

        throw new InvalidOperationException($"rmap: frame {frame} is not mapped at vpn 0x{oldVpn:x}");
    }

    /// <summary>The mappings of <paramref name="frame"/>, newest first, copied out (callers may change the rmap while
    /// using them).</summary>
    public List<(Mm Mm, ulong Vpn)> Mappings(int frame)
    {
        var word = _rmap[frame];
        var list = new List<(Mm, ulong)>(MapCount(frame));
        if ((word & SpillBit) == 0)
        {
            if (IsInlineMapping(word))
            {
                list.Add((InlineMm(word), word & VpnMask));
            }

            return list;
        }

        for (var e = SpillHead(word); e >= 0; e = _rmapNext[e])
        {
            list.Add((_rmapMm[e]!, _rmapVpn[e]));
        }

        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryInline(Mm mm, ulong vpn, out ulong word)
    {
        word = 0;
        if (vpn >= NoVpn)
        {
            return false;
        }

        var slot = PinSlot(mm);
        if (slot > MaxInlineSlot)
        {
            UnpinSlot(slot);
            return false;
        }

        word = SlotBits(slot) | vpn;
        return true;
    }

    private static ulong SlotBits(int slot) => (ulong)(slot + 1) << VpnBits;

    /// <summary>Whether the word is one inline mapping (not unmapped, not charge-only, not spilled).</summary>
    private static bool IsInlineMapping(ulong word) => (word & SpillBit) == 0 && word != 0 && (word & VpnMask) != NoVpn;

    private static int InlineSlot(ulong word) => (int)((word >> VpnBits) & SlotFieldMask) - 1;

    private Mm InlineMm(ulong word) => SlotMm(InlineSlot(word));

    /// <summary>A spilled word: the chain head; the head entry holds the chain's length.</summary>
    private ulong Spill(int count, int head)
    {
        if (head >= 0)
        {
            _rmapCounts[head] = count;
        }

        return SpillBit | (uint)head;
    }

    private int SpillCount(ulong word) => SpillHead(word) is var head and >= 0 ? _rmapCounts[head] : 0;

    private static int SpillHead(ulong word) => (int)(uint)word;

    private int NewEntry(Mm mm, ulong vpn, int next)
    {
        var entry = _rmapFreeHead;
        if (entry >= 0)
        {
            _rmapFreeHead = _rmapNext[entry];
        }
        else
        {
            if (_rmapCount == _rmapMm.Length)
            {
                Array.Resize(ref _rmapMm, _rmapCount * 2);
                Array.Resize(ref _rmapVpn, _rmapCount * 2);
                Array.Resize(ref _rmapNext, _rmapCount * 2);
                Array.Resize(ref _rmapCounts, _rmapCount * 2);
            }

            entry = _rmapCount++;
        }

        _rmapMm[entry] = mm;
        _rmapVpn[entry] = vpn;
        _rmapNext[entry] = next;
        return entry;
    }

    private void FreeEntry(int entry)
    {
        _rmapMm[entry] = null;
        _rmapNext[entry] = _rmapFreeHead;
        _rmapFreeHead = entry;
    }
}
