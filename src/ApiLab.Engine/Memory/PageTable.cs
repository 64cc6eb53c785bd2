namespace ApiLab.Engine;

/// <summary>
/// A sparse two-level page table: 512-entry leaf tables (one per 2 MiB, like a PMD's PTE page) in a dictionary keyed
/// by the upper bits of the virtual page number. Leaves are freed when they become empty, as free_pgtables does.
/// </summary>
/// <remarks>
/// A leaf stores its entries in 32 bits each while every one fits (see <see cref="Leaf"/>), and widens to 64 bits
/// the first time one does not: half the memory per mapped page for machines of up to 2^25 frames and swap slots.
/// </remarks>
public sealed class PageTable
{
    public const int LeafBits = 9;
    public const int LeafSize = 1 << LeafBits;
    private const ulong LeafMask = LeafSize - 1;

    private readonly Dictionary<ulong, Leaf> _leaves = [];

    /// <summary>Non-none entries (present, swap or marker).</summary>
    public long Count { get; private set; }

    public int LeafCount => _leaves.Count;

    /// <summary>Entries read or written so far (a walk over a present PTE page reads all of its slots in range). The
    /// mmap-lock hold time is measured in these (<see cref="MachineStats.MmapLockHeld"/>).</summary>
    public long Accesses { get; internal set; }

    public ulong Get(ulong vpn)
    {
        Accesses++;
        return _leaves.TryGetValue(vpn >> LeafBits, out var leaf) ? leaf[vpn & LeafMask] : Pte.None;
    }

    public void Set(ulong vpn, ulong pte)
    {
        Accesses++;
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

        var index = vpn & LeafMask;
        var old = leaf[index];
        if (old == Pte.None && pte != Pte.None)
        {
            leaf.Used++;
            Count++;
        }
        else if (old != Pte.None && pte == Pte.None)
        {
            leaf.Used--;
            Count--;
        }

        leaf[index] = pte;
        if (leaf.Used == 0)
        {
            _leaves.Remove(key);
        }
    }

    /// <summary>The leaf covering <paramref name="vpn"/> (indexed by <c>vpn &amp; (LeafSize - 1)</c>), or null; lets
    /// range walks skip empty 2 MiB blocks.</summary>
    internal Leaf? LeafFor(ulong vpn) =>
        _leaves.TryGetValue(vpn >> LeafBits, out var leaf) ? leaf : null;

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
                Accesses += (long)(leafEnd - vpn);
                for (var v = vpn; v < leafEnd; v++)
                {
                    var pte = leaf[v & LeafMask];
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
                var pte = leaf[(ulong)i];
                if (pte != Pte.None)
                {
                    yield return ((key << LeafBits) | (uint)i, pte);
                }
            }
        }
    }

    /// <summary>
    /// One PTE page. Narrow form: an entry's flag bits (<see cref="NarrowFlagBits"/> of them) stay in place and its
    /// frame or swap-slot index moves down next to them, so a present PTE of frame f is (f &lt;&lt; 7) | flags. An entry
    /// with a higher flag bit or an index of 2^25 or more turns the leaf wide (plain 64-bit PTEs) for good.
    /// </summary>
    internal sealed class Leaf
    {
        private const int NarrowFlagBits = 7;
        private const ulong NarrowFlagMask = (1UL << NarrowFlagBits) - 1;
        private const ulong NarrowIndexLimit = 1UL << (32 - NarrowFlagBits);

        private uint[]? _narrow = new uint[LeafSize];
        private ulong[]? _wide;

        public int Used;

        public ulong this[ulong index]
        {
            get
            {
                if (_narrow is { } narrow)
                {
                    var n = narrow[index];
                    return ((ulong)(n >> NarrowFlagBits) << 32) | (n & NarrowFlagMask);
                }

                return _wide![index];
            }

            set
            {
                if (_narrow is { } narrow)
                {
                    var high = value >> 32;
                    if ((value & 0xffff_ffffUL & ~NarrowFlagMask) == 0 && high < NarrowIndexLimit)
                    {
                        narrow[index] = (uint)((high << NarrowFlagBits) | (value & NarrowFlagMask));
                        return;
                    }

                    Widen();
                }

                _wide![index] = value;
            }
        }

        private void Widen()
        {
            var wide = new ulong[LeafSize];
            for (var i = 0UL; i < LeafSize; i++)
            {
                wide[i] = this[i];
            }

            _wide = wide;
            _narrow = null;
        }
    }
}

/// <summary>A struct callback for <see cref="PageTable.ForEach{TVisitor}"/> (no delegate allocation on hot paths).</summary>
public interface IPteVisitor
{
    void Visit(ulong vpn, ulong pte);
}
