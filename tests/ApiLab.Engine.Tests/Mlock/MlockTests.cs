using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Mlock;

/// <summary>mlock(2) family as an unprivileged program on the 6.18 host sees it (probed with RLIMIT_MEMLOCK 64 KiB / 8 MiB).</summary>
public sealed class MlockTests
{
    private static Process Limited(Machine m, ulong memlock = 64 * 1024)
    {
        var p = m.User();
        p.Limits.Memlock = memlock;
        return p;
    }

    private static bool IsPresent(Process p, ulong address) => Pte.IsPresent(p.Mm!.PageTable.Get(Page.ToVpn(address)));

    [Fact]
    public void Mlock_rounds_to_pages_splits_the_vma_populates_and_counts_each_page_once()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(4);
        Assert.True(p.Mlock(a + P + 100, 10).IsOk);
        Assert.Equal([Range(a, a + P, "rw-p"), Range(a + P, a + (2 * P), "rw-p"), Range(a + (2 * P), a + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(1, p.Mm!.LockedVm);
        Assert.True(IsPresent(p, a + P));
        Assert.True(m.Frames.IsUnevictable(Pte.Index(p.Mm.PageTable.Get(Page.ToVpn(a + P)))));

        Assert.True(p.Mlock(a + P, P).IsOk);
        Assert.Equal(1, p.Mm.LockedVm);
        Assert.True(p.Mlock(a, 4 * P).IsOk);
        Assert.Equal([Range(a, a + (4 * P), "rw-p")], p.MapsShape());
        Assert.Equal(4, p.Mm.LockedVm);
        Assert.Equal(4, m.Frames.UnevictableCount);

        Assert.True(p.Munlock(a, 4 * P).IsOk);
        Assert.Equal(0, p.Mm.LockedVm);
        Assert.Equal(0, m.Frames.UnevictableCount);
    }

    [Fact]
    public void Range_errors_are_those_of_apply_vma_lock_flags()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(1);
        Assert.Equal(0, p.Mlock(a, 0).Value);
        Assert.Equal(0, p.Munlock(a, 0).Value);
        Assert.Equal(Errno.EINVAL, p.Mlock(unchecked((ulong)-4096L), 8192).Error);
        Assert.Equal(Errno.ENOMEM, p.Mlock(0, 1).Error);
    }

    [Fact]
    public void A_hole_is_ENOMEM_after_the_vmas_before_it_were_locked_or_unlocked()
    {
        var m = New();
        var p = Limited(m);
        var h = p.MapAnon(3);
        p.Munmap(h + P, P);
        Assert.Equal(Errno.ENOMEM, p.Mlock(h + P, P).Error);
        Assert.Equal(Errno.ENOMEM, p.Mlock(h, 3 * P).Error);
        Assert.Equal(1, p.Mm!.LockedVm);
        Assert.Equal(Errno.ENOMEM, p.Munlock(h, 3 * P).Error);
        Assert.Equal(0, p.Mm.LockedVm);
    }

    [Fact]
    public void Mlock_of_PROT_NONE_is_ENOMEM_but_leaves_the_vma_locked_and_empty()
    {
        var m = New();
        var p = Limited(m);
        var n = p.MapAnon(2, prot: Prot.None);
        Assert.Equal(Errno.ENOMEM, p.Mlock(n, 2 * P).Error);
        Assert.Equal(2, p.Mm!.LockedVm);
        Assert.False(IsPresent(p, n));
    }

    [Fact]
    public void Read_only_private_memory_is_locked_with_the_zero_page()
    {
        var m = New();
        var p = Limited(m);
        var r = p.MapAnon(2, prot: Prot.Read);
        Assert.True(p.Mlock(r, 2 * P).IsOk);
        Assert.Equal(FramePool.ZeroPage, Pte.Index(p.Mm!.PageTable.Get(Page.ToVpn(r))));
        Assert.Equal(0, m.Frames.UsedCount);
    }

    [Fact]
    public void Mlock_of_droppable_memory_succeeds_without_locking_it()
    {
        var m = New();
        var p = Limited(m);
        var d = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Value;
        Assert.True(p.Mlock(d, 2 * P).IsOk);
        Assert.True(p.Mlock2(d, 2 * P, MlockFlags.OnFault).IsOk);
        Assert.Equal(VmFlags.None, p.Mm!.Vmas.Find(d)!.Flags & VmFlags.LockedMask);
        Assert.Equal(0, p.Mm.LockedVm);
        // __mm_populate still faulted it in (it does not look at VM_LOCKED).
        Assert.True(IsPresent(p, d));
        Assert.Equal(0, m.Frames.UnevictableCount);
    }

    [Fact]
    public void Mlock2_rejects_unknown_flags_and_on_fault_locks_without_populating()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(2);
        Assert.Equal(Errno.EINVAL, p.Mlock2(a, P, (MlockFlags)2).Error);
        Assert.Equal(Errno.EINVAL, p.Mlock2(a, P, MlockFlags.OnFault | (MlockFlags)2).Error);
        Assert.True(p.Mlock2(a, 2 * P, MlockFlags.OnFault).IsOk);
        Assert.Equal(VmFlags.LockedMask, p.Mm!.Vmas.Find(a)!.Flags & VmFlags.LockedMask);
        Assert.Equal(2, p.Mm.LockedVm);
        Assert.False(IsPresent(p, a));

        // mlock over it drops on-fault and populates.
        Assert.True(p.Mlock(a, 2 * P).IsOk);
        Assert.Equal(VmFlags.Locked, p.Mm.Vmas.Find(a)!.Flags & VmFlags.LockedMask);
        Assert.True(IsPresent(p, a + P));
    }

