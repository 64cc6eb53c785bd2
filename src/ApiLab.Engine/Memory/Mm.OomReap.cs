namespace ApiLab.Engine;

/// <summary>The OOM reaper's unmapping of a dying mm (__oom_reap_task_mm), used by process_mrelease.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Zaps the pages of every anonymous or private VMA (skipping VM_HUGETLB and VM_PFNMAP), under one TLB gather;
    /// shared mappings are left to their other users and every VMA stays. Returns the pages unmapped.
    /// </summary>
    internal long OomReap()
    {
        using var mmapLock = LockMmap(MmapLockMode.Read);
        long zapped = 0;
        for (var i = 0; i < Vmas.Count; i++)
        {
            var vma = Vmas[i];
            if ((vma.Flags & (VmFlags.HugeTlb | VmFlags.PfnMap)) != 0 || (vma.Shmem is not null && vma.IsShared))
            {
                continue;
            }

            zapped += ZapRange(vma.Start, vma.End, removeMarkers: false);
        }

        if (zapped > 0)
        {
            FlushTlb();
        }

        return zapped;
    }
}
