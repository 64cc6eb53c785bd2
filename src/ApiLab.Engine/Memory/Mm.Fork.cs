namespace ApiLab.Engine;

/// <summary>dup_mmap: the child's address space at fork.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Copies this layout into <paramref name="child"/>. VM_DONTCOPY VMAs are left out; VM_WIPEONFORK VMAs are copied
    /// empty (the child reads zeros); private anonymous pages become copy-on-write in both (the parent's PTEs are
    /// write-protected, one TLB flush); swap entries and guard markers are duplicated; shared mappings are not
    /// copied at all (vma_needs_copy is false without an anon_vma): the child faults them in from the page cache.
    /// Every child VMA is a new VMA with a new identity.
    /// </summary>
    internal void CopyInto(Mm child)
    {
        LockMmap();
        var frames = Machine.Frames;
        var protectedAny = false;
        for (var i = 0; i < Vmas.Count; i++)
        {
            var vma = Vmas[i];
            if ((vma.Flags & VmFlags.DontCopy) != 0)
            {
                continue;
            }

            var wipe = (vma.Flags & VmFlags.WipeOnFork) != 0;
            var copy = new Vma(Machine.NextVmaIdentity(), vma.Start, vma.End, vma.Flags & ~(VmFlags.LockedMask | VmFlags.UffdMissing | VmFlags.UffdWp),
                vma.Shmem, vma.PgOff)
            {
                // anon_vma_fork: the child's VMA gets an anon_vma of its own, chained to the parent's.
                AnonVma = wipe || vma.AnonVma == 0 ? 0 : Machine.NextObjectIdentity(),
                AnonVmaInherited = !wipe && vma.AnonVma != 0,
            };
            if (vma.Shmem is { } shmem)
            {
                shmem.MapCount++;
            }

            child.Vmas.Insert(copy);
            if (wipe || vma.AnonVma == 0)
            {
                continue;
            }

            if (vma.Shmem is not null)
            {
                // Shared pages are found again through the page cache; only guard markers live in the page table
                // alone, and the child keeps them (checked on the 6.18 host for MAP_SHARED|MAP_ANONYMOUS).
                CopyGuardMarkers(vma, child);
                continue;
            }

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
                    child.PageTable.Set(vpn, pte & ~Pte.UffdWp);
                    continue;
                }

                if (!Pte.IsPresent(pte))
                {
                    child.PageTable.Set(vpn, pte);
                    continue;
                }

                var frame = Pte.Index(pte);
                if ((pte & Pte.Write) != 0)
                {
                    PageTable.Set(vpn, pte & ~Pte.Write);
                    protectedAny = true;
                }

                child.PageTable.Set(vpn, pte & ~(Pte.Write | Pte.Young | Pte.UffdWp));
                if (frame != FramePool.ZeroPage)
                {
                    frames.Get(frame);
                    frames.AddMapping(frame, child, vpn);
                    child.RssAnon++;
                }
            }
        }

        child.BumpLayout();
        if (protectedAny)
        {
            FlushTlb();
        }
    }

    private void CopyGuardMarkers(Vma vma, Mm child)
    {
        for (var vpn = Page.ToVpn(vma.Start); vpn < Page.ToVpn(vma.End); vpn++)
        {
            if (PageTable.Get(vpn) == Pte.GuardMarker)
            {
                child.PageTable.Set(vpn, Pte.GuardMarker);
            }
        }
    }
}
