using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// Which page cache (shmem object, page index) a frame belongs to. Private anonymous frames, the bulk of most
/// workloads, have none, so the pairs live in chunks of <see cref="CacheChunk"/> frames, allocated when a frame of the
/// chunk first joins a page cache and dropped when its last one leaves.
/// </summary>
public sealed partial class FramePool
{
    private const int CacheChunkBits = 10;
    private const int CacheChunk = 1 << CacheChunkBits;

    private CacheOwners?[] _cache = [];

    public ShmemObject? CacheOwner(int frame) => ChunkOf(frame)?.Owners[frame & (CacheChunk - 1)];

    public long CacheIndex(int frame) => ChunkOf(frame)?.Indexes[frame & (CacheChunk - 1)] ?? 0;

    internal void SetCacheOwner(int frame, ShmemObject? owner, long index)
    {
        if (owner is null)
        {
            ClearCacheOwner(frame);
            return;
        }

        var c = frame >> CacheChunkBits;
        if (c >= _cache.Length)
        {
            Array.Resize(ref _cache, Math.Max(c + 1, _cache.Length * 2));
        }

        var chunk = _cache[c] ??= new CacheOwners();
        ref var slot = ref chunk.Owners[frame & (CacheChunk - 1)];
        chunk.Used += slot is null ? 1 : 0;
        slot = owner;
        chunk.Indexes[frame & (CacheChunk - 1)] = index;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ClearCacheOwner(int frame)
    {
        var c = frame >> CacheChunkBits;
        if (c >= _cache.Length || _cache[c] is not { } chunk)
        {
            return;
        }

        ref var slot = ref chunk.Owners[frame & (CacheChunk - 1)];
        if (slot is not null)
        {
            slot = null;
            chunk.Indexes[frame & (CacheChunk - 1)] = 0;
            if (--chunk.Used == 0)
            {
                _cache[c] = null;
            }
        }
    }

    private CacheOwners? ChunkOf(int frame)
    {
        var c = frame >> CacheChunkBits;
        return c < _cache.Length ? _cache[c] : null;
    }

    private sealed class CacheOwners
    {
        public readonly ShmemObject?[] Owners = new ShmemObject?[CacheChunk];
        public readonly long[] Indexes = new long[CacheChunk];
        public int Used;
    }
}
