namespace ApiLab.Engine;

/// <summary>
/// A shmem/tmpfs object: what backs MAP_SHARED|MAP_ANONYMOUS (shown as "/dev/zero (deleted)"). Its page cache maps a
/// page offset to a frame, or to a swap slot once reclaim wrote the page out. Entries use the PTE encoding. The same
/// object, given a backing store (ShmemObject.Backing.cs), is a regular file's inode and page cache.
/// </summary>
public sealed partial class ShmemObject(ulong inode, string name)
{
    private readonly Dictionary<long, ulong> _pages = [];

    public ulong Inode { get; } = inode;

    public string Name { get; } = name;

    /// <summary>i_size in pages (the length of the shared mmap that created it): a fault beyond it is a SIGBUS.</summary>
    public long SizePages { get; internal set; } = long.MaxValue;

    /// <summary>How many VMAs map this object.</summary>
    internal int MapCount { get; set; }

    /// <summary>How many fds refer to it (a memfd); the pages go when neither a VMA nor an fd is left.</summary>
    internal int FileRefs { get; set; }

    /// <summary>Nothing maps or holds the object any more, and no directory entry names it: its pages can be freed.</summary>
    internal bool Unused => MapCount == 0 && FileRefs == 0 && !Linked;

    /// <summary>The special mapping this object backs (its own fault, fork and eviction policy), or null.</summary>
    public SpecialMapping? Special { get; internal set; }

    public int PageCount => _pages.Count;

    public ulong Get(long index) => _pages.GetValueOrDefault(index, Pte.None);

    internal void Set(long index, ulong entry)
    {
        if (entry == Pte.None)
        {
            _pages.Remove(index);
        }
        else
        {
            _pages[index] = entry;
        }
    }

    internal IEnumerable<KeyValuePair<long, ulong>> Entries() => _pages;
}
