using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// The page-fault handler (handle_mm_fault, reduced to what the engine models): zero-page and anonymous faults,
/// copy-on-write, shmem and regular-file page-cache faults (file read-in) and swap-in, and the userfaultfd hooks (MISSING, WP, MINOR). A bad access is
/// reported as EFAULT (SIGSEGV), a SIGBUS as EIO, running out of memory as ENOMEM (VM_FAULT_OOM), and a fault handed
/// to a userfaultfd monitor as ERESTARTSYS (the task sleeps in handle_userfault).
/// </summary>
public sealed partial class Mm
{
    /// <summary>A load or store of one word, by <paramref name="origin"/>'s task (the owner, or a GUP caller).</summary>
    internal SysResult<ulong> Access(ulong address, bool write, ulong value, FaultOrigin origin)
    {
        if (IsDead)
        {
            return Errno.ESRCH;
        }

        if (origin.Task is { WaitsOnUffd: true } or { Stopped: true })
        {
            // Asleep in handle_userfault or waiting for its uffd events to be read, or stopped by a signal: nothing
            // runs until the task is woken.
            return Errno.ERESTARTSYS;
        }

        var vma = Vmas.Find(address) ?? ExpandStackForFault(address);
        if (vma is null || !AccessAllowed(vma, write))
        {
            return Errno.EFAULT;
        }

        var vpn = Page.ToVpn(address);
        var pte = PageTable.Get(vpn);
        if (!Pte.IsPresent(pte) || (write && (pte & Pte.Write) == 0))
        {
            var fault = HandleFault(vma, vpn, write, address, origin);
            if (fault != Errno.None)
            {
                return fault;
            }

            pte = PageTable.Get(vpn);
        }

        var frame = Pte.Index(pte);
        if (!write)
        {
            PageTable.Set(vpn, pte | Pte.Young);
            return Machine.Frames.Content(frame);
        }

        PageTable.Set(vpn, pte | Pte.Young | Pte.Dirty);
        Machine.Frames.SetContent(frame, value);
        if (!Machine.Frames.IsAnon(frame))
        {
            Machine.Frames.SetFlag(frame, FrameFlags.Dirty, true);
        }

        return value;
    }

    /// <summary>access_error(): a read needs any of R/W/X (x86 cannot express write-only); a write needs VM_WRITE.</summary>
    private static bool AccessAllowed(Vma vma, bool write) =>
        write ? (vma.Flags & VmFlags.Write) != 0 : (vma.Flags & VmFlags.AccessMask) != 0;

    /// <summary>
    /// Makes the PTE for <paramref name="vpn"/> present (and writable for a write fault). Errno.None on success.
    /// <paramref name="address"/> is the exact faulting address (what UFFD_FEATURE_EXACT_ADDRESS reports).
    /// </summary>
    internal Errno HandleFault(Vma vma, ulong vpn, bool write, ulong address, in FaultOrigin origin)
    {
        Machine.Stats.PageFaults++;
        Stats.PageFaults++;
        var pte = PageTable.Get(vpn);
        if (pte == Pte.GuardMarker)
        {
            return Errno.EFAULT;
        }

        var uffdWp = false;
        if (pte == Pte.UffdWpMarker)
        {
            // pte_marker_handle_uffd_wp: a leftover marker in a VMA no longer registered for WP is just dropped;
            // otherwise the fault proceeds as on an empty entry and the new PTE inherits the protection.
            uffdWp = (vma.Flags & VmFlags.UffdWp) != 0;
            if (!uffdWp)
            {
                PageTable.Set(vpn, Pte.None);
            }
        }

        if (Pte.IsPresent(pte))
        {
            return write ? WriteProtectFault(vma, vpn, pte, address, origin) : Errno.None;
        }

        if (Pte.IsSwap(pte))
        {
            return SwapInFault(vma, vpn, pte, write, address, origin);
        }

        if (vma.Shmem is not { } shmem)
        {
            return AnonymousFault(vma, vpn, write, uffdWp, address, origin);
        }

        if (vma.IsShared || !write)
        {
            return SharedFault(vma, shmem, vpn, write, uffdWp, address, origin);
        }

        // A write to a private file mapping (do_cow_fault): find the file's page, then copy it into an anonymous one.
        var read = SharedFault(vma, shmem, vpn, write: false, uffdWp, address, origin);
        return read != Errno.None ? read : WriteProtectFault(vma, vpn, PageTable.Get(vpn), address, origin);
    }

