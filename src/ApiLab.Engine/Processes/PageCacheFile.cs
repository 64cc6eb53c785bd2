namespace ApiLab.Engine;

/// <summary>An open file whose pages live in a page cache that mmap maps: a memfd or a regular file.</summary>
public abstract class PageCacheFile(ShmemObject shmem, FileAccess access)
{
    /// <summary>The inode and its page cache (the file's pages; for a regular file also its backing store).</summary>
    public ShmemObject Shmem { get; } = shmem;

    /// <summary>f_mode's FMODE_READ / FMODE_WRITE: what mmap may map.</summary>
    public FileAccess Access { get; } = access;
}
