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
    private string? CheckPacking() => _rmap.Check() ?? _lruNext.Check(_nextFresh) ?? _lruPrev.Check(_nextFresh);
}
