namespace ApiLab.Engine;

/// <summary>
/// An address space (mm_struct): the VMA tree, the page table and the counters the lab reads. Operations are split
/// by concern over partial files: <c>Mm.Layout.cs</c> (split/merge/insert), <c>Mm.Mmap.cs</c> (mmap, munmap),
/// <c>Mm.Mremap.cs</c>, <c>Mm.Mprotect.cs</c>, <c>Mm.Fault.cs</c>, <c>Mm.Madvise.cs</c>, <c>Mm.Zap.cs</c>,
/// <c>Mm.Maps.cs</c>, <c>Mm.Fork.cs</c>, <c>Mm.Inherit.cs</c>, <c>Mm.Exec.cs</c> (exec's staging of a new mm),
/// <c>Mm.ExecStaging.cs</c> (what seed 004's alternative argument stagings need, see Kernel/ExecStaging/),
/// <c>Mm.MovePageTables.cs</c> (move_page_tables, for exec and the below-sp staging),
/// <c>Mm.Stack.cs</c> (grows-down VMAs), <c>Mm.Brk.cs</c>, <c>Mm.Mlock.cs</c>, <c>Mm.Mseal.cs</c>, <c>Mm.CoreDump.cs</c>,
/// <c>Mm.Duplicate.cs</c> (process_vm_mmap's cross-mm copy_vma + copy_page_range, never merged: for seed 003's designs),
/// and the userfaultfd side in <c>Userfaultfd/Mm.Uffd*.cs</c> (registration, fills, write-protect, faults, events).
/// </summary>
/// <remarks>
/// The engine is single-threaded: the lab interleaves actors only at syscall boundaries, so the mmap lock is
/// counted (acquisitions, and hold time in page-table entries: <c>Mm.MmapLock.cs</c>) rather than held. Every change to the set of VMAs or their ranges, flags or protections
/// bumps <see cref="LayoutSeq"/> — the "VMA configuration sequence number" that Colascione's cookie design exposes.
/// </remarks>
public sealed partial class Mm
{
    /// <summary>Where top-down mmap placement starts (a fixed mmap_base: the engine has no ASLR, so runs replay).</summary>
    public const ulong DefaultMmapBase = 0x7f0000000000UL;

    internal Mm(Machine machine)
    {
        Machine = machine;
        Identity = machine.NextObjectIdentity();
        LayoutSeq = machine.NextLayoutSeq();
    }

    public Machine Machine { get; }

    /// <summary>mm->owner: the process this address space belongs to. Its rlimits and capabilities are what the mm's
    /// own syscalls (mlock, brk, stack growth) consult as "current".</summary>
    public Process? Owner { get; internal set; }

    /// <summary>Unique, never reused.</summary>
    public ulong Identity { get; }

    public VmaTree Vmas { get; } = new();

    public PageTable PageTable { get; } = new();

    /// <summary>Bumped on every layout change; never goes back.</summary>
    public ulong LayoutSeq { get; private set; }

    public ulong MmapBase { get; init; } = DefaultMmapBase;

    /// <summary>TLB flushes of this mm (each one a shootdown on every CPU running it).</summary>
    public long TlbFlushes => Stats.TlbFlushes;

    /// <summary>What was done to this address space, by whoever did it (its own syscalls, a remote madvise, reclaim):
    /// every counter here is also in <see cref="Machine.Stats"/>.</summary>
    public MachineStats Stats { get; } = new();

    /// <summary>MM_ANONPAGES: private anonymous pages mapped (RssAnon in /proc/pid/status).</summary>
    public long RssAnon { get; internal set; }

    /// <summary>MM_SHMEMPAGES.</summary>
    public long RssShmem { get; internal set; }

    /// <summary>MM_SWAPENTS: swap entries in this mm's page table.</summary>
    public long SwapEntries { get; internal set; }

    /// <summary>Private anonymous frames charged to this mm's memory cgroup (the engine gives each mm its own memcg).
    /// A frame stays charged to the mm that faulted it in until the frame is freed, even after that mm exits.</summary>
    public long MemcgCharged { get; internal set; }

    public bool IsDead { get; private set; }

    /// <summary>This mm's small number in the frame pool's arrays while frames refer to it (-1: none); see
    /// <c>FramePool.MmSlots.cs</c>.</summary>
    internal int FrameSlot { get; set; } = -1;

    /// <summary>
    /// The sequence number comes from one machine-wide counter, so it never goes back and no two mms (the one before an
    /// exec and the one after, a parent and its child) ever share a value: a cookie from one layout never validates
    /// against another (Colascione: any change of the address space, exec included, must invalidate it).
    /// </summary>
    internal void BumpLayout() => LayoutSeq = Machine.NextLayoutSeq();

    internal void FlushTlb()
    {
        Stats.TlbFlushes++;
        Machine.Stats.TlbFlushes++;
        // A flush of another process's mm (a remote madvise, a zap, a reap) must reach the CPUs that run it: a
        // shootdown. The caller's own flush is local (this model runs each process on its own CPU).
        if (Machine.Current is { } caller && !ReferenceEquals(caller.Mm, this))
        {
            Machine.Stats.TlbShootdowns++;
            Stats.TlbShootdowns++;
        }
    }

    /// <summary>
    /// exit_mmap: unmaps everything and frees every frame and swap slot this mm held, seals or not. The zap walks VMA
    /// by VMA (unmap_vmas), not the span from the first to the last: after an exec the stack sits a terabyte above
    /// the mmap area. One TLB flush for the whole teardown.
    /// </summary>
    internal void Teardown()
    {
        if (IsDead)
        {
            return;
        }

        // exit_mmap zaps under the read lock, then takes the write lock to free page tables and VMAs.
        using (LockMmap(MmapLockMode.Read))
        {
            for (var i = 0; i < Vmas.Count; i++)
            {
                ZapRange(Vmas[i].Start, Vmas[i].End, removeMarkers: true);
            }
        }

        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (Vmas.Count > 0)
        {
            while (Vmas.Count > 0)
            {
                var vma = Vmas[Vmas.Count - 1];
                Vmas.RemoveAt(Vmas.Count - 1);
                if (vma.Shmem is { } shmem && --shmem.MapCount == 0 && shmem.Unused)
                {
                    Machine.FreeShmem(shmem);
                }
            }

            BumpLayout();
            FlushTlb();
        }

        IsDead = true;
    }
}
