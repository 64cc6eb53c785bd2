using System.Numerics;
using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// The per-frame rmap words (<c>FramePool.Rmap.cs</c>) in chunks of <see cref="RmapChunkSize"/> frames, each stored
/// in the cheapest of three tiers that holds its words exactly.
/// </summary>
/// <remarks>
/// <para>
/// A private anonymous region faulted in order maps consecutive frames at consecutive vpns of one mm, all charged to
/// it (frames re-faulted from the LIFO free list after a zap map them in the opposite order). So:
/// </para>
/// <list type="bullet">
/// <item><b>empty</b>: every word is 0; the chunk is not allocated.</item>
/// <item><b>linear</b>: the words share one mm slot (and charged bit) and a frame's vpn follows from its offset in
/// the chunk: anchor vpn + direction × (offset - anchor offset), the direction (+1 or -1) set by the second mapping.
/// One 512-bit map says which frames hold that predicted mapping and another which hold the chunk's charge with no
/// mapping (the state between <see cref="Charge"/> and <see cref="AddMapping"/> on a fault, and between
/// <see cref="RemoveMapping"/> and the last <see cref="Put"/> on a zap); every other word is 0.</item>
/// <item><b>dense</b>: today's 48-bit words (a 32-bit and a 16-bit array), once a store breaks the prediction: a
/// second mm, a spilled (shared) frame, a vpn out of line.</item>
/// </list>
/// <para>
/// A chunk counts its non-zero words; when the last one is cleared, in any tier, the chunk is dropped (back to
/// empty), so a region freed and faulted again is linear again. Every store is O(1) except the one that materializes
/// a chunk dense, which writes its set words once.
/// </para>
/// </remarks>
public sealed partial class FramePool
{
    internal const int RmapChunkBits = 9;
    internal const int RmapChunkSize = 1 << RmapChunkBits;
    private const int RmapChunkMask = RmapChunkSize - 1;

    // The word's mm slot field (slot + 1), without the charged bit.
    private const ulong SlotFieldInWord = SlotFieldMask << VpnBits;

    /// <summary>How a chunk of rmap words is stored (for tests).</summary>
    internal enum RmapTier
    {
        Empty,
        Linear,
        Dense,
    }

    private sealed class RmapWords(int capacity)
    {
        private RmapChunk?[] _chunks = [];

        public ulong this[int frame]
        {
            get => _chunks[frame >> RmapChunkBits] is { } chunk ? chunk.Get(frame & RmapChunkMask) : 0;
            set
            {
                ref var chunk = ref _chunks[frame >> RmapChunkBits];
                if (chunk is null)
                {
                    if (value == 0)
                    {
                        return;
                    }

                    chunk = new RmapChunk(Math.Min(RmapChunkSize, capacity - (frame & ~RmapChunkMask)));
                }

                if (!chunk.Set(frame & RmapChunkMask, value))
                {
                    chunk = null;
                }
            }
        }

        /// <summary>Makes room for the words of frames below <paramref name="frames"/>.</summary>
        public void Resize(int frames)
        {
            var count = (frames + RmapChunkMask) >> RmapChunkBits;
            if (count > _chunks.Length)
            {
                Array.Resize(ref _chunks, count);
            }
        }

        public RmapTier TierOf(int frame) => _chunks[frame >> RmapChunkBits] switch
        {
            null => RmapTier.Empty,
            { IsDense: true } => RmapTier.Dense,
            _ => RmapTier.Linear,
        };

        /// <summary>Recounts every chunk's bookkeeping; null when it agrees with the words.</summary>
        public string? Check()
        {
            for (var c = 0; c < _chunks.Length; c++)
            {
                if (_chunks[c]?.Check() is { } problem)
                {
                    return $"rmap chunk {c}: {problem}";
                }
            }

            return null;
        }
    }

    private sealed class RmapChunk(int length)
    {
        // Dense tier.
        private uint[]? _low;
        private ushort[]? _high;

        // Linear tier. _slotField is the slot field every word names (0 before the first word); _mappedHigh is the
        // bits above the vpn of a mapped word (slot field and charged bit). While _direction is 0 at most the anchor
        // frame is mapped.
        private ulong _slotField;
        private ulong _mappedHigh;
        private int _anchorOffset;
        private long _anchorVpn;
        private int _direction;
        private int _mappedCount;
        private ChunkBitmap _mapped;
        private ChunkBitmap _chargeOnly;

        private int _nonZero;

        public bool IsDense => _low is not null;

        public ulong Get(int offset)
        {
            if (_low is { } low)
            {
                return low[offset] | ((ulong)_high![offset] << 32);
            }

            if (_mapped.Test(offset))
            {
                return _mappedHigh | PredictedVpn(offset);
            }

            return _chargeOnly.Test(offset) ? ChargedBit | _slotField | NoVpn : 0;
        }

