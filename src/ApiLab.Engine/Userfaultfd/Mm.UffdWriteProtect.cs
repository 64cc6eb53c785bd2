using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>UFFDIO_WRITEPROTECT on the userfaultfd's mm (mwriteprotect_range, uffd_wp_range).</summary>
public sealed partial class Mm
{
    /// <summary>
    /// mwriteprotect_range: pending non-cooperative events → EAGAIN; no VMA in the range → ENOENT; VMAs are changed in
    /// order, and the first one not registered for WP stops the walk with ENOENT (earlier ones stay changed). Holes
    /// are skipped.
    /// </summary>
    internal Errno UffdWriteProtect(UserfaultfdFile ctx, ulong start, ulong end, bool enable)
    {
        using var mmapLock = LockMmap(MmapLockMode.Read);
        if (ctx.MmapChanging > 0)
        {
            return Errno.EAGAIN;
        }

        var error = Errno.ENOENT;
        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address);
            if (vma is null || vma.Start >= end)
            {
                break;
            }

            if ((vma.Flags & VmFlags.UffdWp) == 0)
            {
                return Errno.ENOENT;
            }

            var to = Math.Min(vma.End, end);
            UffdWpRange(vma, Math.Max(vma.Start, address), to, enable);
            error = Errno.None;
            address = to;
        }

        return error;
    }

    /// <summary>
    /// uffd_wp_range → change_protection(MM_CP_UFFD_WP or MM_CP_UFFD_WP_RESOLVE) over part of one VMA. Protecting sets
    /// the uffd-wp bit and clears the write bit of present entries, sets it on swap entries, and puts markers in empty
    /// entries where markers are used (shmem always, anonymous with WP_UNPOPULATED). Unprotecting clears the bits,
    /// drops markers, and (MM_CP_TRY_CHANGE_WRITABLE) makes the PTE writable where a write fault would not have to
    /// copy: an exclusive anonymous page, or a dirty shared one. One TLB flush if a present entry's write bit changed
    /// (x86 pte_needs_flush: the uffd-wp bit is a software bit and needs none).
    /// </summary>
    internal void UffdWpRange(Vma vma, ulong start, ulong end, bool enable)
    {
        var markers = enable && (vma.Shmem is not null || (vma.Uffd is { } ctx && (ctx.Features & UffdFeatures.WpUnpopulated) != 0));
        var flush = false;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            ulong updated;
            if (Pte.IsPresent(pte))
            {
                updated = enable ? (pte & ~Pte.Write) | Pte.UffdWp : pte & ~Pte.UffdWp;
                if (!enable && (pte & Pte.UffdWp) != 0 && CanChangeWritable(vma, updated))
                {
                    updated |= Pte.Write;
                }

                flush |= ((updated ^ pte) & Pte.Write) != 0;
            }
            else if (Pte.IsSwap(pte))
            {
                updated = enable ? pte | Pte.UffdWp : pte & ~Pte.UffdWp;
            }
            else if (pte == Pte.UffdWpMarker)
            {
                updated = enable ? pte : Pte.None;
            }
            else if (pte == Pte.None)
            {
                updated = markers ? Pte.UffdWpMarker : Pte.None;
            }
            else
            {
                continue;
            }

            if (updated != pte)
            {
                PageTable.Set(vpn, updated);
            }
        }

        if (flush)
        {
            FlushTlb();
        }
    }

    /// <summary>can_change_pte_writable for an unprotected PTE of a writable VMA.</summary>
    private bool CanChangeWritable(Vma vma, ulong pte)
    {
        if ((vma.Flags & VmFlags.Write) == 0)
        {
            return false;
        }

        if (vma.IsShared)
        {
            return (pte & Pte.Dirty) != 0;
        }

        // PageAnonExclusive, approximated as "the only mapping and reference of an anonymous page".
        var frame = Pte.Index(pte);
        var frames = Machine.Frames;
        return frame != FramePool.ZeroPage && frames.IsAnon(frame) && frames.MapCount(frame) == 1 && frames.RefCount(frame) == 1;
    }
}
