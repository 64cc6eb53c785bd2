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
/// predicts each link as f + delta (the array's delta, or in a "flipped" chunk its opposite) and stores only what
/// breaks the prediction:
/// </para>
/// <list type="bullet">
/// <item><b>linear</b> (no array): up to <see cref="MaxLinkExceptions"/> exceptions, such as a link across a
/// list's middle after a removal.</item>
/// <item><b>16-bit</b>: one signed delta per frame (a link within ±32 Ki frames; -1, "no frame", has its own code),
/// once a chunk has more exceptions than that.</item>
/// <item><b>32-bit</b>: the plain frame number, once a delta does not fit.</item>
/// </list>
/// <para>
/// Two bits per frame (<see cref="FrameStates"/>) say whether its link is f + delta, f - delta, or held by the
/// chunk, so the common read and store touch nothing else. A chunk widens only when a store needs it, as
/// <see cref="PageTable"/> leaves do. It narrows back to linear, freeing its array, when every one of its links
/// follows a prediction again: an array tier counts the links that break the chunk's prediction and those that break
/// the opposite one, so it can tell in O(1), flipping the prediction if need be (the free-then-refault pattern).
/// Links of frames on no list (and the "prev" of a free frame) mean nothing, so <see cref="LinkArray.Forget"/> sets
/// them back to the prediction rather than keep a stale exception. Every operation is O(1); widening or narrowing
/// writes one chunk.
/// </para>
/// </remarks>
public sealed partial class FramePool
{
    internal const int LinkChunkBits = 9;
    internal const int LinkChunkSize = 1 << LinkChunkBits;
    private const int LinkChunkMask = LinkChunkSize - 1;
    private const int MaxLinkExceptions = 8;

    /// <summary>How a chunk of links is stored (for tests and the invariant checker).</summary>
    internal enum LinkTier : byte
    {
        Linear,
        Delta16,
        Absolute32,
    }

    /// <summary>One direction of links (next or prev) for every frame.</summary>
    private sealed class LinkArray(int predictedDelta)
    {
        // Frame states: the link is f + predictedDelta, f - predictedDelta, or stored in the chunk.
        private const int Predicted = 0;
        private const int Opposite = 1;
        private const int Stored = 2;

        // The code of link -1 (end of the free list) in the 16-bit tier; a real delta of short.MinValue is not stored.
        private const short NoFrameCode = short.MinValue;

        private FrameStates _states = new();
        private LinkChunk[] _chunks = [];

        // Frames the pool's arrays cover now: a small machine's chunk arrays are no longer than its frames.
        private int _size;

        public int this[int frame]
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            get
            {
                var state = _states.Get(frame);
                return state == Predicted ? frame + predictedDelta
                    : state == Opposite ? frame - predictedDelta
                    : GetStored(ref _chunks[frame >> LinkChunkBits], frame);
            }

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set
            {
                // No link is int.MinValue, so a stored link always takes the slow path.
                var state = _states.Get(frame);
                if (value != (state == Predicted ? frame + predictedDelta : state == Opposite ? frame - predictedDelta : int.MinValue))
                {
                    SetSlow(frame, value);
                }
            }
        }