        /// <summary>Stores a word; false when the chunk holds only zeros afterwards (the caller drops it).</summary>
        public bool Set(int offset, ulong word)
        {
            if (_low is { } low)
            {
                var old = low[offset] | ((ulong)_high![offset] << 32);
                _nonZero += (word != 0 ? 1 : 0) - (old != 0 ? 1 : 0);
                low[offset] = (uint)word;
                _high[offset] = (ushort)(word >> 32);
                return _nonZero != 0;
            }

            if (!TrySetLinear(offset, word))
            {
                MaterializeDense();
                return Set(offset, word);
            }

            return _nonZero != 0;
        }

        private bool TrySetLinear(int offset, ulong word)
        {
            var wasMapped = _mapped.Test(offset);
            var wasSet = wasMapped || _chargeOnly.Test(offset);
            if (word == 0)
            {
                Unmark(offset, wasMapped);
                _chargeOnly.Clear(offset);
                _nonZero -= wasSet ? 1 : 0;
                return true;
            }

            var slotField = word & SlotFieldInWord;
            if ((word & SpillBit) != 0 || slotField == 0 || (_slotField != 0 && slotField != _slotField))
            {
                return false;
            }

            if ((word & VpnMask) == NoVpn)
            {
                if ((word & ChargedBit) == 0)
                {
                    return false;
                }

                Unmark(offset, wasMapped);
                _chargeOnly.Set(offset);
            }
            else
            {
                if (!FollowsLine(offset, (long)(word & VpnMask), word & ~VpnMask, wasMapped))
                {
                    return false;
                }

                if (!wasMapped)
                {
                    _mapped.Set(offset);
                    _mappedCount++;
                }

                _chargeOnly.Clear(offset);
            }

            _slotField = slotField;
            _nonZero += wasSet ? 0 : 1;
            return true;
        }

        /// <summary>Whether a mapping at <paramref name="vpn"/> for <paramref name="offset"/> follows the chunk's line,
        /// setting the line up when this is its first mapping (the anchor) or its second (the direction).</summary>
        private bool FollowsLine(int offset, long vpn, ulong high, bool wasMapped)
        {
            if (_mappedCount - (wasMapped ? 1 : 0) == 0)
            {
                _anchorOffset = offset;
                _anchorVpn = vpn;
                _direction = 0;
                _mappedHigh = high;
                return true;
            }

            if (high != _mappedHigh)
            {
                return false;
            }

            if (_direction != 0)
            {
                return vpn == _anchorVpn + (_direction * (offset - _anchorOffset));
            }

            // The one other mapped frame is the anchor.
            var step = offset - _anchorOffset;
            _direction = vpn - _anchorVpn == step ? 1 : vpn - _anchorVpn == -step ? -1 : 0;
            return _direction != 0;
        }

        private void Unmark(int offset, bool wasMapped)
        {
            if (wasMapped)
            {
                _mapped.Clear(offset);
                _mappedCount--;
            }
        }

        private ulong PredictedVpn(int offset) => (ulong)(_anchorVpn + (_direction * (offset - _anchorOffset)));

        private void MaterializeDense()
        {
            var low = new uint[length];
            var high = new ushort[length];
            for (var offset = 0; offset < length; offset++)
            {
                var word = Get(offset);
                low[offset] = (uint)word;
                high[offset] = (ushort)(word >> 32);
            }

            _low = low;
            _high = high;
            _mapped = default;
            _chargeOnly = default;
            _mappedCount = 0;
        }

        public string? Check()
        {
            var nonZero = 0;
            var mapped = _mapped.Count();
            for (var offset = 0; offset < length; offset++)
            {
                nonZero += Get(offset) != 0 ? 1 : 0;
                if (_mapped.Test(offset) && _chargeOnly.Test(offset))
                {
                    return $"offset {offset} both mapped and charge-only";
                }
            }

            if (nonZero != _nonZero || nonZero == 0)
            {
                return $"{_nonZero} non-zero words recorded, {nonZero} counted";
            }

            return IsDense || (mapped == _mappedCount && (_direction != 0 || mapped <= 1))
                ? null
                : $"linear: {_mappedCount} mapped recorded, {mapped} counted, direction {_direction}";
        }
    }

    /// <summary>One bit per frame of a chunk, inline in the chunk object.</summary>
    [InlineArray(RmapChunkSize / 64)]
    private struct ChunkBitmap
    {
        private ulong _word;

        public readonly bool Test(int offset) => (this[offset >> 6] & (1UL << offset)) != 0;

        public void Set(int offset) => this[offset >> 6] |= 1UL << offset;

        public void Clear(int offset) => this[offset >> 6] &= ~(1UL << offset);

        public readonly int Count()
        {
            var count = 0;
            foreach (var word in this)
            {
                count += BitOperations.PopCount(word);
            }

            return count;
        }
    }
}
