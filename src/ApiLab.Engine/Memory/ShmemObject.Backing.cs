namespace ApiLab.Engine;

/// <summary>
/// The backing store of a regular file: its pages "on disk", separate from the page cache. A page-cache miss reads the
/// page from here (a major fault), and writeback (msync(MS_SYNC), fsync, reclaim of a dirty page) copies the cached
/// content back. Shmem objects (memfd, MAP_SHARED|MAP_ANONYMOUS) have no backing store: their pages go to swap.
/// </summary>
public sealed partial class ShmemObject
{
    // Block index → the page's content word on disk; a missing block is a hole and reads as zero.
    private Dictionary<long, ulong>? _disk;

    /// <summary>A regular file (it has a backing store) rather than shmem.</summary>
    public bool IsRegularFile => _disk is not null;

    /// <summary>A directory entry names the file (regular files until unlinked): it outlives its fds and mappings, and so
    /// does its page cache, until reclaim drops it.</summary>
    internal bool Linked { get; set; }

    /// <summary>Blocks allocated on disk (holes do not count).</summary>
    public int StoredBlocks => _disk?.Count ?? 0;

    /// <summary>Turns this object into a regular file with <paramref name="blocks"/> as its on-disk contents.</summary>
    internal void AttachBackingStore(ReadOnlySpan<ulong> blocks)
    {
        _disk = new Dictionary<long, ulong>(blocks.Length);
        for (var i = 0; i < blocks.Length; i++)
        {
            if (blocks[i] != 0)
            {
                _disk[i] = blocks[i];
            }
        }
    }

    /// <summary>What is on disk for page <paramref name="index"/> (zero for a hole): what a read-in fault finds.</summary>
    public ulong StoredContent(long index) => _disk is not null && _disk.TryGetValue(index, out var value) ? value : 0;

    /// <summary>Writes one page back to disk (the end of writeback for a dirty page-cache page).</summary>
    internal void WriteBlock(long index, ulong content)
    {
        if (_disk is not null)
        {
            _disk[index] = content;
        }
    }

    /// <summary>Frees the on-disk blocks at or past <paramref name="first"/> and before <paramref name="end"/> (truncate,
    /// hole punch).</summary>
    internal void FreeBlocks(long first, long end)
    {
        if (_disk is null)
        {
            return;
        }

        foreach (var index in _disk.Keys.Where(i => i >= first && i < end).ToList())
        {
            _disk.Remove(index);
        }
    }
}
