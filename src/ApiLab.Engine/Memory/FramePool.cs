using System.Runtime.CompilerServices;

namespace ApiLab.Engine;

/// <summary>
/// Physical memory: a fixed number of 4 KiB frames, stored as parallel arrays (no per-page objects). Each frame has a
/// content word (enough to tell lost, stale and leaked data apart; <c>FramePool.Content.cs</c>), a refcount, flags,
/// LRU links, its reverse map (every (mm, virtual page) that maps it; <c>FramePool.Rmap.cs</c>) and its memcg
/// (<c>FramePool.Memcg.cs</c>). Frame 0 is the shared zero page and is never freed.
/// </summary>
/// <remarks>
/// The per-frame state is kept narrow so a large simulated workload fits in little real memory (issue 3's bench,
/// "memory per resident page", PTE included: about 9 bytes for a populated private anonymous page, and about 22 after
/// its pages were freed and faulted back in random order, against Linux's 64-byte struct page plus 8-byte PTE). A
/// zero content word costs nothing until a chunk of frames holds a non-zero one; refcounts and flags take 16 bits
/// each; the LRU links (which also chain the free list) and the rmap words live in 512-frame chunks that cost next to
/// nothing while frames follow each other in order and widen only as far as their contents need
/// (<c>FramePool.LruLinks.cs</c>, <c>FramePool.RmapWords.cs</c>); mms are named by small slots
/// (<c>FramePool.MmSlots.cs</c>); a frame's single mapping and its memcg charge share one 48-bit word and only shared
/// frames spill to rmap entries; the rarely used page-cache owner/index live in side chunks
/// (<c>FramePool.PageCache.cs</c>). The operations every fault and zap make are compiled fully optimized from their
/// first call (<see cref="MethodImplOptions.AggressiveOptimization"/>), so a short run does not pay for tier-0 code
/// in the chunk lookups.
/// </remarks>
public sealed partial class FramePool
{
    public const int ZeroPage = 0;

    // Per-frame arrays grow on demand (doubling) up to Capacity, so a big machine costs nothing until it is used
    // and the race explorer can build a fresh machine per schedule cheaply.
    private FrameFlags[] _flags;

    // LRU links, towards older frames (next) and newer ones (prev), in chunks that cost nothing while frames follow
    // each other in order (FramePool.LruLinks.cs). A free frame is on no LRU list, so _lruNext also chains the free
    // list.
    private readonly LinkArray _lruNext;
    private readonly LinkArray _lruPrev;

    // Freed frames (LIFO, chained through _lruNext; -1 ends it), and the first frame never handed out yet: frames
    // are used in order 1, 2, 3, ... .
    private int _freeHead = -1;
    private int _freeCount;
    private int _nextFresh = 1;

    // LRU heads (newest) and tails (oldest): [anon inactive, anon active, file inactive, file active, unevictable];
    // -1 when empty. Lists are not circular: the head's prev and the tail's next mean nothing and are never written,
    // so frames added (or removed) in order leave every link as the chunk predicts it (FramePool.LruLinks.cs).
    private readonly int[] _lruHead = [-1, -1, -1, -1, -1];
    private readonly int[] _lruTail = [-1, -1, -1, -1, -1];
    private readonly int[] _lruSize = new int[5];

    public FramePool(int capacity)
    {
        if (capacity < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "need at least the zero page and one frame");
        }

