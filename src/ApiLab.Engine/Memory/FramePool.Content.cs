using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// Frame contents: one word per frame, enough to tell lost, stale and leaked data apart. A fresh page is zero-filled
/// (content 0) and many stay that way (MAP_POPULATE, reads of untouched memory), so the words live in chunks of
/// <see cref="ContentChunk"/> frames that are only allocated when a frame in the chunk first holds a non-zero word.
/// </summary>
public sealed partial class FramePool
{
    private const int ContentChunkBits = 9;
    private const int ContentChunk = 1 << ContentChunkBits;

    private ulong[]?[] _contentChunks = [];

    public ulong Content(int frame)
    {
        var chunks = _contentChunks;
        var c = frame >> ContentChunkBits;
        return (uint)c < (uint)chunks.Length && chunks[c] is { } chunk ? chunk[frame & (ContentChunk - 1)] : 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void SetContent(int frame, ulong value)
    {
        var c = frame >> ContentChunkBits;
        if ((uint)c < (uint)_contentChunks.Length && _contentChunks[c] is { } chunk)
        {
            chunk[frame & (ContentChunk - 1)] = value;
            return;
        }

        if (value == 0)
        {
            return;
        }

        if (c >= _contentChunks.Length)
        {
            var chunkCount = (int)(((long)Capacity + ContentChunk - 1) >> ContentChunkBits);
            Array.Resize(ref _contentChunks, Math.Min(chunkCount, Math.Max(c + 1, _contentChunks.Length * 2)));
        }

        // A small machine (the race explorer builds one per schedule) gets a chunk no longer than its capacity.
        chunk = _contentChunks[c] = new ulong[Math.Min(ContentChunk, Capacity - (c << ContentChunkBits))];
        chunk[frame & (ContentChunk - 1)] = value;
    }
}
