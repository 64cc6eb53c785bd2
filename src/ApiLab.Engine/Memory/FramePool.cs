namespace ApiLab.Engine;

/// <summary>
/// Physical memory: a fixed number of 4 KiB frames, stored as parallel arrays (no per-page objects). Each frame has a
/// content word (enough to tell lost, stale and leaked data apart), a refcount and mapcount, flags, LRU links and its
/// reverse map: every (mm, virtual page) that maps it. Frame 0 is the shared zero page and is never freed.
/// </summary>
public sealed partial class FramePool
{
    public const int ZeroPage = 0;

    // Per-frame arrays grow on demand (doubling) up to Capacity, so a big machine costs nothing until it is used
    // and the race explorer can build a fresh machine per schedule cheaply.
    private ulong[] _content;
    private int[] _refCount;
    private int[] _mapCount;
    private FrameFlags[] _flags;
    private int[] _lruNext;
    private int[] _lruPrev;
    private int[] _rmapHead;
    private ShmemObject?[] _cacheOwner;
    private long[] _cacheIndex;

    // The mm whose memory cgroup a private anonymous frame is charged to (the engine gives each mm its own memcg).
    // The charge stays with that memcg until the frame is freed, even after the mm exits, as in Linux.
    private Mm?[] _memcg;

    // Freed frames (LIFO), and the first frame never handed out yet: frames are used in order 1, 2, 3, ... .
    private int[] _free;
    private int _freeTop;
    private int _nextFresh = 1;

    // Reverse-map entries, pooled: entry i maps _rmapMm[i] at _rmapVpn[i]; _rmapNext chains a frame's entries.
    private Mm?[] _rmapMm = new Mm?[64];
    private ulong[] _rmapVpn = new ulong[64];
    private int[] _rmapNext = new int[64];
    private int _rmapFreeHead = -1;
    private int _rmapCount;

    // LRU heads: [anon inactive, anon active, file inactive, file active, unevictable]; -1 when empty. Lists are
    // circular.
    private readonly int[] _lruHead = [-1, -1, -1, -1, -1];
    private readonly int[] _lruSize = new int[5];

    public FramePool(int capacity)
    {
        if (capacity < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "need at least the zero page and one frame");
        }