        Capacity = capacity;
        var initial = Math.Min(capacity, 64);
        _refCount = new RefCounts(initial);
        _flags = new FrameFlags[initial];
        _lruNext = new LinkArray(predictedDelta: -1);
        _lruPrev = new LinkArray(predictedDelta: 1);
        _rmap = new RmapWords();
        _lruNext.Resize(initial);
        _lruPrev.Resize(initial);
        _rmap.Resize(initial);
        _flags[ZeroPage] = FrameFlags.InUse;
        _refCount[ZeroPage] = 1;
    }

    public int Capacity { get; }

    public int FreeCount => _freeCount + (Capacity - _nextFresh);

    /// <summary>Frames in use, not counting the zero page.</summary>
    public int UsedCount => Capacity - 1 - FreeCount;

    /// <summary>How many frames the arrays hold now (for the invariant checker's loops).</summary>
    internal int Allocated => _nextFresh;

    public int LruSize(bool swapBacked, bool active) => _lruSize[ListIndex(swapBacked, active)];

    /// <summary>Takes a free frame with the given content and one reference, or returns -1 when none is free.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int TryAllocate(ulong content, FrameFlags flags)
    {
        int frame;
        if (_freeHead >= 0)
        {
            frame = _freeHead;
            _freeHead = _lruNext[frame];
            _freeCount--;
        }
        else if (_nextFresh < Capacity)
        {
            frame = _nextFresh++;
            if (frame >= _refCount.Length)
            {
                Grow();
            }
        }
        else
        {
            return -1;
        }

        SetContent(frame, content);
        _refCount[frame] = 1;
        _flags[frame] = flags | FrameFlags.InUse;
        return frame;
    }

    private void Grow()
    {
        var size = (int)Math.Min((long)Capacity, (long)_refCount.Length * 2);
        _refCount.Resize(size);
        Array.Resize(ref _flags, size);
        _lruNext.Resize(size);
        _lruPrev.Resize(size);
        _rmap.Resize(size);
    }

    internal void Get(int frame) => _refCount[frame]++;

    /// <summary>Drops a reference; the last one frees the frame (off the LRU, back to the free list).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Put(int frame)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        if (--_refCount[frame] > 0)
        {
            return;
        }

        if ((_flags[frame] & FrameFlags.OnLru) != 0)
        {
            LruRemove(frame);
        }

        Uncharge(frame);
        _flags[frame] = FrameFlags.None;
        SetContent(frame, 0);
        ClearCacheOwner(frame);
        _lruNext[frame] = _freeHead;
        _freeHead = frame;
        _freeCount++;
    }

    public int RefCount(int frame) => _refCount[frame];

    public FrameFlags Flags(int frame) => _flags[frame];

    internal void SetFlag(int frame, FrameFlags flag, bool on) =>
        _flags[frame] = on ? _flags[frame] | flag : _flags[frame] & ~flag;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsAnon(int frame) => (_flags[frame] & FrameFlags.Anon) != 0;

    /// <summary>Which LRU pair a frame lives on: swap-backed ("anon" lists) or not ("file" lists).</summary>
    public bool IsSwapBacked(int frame) => (_flags[frame] & FrameFlags.SwapBacked) != 0;

    // ---- LRU ---------------------------------------------------------------------------------------------------

    private static int ListIndex(bool anon, bool active) => (anon ? 0 : 2) + (active ? 1 : 0);

    /// <summary>The list a frame is on (or would go to): an mlocked frame lives on the unevictable list.</summary>
    private int ListOf(int frame, bool active) =>
        (_flags[frame] & FrameFlags.Unevictable) != 0 ? UnevictableList : ListIndex(IsSwapBacked(frame), active);

    /// <summary>Adds a frame at the head (most recent end) of its list; an unevictable frame goes to the unevictable
    /// list whatever <paramref name="active"/> says.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void LruAdd(int frame, bool active)
    {
        var list = ListOf(frame, active);
        active &= list != UnevictableList;
        var head = _lruHead[list];
        if (head < 0)
        {
            _lruTail[list] = frame;
        }
        else
        {
            _lruNext[frame] = head;
            _lruPrev[head] = frame;
        }

        _lruHead[list] = frame;
        _lruSize[list]++;
        SetFlag(frame, FrameFlags.OnLru, true);
        SetFlag(frame, FrameFlags.Active, active);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void LruRemove(int frame)
    {
        var list = ListOf(frame, (_flags[frame] & FrameFlags.Active) != 0);
        var isHead = _lruHead[list] == frame;
        var isTail = _lruTail[list] == frame;
        if (isHead && isTail)
        {
            _lruHead[list] = -1;
            _lruTail[list] = -1;
        }
        else if (isHead)
        {
            _lruHead[list] = _lruNext[frame];
        }
        else if (isTail)
        {
            _lruTail[list] = _lruPrev[frame];
        }
        else
        {
            var next = _lruNext[frame];
            var prev = _lruPrev[frame];
            _lruNext[prev] = next;
            _lruPrev[next] = prev;
        }

        _lruSize[list]--;
        SetFlag(frame, FrameFlags.OnLru, false);

        // Off every list the links mean nothing; "next" is rewritten by whoever takes the frame next (a list or the
        // free list), "prev" would stay a stale exception.
        _lruPrev.Forget(frame);
    }

    /// <summary>Moves a frame to the head of the inactive or active list (deactivate / activate).</summary>
    internal void LruMove(int frame, bool active)
    {
        if ((_flags[frame] & FrameFlags.OnLru) != 0)
        {
            LruRemove(frame);
        }

        LruAdd(frame, active);
    }

    /// <summary>The oldest frame of a list (its tail), or -1.</summary>
    internal int LruTail(bool swapBacked, bool active) => _lruTail[ListIndex(swapBacked, active)];

    /// <summary>Walks a list from oldest to newest (for the invariant checker).</summary>
    internal IEnumerable<int> LruFrames(bool swapBacked, bool active) => ListFrames(ListIndex(swapBacked, active));

    private IEnumerable<int> ListFrames(int list)
    {
        var f = _lruTail[list];
        for (var i = 0; i < _lruSize[list]; i++)
        {
            yield return f;
            f = _lruPrev[f];
        }
    }
}
