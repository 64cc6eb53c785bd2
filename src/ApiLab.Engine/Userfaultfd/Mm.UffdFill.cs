using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>What an mfill_atomic call installs.</summary>
internal enum UffdFill
{
    /// <summary>UFFDIO_COPY: a new page holding the caller's source page.</summary>
    Copy,

    /// <summary>UFFDIO_ZEROPAGE: the shared zero page (anonymous) or a zeroed page-cache page (shmem).</summary>
    Zeropage,

    /// <summary>UFFDIO_CONTINUE: map the page already in the shmem page cache.</summary>
    Continue,
}

/// <summary>UFFDIO_COPY / ZEROPAGE / CONTINUE on the userfaultfd's mm (mm/userfaultfd.c, mfill_atomic).</summary>
public sealed partial class Mm
{
    /// <summary>
    /// mfill_atomic: the destination range must lie inside one VMA that is registered with some userfaultfd (ENOENT
    /// otherwise, including an unmapped one); pending non-cooperative events → EAGAIN; MODE_WP on a VMA not registered
    /// for WP → EINVAL; CONTINUE on anonymous memory → EINVAL. Then page by page until one fails. Returns the bytes
    /// filled; <paramref name="error"/> says why it stopped early (None when it did not).
    /// </summary>
    internal long UffdFillRange(UserfaultfdFile ctx, Process caller, ulong dst, ulong src, ulong length, UffdFill kind,
        bool wp, out Errno error)
    {
        // uffd_mfill_lock: UFFDIO_COPY and ZEROPAGE take the destination VMA's lock, not the mmap_lock (6.8+).
        LockVma();
        var vma = Vmas.Find(dst);
        if (vma is null || dst + length > vma.End || vma.Uffd is null)
        {
            error = Errno.ENOENT;
            return 0;
        }

        if (ctx.MmapChanging > 0)
        {
            error = Errno.EAGAIN;
            return 0;
        }

        if ((wp && (vma.Flags & VmFlags.UffdWp) == 0) || (kind == UffdFill.Continue && vma.Shmem is null))
        {
            error = Errno.EINVAL;
            return 0;
        }

        if (vma.Shmem is null && vma.AnonVma == 0)
        {
            // find_vma_and_prepare_anon: private VMAs get their anon_vma up front.
            PrepareAnonVma(vma);
        }

        long done = 0;
        error = Errno.None;
        for (ulong offset = 0; offset < length; offset += Page.Size)
        {
            error = kind switch
            {
                UffdFill.Copy => FillCopy(vma, dst + offset, caller, src + offset, wp),
                UffdFill.Zeropage => vma.Shmem is { } shmem ? FillShmem(vma, shmem, dst + offset, 0, wp: false) : FillZeroPage(dst + offset),
                _ => FillContinue(vma, vma.Shmem!, dst + offset, wp),
            };
            if (error != Errno.None)
            {
                break;
            }

            done += (long)Page.Size;
        }

        return done;
    }

    /// <summary>
    /// mfill_atomic_pte_copy: reads the source page from the caller's memory (copy_from_user: a kernel-mode access; a
    /// fault there is EFAULT), allocates and charges a page to this mm, and maps it if the entry is still empty (or a
    /// marker: the 6.18 host overwrites uffd-wp and guard markers alike), else EEXIST.
    /// </summary>
    private Errno FillCopy(Vma vma, ulong dst, Process caller, ulong src, bool wp)
    {
        var value = caller.Mm is { } own ? own.Access(src, write: false, 0, FaultOrigin.Kernel(caller)) : Errno.EFAULT;
        if (!value.IsOk)
        {
            return value.Error == Errno.ERESTARTSYS ? Errno.ERESTARTSYS : Errno.EFAULT;
        }

        Machine.Stats.PagesCopied++;
        Stats.PagesCopied++;
        if (vma.Shmem is { } shmem)
        {
            return FillShmem(vma, shmem, dst, value.Value, wp);
        }

        var frame = NewAnonFrame(vma, value.Value);
        if (frame < 0)
        {
            return Errno.ENOMEM;
        }

        var vpn = Page.ToVpn(dst);
        if (!CanFill(PageTable.Get(vpn)))
        {
            Machine.Frames.Put(frame);
            return Errno.EEXIST;
        }

        MapAnon(frame, vpn, FillPteFlags(vma, wp));
        return Errno.None;
    }

