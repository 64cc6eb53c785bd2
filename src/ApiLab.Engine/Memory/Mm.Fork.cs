namespace ApiLab.Engine;

/// <summary>dup_mmap: the child's address space at fork.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Copies this layout into <paramref name="child"/>. VM_DONTCOPY VMAs are left out; VM_WIPEONFORK VMAs are copied
    /// empty (the child reads zeros); private anonymous pages become copy-on-write in both (the parent's PTEs are
    /// write-protected, one TLB flush); swap entries and guard markers are duplicated; shared mappings are not
    /// copied at all (vma_needs_copy is false without an anon_vma): the child faults them in from the page cache.
    /// Every child VMA is a new VMA with a new identity. A VMA registered with a userfaultfd stays registered in the
    /// child, with a new userfaultfd per parent one, only if that one negotiated EVENT_FORK (dup_userfaultfd); the
    /// parent's userfaultfd then gets a FORK event. Otherwise the child's VMA loses the flags and its PTEs the uffd-wp
    /// bits (copy_pte_range clears them when the destination is not VM_UFFD_WP).
    /// </summary>
    internal void CopyInto(Mm child)
    {
        // dup_mmap write-locks the parent (and the new mm, which nobody else can see yet).
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var frames = Machine.Frames;
        var protectedAny = false;
        List<(UserfaultfdFile Parent, UserfaultfdFile Child)>? forks = null;
        for (var i = 0; i < Vmas.Count; i++)
        {
            var vma = Vmas[i];
            if ((vma.Flags & VmFlags.DontCopy) != 0)
            {
                continue;
            }

            var wipe = (vma.Flags & VmFlags.WipeOnFork) != 0;
            var flags = vma.Flags & ~VmFlags.LockedMask;
            UserfaultfdFile? childUffd = null;
            if (vma.Uffd is { } uffd)
            {
                if ((uffd.Features & UffdFeatures.EventFork) != 0)
                {
                    childUffd = ForkUserfaultfd(uffd, child, ref forks);
                }
                else
                {
                    flags &= ~VmFlags.UffdMask;
                }
            }

            // A special mapping that unmaps on fork gives the child an empty object of its own (its pages, not the VMA,
            // are left behind); any other shared object is shared with the child.
            var fresh = vma.Shmem?.Special is { FreshOnFork: true };
            var childShmem = fresh ? child.NewSpecialBacking(vma.Shmem!.Special!, vma.Shmem.SizePages) : vma.Shmem;
            var copy = new Vma(Machine.NextVmaIdentity(), vma.Start, vma.End, flags, childShmem, vma.PgOff)
            {
                // anon_vma_fork: the child's VMA gets an anon_vma of its own, chained to the parent's.
                AnonVma = wipe || vma.AnonVma == 0 ? 0 : Machine.NextObjectIdentity(),
                AnonVmaInherited = !wipe && vma.AnonVma != 0,
                Uffd = childUffd,
            };
            if (vma.Shmem is { } shmem && !fresh)
            {
                shmem.MapCount++;
            }

            child.Vmas.Insert(copy);
            // vma_needs_copy: a destination registered for WP needs its uffd-wp state copied even without anon_vma.
            var keepWp = (flags & VmFlags.UffdWp) != 0;
            if (wipe || fresh || (vma.AnonVma == 0 && !keepWp))
            {
                continue;
            }

            if (vma.Shmem is not null && vma.IsShared)
            {
                // Shared pages are found again through the page cache; only markers live in the page table alone, and
                // the child keeps them (guard markers checked on the 6.18 host for MAP_SHARED|MAP_ANONYMOUS).
                CopySharedMarkers(vma, child, keepWp);
                continue;
            }

            var wpMask = keepWp ? ~0UL : ~Pte.UffdWp;
            for (var vpn = Page.ToVpn(vma.Start); vpn < Page.ToVpn(vma.End); vpn++)
            {
                var pte = PageTable.Get(vpn);
                if (pte == Pte.None)
                {
                    continue;
                }

                if (Pte.IsSwap(pte))
                {
                    Machine.Swap.Duplicate(Pte.Index(pte));
                    child.SwapEntries++;
                    child.PageTable.Set(vpn, pte & wpMask);
                    continue;
                }

                if (!Pte.IsPresent(pte))
                {
                    // Markers: guard markers always, uffd-wp markers only into a VM_UFFD_WP child (copy_pte_marker).
                    if (pte != Pte.UffdWpMarker || keepWp)
                    {
                        child.PageTable.Set(vpn, pte);
                    }

                    continue;
                }

                var frame = Pte.Index(pte);
                if ((pte & Pte.Write) != 0)
                {
                    PageTable.Set(vpn, pte & ~Pte.Write);
                    protectedAny = true;
                }

                child.PageTable.Set(vpn, pte & ~(Pte.Write | Pte.Young) & wpMask);
                if (frame != FramePool.ZeroPage)
                {
                    frames.Get(frame);
                    frames.AddMapping(frame, child, vpn);
                    if (frames.IsAnon(frame))
                    {
                        child.RssAnon++;
                    }
                    else
                    {
                        // A private file mapping's page-cache page: the child maps it read-only too.
                        child.RssShmem++;
                    }
                }
            }
        }

        child.BumpLayout();
        if (protectedAny)
        {
            FlushTlb();
        }

        if (forks is not null)
        {
            // dup_userfaultfd_complete: one FORK event per parent userfaultfd, in first-use order.
            foreach (var (parent, forked) in forks)
            {
                parent.QueueEvent(new UffdMessage(UffdEventType.Fork, 0, 0, 0), forked);
            }
        }
    }

    /// <summary>dup_userfaultfd: the child's userfaultfd for <paramref name="parent"/> (one per parent per fork): same
    /// flags and features, already initialized, no fd until the monitor reads the FORK event.</summary>
    private UserfaultfdFile ForkUserfaultfd(UserfaultfdFile parent, Mm child, ref List<(UserfaultfdFile Parent, UserfaultfdFile Child)>? forks)
    {
        forks ??= [];
        foreach (var (p, c) in forks)
        {
            if (ReferenceEquals(p, parent))
            {
                return c;
            }
        }

        var forked = new UserfaultfdFile(Machine.NextObjectIdentity(), child, parent.Flags, parent.Features, initialized: true);
        forks.Add((parent, forked));
        return forked;
    }

    /// <summary>
    /// The page-table-only state of a shared VMA: guard markers, and (for a child registered for WP) uffd-wp markers.
    /// A present write-protected shmem PTE becomes a marker in the child: the child then faults the page in from the
    /// page cache write-protected, as it would through the copied PTE.
    /// </summary>
    private void CopySharedMarkers(Vma vma, Mm child, bool keepWp)
    {
        for (var vpn = Page.ToVpn(vma.Start); vpn < Page.ToVpn(vma.End); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (pte == Pte.GuardMarker)
            {
                child.PageTable.Set(vpn, Pte.GuardMarker);
            }
            else if (keepWp && (pte & Pte.UffdWp) != 0)
            {
                child.PageTable.Set(vpn, Pte.UffdWpMarker);
            }
        }
    }
}