        Capacity = capacity;
        var initial = Math.Min(capacity, 64);
        _content = new ulong[initial];
        _refCount = new int[initial];
        _mapCount = new int[initial];
        _flags = new FrameFlags[initial];
        _lruNext = new int[initial];
        _lruPrev = new int[initial];
        _rmapHead = new int[initial];
        _cacheOwner = new ShmemObject?[initial];
        _cacheIndex = new long[initial];
        _memcg = new Mm?[initial];
        _free = new int[initial];
        Array.Fill(_rmapHead, -1);
        _flags[ZeroPage] = FrameFlags.InUse;
        _refCount[ZeroPage] = 1;
    }

    public int Capacity { get; }

    public int FreeCount => _freeTop + (Capacity - _nextFresh);

    /// <summary>Frames in use, not counting the zero page.</summary>
    public int UsedCount => Capacity - 1 - FreeCount;

    /// <summary>How many frames the arrays hold now (for the invariant checker's loops).</summary>
    internal int Allocated => _nextFresh;

    public int LruSize(bool swapBacked, bool active) => _lruSize[ListIndex(swapBacked, active)];

    /// <summary>Takes a free frame with the given content and one reference, or returns -1 when none is free.</summary>
    internal int TryAllocate(ulong content, FrameFlags flags)
    {
        int frame;
        if (_freeTop > 0)
        {
            frame = _free[--_freeTop];
        }
        else if (_nextFresh < Capacity)
        {
            frame = _nextFresh++;
            if (frame >= _content.Length)
            {
                Grow();
            }
        }
        else
        {
            return -1;
        }

        _content[frame] = content;
        _refCount[frame] = 1;
        _mapCount[frame] = 0;
        _flags[frame] = flags | FrameFlags.InUse;
        _cacheOwner[frame] = null;
        return frame;
    }

    private void Grow()
    {
        var size = (int)Math.Min((long)Capacity, (long)_content.Length * 2);
        Array.Resize(ref _content, size);
        Array.Resize(ref _refCount, size);
        Array.Resize(ref _mapCount, size);
        Array.Resize(ref _flags, size);
        Array.Resize(ref _lruNext, size);
        Array.Resize(ref _lruPrev, size);
        var old = _rmapHead.Length;
        Array.Resize(ref _rmapHead, size);
        Array.Fill(_rmapHead, -1, old, size - old);
        Array.Resize(ref _cacheOwner, size);
        Array.Resize(ref _cacheIndex, size);
        Array.Resize(ref _memcg, size);
        Array.Resize(ref _free, size);
    }

    internal void Get(int frame) => _refCount[frame]++;

    /// <summary>Drops a reference; the last one frees the frame (off the LRU, back to the free stack).</summary>
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

        if (_memcg[frame] is { } charged)
        {
            charged.MemcgCharged--;
            _memcg[frame] = null;
        }

        _flags[frame] = FrameFlags.None;
        _content[frame] = 0;
        _cacheOwner[frame] = null;
        _free[_freeTop++] = frame;
    }

    public ulong Content(int frame) => _content[frame];

    internal void SetContent(int frame, ulong value) => _content[frame] = value;

    public int RefCount(int frame) => _refCount[frame];

    public int MapCount(int frame) => _mapCount[frame];

    public FrameFlags Flags(int frame) => _flags[frame];

    internal void SetFlag(int frame, FrameFlags flag, bool on) =>
        _flags[frame] = on ? _flags[frame] | flag : _flags[frame] & ~flag;

    public bool IsAnon(int frame) => (_flags[frame] & FrameFlags.Anon) != 0;

    /// <summary>Which LRU pair a frame lives on: swap-backed ("anon" lists) or not ("file" lists).</summary>
    public bool IsSwapBacked(int frame) => (_flags[frame] & FrameFlags.SwapBacked) != 0;

    public ShmemObject? CacheOwner(int frame) => _cacheOwner[frame];

    /// <summary>The mm whose memcg <paramref name="frame"/> is charged to, or null.</summary>
    public Mm? MemcgOwner(int frame) => _memcg[frame];

    /// <summary>mem_cgroup_charge: charges a newly allocated frame to <paramref name="mm"/>'s memcg.</summary>
    internal void Charge(int frame, Mm mm)
    {
        _memcg[frame] = mm;
        mm.MemcgCharged++;
    }

    public long CacheIndex(int frame) => _cacheIndex[frame];

    internal void SetCacheOwner(int frame, ShmemObject? owner, long index)
    {
        _cacheOwner[frame] = owner;
        _cacheIndex[frame] = index;
    }

    // ---- reverse map -------------------------------------------------------------------------------------------

    /// <summary>Records that <paramref name="mm"/> maps <paramref name="frame"/> at <paramref name="vpn"/> (page_add_*_rmap).</summary>
    internal void AddMapping(int frame, Mm mm, ulong vpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

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
            }

            entry = _rmapCount++;
        }

        _rmapMm[entry] = mm;
        _rmapVpn[entry] = vpn;
        _rmapNext[entry] = _rmapHead[frame];
        _rmapHead[frame] = entry;
        _mapCount[frame]++;
    }

    /// <summary>Removes the (mm, vpn) mapping of <paramref name="frame"/> (page_remove_rmap).</summary>
    internal void RemoveMapping(int frame, Mm mm, ulong vpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        var previous = -1;
        for (var e = _rmapHead[frame]; e >= 0; previous = e, e = _rmapNext[e])
        {
            if (ReferenceEquals(_rmapMm[e], mm) && _rmapVpn[e] == vpn)
            {
                if (previous < 0)
                {
                    _rmapHead[frame] = _rmapNext[e];
                }
                else
                {
                    _rmapNext[previous] = _rmapNext[e];
                }

                _rmapMm[e] = null;
                _rmapNext[e] = _rmapFreeHead;
                _rmapFreeHead = e;
                _mapCount[frame]--;
                if ((_flags[frame] & FrameFlags.Unevictable) != 0)
                {
                    RescueIfUnlocked(frame);
                }

                return;
            }
        }

        throw new InvalidOperationException($"rmap: frame {frame} is not mapped at vpn 0x{vpn:x}");
    }

    /// <summary>Rewrites the vpn of one mapping when a page table entry moves (mremap's move_ptes).</summary>
    internal void MoveMapping(int frame, Mm mm, ulong oldVpn, ulong newVpn)
    {
        if (frame == ZeroPage)
        {
            return;
        }

        for (var e = _rmapHead[frame]; e >= 0; e = _rmapNext[e])
        {
            if (ReferenceEquals(_rmapMm[e], mm) && _rmapVpn[e] == oldVpn)
            {
                _rmapVpn[e] = newVpn;
                return;
            }
        }

        throw new InvalidOperationException($"rmap: frame {frame} is not mapped at vpn 0x{oldVpn:x}");
    }

    /// <summary>The mappings of <paramref name="frame"/>, copied out (callers may change the rmap while using them).</summary>
    public List<(Mm Mm, ulong Vpn)> Mappings(int frame)
    {
        var list = new List<(Mm, ulong)>(_mapCount[frame]);
        for (var e = _rmapHead[frame]; e >= 0; e = _rmapNext[e])
        {
            list.Add((_rmapMm[e]!, _rmapVpn[e]));
        }

        return list;
    }

    // ---- LRU ---------------------------------------------------------------------------------------------------

    private static int ListIndex(bool anon, bool active) => (anon ? 0 : 2) + (active ? 1 : 0);

    /// <summary>The list a frame is on (or would go to): an mlocked frame lives on the unevictable list.</summary>
    private int ListOf(int frame, bool active) =>
        (_flags[frame] & FrameFlags.Unevictable) != 0 ? UnevictableList : ListIndex(IsSwapBacked(frame), active);

    /// <summary>Adds a frame at the head (most recent end) of its list; an unevictable frame goes to the unevictable
    /// list whatever <paramref name="active"/> says.</summary>
    internal void LruAdd(int frame, bool active)
    {
        var list = ListOf(frame, active);
        active &= list != UnevictableList;
        var head = _lruHead[list];
        if (head < 0)
        {
            _lruNext[frame] = frame;
            _lruPrev[frame] = frame;
        }
        else
        {
            var tail = _lruPrev[head];
            _lruNext[frame] = head;
            _lruPrev[frame] = tail;
            _lruNext[tail] = frame;
            _lruPrev[head] = frame;
        }

        _lruHead[list] = frame;
        _lruSize[list]++;
        SetFlag(frame, FrameFlags.OnLru, true);
        SetFlag(frame, FrameFlags.Active, active);
    }

    internal void LruRemove(int frame)
    {
        var list = ListOf(frame, (_flags[frame] & FrameFlags.Active) != 0);
        if (_lruNext[frame] == frame)
        {
            _lruHead[list] = -1;
        }
        else
        {
            var next = _lruNext[frame];
            var prev = _lruPrev[frame];
            _lruNext[prev] = next;
            _lruPrev[next] = prev;
            if (_lruHead[list] == frame)
            {
                _lruHead[list] = next;
            }
        }

        _lruSize[list]--;
        SetFlag(frame, FrameFlags.OnLru, false);
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
    internal int LruTail(bool swapBacked, bool active)
    {
        var head = _lruHead[ListIndex(swapBacked, active)];
        return head < 0 ? -1 : _lruPrev[head];
    }

    /// <summary>Walks a list from oldest to newest (for the invariant checker).</summary>
    internal IEnumerable<int> LruFrames(bool swapBacked, bool active) => ListFrames(ListIndex(swapBacked, active));

    private IEnumerable<int> ListFrames(int list)
    {
        var head = _lruHead[list];
        if (head < 0)
        {
            yield break;
        }

        var f = _lruPrev[head];
        for (var i = 0; i < _lruSize[list]; i++)
        {
            yield return f;
            f = _lruPrev[f];
        }
    }
}