    [Fact]
    public void RLIMIT_MEMLOCK_is_ENOMEM_when_exceeded_and_EPERM_when_zero_unless_the_caller_has_CAP_IPC_LOCK()
    {
        var m = New(frames: 64);
        var p = Limited(m);
        var b = p.MapAnon(17);
        Assert.Equal(Errno.ENOMEM, p.Mlock(b, 17 * P).Error);
        Assert.True(p.Mlock(b, 16 * P).IsOk);
        Assert.Equal(Errno.ENOMEM, p.Mlock(b, 17 * P).Error);
        // Pages of the range that are already locked are not counted again.
        Assert.True(p.Mlock(b + P, P).IsOk);
        Assert.Equal(16, p.Mm!.LockedVm);

        var none = Limited(m, memlock: 0);
        var a = none.MapAnon(1);
        Assert.Equal(Errno.EPERM, none.Mlock(a + 100, 10).Error);
        Assert.Equal(Errno.EPERM, none.Mlockall(MlockallFlags.Current).Error);
        Assert.Equal(Errno.EPERM, none.Mmap(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked).Error);

        var root = m.Spawn(Credentials.Root, "root").Value;
        root.Limits.Memlock = 0;
        var r = root.MapAnon(1);
        Assert.True(root.Mlock(r, P).IsOk);
    }

    [Fact]
    public void MAP_LOCKED_over_the_limit_is_EAGAIN_even_for_droppable_which_alone_is_EINVAL()
    {
        var m = New();
        var p = Limited(m);
        const MapFlags anon = MapFlags.Anonymous | MapFlags.Locked;
        Assert.Equal(Errno.EAGAIN, p.Mmap(0, 17 * P, Prot.ReadWrite, anon | MapFlags.Private).Error);
        Assert.Equal(Errno.EAGAIN, p.Mmap(0, 17 * P, Prot.ReadWrite, anon | MapFlags.Droppable).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, anon | MapFlags.Droppable).Error);

