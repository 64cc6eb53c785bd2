using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>WP mode and UFFDIO_WRITEPROTECT (UFFDIO_WRITEPROTECT.2const; host probes p4.c, p8.c, p9.c, p10.c).</summary>
public sealed class UffdWriteProtectTests
{
    private static (Machine M, Process P, int Fd, ulong At) Setup(int pages = 4, UffdFeatures features = UffdFeatures.None,
        UffdRegisterMode mode = UffdRegisterMode.Wp, MapFlags type = MapFlags.Private, bool fill = true, int swapSlots = 1024)
    {
        var m = New(swapSlots: swapSlots);
        var p = m.Root();
        var at = p.MapAnon(pages, type);
        if (fill)
        {
            p.Fill(at, pages, 10);
        }

        var fd = m.OpenUffd(p, features);
        m.Register(p, fd, at, pages, mode);
        return (m, p, fd, at);
    }

    [Fact]
    public void A_store_to_a_protected_page_sleeps_reporting_write_and_wp_and_unprotecting_resumes_it()
    {
        var (m, p, fd, at) = Setup();
        m.WriteProtect(p, fd, at, 2);
        Assert.Equal(10UL, p.Load(at).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + P, 99).Error);
        var message = m.ReadMessage(p, fd);
        Assert.Equal(at + P, message.Address);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, message.PagefaultFlags);
        Assert.Equal(11UL, m.Frames.Content(Pte.Index(p.Mm!.PageTable.Get(Page.ToVpn(at + P)))));

        Assert.True(m.UffdioWriteprotect(p, fd, at + P, P, UffdWriteprotectMode.DontWake).IsOk);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + P, 99).Error);
        Assert.True(m.UffdioWriteprotect(p, fd, at + P, P, UffdWriteprotectMode.None).IsOk);
        Assert.Equal(99UL, p.Store(at + P, 99).Value);
        Assert.Equal(99UL, p.Load(at + P).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 1).Error);
    }

    [Fact]
    public void Writeprotect_argument_errors_and_enoent_for_ranges_not_registered_for_wp()
    {
        var (m, p, fd, at) = Setup();
        var unregistered = p.MapAnon(1);
        var missingOnly = p.MapAnon(1);
        m.Register(p, fd, missingOnly, 1, UffdRegisterMode.Missing);
        Assert.Equal(Errno.EINVAL, m.UffdioWriteprotect(p, fd, at, P, (UffdWriteprotectMode)4).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioWriteprotect(p, fd, at, P, UffdWriteprotectMode.Wp | UffdWriteprotectMode.DontWake).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioWriteprotect(p, fd, at + 1, P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioWriteprotect(p, fd, at, 0, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.ENOENT, m.UffdioWriteprotect(p, fd, 0x100000000UL, P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.ENOENT, m.UffdioWriteprotect(p, fd, unregistered, P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.ENOENT, m.UffdioWriteprotect(p, fd, missingOnly, P, UffdWriteprotectMode.Wp).Error);
    }

    [Fact]
    public void A_range_running_into_an_unregistered_vma_is_enoent_after_protecting_the_vmas_before_it()
    {
        var m = New();
        var p = m.Root();
        var at = p.MapAnon(4);
        p.Fill(at, 4, 1);
        var fd = m.OpenUffd(p);
        m.Register(p, fd, at, 2, UffdRegisterMode.Wp);
        Assert.Equal(Errno.ENOENT, m.UffdioWriteprotect(p, fd, at, 4 * P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 2).Error);
    }

    [Fact]
    public void Holes_in_the_range_are_skipped()
    {
        var (m, p, fd, at) = Setup(pages: 3);
        p.Munmap(at + P, P);
        Assert.True(m.UffdioWriteprotect(p, fd, at, 3 * P, UffdWriteprotectMode.Wp).IsOk);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + (2 * P), 2).Error);
    }

    [Fact]
    public void Without_wp_unpopulated_an_empty_page_is_not_protected_and_a_store_there_just_allocates()
    {
        var (m, p, fd, at) = Setup(fill: false);
        m.WriteProtect(p, fd, at, 4);
        Assert.Equal(5UL, p.Store(at, 5).Value);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(p, fd).Error);
    }

    [Fact]
    public void With_wp_unpopulated_an_empty_page_gets_a_marker_reads_as_zero_and_traps_stores()
    {
        var (m, p, fd, at) = Setup(fill: false, features: UffdFeatures.WpUnpopulated);
        m.WriteProtect(p, fd, at, 4);
        Assert.Equal(Pte.UffdWpMarker, p.Mm!.PageTable.Get(Page.ToVpn(at)));
        Assert.Equal(0UL, p.Load(at).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + P, 1).Error);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, m.ReadMessage(p, fd).PagefaultFlags);
        m.WriteProtect(p, fd, at + P, 1, protect: false);
        Assert.Equal(1UL, p.Store(at + P, 1).Value);
        // An anonymous zap drops the marker (zap_nonpresent_ptes: "for anon: always drop the marker").
        p.Madvise(at + (2 * P), P, Advice.DontNeed);
        Assert.Equal(2UL, p.Store(at + (2 * P), 2).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + (3 * P), 3).Error);
    }

    [Fact]
    public void Unregistering_clears_markers_and_protection()
    {
        var (m, p, fd, at) = Setup(features: UffdFeatures.WpUnpopulated);
        p.Madvise(at + P, P, Advice.DontNeed);
        m.WriteProtect(p, fd, at, 2);
        Assert.True(m.UffdioUnregister(p, fd, at, 4 * P).IsOk);
        m.Register(p, fd, at, 4, UffdRegisterMode.Wp);
        Assert.Equal(1UL, p.Store(at, 1).Value);
        Assert.Equal(2UL, p.Store(at + P, 2).Value);
    }

    [Fact]
    public void The_zero_page_can_be_protected_and_a_store_to_it_traps_before_copy_on_write()
    {
        var (m, p, fd, at) = Setup(fill: false);
        Assert.Equal(0UL, p.Load(at).Value);
        m.WriteProtect(p, fd, at, 1);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 4).Error);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, m.ReadMessage(p, fd).PagefaultFlags);
        m.WriteProtect(p, fd, at, 1, protect: false);
        Assert.Equal(4UL, p.Store(at, 4).Value);
        Assert.Equal(1, p.Mm!.RssAnon);
    }

    [Fact]
    public void A_swapped_out_protected_page_comes_back_protected()
    {
        var (m, p, fd, at) = Setup(pages: 3);
        m.WriteProtect(p, fd, at, 2);
        Assert.True(p.Madvise(at, 3 * P, Advice.PageOut).IsOk);
        Assert.Equal(3, p.Mm!.SwapEntries);
        Assert.NotEqual(0UL, p.Mm.PageTable.Get(Page.ToVpn(at)) & Pte.UffdWp);
        Assert.Equal(10UL, p.Load(at).Value);
        Assert.Equal(0UL, p.Mm.PageTable.Get(Page.ToVpn(at)) & Pte.Write);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 1).Error);
        m.ReadMessage(p, fd);
        m.WriteProtect(p, fd, at, 1, protect: false);
        // A store straight onto a protected swap entry swaps it in and traps too.
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + P, 1).Error);
        Assert.Equal(at + P, m.ReadMessage(p, fd).Address);
        Assert.Equal(11UL, p.Mm.Machine.Frames.Content(Pte.Index(p.Mm.PageTable.Get(Page.ToVpn(at + P)))));
        m.WriteProtect(p, fd, at + P, 1, protect: false);
        // The unprotected swapped page is writable at once.
        Assert.Equal(3UL, p.Store(at + (2 * P), 3).Value);
    }

    [Fact]
    public void Unregistering_a_wp_only_range_does_not_wake_the_sleeper_but_uffdio_wake_does()
    {
        var (m, p, fd, at) = Setup();
        var monitor = m.Root("monitor");
        var pidfd = m.PidfdOpen(monitor, new Pid(p.Pid), 0).Value;
        var ufd = m.PidfdGetfd(monitor, pidfd, fd, 0).Value;
        m.WriteProtect(monitor, ufd, at, 1);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 1).Error);
        Assert.True(m.UffdioUnregister(monitor, ufd, at, 4 * P).IsOk);
        Assert.NotNull(p.UffdWait);
        Assert.True(m.UffdioWake(monitor, ufd, at, 4 * P).IsOk);
        Assert.Equal(1UL, p.Store(at, 1).Value);
    }

    [Fact]
    public void Dontneed_of_a_protected_anonymous_page_drops_the_protection()
    {
        var (m, p, fd, at) = Setup();
        m.WriteProtect(p, fd, at, 1);
        p.Madvise(at, P, Advice.DontNeed);
        Assert.Equal(Pte.None, p.Mm!.PageTable.Get(Page.ToVpn(at)));
        Assert.Equal(7UL, p.Store(at, 7).Value);
    }

    [Fact]
    public void Mprotect_does_not_unprotect()
    {
        var (m, p, fd, at) = Setup();
        m.WriteProtect(p, fd, at, 1);
        p.Mprotect(at, P, Prot.Read);
        p.Mprotect(at, P, Prot.ReadWrite);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 1).Error);
    }

    [Fact]
    public void Without_event_fork_the_child_loses_the_registration_and_writes_freely()
    {
        var (m, p, fd, at) = Setup();
        m.WriteProtect(p, fd, at, 1);
        var child = m.Fork(p).Value;
        Assert.Null(child.Mm!.Vmas.Find(at)!.Uffd);
        Assert.Equal(VmFlags.None, child.Mm.Vmas.Find(at)!.Flags & VmFlags.UffdMask);
        Assert.Equal(2UL, child.Store(at, 2).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 3).Error);
        Assert.Equal(10UL, m.Frames.Content(Pte.Index(p.Mm!.PageTable.Get(Page.ToVpn(at)))));
    }

    [Fact]
    public void Copy_with_mode_wp_maps_the_page_protected_and_needs_wp_registration()
    {
        var (m, p, fd, at) = Setup(fill: false, mode: UffdRegisterMode.Missing | UffdRegisterMode.Wp);
        var buffer = p.MapAnon(1);
        p.Store(buffer, 6);
        m.Copy(p, fd, at, buffer, 1, UffdCopyMode.Wp);
        Assert.Equal(6UL, p.Load(at).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 1).Error);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, m.ReadMessage(p, fd).PagefaultFlags);
    }

    [Fact]
    public void Only_a_change_of_the_write_bit_costs_a_tlb_flush()
    {
        var (m, p, fd, at) = Setup(pages: 4);
        var flushes = p.Mm!.TlbFlushes;
        m.WriteProtect(p, fd, at, 2);
        Assert.Equal(flushes + 1, p.Mm.TlbFlushes);
        // Already read-only: protecting again changes nothing the TLB caches.
        m.WriteProtect(p, fd, at, 2);
        Assert.Equal(flushes + 1, p.Mm.TlbFlushes);
        // Unprotecting makes exclusive pages writable again: the write bit changes, and a later store needs no fault.
        m.WriteProtect(p, fd, at, 4, protect: false);
        Assert.Equal(flushes + 2, p.Mm.TlbFlushes);
        var faults = m.Stats.PageFaults;
        p.Store(at, 1);
        Assert.Equal(faults, m.Stats.PageFaults);
    }

    [Fact]
    public void Unprotecting_a_page_shared_copy_on_write_keeps_it_read_only_so_the_store_copies()
    {
        var (m, p, fd, at) = Setup(pages: 1);
        var child = m.Fork(p).Value;
        m.WriteProtect(p, fd, at, 1);
        m.WriteProtect(p, fd, at, 1, protect: false);
        Assert.Equal(0UL, p.Mm!.PageTable.Get(Page.ToVpn(at)) & Pte.Write);
        var copied = m.Stats.PagesCopied;
        Assert.Equal(5UL, p.Store(at, 5).Value);
        Assert.Equal(copied + 1, m.Stats.PagesCopied);
        Assert.Equal(10UL, child.Load(at).Value);
    }

    [Fact]
    public void Shmem_protection_outlives_a_zap_as_a_marker_and_covers_empty_pages()
    {
        var (m, p, fd, at) = Setup(pages: 3, type: MapFlags.Shared, fill: false, features: UffdFeatures.WpHugetlbfsShmem);
        p.Store(at, 1);
        m.WriteProtect(p, fd, at, 2);
        Assert.Equal(Pte.UffdWpMarker, p.Mm!.PageTable.Get(Page.ToVpn(at + P)));
        p.Madvise(at, P, Advice.DontNeed);
        Assert.Equal(Pte.UffdWpMarker, p.Mm.PageTable.Get(Page.ToVpn(at)));
        Assert.Equal(1UL, p.Load(at).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 2).Error);
        Assert.Equal(at, m.ReadMessage(p, fd).Address);
        m.WriteProtect(p, fd, at, 1, protect: false);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at + P, 2).Error);
        m.WriteProtect(p, fd, at + P, 1, protect: false);
        Assert.Equal(2UL, p.Store(at + P, 2).Value);
    }

    [Fact]
    public void Reclaiming_a_protected_shmem_page_leaves_a_marker_so_it_faults_back_protected()
    {
        var (m, p, fd, at) = Setup(pages: 1, type: MapFlags.Shared, fill: false);
        p.Store(at, 3);
        m.WriteProtect(p, fd, at, 1);
        Assert.True(p.Madvise(at, P, Advice.PageOut).IsOk);
        Assert.Equal(Pte.UffdWpMarker, p.Mm!.PageTable.Get(Page.ToVpn(at)));
        Assert.Equal(3UL, p.Load(at).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 4).Error);
    }
}
