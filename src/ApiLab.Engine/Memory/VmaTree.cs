using System.Numerics;
using System.Runtime.Intrinsics;

namespace ApiLab.Engine;

/// <summary>
/// The VMAs of one mm, sorted by start address, non-overlapping. Lookups are O(log n) binary searches; inserts and
/// removals shift the array (a memmove), which beats a balanced tree at the sizes the lab uses and keeps iteration
/// cache-friendly. Linux uses a maple tree; only the observable order and lookup semantics matter here.
/// Searches run over a parallel array of end addresses (contiguous, so a lookup among 100,000 VMAs touches a few
/// cache lines instead of 17 scattered objects); a bounds change on a VMA marks it stale and the next search
/// rebuilds it.
/// </summary>
public sealed class VmaTree
{
    private Vma[] _items = new Vma[16];
    private ulong[] _ends = new ulong[16];
    private ulong[] _starts = new ulong[16];
    private bool _endsStale;

    private const int BlockSize = 64;
    private ulong[] _coarse = new ulong[4];
    private int _coarseCount;
    private bool _coarseStale;

    public int Count { get; private set; }

    public Vma this[int index] => index < Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Index of the first VMA whose end is above <paramref name="address"/> (find_vma), or Count.</summary>
    public int IndexOfFirstEndingAbove(ulong address)
    {
        if (_endsStale)
        {
            RebuildEnds();
        }

        if (_coarseStale)
        {
            RebuildCoarse();
        }

        // Two levels: the coarse index (the last end of every block of 64, small enough to stay in cache) picks
        // the block, then a search over that block's 64 ends (8 cache lines) finds the VMA.
        var block = LowerBound(_coarse, 0, _coarseCount, address);
        if (block == _coarseCount)
        {
            return Count;
        }

        var start = block * BlockSize;
        return CountNotAbove(_ends, start, Math.Min(start + BlockSize, Count), address);
    }

    /// <summary>
    /// The same answer as <see cref="LowerBound"/> for one block, by a branch-free scan: 64 sequential compares over
    /// 8 cache lines the prefetcher streams in beat six dependent, mispredicted binary-search probes. Four ends at a
    /// time where the CPU has 256-bit vectors.
    /// </summary>
    private static int CountNotAbove(ulong[] sorted, int lo, int hi, ulong address)
    {
        var below = 0;
        var i = lo;
        if (Vector256.IsHardwareAccelerated)
        {
            var key = Vector256.Create(address);
            for (; i + Vector256<ulong>.Count <= hi; i += Vector256<ulong>.Count)
            {
                var ends = Vector256.Create<ulong>(sorted.AsSpan(i, Vector256<ulong>.Count));
                below += BitOperations.PopCount(Vector256.LessThanOrEqual(ends, key).ExtractMostSignificantBits());
            }
        }

        for (; i < hi; i++)
        {
            below += sorted[i] <= address ? 1 : 0;
        }

        return lo + below;
    }

    /// <summary>First index in [lo, hi) of <paramref name="sorted"/> whose value is above <paramref name="address"/>.</summary>
    private static int LowerBound(ulong[] sorted, int lo, int hi, ulong address)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] > address)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>find_vma: the first VMA with end &gt; address (it may start above the address), or null.</summary>
    public Vma? FindFirstEndingAbove(ulong address)
    {
        var i = IndexOfFirstEndingAbove(address);
        return i < Count ? _items[i] : null;
    }

    /// <summary>vma_lookup: the VMA containing the address, or null.</summary>
    public Vma? Find(ulong address)
    {
        var i = IndexOfFirstEndingAbove(address);
        return i < Count && _starts[i] <= address ? _items[i] : null;
    }

    /// <summary>Inserts a VMA that overlaps none; returns its index.</summary>
    internal int Insert(Vma vma)
    {
        var index = IndexOfFirstEndingAbove(vma.Start);
        if (index < Count && _items[index].Start < vma.End)
        {
            throw new InvalidOperationException($"{vma} overlaps {_items[index]}");
        }

        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
            Array.Resize(ref _ends, _items.Length);
            Array.Resize(ref _starts, _items.Length);
        }

        Array.Copy(_items, index, _items, index + 1, Count - index);
        Array.Copy(_ends, index, _ends, index + 1, Count - index);
        Array.Copy(_starts, index, _starts, index + 1, Count - index);
        _items[index] = vma;
        _ends[index] = vma.End;
        _starts[index] = vma.Start;
        vma.Tree = this;
        Count++;
        _coarseStale = true;
        return index;
    }

    internal void RemoveAt(int index)
    {
        _items[index].Tree = null;
        Count--;
        Array.Copy(_items, index + 1, _items, index, Count - index);
        Array.Copy(_ends, index + 1, _ends, index, Count - index);
        Array.Copy(_starts, index + 1, _starts, index, Count - index);
        _items[Count] = null!;
        _coarseStale = true;
    }

    internal void Clear()
    {
        for (var i = 0; i < Count; i++)
        {
            _items[i].Tree = null;
        }

        Array.Clear(_items, 0, Count);
        Count = 0;
        _coarseStale = true;
    }

    internal void MarkDirty()
    {
        _endsStale = true;
        _coarseStale = true;
    }

    private void RebuildCoarse()
    {
        _coarseCount = (Count + BlockSize - 1) / BlockSize;
        if (_coarse.Length < _coarseCount)
        {
            _coarse = new ulong[Math.Max(_coarseCount, _coarse.Length * 2)];
        }

        for (var k = 0; k < _coarseCount; k++)
        {
            _coarse[k] = _ends[Math.Min(((k + 1) * BlockSize) - 1, Count - 1)];
        }

        _coarseStale = false;
    }

    private void RebuildEnds()
    {
        for (var i = 0; i < Count; i++)
        {
            _ends[i] = _items[i].End;
            _starts[i] = _items[i].Start;
        }

        _endsStale = false;
    }

    public IEnumerable<Vma> All()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }
}