        var at = p.Mmap(0, 2 * P, Prot.ReadWrite, anon | MapFlags.Private).Value;
        Assert.Equal(2, p.Mm!.LockedVm);
        Assert.Equal(2, m.Frames.UnevictableCount);
        Assert.True(IsPresent(p, at + P));
    }

    [Fact]
    public void Mlockall_checks_its_flags_and_total_vm_against_the_limit()
    {
        var m = New();
        var p = Limited(m);
        Assert.Equal(Errno.EINVAL, p.Mlockall(MlockallFlags.None).Error);
        Assert.Equal(Errno.EINVAL, p.Mlockall(MlockallFlags.OnFault).Error);
        Assert.Equal(Errno.EINVAL, p.Mlockall((MlockallFlags)8).Error);
        p.MapAnon(17);
        Assert.Equal(Errno.ENOMEM, p.Mlockall(MlockallFlags.Current).Error);
        Assert.Equal(0, p.Mm!.LockedVm);
        // MCL_FUTURE alone does not look at what is mapped now.
        Assert.True(p.Mlockall(MlockallFlags.Future).IsOk);
    }

    [Fact]
    public void Mlockall_current_locks_every_vma_but_droppable_ones_and_leaves_PROT_NONE_unpopulated()
    {
        var m = New();
        var p = Limited(m, memlock: 8 << 20);
        var none = p.MapAnon(2, prot: Prot.None);
        var drop = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Value;
        var anon = p.MapAnon(2);
        Assert.True(p.Mlockall(MlockallFlags.Current).IsOk);
        Assert.Equal(VmFlags.Locked, p.Mm!.Vmas.Find(none)!.Flags & VmFlags.LockedMask);
        Assert.Equal(VmFlags.None, p.Mm.Vmas.Find(drop)!.Flags & VmFlags.LockedMask);
        Assert.Equal(VmFlags.Locked, p.Mm.Vmas.Find(anon)!.Flags & VmFlags.LockedMask);
        Assert.False(IsPresent(p, none));
        Assert.True(IsPresent(p, anon + P));
        Assert.Equal(4, p.Mm.LockedVm);

        Assert.True(p.Munlockall().IsOk);
        Assert.Equal(0, p.Mm.LockedVm);
        Assert.Equal(0, m.Frames.UnevictableCount);
    }

    [Fact]
    public void Mlockall_future_locks_new_mappings_except_droppable_ones_and_is_not_inherited()
    {
        var m = New();
        var p = Limited(m, memlock: 8 << 20);
        Assert.True(p.Mlockall(MlockallFlags.Future).IsOk);
        var a = p.MapAnon(2);
        Assert.Equal(VmFlags.Locked, p.Mm!.Vmas.Find(a)!.Flags & VmFlags.LockedMask);
        Assert.True(IsPresent(p, a + P));
        var d = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Value;
        Assert.Equal(VmFlags.None, p.Mm.Vmas.Find(d)!.Flags & VmFlags.LockedMask);
        // The lock limit still applies to the droppable mapping's size (host: EAGAIN).
        Assert.Equal(Errno.EAGAIN, p.Mmap(0, (8UL << 20) + P, Prot.ReadWrite, MapFlags.Droppable | MapFlags.Anonymous).Error);
        Assert.Equal(Errno.EAGAIN, p.Mmap(0, 8UL << 20, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Error);

        var g = p.Mmap(0, P, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.GrowsDown).Value;
        Assert.Equal(VmFlags.Locked | VmFlags.GrowsDown, p.Mm.Vmas.Find(g)!.Flags & (VmFlags.LockedMask | VmFlags.GrowsDown));

        var child = m.Fork(p).Value;
        Assert.Equal(0, child.Mm!.LockedVm);
        Assert.Equal(VmFlags.None, child.Mm.Vmas.Find(child.MapAnon(1))!.Flags & VmFlags.LockedMask);

        Assert.True(p.Mlockall(MlockallFlags.Future | MlockallFlags.OnFault).IsOk);
        var f = p.MapAnon(2);
        Assert.Equal(VmFlags.LockedMask, p.Mm.Vmas.Find(f)!.Flags & VmFlags.LockedMask);
        Assert.False(IsPresent(p, f));
    }

    [Fact]
    public void Locked_memory_refuses_the_zapping_advice_but_not_DONTNEED_LOCKED()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(2);
        p.Mlock(a, 2 * P);
        foreach (var advice in new[] { Advice.DontNeed, Advice.Free, Advice.Cold, Advice.PageOut, Advice.GuardInstall })
        {
            Assert.Equal(Errno.EINVAL, p.Madvise(a, P, advice).Error);
        }

        Assert.True(p.Madvise(a, P, Advice.DontNeedLocked).IsOk);
        Assert.False(IsPresent(p, a));
        Assert.Equal(1, m.Frames.UnevictableCount);
        Assert.True(p.Mprotect(a, P, Prot.Read).IsOk);
        Assert.Equal(VmFlags.Locked, p.Mm!.Vmas.Find(a)!.Flags & VmFlags.LockedMask);
    }

    [Fact]
    public void Reclaim_never_evicts_locked_pages_and_finds_the_ones_faulted_in_later()
    {
        var m = New(frames: 12, swapSlots: 64);
        var p = Limited(m);
        var locked = p.MapAnon(4);
        p.Fill(locked, 4, 10);
        Assert.True(p.Mlock(locked, 4 * P).IsOk);
        var onFault = p.MapAnon(2);
        Assert.True(p.Mlock2(onFault, 2 * P, MlockFlags.OnFault).IsOk);
        p.Fill(onFault, 2, 20);
        Assert.Equal(4, m.Frames.UnevictableCount);

        var other = m.User();
        other.Fill(other.MapAnon(20), 20, 100);
        Assert.True(m.Stats.PagesSwappedOut > 0);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(IsPresent(p, locked + ((ulong)i * P)));
        }

        Assert.True(IsPresent(p, onFault));
        Assert.True(IsPresent(p, onFault + P));
        // Reclaim met the on-fault pages and culled them to the unevictable list.
        Assert.Equal(6, m.Frames.UnevictableCount);
        Assert.Equal(21UL, p.Load(onFault + P).Value);

        // With nothing evictable left and no free frame, allocation fails.
        var full = New(frames: 4, swapSlots: 64);
        var q = Limited(full);
        q.Fill(q.MapAnon(3), 3, 1);
        Assert.True(q.Mlockall(MlockallFlags.Current).IsOk);
        Assert.Equal(Errno.ENOMEM, q.Store(q.MapAnon(1), 9).Error);
    }

    [Fact]
    public void Unlocked_or_unmapped_pages_go_back_to_the_evictable_lists_unless_another_locked_vma_maps_them()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(2);
        p.Fill(a, 2, 1);
        p.Mlock(a, 2 * P);
        var child = m.Fork(p).Value;
        Assert.Equal(0, child.Mm!.LockedVm);
        Assert.Equal(2, m.Frames.UnevictableCount);

        // The parent breaks COW on page 0: its copy is new, the old frame stays with the unlocked child only.
        p.Store(a, 50);
        Assert.Equal(1, m.Frames.UnevictableCount);
        // The child unmapping page 1 leaves it locked by the parent.
        child.Munmap(a + P, P);
        Assert.Equal(1, m.Frames.UnevictableCount);
        p.Munlock(a, 2 * P);
        Assert.Equal(0, m.Frames.UnevictableCount);
        m.CheckInvariants();
    }

    [Fact]
    public void Mremap_keeps_a_moved_vma_locked_and_DONTUNMAP_unlocks_the_old_one()
    {
        var m = New();
        var p = Limited(m);
        var a = p.MapAnon(2);
        p.Mlock(a, 2 * P);
        var moved = p.Mremap(a, 2 * P, 2 * P, MremapFlags.MayMove | MremapFlags.DontUnmap).Value;
        Assert.Equal(VmFlags.Locked, p.Mm!.Vmas.Find(moved)!.Flags & VmFlags.LockedMask);
        Assert.Equal(VmFlags.None, p.Mm.Vmas.Find(a)!.Flags & VmFlags.LockedMask);
        Assert.Equal(2, p.Mm.LockedVm);
        Assert.Equal(2, m.Frames.UnevictableCount);
    }
}
