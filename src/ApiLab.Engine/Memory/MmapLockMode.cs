namespace ApiLab.Engine;

/// <summary>How a syscall takes an mm's mmap_lock (include/linux/mmap_lock.h).</summary>
public enum MmapLockMode
{
    /// <summary>mmap_read_lock: walks that change no VMA (madvise's non-destructive advice, process_vm_readv's GUP,
    /// UFFDIO_WRITEPROTECT, core dumps).</summary>
    Read,

    /// <summary>mmap_write_lock: anything that changes the VMA tree or a VMA's flags (mmap, munmap, mprotect, mremap,
    /// mlock, mseal, brk, fork's dup_mmap on the parent, uffd registration).</summary>
    Write,
}
