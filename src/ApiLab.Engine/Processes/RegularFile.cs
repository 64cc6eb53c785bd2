namespace ApiLab.Engine;

/// <summary>An open regular file (what open(2) returns for a file made with Machine.CreateFile): mmap maps its page
/// cache, which is filled from and written back to the file's backing store, as far as the open mode allows.</summary>
public sealed class RegularFile(ShmemObject shmem, FileAccess access) : PageCacheFile(shmem, access);