    /// <summary>
    /// do_anonymous_page: a read maps the shared zero page; a write gets a fresh zeroed frame. A VM_UFFD_MISSING VMA
    /// hands either to its userfaultfd instead. Over a uffd-wp marker the new PTE is write-protected, so a write then
    /// takes the WP fault at once (Linux maps the page and the retried store faults again).
    /// </summary>
    private Errno AnonymousFault(Vma vma, ulong vpn, bool write, bool uffdWp, ulong address, in FaultOrigin origin)
    {
        if ((vma.Flags & VmFlags.UffdMissing) != 0)
        {
            return Userfault(vma, address, write, VmFlags.UffdMissing, origin);
        }

        var wpBit = uffdWp ? Pte.UffdWp : 0;
        if (!write)
        {
            PageTable.Set(vpn, Pte.MakePresent(FramePool.ZeroPage, Pte.Young | wpBit));
            return Errno.None;
        }

        var frame = NewAnonFrame(vma, 0);
        if (frame < 0)
        {
            return Errno.ENOMEM;
        }

        if (uffdWp)
        {
            MapAnon(frame, vpn, Pte.Dirty | Pte.Young | Pte.UffdWp);
            return Userfault(vma, address, write: true, VmFlags.UffdWp, origin);
        }

        MapAnon(frame, vpn, Pte.Write | Pte.Dirty | Pte.Young);
        return Errno.None;
    }

    /// <summary>Allocates a private anonymous frame for <paramref name="vma"/> (giving it an anon_vma if it has none).</summary>
    private int NewAnonFrame(Vma vma, ulong content)
    {
        var droppable = (vma.Flags & VmFlags.Droppable) != 0;
        var flags = FrameFlags.Anon | (droppable ? FrameFlags.Droppable : FrameFlags.SwapBacked);
        var frame = Machine.AllocateFrame(content, flags);
        if (frame < 0)
        {
            return -1;
        }

        if (vma.AnonVma == 0)
        {
            PrepareAnonVma(vma);
        }

        Machine.Frames.LruAdd(frame, active: false);
        Machine.Frames.Charge(frame, this);
        return frame;
    }

    /// <summary>Installs a PTE for an anonymous frame whose reference the caller already holds.</summary>
    private void MapAnon(int frame, ulong vpn, ulong pteFlags)
    {
        Machine.Frames.AddMapping(frame, this, vpn);
        RssAnon++;
        PageTable.Set(vpn, Pte.MakePresent(frame, pteFlags));
    }

    /// <summary>
    /// do_wp_page: a write to a present, non-writable PTE in a writable VMA. A uffd-wp PTE in a VM_UFFD_WP VMA goes to
    /// the userfaultfd first (userfaultfd_pte_wp), before any COW or reuse.
    /// </summary>
    private Errno WriteProtectFault(Vma vma, ulong vpn, ulong pte, ulong address, in FaultOrigin origin)
    {
        if ((pte & Pte.UffdWp) != 0 && (vma.Flags & VmFlags.UffdWp) != 0)
        {
            return Userfault(vma, address, write: true, VmFlags.UffdWp, origin);
        }

        var frames = Machine.Frames;
        var frame = Pte.Index(pte);
        if (vma.IsShared)
        {
            // wp_page_shared: the PTE becomes writable and the page dirty (for a regular file this is the write-notify
            // fault after writeback cleaned the page: page_mkwrite redirties it).
            PageTable.Set(vpn, pte | Pte.Write | Pte.Dirty | Pte.Young);
            frames.SetFlag(frame, FrameFlags.Dirty, true);
            return Errno.None;
        }

        if (frame != FramePool.ZeroPage && frames.IsAnon(frame) && frames.MapCount(frame) == 1 && frames.RefCount(frame) == 1)
        {
            // wp_can_reuse_anon_folio: we are the only user, so no copy is needed.
            PageTable.Set(vpn, pte | Pte.Write | Pte.Dirty | Pte.Young);
            return Errno.None;
        }

        var copy = NewAnonFrame(vma, frames.Content(frame));
        if (copy < 0)
        {
            return Errno.ENOMEM;
        }

        if (PageTable.Get(vpn) != pte)
        {
            // The allocation ran reclaim, which took the page being copied: wp_page_copy's pte_same check fails,
            // the copy is dropped and the fault retried (now a swap-in).
            frames.Put(copy);
            return HandleFault(vma, vpn, write: true, address, origin);
        }

        if (frame != FramePool.ZeroPage)
        {
            frames.RemoveMapping(frame, this, vpn);
            if (frames.IsAnon(frame))
            {
                RssAnon--;
            }
            else
            {
                RssShmem--;
            }

            frames.Put(frame);
            Machine.Stats.PagesCopied++;
            Stats.PagesCopied++;
            FlushTlb();
        }

        MapAnon(copy, vpn, Pte.Write | Pte.Dirty | Pte.Young);
        return Errno.None;
    }