    /// <summary>mfill_atomic_pte_zeropage: maps the shared zero page (read-only) into an empty entry, else EEXIST.</summary>
    private Errno FillZeroPage(ulong dst)
    {
        var vpn = Page.ToVpn(dst);
        if (PageTable.Get(vpn) != Pte.None)
        {
            return Errno.EEXIST;
        }

        PageTable.Set(vpn, Pte.MakePresent(FramePool.ZeroPage, Pte.Young));
        return Errno.None;
    }

    /// <summary>
    /// shmem_mfill_atomic_pte: a new page (allocated first: ENOMEM) holding <paramref name="content"/> goes into the page
    /// cache and is mapped. Beyond i_size → EFAULT; a page already in the cache, or a non-empty entry → EEXIST.
    /// </summary>
    private Errno FillShmem(Vma vma, ShmemObject shmem, ulong dst, ulong content, bool wp)
    {
        var frames = Machine.Frames;
        var frame = Machine.AllocateFrame(content, FrameFlags.SwapBacked);
        if (frame < 0)
        {
            return Errno.ENOMEM;
        }

        var vpn = Page.ToVpn(dst);
        var index = ShmemIndex(vma, vpn);
        var error = index >= shmem.SizePages ? Errno.EFAULT
            : shmem.Get(index) != Pte.None || !CanFill(PageTable.Get(vpn)) ? Errno.EEXIST
            : Errno.None;
        if (error != Errno.None)
        {
            frames.Put(frame);
            return error;
        }

        frames.SetCacheOwner(frame, shmem, index);
        frames.LruAdd(frame, active: false);
        frames.SetFlag(frame, FrameFlags.Dirty, true);
        shmem.Set(index, Pte.MakePresent(frame, 0));
        MapCacheFrame(frame, vpn, FillPteFlags(vma, wp));
        return Errno.None;
    }

    /// <summary>
    /// mfill_atomic_pte_continue: maps the page-cache page (swapping it in if it was reclaimed). No page there →
    /// EFAULT; a non-empty entry → EEXIST.
    /// </summary>
    private Errno FillContinue(Vma vma, ShmemObject shmem, ulong dst, bool wp)
    {
        var vpn = Page.ToVpn(dst);
        var index = ShmemIndex(vma, vpn);
        var entry = index < shmem.SizePages ? shmem.Get(index) : Pte.None;
        if (entry == Pte.None)
        {
            return Errno.EFAULT;
        }

        int frame;
        if (Pte.IsSwap(entry))
        {
            frame = Machine.AllocateFrame(Machine.Swap.Content(Pte.Index(entry)), FrameFlags.SwapBacked);
            if (frame < 0)
            {
                return Errno.ENOMEM;
            }

            Machine.Swap.Free(Pte.Index(entry));
            Machine.Stats.PagesSwappedIn++;
            Stats.PagesSwappedIn++;
            Machine.Frames.SetCacheOwner(frame, shmem, index);
            Machine.Frames.LruAdd(frame, active: false);
            shmem.Set(index, Pte.MakePresent(frame, 0));
        }
        else
        {
            frame = Pte.Index(entry);
        }

        if (!CanFill(PageTable.Get(vpn)))
        {
            return Errno.EEXIST;
        }

        MapCacheFrame(frame, vpn, FillPteFlags(vma, wp));
        return Errno.None;
    }

    /// <summary>mfill_atomic_install_pte's emptiness test: none, or a marker (uffd-wp or guard).</summary>
    private static bool CanFill(ulong pte) => pte is Pte.None or Pte.UffdWpMarker or Pte.GuardMarker;

    /// <summary>mfill_atomic_install_pte's PTE: dirty, young, writable if the VMA is, unless MODE_WP maps it uffd-wp.</summary>
    private static ulong FillPteFlags(Vma vma, bool wp) =>
        Pte.Dirty | Pte.Young | (wp ? Pte.UffdWp : (vma.Flags & VmFlags.Write) != 0 ? Pte.Write : 0);

    private static long ShmemIndex(Vma vma, ulong vpn) => (long)(vma.PgOff + (vpn - Page.ToVpn(vma.Start)));

    /// <summary>Maps a page-cache frame at <paramref name="vpn"/>, taking a reference for the mapping.</summary>
    private void MapCacheFrame(int frame, ulong vpn, ulong pteFlags)
    {
        Machine.Frames.Get(frame);
        Machine.Frames.AddMapping(frame, this, vpn);
        RssShmem++;
        PageTable.Set(vpn, Pte.MakePresent(frame, pteFlags));
    }
}
