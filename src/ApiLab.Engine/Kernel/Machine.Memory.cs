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

    /// <summary>The last mapping of a shmem object went away: free its pages and swap slots.</summary>
    internal void FreeShmem(ShmemObject shmem)
    {
        foreach (var (_, entry) in shmem.Entries().ToList())
        {
            if (Pte.IsPresent(entry))
            {
                Frames.Put(Pte.Index(entry));
            }
            else if (Pte.IsSwap(entry))
            {
                Swap.Free(Pte.Index(entry));
            }
        }

        foreach (var index in shmem.Entries().Select(static e => e.Key).ToList())
        {
            shmem.Set(index, Pte.None);
        }
    }
}
