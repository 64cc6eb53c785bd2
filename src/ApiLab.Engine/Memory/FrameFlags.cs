namespace ApiLab.Engine;

/// <summary>Per-frame state bits (a folio's PG_* flags, reduced to what the engine models).</summary>
[Flags]
public enum FrameFlags : ushort
{
    None = 0,
    InUse = 1 << 0,
    /// <summary>PageAnon: private anonymous memory (swap-backed unless droppable).</summary>
    Anon = 1 << 1,
    /// <summary>On the active LRU list (otherwise inactive).</summary>
    Active = 1 << 2,
    OnLru = 1 << 3,
    /// <summary>PG_dirty on a page-cache (shmem) page.</summary>
    Dirty = 1 << 4,
    /// <summary>MADV_FREE'd and clean: reclaim may discard it instead of swapping it.</summary>
    LazyFree = 1 << 5,
    /// <summary>Belongs to a VM_DROPPABLE mapping: never swapped, discarded even when dirty.</summary>
    Droppable = 1 << 6,
    /// <summary>PG_swapbacked: anon (not droppable) and shmem pages; they live on the anon LRU and reclaim swaps them.</summary>
    SwapBacked = 1 << 7,
    /// <summary>PG_mlocked + PG_unevictable: mapped by a VM_LOCKED VMA and kept on the unevictable list, which reclaim
    /// never scans.</summary>
    Unevictable = 1 << 8,
}
