using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// The per-frame rmap words (<c>FramePool.Rmap.cs</c>) in chunks of <see cref="RmapChunkSize"/> frames, each stored
/// in the cheapest of four tiers that holds its words exactly.
/// </summary>
/// <remarks>
/// <para>
/// A private anonymous region faulted in order maps consecutive frames at consecutive vpns of one mm, all charged to
/// it (frames re-faulted from the LIFO free list after a zap map them in the opposite order). So:
/// </para>
/// <list type="bullet">
/// <item><b>empty</b>: every word is 0; the chunk holds nothing.</item>
/// <item><b>linear</b>: the words share one mm slot (and charged bit) and a mapped frame's vpn follows from its
/// offset in the chunk: base + direction × offset, the line set by the chunk's first mapping (the anchor) and its
/// direction (+1 or -1) by the second. A frame holds that predicted mapping, or the chunk's charge with no mapping
/// (the state between <see cref="Charge"/> and <see cref="AddMapping"/> on a fault, and between
/// <see cref="RemoveMapping"/> and the last <see cref="Put"/> on a zap), or 0.</item>
/// <item><b>32-bit vpns</b>: as linear, but the mapped vpns are in a 32-bit array (sharing their top bits), once a
/// mapping of the chunk's mm lands off the line: frames handed out in shuffled order (4 bytes a frame, not 6). The
/// chunk's last mapping going puts it back to linear.</item>
/// <item><b>dense</b>: the plain 48-bit words (a 32-bit and a 16-bit array), once a store fits neither: a second mm,
/// a spilled (shared) frame, a mapping charged elsewhere.</item>
/// </list>
/// <para>
/// Two bits per frame (<see cref="FrameStates"/>) say which form a word takes: zero, charge-only, mapped (on the
/// line or in the vpn array), or dense; a zero word is read without looking at its chunk. A chunk counts its
/// non-zero words; when the last one is cleared, in any tier, the chunk goes back to empty (dropping its arrays), so
/// a region freed and faulted again is linear again. Every store is O(1) except the one that moves a chunk to a
/// wider tier, which writes the chunk once.
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
        Vpn32,
        Dense,
    }

    private sealed class RmapWords
    {
        // Frame states.
        private const int Zero = 0;
        private const int ChargeOnly = 1;
        private const int OnLine = 2;
        private const int Dense = 3;

        private FrameStates _states = new();
        private RmapChunk[] _chunks = [];

        // Frames the pool's arrays cover now: a small machine's dense arrays are no longer than its frames.
        private int _size;

        public ulong this[int frame]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                var state = _states.Get(frame);
                if (state == Zero)
                {
                    return 0;
                }

                ref var chunk = ref _chunks[frame >> RmapChunkBits];
                var offset = frame & RmapChunkMask;
                return state switch
                {
                    ChargeOnly => chunk.ChargeOnlyWord,
                    OnLine => chunk.MappedHigh | (chunk.Vpns is { } vpns
                        ? ((ulong)chunk.VpnHigh << 32) | vpns[offset]
                        : (ulong)(chunk.Base + (chunk.Direction * offset))),
                    _ => chunk.Low![offset] | ((ulong)chunk.High![offset] << 32),
                };
            }

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            set
            {
                var state = _states.Get(frame);
                if (state == Zero && value == 0)
                {
                    return;
                }

                ref var chunk = ref _chunks[frame >> RmapChunkBits];
                if (chunk.Low is null)
                {
                    if (SetLinearStep(ref chunk, frame, state, value) || TrySetLinear(ref chunk, frame, state, value))
                    {
                        return;
                    }

                    MaterializeDense(ref chunk, frame >> RmapChunkBits);
                    state = _states.Get(frame);
                }

                var offset = frame & RmapChunkMask;
                chunk.Low![offset] = (uint)value;
                chunk.High![offset] = (ushort)(value >> 32);
                var now = value == 0 ? Zero : Dense;
                _states.Set(frame, now);
                Recount(ref chunk, state, now);
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

            _states.Resize(frames);
            var oldSize = _size;
            _size = Math.Max(_size, frames);
            if ((oldSize & RmapChunkMask) == 0)
            {
                return;
            }

            // The arrays of the chunk that held the old last frame grow to the new one (the new words are 0).
            ref var chunk = ref _chunks[oldSize >> RmapChunkBits];
            var length = Math.Min(RmapChunkSize, _size - (oldSize & ~RmapChunkMask));
            if (chunk.Low is not null)
            {
                Array.Resize(ref chunk.Low, length);
                Array.Resize(ref chunk.High, length);
            }
            else if (chunk.Vpns is not null)
            {
                Array.Resize(ref chunk.Vpns, length);
            }
        }

        public RmapTier TierOf(int frame)
        {
            ref var chunk = ref _chunks[frame >> RmapChunkBits];
            return chunk.Low is not null ? RmapTier.Dense
                : chunk.Vpns is not null ? RmapTier.Vpn32
                : chunk.NonZero != 0 ? RmapTier.Linear
                : RmapTier.Empty;
        }

        /// <summary>The steps of a fault and a zap in a linear chunk whose line is known (to charge-only, to a
        /// mapping on the line, to zero), without the checks of <see cref="TrySetLinear"/>; false for any other
        /// store.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private bool SetLinearStep(ref RmapChunk chunk, int frame, int state, ulong word)
        {
            int now;
            if (word == 0)
            {
                now = Zero;
            }
            else if (word == chunk.ChargeOnlyWord)
            {
                now = ChargeOnly;
            }
            else if (chunk.Direction != 0 && (word & ~VpnMask) == chunk.MappedHigh
                && (long)(word & VpnMask) == chunk.Base + (chunk.Direction * (frame & RmapChunkMask)))
            {
                now = OnLine;
            }
            else if (chunk.Vpns is { } vpns && (word & ~VpnMask) == chunk.MappedHigh && (word & VpnMask) >> 32 == chunk.VpnHigh)
            {
                vpns[frame & RmapChunkMask] = (uint)word;
                now = OnLine;
            }
            else
            {
                return false;
            }

            _states.Set(frame, now);
            Recount(ref chunk, state, now);
            return true;
        }

        /// <summary>Stores <paramref name="word"/> in a linear (or empty) chunk, setting up its slot and line; false,
        /// changing nothing, when the word breaks them.</summary>
        private bool TrySetLinear(ref RmapChunk chunk, int frame, int state, ulong word)
        {
            var slotField = word & SlotFieldInWord;
            if ((word & SpillBit) != 0 || slotField == 0
                || (chunk.ChargeOnlyWord != 0 && slotField != (chunk.ChargeOnlyWord & SlotFieldInWord)))
            {
                return false;
            }

            int now;
            if ((word & VpnMask) == NoVpn)
            {
                if ((word & ChargedBit) == 0)
                {
                    return false;
                }

                now = ChargeOnly;
            }
            else if (chunk.Vpns is null
                && FollowsLine(ref chunk, frame & RmapChunkMask, (long)(word & VpnMask), word & ~VpnMask, state == OnLine))
            {
                now = OnLine;
            }
            else if (!TryStoreVpn(ref chunk, frame, word))
            {
                return false;
            }
            else
            {
                now = OnLine;
            }

            chunk.ChargeOnlyWord = ChargedBit | slotField | NoVpn;
            _states.Set(frame, now);
            Recount(ref chunk, state, now);
            return true;
        }

        /// <summary>Whether a mapping at <paramref name="vpn"/> for <paramref name="offset"/> follows the chunk's line,
        /// setting the line up when this is its first mapping (the anchor) or its second (the direction).</summary>
        private static bool FollowsLine(ref RmapChunk chunk, int offset, long vpn, ulong high, bool wasOnLine)
        {
            if (chunk.OnLine - (wasOnLine ? 1 : 0) == 0)
            {
                chunk.AnchorOffset = offset;
                chunk.Base = vpn;
                chunk.Direction = 0;
                chunk.MappedHigh = high;
                return true;
            }

            if (high != chunk.MappedHigh)
            {
                return false;
            }

            if (chunk.Direction != 0)
            {
                return vpn == chunk.Base + (chunk.Direction * offset);
            }

            // The one other mapped frame is the anchor, whose vpn is Base while the direction is unknown.
            var step = offset - chunk.AnchorOffset;
            var direction = vpn - chunk.Base == step ? 1 : vpn - chunk.Base == -step ? -1 : 0;
            if (direction == 0)
            {
                return false;
            }

            chunk.Base -= direction * chunk.AnchorOffset;
            chunk.Direction = direction;
            return true;
        }

        /// <summary>A mapping of the chunk's mm off its line: the chunk's mapped vpns move to a 32-bit array (when they
        /// and this one share their top bits), so a chunk of shuffled frames costs 4 bytes a word rather than 6.</summary>
        private bool TryStoreVpn(ref RmapChunk chunk, int frame, ulong word)
        {
            var vpnHigh = (uint)((word & VpnMask) >> 32);
            if ((word & ~VpnMask) != chunk.MappedHigh || (chunk.Vpns is not null && vpnHigh != chunk.VpnHigh))
            {
                return false;
            }

            if (chunk.Vpns is null)
            {
                var chunkBase = frame & ~RmapChunkMask;
                var vpns = new uint[Math.Min(RmapChunkSize, _size - chunkBase)];
                for (var offset = 0; offset < vpns.Length; offset++)
                {
                    if (_states.Get(chunkBase + offset) != OnLine)
                    {
                        continue;
                    }

                    var vpn = (ulong)(chunk.Base + (chunk.Direction * offset));
                    if (vpn >> 32 != vpnHigh)
                    {
                        return false;
                    }

                    vpns[offset] = (uint)vpn;
                }

                chunk.Vpns = vpns;
                chunk.VpnHigh = vpnHigh;

                // No line any more (the fast path must not take a word for on the line).
                chunk.Direction = 0;
            }

            chunk.Vpns[frame & RmapChunkMask] = (uint)word;
            return true;
        }

        /// <summary>Counts a frame's move from state <paramref name="was"/> to <paramref name="now"/>; a chunk left
        /// with no non-zero word goes back to empty.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Recount(ref RmapChunk chunk, int was, int now)
        {
            chunk.NonZero += (now != Zero ? 1 : 0) - (was != Zero ? 1 : 0);
            chunk.OnLine += (now == OnLine ? 1 : 0) - (was == OnLine ? 1 : 0);
            if (chunk.NonZero == 0)
            {
                chunk = default;
            }
            else if (chunk.OnLine == 0 && chunk.Vpns is not null)
            {
                // No mapping left to hold: the next one starts a line again.
                chunk.Vpns = null;
                chunk.Direction = 0;
            }
        }

        private void MaterializeDense(ref RmapChunk chunk, int c)
        {
            var chunkBase = c << RmapChunkBits;
            var length = Math.Min(RmapChunkSize, _size - chunkBase);
            var low = new uint[length];
            var high = new ushort[length];
            for (var offset = 0; offset < length; offset++)
            {
                var word = this[chunkBase + offset];
                low[offset] = (uint)word;
                high[offset] = (ushort)(word >> 32);
                _states.Set(chunkBase + offset, word == 0 ? Zero : Dense);
            }

            var nonZero = chunk.NonZero;
            chunk = default;
            chunk.Low = low;
            chunk.High = high;
            chunk.NonZero = nonZero;
        }

        /// <summary>Recounts every chunk's bookkeeping; null when it agrees with the words.</summary>
        public string? Check(int frames)
        {
            for (var c = 0; c < _chunks.Length && (c << RmapChunkBits) < frames; c++)
            {
                ref var chunk = ref _chunks[c];
                int nonZero = 0, onLine = 0;
                for (var frame = c << RmapChunkBits; frame < Math.Min((c + 1) << RmapChunkBits, _size); frame++)
                {
                    var state = _states.Get(frame);
                    var word = this[frame];
                    if ((state == Zero) != (word == 0) || (state == Dense) != (chunk.Low is not null && word != 0))
                    {
                        return $"rmap chunk {c}: frame {frame} in state {state} holds 0x{word:x}";
                    }

                    nonZero += state != Zero ? 1 : 0;
                    onLine += state == OnLine ? 1 : 0;
                }

                if (nonZero != chunk.NonZero || onLine != chunk.OnLine || (nonZero == 0 && chunk.Low is not null)
                    || (chunk.Direction == 0 && chunk.Vpns is null && onLine > 1) || (chunk.Vpns is not null && (onLine == 0 || chunk.Direction != 0)))
                {
                    return $"rmap chunk {c}: {chunk.NonZero}/{chunk.OnLine} non-zero/on-line words recorded, "
                        + $"{nonZero}/{onLine} counted (direction {chunk.Direction})";
                }
            }

            return null;
        }
    }

    /// <summary>The state of one chunk of rmap words (a struct in the chunk table).</summary>
    private struct RmapChunk
    {
        // Dense tier.
        public uint[]? Low;
        public ushort[]? High;

        // 32-bit vpns tier: a mapped frame's word is MappedHigh | (VpnHigh << 32) | Vpns[offset].
        public uint[]? Vpns;
        public uint VpnHigh;

        // Linear tier. ChargeOnlyWord is the word of a frame charged to the chunk's mm with no mapping (0 before the
        // chunk's first word); a mapped frame's word is MappedHigh (slot field and charged bit) | (Base + Direction ×
        // offset). While Direction is 0 at most the anchor frame is on the line, and Base is its vpn.
        public ulong ChargeOnlyWord;
        public ulong MappedHigh;
        public long Base;
        public int Direction;
        public int AnchorOffset;
        public int OnLine;

        public int NonZero;
    }
}
