namespace ApiLab.Engine;

/// <summary>
/// A sparse two-level page table: 512-entry leaf tables (one per 2 MiB, like a PMD's PTE page) in a dictionary keyed
/// by the upper bits of the virtual page number. Leaves are freed when they become empty, as free_pgtables does.
/// </summary>
public sealed class PageTable
{
    public const int LeafBits = 9;
    public const int LeafSize = 1 << LeafBits;
    private const ulong LeafMask = LeafSize - 1;

    private readonly Dictionary<ulong, Leaf> _leaves = [];

    /// <summary>Non-none entries (present, swap or marker).</summary>
    public long Count { get; private set; }

    public int LeafCount => _leaves.Count;

    public ulong Get(ulong vpn) =>
        _leaves.TryGetValue(vpn >> LeafBits, out var leaf) ? leaf.Entries[vpn & LeafMask] : Pte.None;

    public void Set(ulong vpn, ulong pte)
    {
        var key = vpn >> LeafBits;
        if (!_leaves.TryGetValue(key, out var leaf))
        {
            if (pte == Pte.None)
            {
                return;
            }

            leaf = new Leaf();
            _leaves.Add(key, leaf);
        }

        ref var slot = ref leaf.Entries[vpn & LeafMask];
        if (slot == Pte.None && pte != Pte.None)
        {
            leaf.Used++;
            Count++;
        }
        else if (slot != Pte.None && pte == Pte.None)
        {
            leaf.Used--;
            Count--;
        }

        slot = pte;
        if (leaf.Used == 0)
        {
            _leaves.Remove(key);
        }
    }

    /// <summary>The leaf array covering <paramref name="vpn"/>, or null; lets range walks skip empty 2 MiB blocks.</summary>
    internal ulong[]? LeafFor(ulong vpn) =>
        _leaves.TryGetValue(vpn >> LeafBits, out var leaf) ? leaf.Entries : null;

    /// <summary>Calls <paramref name="visit"/> for every non-none entry in [startVpn, endVpn), in address order.</summary>
    public void ForEach<TVisitor>(ulong startVpn, ulong endVpn, ref TVisitor visit)
        where TVisitor : struct, IPteVisitor
    {
        var vpn = startVpn;
        while (vpn < endVpn)
        {
            var leafStart = vpn & ~LeafMask;
            var leafEnd = Math.Min(leafStart + LeafSize, endVpn);
            if (_leaves.TryGetValue(vpn >> LeafBits, out var leaf))
            {
                for (var v = vpn; v < leafEnd; v++)
                {
                    var pte = leaf.Entries[v & LeafMask];
                    if (pte != Pte.None)
                    {
                        visit.Visit(v, pte);
                    }
                }
            }

            vpn = leafEnd;
        }
    }

    /// <summary>Every non-none entry, for the invariant checker and teardown (order: by leaf key, then index).</summary>
    public IEnumerable<(ulong Vpn, ulong Pte)> All()
    {
        foreach (var (key, leaf) in _leaves.OrderBy(static p => p.Key))
        {
            for (var i = 0; i < LeafSize; i++)
            {
                if (leaf.Entries[i] != Pte.None)
                {
                    yield return ((key << LeafBits) | (uint)i, leaf.Entries[i]);
                }
            }
        }
    }

    private sealed class Leaf
    {
        public readonly ulong[] Entries = new ulong[LeafSize];
        public int Used;
    }
}

/// <summary>A struct callback for <see cref="PageTable.ForEach{TVisitor}"/> (no delegate allocation on hot paths).</summary>
public interface IPteVisitor
{
    void Visit(ulong vpn, ulong pte);
}
