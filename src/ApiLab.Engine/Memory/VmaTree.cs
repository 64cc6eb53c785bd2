namespace ApiLab.Engine;

/// <summary>
/// The VMAs of one mm, sorted by start address, non-overlapping. Lookups are O(log n) binary searches; inserts and
/// removals shift the array (a memmove), which beats a balanced tree at the sizes the lab uses and keeps iteration
/// cache-friendly. Linux uses a maple tree; only the observable order and lookup semantics matter here.
/// </summary>
public sealed class VmaTree
{
    private Vma[] _items = new Vma[16];

    public int Count { get; private set; }

    public Vma this[int index] => index < Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Index of the first VMA whose end is above <paramref name="address"/> (find_vma), or Count.</summary>
    public int IndexOfFirstEndingAbove(ulong address)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_items[mid].End > address)
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
        var vma = FindFirstEndingAbove(address);
        return vma is not null && vma.Start <= address ? vma : null;
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
        }

        Array.Copy(_items, index, _items, index + 1, Count - index);
        _items[index] = vma;
        Count++;
        return index;
    }

    internal void RemoveAt(int index)
    {
        Count--;
        Array.Copy(_items, index + 1, _items, index, Count - index);
        _items[Count] = null!;
    }

    internal void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    public IEnumerable<Vma> All()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }
}
