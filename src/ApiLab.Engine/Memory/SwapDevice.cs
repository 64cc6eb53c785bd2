namespace ApiLab.Engine;

/// <summary>
/// A swap device: slots holding a page's content and a use count (swap_map): one per swap PTE or shmem entry that
/// refers to the slot. Slot 0 is never handed out, as on Linux (the header page).
/// </summary>
public sealed class SwapDevice
{
    private readonly ulong[] _content;
    private readonly int[] _count;
    private readonly int[] _free;
    private int _freeTop;

    public SwapDevice(int slots)
    {
        Slots = Math.Max(slots, 0);
        _content = new ulong[Slots + 1];
        _count = new int[Slots + 1];
        _free = new int[Slots];
        for (var s = Slots; s >= 1; s--)
        {
            _free[_freeTop++] = s;
        }
    }

    public int Slots { get; }

    public int UsedSlots => Slots - _freeTop;

    internal int TryAllocate(ulong content)
    {
        if (_freeTop == 0)
        {
            return -1;
        }

        var slot = _free[--_freeTop];
        _content[slot] = content;
        _count[slot] = 1;
        return slot;
    }

    public ulong Content(int slot) => _content[slot];

    public int Count(int slot) => _count[slot];

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
