namespace ApiLab.Engine;

/// <summary>Frame allocation under pressure and shmem objects.</summary>
public sealed partial class Machine
{
    /// <summary>SWAP_CLUSTER_MAX: how many pages direct reclaim tries to free at a time.</summary>
    public const int SwapClusterMax = 32;

    /// <summary>
    /// Allocates a frame, running direct reclaim when none is free, as the page allocator's slow path does. Returns -1
    /// when reclaim cannot free anything (the caller turns that into ENOMEM or a VM_FAULT_OOM).
    /// </summary>
    internal int AllocateFrame(ulong content, FrameFlags flags)
    {
        var frame = Frames.TryAllocate(content, flags);
        if (frame >= 0)
        {
            return frame;
        }

        Reclaim(SwapClusterMax);
        return Frames.TryAllocate(content, flags);
    }

    internal ShmemObject NewShmem(string name) => new(NextObjectIdentity(), name);

    /// <summary>Nothing maps or holds a shmem object any more: free its pages and swap slots.</summary>
    internal void FreeShmem(ShmemObject shmem) => TruncatePageCache(shmem, 0);
}
