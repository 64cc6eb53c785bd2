namespace ApiLab.Engine;

/// <summary>An open memfd: a shmem file (what memfd_create returns, always read-write), which mmap can map shared or
/// private.</summary>
public sealed class MemfdFile(ShmemObject shmem) : PageCacheFile(shmem, FileAccess.ReadWrite);