        /// <summary>The link means nothing now: let it follow the chunk's prediction.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Forget(int frame)
        {
            if (_states.Get(frame) == Stored)
            {
                SetSlow(frame, frame + DeltaOf(in _chunks[frame >> LinkChunkBits]));
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

            _states.Resize(frames);
            var oldSize = _size;
            _size = Math.Max(_size, frames);
            if ((oldSize & LinkChunkMask) != 0 && _chunks[oldSize >> LinkChunkBits].Tier != LinkTier.Linear)
            {
                Lengthen(ref _chunks[oldSize >> LinkChunkBits], oldSize & ~LinkChunkMask);
            }
        }

        /// <summary>The array of the chunk that held the old last frame grows to the new one; the new links are
        /// predicted, as a linear chunk's would be.</summary>
        private void Lengthen(ref LinkChunk chunk, int chunkBase)
        {
            var delta = DeltaOf(in chunk);
            var length = ChunkLength(chunkBase);
            int old;
            if (chunk.Delta16 is { } deltas)
            {
                old = deltas.Length;
                Array.Resize(ref deltas, length);
                Array.Fill(deltas, (short)delta, old, length - old);
                chunk.Delta16 = deltas;
            }
            else
            {
                var absolute = chunk.Absolute32!;
                old = absolute.Length;
                Array.Resize(ref absolute, length);
                for (var i = old; i < length; i++)
                {
                    absolute[i] = chunkBase + i + delta;
                }

                chunk.Absolute32 = absolute;
            }

            chunk.IrregularOpposite += length - old;
        }

        public LinkTier TierOf(int frame) => _chunks[frame >> LinkChunkBits].Tier;

        private int DeltaOf(in LinkChunk chunk) => chunk.Flipped ? -predictedDelta : predictedDelta;

        private static int LinearState(in LinkChunk chunk) => chunk.Flipped ? Opposite : Predicted;

        private int ChunkLength(int chunkBase) => Math.Min(LinkChunkSize, _size - chunkBase);

        private static int GetStored(ref LinkChunk chunk, int frame)
        {
            var offset = frame & LinkChunkMask;
            switch (chunk.Tier)
            {
                case LinkTier.Absolute32:
                    return chunk.Absolute32![offset];
                case LinkTier.Delta16:
                    var code = chunk.Delta16![offset];
                    return code == NoFrameCode ? -1 : frame + code;
                default:
                    return chunk.Values[chunk.IndexOf(offset)];
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private void SetSlow(int frame, int value)
        {
            var c = frame >> LinkChunkBits;
            ref var chunk = ref _chunks[c];
            var offset = frame & LinkChunkMask;
            switch (chunk.Tier)
            {
                case LinkTier.Absolute32:
                    var absolute = chunk.Absolute32!;
                    Count(ref chunk, frame, absolute[offset], value);
                    absolute[offset] = value;
                    NarrowIfRegular(ref chunk, c);
                    return;
                case LinkTier.Delta16:
                    if (!TryEncode(frame, value, out var code))
                    {
                        WidenTo32(ref chunk, frame & ~LinkChunkMask);
                        SetSlow(frame, value);
                        return;
                    }

                    var deltas = chunk.Delta16!;
                    var old = deltas[offset];
                    Count(ref chunk, frame, old == NoFrameCode ? -1 : frame + old, value);
                    deltas[offset] = code;
                    NarrowIfRegular(ref chunk, c);
                    return;
            }

            if (_states.Get(frame) == Stored)
            {
                var i = chunk.IndexOf(offset);
                if (value != frame + DeltaOf(in chunk))
                {
                    chunk.Values[i] = value;
                    return;
                }

                var last = --chunk.Exceptions;
                chunk.Offsets[i] = chunk.Offsets[last];
                chunk.Values[i] = chunk.Values[last];
                _states.Set(frame, LinearState(in chunk));
                return;
            }

            // Not stored, and the fast path saw it differs from the prediction.
            if (chunk.Exceptions < MaxLinkExceptions)
            {
                chunk.Offsets[chunk.Exceptions] = (ushort)offset;
                chunk.Values[chunk.Exceptions] = value;
                chunk.Exceptions++;
                _states.Set(frame, Stored);
                return;
            }

            Widen(ref chunk, c, frame, value);
            SetSlow(frame, value);
        }

        /// <summary>Linear to an array: 16-bit if every exception (and the value about to be stored) fits.</summary>
        private void Widen(ref LinkChunk chunk, int c, int frame, int value)
        {
            var chunkBase = c << LinkChunkBits;
            var delta = DeltaOf(in chunk);
            var length = ChunkLength(chunkBase);
            var fits = TryEncode(frame, value, out _);
            for (var i = 0; i < chunk.Exceptions && fits; i++)
            {
                fits = TryEncode(chunkBase + chunk.Offsets[i], chunk.Values[i], out _);
            }

            chunk.Irregular = chunk.Exceptions;
            chunk.IrregularOpposite = length;
            if (fits)
            {
                var deltas = new short[length];
                Array.Fill(deltas, (short)delta);
                for (var i = 0; i < chunk.Exceptions; i++)
                {
                    var f = chunkBase + chunk.Offsets[i];
                    TryEncode(f, chunk.Values[i], out deltas[chunk.Offsets[i]]);
                    chunk.IrregularOpposite -= chunk.Values[i] == f - delta ? 1 : 0;
                }

                chunk.Delta16 = deltas;
                chunk.Tier = LinkTier.Delta16;
            }
            else
            {
                var absolute = new int[length];
                for (var i = 0; i < length; i++)
                {
                    absolute[i] = chunkBase + i + delta;
                }

                for (var i = 0; i < chunk.Exceptions; i++)
                {
                    var f = chunkBase + chunk.Offsets[i];
                    absolute[chunk.Offsets[i]] = chunk.Values[i];
                    chunk.IrregularOpposite -= chunk.Values[i] == f - delta ? 1 : 0;
                }

                chunk.Absolute32 = absolute;
                chunk.Tier = LinkTier.Absolute32;
            }

            chunk.Exceptions = 0;
            _states.Fill(c, Stored);
        }

        private static void WidenTo32(ref LinkChunk chunk, int chunkBase)
        {
            var deltas = chunk.Delta16!;
            var absolute = new int[deltas.Length];
            for (var i = 0; i < deltas.Length; i++)
            {
                absolute[i] = deltas[i] == NoFrameCode ? -1 : chunkBase + i + deltas[i];
            }

            chunk.Absolute32 = absolute;
            chunk.Delta16 = null;
            chunk.Tier = LinkTier.Absolute32;
        }

        private void Count(ref LinkChunk chunk, int frame, int old, int value)
        {
            var delta = DeltaOf(in chunk);
            chunk.Irregular += (value != frame + delta ? 1 : 0) - (old != frame + delta ? 1 : 0);
            chunk.IrregularOpposite += (value != frame - delta ? 1 : 0) - (old != frame - delta ? 1 : 0);
        }

        /// <summary>Every link follows f + delta (or every one f - delta): the array goes, the chunk is linear again.</summary>
        private void NarrowIfRegular(ref LinkChunk chunk, int c)
        {
            if (chunk.Irregular != 0 && chunk.IrregularOpposite != 0)
            {
                return;
            }

            var flipped = chunk.Flipped ^ (chunk.Irregular != 0);
            chunk = default;
            chunk.Flipped = flipped;
            _states.Fill(c, LinearState(in chunk));
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

        /// <summary>Recounts every chunk's bookkeeping; null when it agrees with the links.</summary>
        public string? Check(int frames)
        {
            for (var c = 0; c < _chunks.Length && (c << LinkChunkBits) < frames; c++)
            {
                if (CheckChunk(ref _chunks[c], c << LinkChunkBits) is { } problem)
                {
                    return $"link chunk {c}: {problem}";
                }
            }

            return null;
        }

        private string? CheckChunk(ref LinkChunk chunk, int chunkBase)
        {
            var delta = DeltaOf(in chunk);
            int stored = 0, irregular = 0, opposite = 0;
            for (var i = 0; i < ChunkLength(chunkBase); i++)
            {
                var frame = chunkBase + i;
                var state = _states.Get(frame);
                stored += state == Stored ? 1 : 0;
                if (chunk.Tier == LinkTier.Linear && state != Stored && state != LinearState(in chunk))
                {
                    return $"frame {frame} in state {state} in a linear chunk predicting {delta}";
                }

                var link = this[frame];
                irregular += link != frame + delta ? 1 : 0;
                opposite += link != frame - delta ? 1 : 0;
            }

            if (chunk.Tier == LinkTier.Linear)
            {
                return stored == chunk.Exceptions && irregular == stored
                    ? null
                    : $"{chunk.Exceptions} exceptions, {stored} frames stored, {irregular} off the prediction";
            }

            return stored == ChunkLength(chunkBase) && irregular == chunk.Irregular && opposite == chunk.IrregularOpposite
                && irregular != 0 && opposite != 0
                ? null
                : $"{chunk.Tier}: {chunk.Irregular}/{chunk.IrregularOpposite} irregular links recorded, {irregular}/{opposite} counted";
        }
    }

    /// <summary>The state of one chunk of links (a struct in the array's chunk table).</summary>
    private struct LinkChunk
    {
        public LinkTier Tier;

        /// <summary>The chunk predicts f - delta rather than the array's f + delta.</summary>
        public bool Flipped;

        // Array tiers, and how many of their links differ from the prediction and from the opposite one.
        public short[]? Delta16;
        public int[]? Absolute32;
        public int Irregular;
        public int IrregularOpposite;

        // Linear tier: the links that differ from the prediction.
        public int Exceptions;
        public ExceptionOffsets Offsets;
        public ExceptionValues Values;

        public readonly int IndexOf(int offset)
        {
            var i = 0;
            while (Offsets[i] != offset)
            {
                i++;
            }

            return i;
        }
    }

    [InlineArray(MaxLinkExceptions)]
    private struct ExceptionOffsets
    {
        private ushort _element;
    }

    [InlineArray(MaxLinkExceptions)]
    private struct ExceptionValues
    {
        private int _element;
    }
}
