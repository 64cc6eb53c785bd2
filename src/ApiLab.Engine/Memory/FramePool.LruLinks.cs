using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// The LRU links (and the free list, which chains through the "next" links) in chunks of <see cref="LinkChunkSize"/>
/// frames, each chunk as narrow as its links allow.
/// </summary>
/// <remarks>
/// <para>
/// Sequential faults add frames f, f+1, ... at the head of one list, so frame f's "next" (towards older) is f - 1 and
/// its "prev" is f + 1; a zap frees them in the same order, so the free list's "next" is f - 1 too; frames freed in
/// the opposite order (and re-faulted from that LIFO free list) have the opposite links, f + 1 and f - 1. A chunk
/// predicts each link as f + <see cref="LinkChunk.Delta"/> (-1 or +1) and stores only what breaks the prediction:
/// </para>
/// <list type="bullet">
/// <item><b>linear</b> (no array): up to <see cref="LinkChunk.MaxExceptions"/> exceptions, such as the head's link to
/// the tail of a circular list. A chunk nobody broke is not even allocated.</item>
/// <item><b>16-bit</b>: one signed delta per frame (a link within ±32 KiB frames; -1, "no frame", has its own
/// code), once a chunk has more exceptions than that.</item>
/// <item><b>32-bit</b>: the plain frame number, once a delta does not fit.</item>
/// </list>
/// <para>
/// A chunk widens only when a store needs it, as <see cref="PageTable"/> leaves do. It narrows back to linear, freeing
/// its array, when every one of its links follows a prediction again: each array tier counts the frames that break
/// the chunk's prediction and those that break the opposite one, so it can tell in O(1) and flip the prediction (the
/// free-then-refault pattern). Links of frames on no list (and the "prev" of a free frame) mean nothing, so
/// <see cref="LinkArray.Forget"/> sets them back to the prediction rather than keeping a stale exception. Every operation is
/// O(1); widening copies one chunk.
/// </para>
/// </remarks>
public sealed partial class FramePool
{
    internal const int LinkChunkBits = 9;
    internal const int LinkChunkSize = 1 << LinkChunkBits;
    private const int LinkChunkMask = LinkChunkSize - 1;

    /// <summary>How a chunk of links is stored (for tests and the invariant checker).</summary>
    internal enum LinkTier
    {
        Linear,
        Delta16,
        Absolute32,
    }

    /// <summary>One direction of links (next or prev) for every frame.</summary>
    private sealed class LinkArray(int capacity, int predictedDelta)
    {
        private LinkChunk?[] _chunks = [];

        public int this[int frame]
        {
            get => _chunks[frame >> LinkChunkBits] is { } chunk ? chunk.Get(frame) : frame + predictedDelta;
            set
            {
                ref var chunk = ref _chunks[frame >> LinkChunkBits];
                if (chunk is null)
                {
                    if (value == frame + predictedDelta)
                    {
                        return;
                    }

                    chunk = new LinkChunk(predictedDelta, Math.Min(LinkChunkSize, capacity - (frame & ~LinkChunkMask)));
                }

                chunk.Set(frame, value);
            }
        }

        /// <summary>The link means nothing now: let it follow the chunk's prediction.</summary>
        public void Forget(int frame)
        {
            if (_chunks[frame >> LinkChunkBits] is { } chunk)
            {
                chunk.Set(frame, frame + chunk.Delta);
            }
        }

        /// <summary>Makes room for links of frames below <paramref name="frames"/>.</summary>
        public void Resize(int frames)
        {
            var count = (frames + LinkChunkMask) >> LinkChunkBits;
            if (count > _chunks.Length)
            {
                Array.Resize(ref _chunks, count);
            }
        }

        public LinkTier TierOf(int frame) => _chunks[frame >> LinkChunkBits]?.Tier ?? LinkTier.Linear;

        /// <summary>Recounts every chunk's bookkeeping; null when it agrees with the links.</summary>
        public string? Check(int frames)
        {
            for (var c = 0; c < _chunks.Length && (c << LinkChunkBits) < frames; c++)
            {
                if (_chunks[c]?.Check(c << LinkChunkBits) is { } problem)
                {
                    return $"link chunk {c}: {problem}";
                }
            }

            return null;
        }
    }

    /// <summary>One chunk of links: linear with a few exceptions, or an array of 16-bit deltas or 32-bit frames.</summary>
    private sealed class LinkChunk(int delta, int length)
    {
        public const int MaxExceptions = 8;

        // The code of link -1 (end of the free list) in the 16-bit tier; a real delta of short.MinValue is not stored.
        private const short NoFrameCode = short.MinValue;

        private short[]? _delta16;
        private int[]? _absolute32;

        // Array tiers: how many links differ from f + Delta, and from f - Delta.
        private int _irregular;
        private int _irregularOpposite;

        // Linear tier: the links that differ from f + Delta.
        private ExceptionOffsets _offsets;
        private ExceptionValues _values;
        private int _exceptions;

        /// <summary>The chunk's prediction: a link of frame f is f + Delta (-1 or +1).</summary>
        public int Delta { get; private set; } = delta;

        public LinkTier Tier => _absolute32 is not null ? LinkTier.Absolute32 : _delta16 is not null ? LinkTier.Delta16 : LinkTier.Linear;

        public int Get(int frame)
        {
            var offset = frame & LinkChunkMask;
            if (_absolute32 is { } absolute)
            {
                return absolute[offset];
            }

            if (_delta16 is { } deltas)
            {
                var code = deltas[offset];
                return code == NoFrameCode ? -1 : frame + code;
            }

            for (var i = 0; i < _exceptions; i++)
            {
                if (_offsets[i] == offset)
                {
                    return _values[i];
                }
            }

            return frame + Delta;
        }

