namespace ApiLab.Engine;

/// <summary>
/// A swap device: slots holding a page's content and a use count (swap_map): one per swap PTE or shmem entry that
/// refers to the slot. Slot 0 is never handed out, as on Linux (the header page).
/// </summary>
public sealed class SwapDevice
{
    // Grown on demand like the frame pool; slots are handed out 1, 2, 3, ... then reused LIFO.
    private ulong[] _content;
    private int[] _count;
    private int[] _free;
    private int _freeTop;
    private int _nextFresh = 1;

    public SwapDevice(int slots)
    {
        Slots = Math.Max(slots, 0);
        var initial = Math.Min(Slots + 1, 64);
        _content = new ulong[initial];
        _count = new int[initial];
        _free = new int[initial];
    }

    public int Slots { get; }

    public int UsedSlots => _nextFresh - 1 - _freeTop;

    internal int TryAllocate(ulong content)
    {
        int slot;
        if (_freeTop > 0)
        {
            slot = _free[--_freeTop];
        }
        else if (_nextFresh <= Slots)
        {
            slot = _nextFresh++;
            if (slot >= _content.Length)
            {
                var size = (int)Math.Min((long)Slots + 1, (long)_content.Length * 2);
                Array.Resize(ref _content, size);
                Array.Resize(ref _count, size);
                Array.Resize(ref _free, size);
            }
        }
        else
        {
            return -1;
        }

        _content[slot] = content;
        _count[slot] = 1;
        return slot;
    }

    public ulong Content(int slot) => _content[slot];

    public int Count(int slot) => slot < _content.Length ? _count[slot] : 0;

    /// <summary>Slots handed out so far (the highest slot number ever used), for the invariant checker.</summary>
    internal int Allocated => _nextFresh - 1;

    /// <summary>swap_duplicate: another PTE now refers to the slot (fork).</summary>
    internal void Duplicate(int slot) => _count[slot]++;

    /// <summary>swap_free: one reference gone; the last frees the slot.</summary>
    internal void Free(int slot)
    {
        if (--_count[slot] == 0)
        {
            _content[slot] = 0;
            _free[_freeTop++] = slot;
        }
    }
}
