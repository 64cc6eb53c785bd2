namespace ApiLab.Spec;

/// <summary>How a vectored call batches TLB flushes.</summary>
public enum TlbFlush
{
    /// <summary>One mmu_gather for the whole call (Linux's vector_madvise since ~6.16 for DONTNEED/FREE).</summary>
    OncePerCall,
    /// <summary>One flush per iovec entry.</summary>
    PerEntry,
    /// <summary>One flush per VMA touched.</summary>
    PerVma,
}