    /// <summary>
    /// do_swap_page: reads the page back; an exclusive page (slot count 1) is mapped writable if the VMA is, unless
    /// the swap entry carried the uffd-wp bit in a VM_UFFD_WP VMA: then the PTE stays write-protected and a write takes
    /// the WP fault. The bit is kept on the PTE either way (pte_swp_uffd_wp → pte_mkuffd_wp).
    /// </summary>
    private Errno SwapInFault(Vma vma, ulong vpn, ulong pte, bool write, ulong address, in FaultOrigin origin)
    {
        var slot = Pte.Index(pte);
        var swap = Machine.Swap;
        var exclusive = swap.Count(slot) == 1;
        var frame = NewAnonFrame(vma, swap.Content(slot));
        if (frame < 0)
        {
            return Errno.ENOMEM;
        }

        swap.Free(slot);
        SwapEntries--;
        Machine.Stats.PagesSwappedIn++;
        Stats.PagesSwappedIn++;
        var writable = exclusive && (vma.Flags & VmFlags.Write) != 0 && !((pte & Pte.UffdWp) != 0 && (vma.Flags & VmFlags.UffdWp) != 0);
        var flags = Pte.Young | (writable ? Pte.Write : 0) | (writable && write ? Pte.Dirty : 0) | (pte & Pte.UffdWp);
        MapAnon(frame, vpn, flags);
        return write && !writable ? WriteProtectFault(vma, vpn, PageTable.Get(vpn), address, origin) : Errno.None;
    }

    /// <summary>
    /// shmem_fault: find or create the page-cache page (swapping it in if needed) and map it. With userfaultfd
    /// (shmem_get_folio_gfp), a page already in the cache (or its swap) is a MINOR fault for a VM_UFFD_MINOR VMA; a hole
    /// is a MISSING fault for a VM_UFFD_MISSING one. Over a uffd-wp marker the PTE is installed write-protected.
    /// </summary>
    private Errno SharedFault(Vma vma, ShmemObject shmem, ulong vpn, bool write, bool uffdWp, ulong address, in FaultOrigin origin)
    {
        var frames = Machine.Frames;
        var index = (long)(vma.PgOff + (vpn - Page.ToVpn(vma.Start)));
        if (index >= shmem.SizePages)
        {
            // shmem_get_folio_gfp: beyond i_size (e.g. after mremap grew the mapping) → VM_FAULT_SIGBUS.
            return Errno.EIO;
        }

        var entry = shmem.Get(index);
        if (entry != Pte.None && (vma.Flags & VmFlags.UffdMinor) != 0)
        {
            return Userfault(vma, address, write, VmFlags.UffdMinor, origin);
        }

        if (entry == Pte.None && (vma.Flags & VmFlags.UffdMissing) != 0)
        {
            return Userfault(vma, address, write, VmFlags.UffdMissing, origin);
        }

        int frame;
        if (Pte.IsPresent(entry))
        {
            frame = Pte.Index(entry);
        }
        else
        {
            // A regular file's page is read in from its backing store (filemap_fault: a major fault) onto the file LRU;
            // a shmem page comes from swap or is a new zeroed, swap-backed page. A special mapping whose evicted pages
            // are not written out is not swap-backed either: it sits on the file LRU.
            var regular = shmem.IsRegularFile;
            var content = Pte.IsSwap(entry) ? Machine.Swap.Content(Pte.Index(entry)) : shmem.StoredContent(index);
            var backing = regular || shmem.Special is { DiscardOnEvict: true } ? FrameFlags.None : FrameFlags.SwapBacked;
            frame = Machine.AllocateFrame(content, backing);
            if (frame < 0)
            {
                return Errno.ENOMEM;
            }

            if (regular)
            {
                Machine.Stats.MajorFaults++;
                Stats.MajorFaults++;
            }

            if (Pte.IsSwap(entry))
            {
                Machine.Swap.Free(Pte.Index(entry));
                Machine.Stats.PagesSwappedIn++;
                Stats.PagesSwappedIn++;
            }

            frames.SetCacheOwner(frame, shmem, index);
            frames.LruAdd(frame, active: false);
            shmem.Set(index, Pte.MakePresent(frame, 0));
        }

        frames.Get(frame);
        frames.AddMapping(frame, this, vpn);
        RssShmem++;
        var flags = Pte.Young | (write ? Pte.Write | Pte.Dirty : 0);
        if (uffdWp)
        {
            // finish_fault → set_pte_range: pte_mkuffd_wp also write-protects.
            flags = (flags & ~Pte.Write) | Pte.UffdWp;
        }

        if (write)
        {
            frames.SetFlag(frame, FrameFlags.Dirty, true);
        }

        PageTable.Set(vpn, Pte.MakePresent(frame, flags));
        return uffdWp && write ? Userfault(vma, address, write: true, VmFlags.UffdWp, origin) : Errno.None;
    }
}
