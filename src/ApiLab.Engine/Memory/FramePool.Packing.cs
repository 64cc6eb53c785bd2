namespace ApiLab.Engine;

/// <summary>
/// What the chunked per-frame state (<c>FramePool.LruLinks.cs</c>, <c>FramePool.RmapWords.cs</c>) looks like, for
/// tests, and a recount of its bookkeeping for the invariant checker (through <see cref="CheckSlots"/>).
/// </summary>
public sealed partial class FramePool
{
    /// <summary>The tier of the rmap chunk holding <paramref name="frame"/>'s word.</summary>
    internal RmapTier RmapTierOf(int frame) => _rmap.TierOf(frame);

    /// <summary>The tier of the chunk holding <paramref name="frame"/>'s next (older) or prev (newer) LRU link.</summary>
    internal LinkTier LinkTierOf(int frame, bool next) => (next ? _lruNext : _lruPrev).TierOf(frame);

    /// <summary>Every chunk's counts (non-zero words, mapped frames, links off the prediction) recounted; null when
    /// they agree.</summary>
    private string? CheckPacking() => _rmap.Check(_nextFresh) ?? _lruNext.Check(_nextFresh) ?? _lruPrev.Check(_nextFresh) ?? CheckLists();

    /// <summary>Each LRU list links its tail to its head through "prev" and back through "next" in exactly its size
    /// steps (the lists are not circular, so a broken link would otherwise go unnoticed by a walk that counts).</summary>
    private string? CheckLists()
    {
        for (var list = 0; list < _lruHead.Length; list++)
        {
            var size = _lruSize[list];
            if ((size == 0) != (_lruHead[list] < 0) || (size == 0) != (_lruTail[list] < 0))
            {
                return $"LRU list {list}: size {size}, head {_lruHead[list]}, tail {_lruTail[list]}";
            }

            if (size == 0)
            {
                continue;
            }

            int up = _lruTail[list], down = _lruHead[list];
            for (var i = 1; i < size; i++)
            {
                up = _lruPrev[up];
                down = _lruNext[down];
                if ((uint)up >= (uint)_nextFresh || (uint)down >= (uint)_nextFresh)
                {
                    return $"LRU list {list}: a link leaves the frames in use";
                }
            }

            if (up != _lruHead[list] || down != _lruTail[list])
            {
                return $"LRU list {list}: {size} steps from one end do not reach the other";
            }
        }

        return null;
    }
}