        public void Set(int frame, int value)
        {
            var offset = frame & LinkChunkMask;
            if (_absolute32 is { } absolute)
            {
                Count(frame, absolute[offset], value);
                absolute[offset] = value;
                NarrowIfRegular();
                return;
            }

            if (_delta16 is { } deltas)
            {
                if (!TryEncode(frame, value, out var code))
                {
                    WidenTo32(frame & ~LinkChunkMask);
                    Set(frame, value);
                    return;
                }

                var old = deltas[offset];
                Count(frame, old == NoFrameCode ? -1 : frame + old, value);
                deltas[offset] = code;
                NarrowIfRegular();
                return;
            }

            SetLinear(frame, offset, value);
        }

        private void SetLinear(int frame, int offset, int value)
        {
            var predicted = frame + Delta;
            for (var i = 0; i < _exceptions; i++)
            {
                if (_offsets[i] != offset)
                {
                    continue;
                }

                if (value == predicted)
                {
                    _exceptions--;
                    _offsets[i] = _offsets[_exceptions];
                    _values[i] = _values[_exceptions];
                }
                else
                {
                    _values[i] = value;
                }

                return;
            }

            if (value == predicted)
            {
                return;
            }

            if (_exceptions < MaxExceptions)
            {
                _offsets[_exceptions] = (ushort)offset;
                _values[_exceptions] = value;
                _exceptions++;
                return;
            }

            Widen(frame & ~LinkChunkMask, frame, value);
            Set(frame, value);
        }

        /// <summary>Linear to an array: 16-bit if every exception (and the value about to be stored) fits.</summary>
        private void Widen(int chunkBase, int frame, int value)
        {
            var fits = TryEncode(frame, value, out _);
            for (var i = 0; i < _exceptions && fits; i++)
            {
                fits = TryEncode(chunkBase + _offsets[i], _values[i], out _);
            }

            _irregular = _exceptions;
            _irregularOpposite = length;
            if (fits)
            {
                var deltas = new short[length];
                Array.Fill(deltas, (short)Delta);
                for (var i = 0; i < _exceptions; i++)
                {
                    TryEncode(chunkBase + _offsets[i], _values[i], out deltas[_offsets[i]]);
                    _irregularOpposite -= _values[i] == chunkBase + _offsets[i] - Delta ? 1 : 0;
                }

                _delta16 = deltas;
            }
            else
            {
                var absolute = new int[length];
                for (var i = 0; i < length; i++)
                {
                    absolute[i] = chunkBase + i + Delta;
                }

                for (var i = 0; i < _exceptions; i++)
                {
                    absolute[_offsets[i]] = _values[i];
                    _irregularOpposite -= _values[i] == chunkBase + _offsets[i] - Delta ? 1 : 0;
                }

                _absolute32 = absolute;
            }

            _exceptions = 0;
        }

        private void WidenTo32(int chunkBase)
        {
            var deltas = _delta16!;
            var absolute = new int[length];
            for (var i = 0; i < length; i++)
            {
                absolute[i] = deltas[i] == NoFrameCode ? -1 : chunkBase + i + deltas[i];
            }

            _absolute32 = absolute;
            _delta16 = null;
        }

        private void Count(int frame, int old, int value)
        {
            _irregular += (value != frame + Delta ? 1 : 0) - (old != frame + Delta ? 1 : 0);
            _irregularOpposite += (value != frame - Delta ? 1 : 0) - (old != frame - Delta ? 1 : 0);
        }

        /// <summary>Every link follows f + Delta (or every one f - Delta): the array goes, the chunk is linear again.</summary>
        private void NarrowIfRegular()
        {
            if (_irregular != 0 && _irregularOpposite != 0)
            {
                return;
            }

            if (_irregular != 0)
            {
                Delta = -Delta;
            }

            _delta16 = null;
            _absolute32 = null;
            _irregular = 0;
            _irregularOpposite = 0;
        }

        private static bool TryEncode(int frame, int value, out short code)
        {
            if (value == -1)
            {
                code = NoFrameCode;
                return true;
            }

            var delta = value - frame;
            code = (short)delta;
            return delta > short.MinValue && delta <= short.MaxValue;
        }

        public string? Check(int chunkBase)
        {
            if (Tier == LinkTier.Linear)
            {
                for (var i = 0; i < _exceptions; i++)
                {
                    if (_values[i] == chunkBase + _offsets[i] + Delta)
                    {
                        return $"exception at frame {chunkBase + _offsets[i]} equals the prediction";
                    }

                    for (var j = 0; j < i; j++)
                    {
                        if (_offsets[j] == _offsets[i])
                        {
                            return $"two exceptions for frame {chunkBase + _offsets[i]}";
                        }
                    }
                }

                return null;
            }

            int irregular = 0, opposite = 0;
            for (var i = 0; i < length; i++)
            {
                var link = Get(chunkBase + i);
                irregular += link != chunkBase + i + Delta ? 1 : 0;
                opposite += link != chunkBase + i - Delta ? 1 : 0;
            }

            return irregular == _irregular && opposite == _irregularOpposite && irregular != 0 && opposite != 0
                ? null
                : $"{Tier}: {_irregular}/{_irregularOpposite} irregular links recorded, {irregular}/{opposite} counted";
        }

        [InlineArray(MaxExceptions)]
        private struct ExceptionOffsets
        {
            private ushort _element;
        }

        [InlineArray(MaxExceptions)]
        private struct ExceptionValues
        {
            private int _element;
        }
    }
}
