using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>The fault side of userfaultfd: handing a fault to the monitor, and what a zap leaves of a uffd-wp entry.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// handle_userfault (fs/userfaultfd.c) for a VMA registered in <paramref name="reason"/>'s mode: UFFD_FEATURE_SIGBUS,
    /// or a kernel-mode fault on a UFFD_USER_MODE_ONLY userfaultfd, or a fault with no task to put to sleep, is
    /// VM_FAULT_SIGBUS (EIO here; GUP callers turn it into EFAULT). Otherwise the task queues a UFFD_EVENT_PAGEFAULT
    /// message (WRITE for a store, WP or MINOR by reason; the page address unless EXACT_ADDRESS; the pid with THREAD_ID)
    /// and sleeps: ERESTARTSYS.
    /// </summary>
    private Errno Userfault(Vma vma, ulong address, bool write, VmFlags reason, in FaultOrigin origin)
    {
        var ctx = vma.Uffd!;
        if ((ctx.Features & UffdFeatures.Sigbus) != 0 || (!origin.User && ctx.UserModeOnly) || origin.Task is not { } task)
        {
            return Errno.EIO;
        }

        var flags = (write ? UffdPagefaultFlags.Write : UffdPagefaultFlags.None)
            | (reason == VmFlags.UffdWp ? UffdPagefaultFlags.Wp : UffdPagefaultFlags.None)
            | (reason == VmFlags.UffdMinor ? UffdPagefaultFlags.Minor : UffdPagefaultFlags.None);
        var reported = (ctx.Features & UffdFeatures.ExactAddress) != 0 ? address : Page.AlignDown(address);
        var threadId = (ctx.Features & UffdFeatures.ThreadId) != 0 ? task.Pid : 0;
        ctx.QueueFault(new UffdWaiter(task, ctx, UffdMessage.Pagefault(flags, reported, threadId)));
        return Errno.ERESTARTSYS;
    }

    /// <summary>
    /// What replaces an entry that a zap (without ZAP_FLAG_DROP_MARKER) or reclaim removes (zap_nonpresent_ptes,
    /// pte_install_uffd_wp_if_needed). Anonymous memory drops everything. In a shmem VMA a uffd-wp marker stays, and a
    /// write-protected entry of a VMA registered for WP leaves one, so the page is still protected when it is faulted
    /// back from the page cache.
    /// </summary>
    internal ulong EntryAfterZap(ulong vpn, ulong pte)
    {
        if ((pte & Pte.UffdWp) == 0)
        {
            return Pte.None;
        }

        var vma = Vmas.Find(Page.ToAddress(vpn));
        if (vma is null || vma.IsAnonymous)
        {
            return Pte.None;
        }

        return pte == Pte.UffdWpMarker || (vma.Flags & VmFlags.UffdWp) != 0 ? Pte.UffdWpMarker : Pte.None;
    }

    /// <summary>The distinct userfaultfds this mm's VMAs are registered with, in address order.</summary>
    internal List<UserfaultfdFile> UffdContexts()
    {
        var list = new List<UserfaultfdFile>();
        for (var i = 0; i < Vmas.Count; i++)
        {
            if (Vmas[i].Uffd is { } ctx && !list.Contains(ctx))
            {
                list.Add(ctx);
            }
        }

        return list;
    }
}
