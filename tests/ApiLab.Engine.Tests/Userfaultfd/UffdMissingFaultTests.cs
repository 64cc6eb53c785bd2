using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>MISSING faults and UFFDIO_COPY / ZEROPAGE / WAKE (UFFDIO_COPY.2const; host probes p3.c, p5.c, p7.c, p8.c).</summary>
public sealed class UffdMissingFaultTests
{
    /// <summary>A target with a registered, never-touched range, its uffd, and a monitor process holding the fd.</summary>
    private static (Machine M, Process Target, Process Monitor, int TargetFd, int MonitorFd, ulong At) Setup(
        int pages = 4, UffdFeatures features = UffdFeatures.None, UffdFlags flags = UffdFlags.NonBlock,
        UffdRegisterMode mode = UffdRegisterMode.Missing, MapFlags type = MapFlags.Private)
    {
        var m = New();
        var target = m.Root("target");
        var monitor = m.Root("monitor");
        var at = target.MapAnon(pages, type);
        var fd = m.OpenUffd(target, features, flags);
        m.Register(target, fd, at, pages, mode);
        var pidfd = m.PidfdOpen(monitor, new Pid(target.Pid), 0).Value;
        var monitorFd = m.PidfdGetfd(monitor, pidfd, fd, 0).Value;
        return (m, target, monitor, fd, monitorFd, at);
    }

    [Fact]
    public void A_load_of_a_missing_page_sleeps_and_the_monitor_reads_a_pagefault_message()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at + P + 24).Error);
        var message = m.ReadMessage(monitor, ufd);
        Assert.Equal(UffdEventType.Pagefault, message.Event);
        Assert.Equal(at + P, message.Address);
        Assert.Equal(UffdPagefaultFlags.None, message.PagefaultFlags);
        Assert.Equal(0, message.ThreadId);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
        Assert.Equal(0, target.Mm!.RssAnon);
    }

    [Fact]
    public void A_sleeping_task_stays_asleep_on_retry_until_a_copy_wakes_it_and_then_reads_the_copied_page()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
        m.ReadMessage(monitor, ufd);
        // Retrying while asleep does nothing: no second message.
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
        Assert.Equal(Errno.ERESTARTSYS, target.Store(at + (2 * P), 5).Error);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);

        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 0x41);
        m.Copy(monitor, ufd, at, buffer, 1);
        Assert.Null(target.UffdWait);
        Assert.Equal(0x41UL, target.Load(at).Value);
        Assert.Equal(1, target.Mm!.RssAnon);
        // The page belongs to the target: charged to its memcg, one private anonymous mapping.
        Assert.Equal(1, target.Mm.MemcgCharged);
        var frame = Pte.Index(target.Mm.PageTable.Get(Page.ToVpn(at)));
        Assert.Same(target.Mm, m.Frames.MemcgOwner(frame));
        Assert.Equal(0x41UL, monitor.Load(buffer).Value);
    }

    [Fact]
    public void A_store_reports_write_and_with_thread_id_and_exact_address_the_pid_and_the_byte_address()
    {
        var (m, target, monitor, _, ufd, at) = Setup(features: UffdFeatures.ThreadId | UffdFeatures.ExactAddress);
        Assert.Equal(Errno.ERESTARTSYS, target.Store(at + (2 * P) + 40, 9).Error);
        var message = m.ReadMessage(monitor, ufd);
        Assert.Equal(at + (2 * P) + 40, message.Address);
        Assert.Equal(UffdPagefaultFlags.Write, message.PagefaultFlags);
        Assert.Equal(target.Pid, message.ThreadId);
    }

    [Fact]
    public void Copy_with_dontwake_maps_the_page_but_only_a_wake_over_the_address_resumes_the_task()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 7);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at + P).Error);
        m.ReadMessage(monitor, ufd);
        m.Copy(monitor, ufd, at + P, buffer, 1, UffdCopyMode.DontWake);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at + P).Error);
        // A copy onto the now-present page is EEXIST and wakes nothing.
        Assert.Equal(Errno.EEXIST, m.UffdioCopy(monitor, ufd, at + P, buffer, P, UffdCopyMode.None, out var copied).Error);
        Assert.Equal(-(long)Errno.EEXIST, copied);
        Assert.Equal(Errno.EINVAL, m.UffdioWake(monitor, ufd, at + P + 1, P).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioWake(monitor, ufd, at + P, 0).Error);
        Assert.True(m.UffdioWake(monitor, ufd, at + (2 * P), P).IsOk);
        Assert.NotNull(target.UffdWait);
        Assert.True(m.UffdioWake(monitor, ufd, at + P, P).IsOk);
        Assert.Equal(7UL, target.Load(at + P).Value);
    }

    [Fact]
    public void Copy_argument_errors_come_in_userfaultfd_copy_order()
    {
        var (m, target, monitor, _, ufd, at) = Setup(pages: 8);
        var buffer = monitor.MapAnon(2);
        var unregistered = target.MapAnon(1);
        long copy;
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(monitor, ufd, at + 1, buffer, P, UffdCopyMode.None, out copy).Error);
        Assert.Equal(0L, copy);
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(monitor, ufd, at, buffer, P + 1, UffdCopyMode.None, out _).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(monitor, ufd, at, buffer, 0, UffdCopyMode.None, out _).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(monitor, ufd, at, buffer, P, (UffdCopyMode)4, out _).Error);
        // Past the argument checks, the error is also written to copy.
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(monitor, ufd, at, buffer, P, UffdCopyMode.Wp, out copy).Error);
        Assert.Equal(-(long)Errno.EINVAL, copy);
        Assert.Equal(Errno.ENOENT, m.UffdioCopy(monitor, ufd, at + (7 * P), buffer, 2 * P, UffdCopyMode.None, out copy).Error);
        Assert.Equal(-(long)Errno.ENOENT, copy);
        Assert.Equal(Errno.ENOENT, m.UffdioCopy(monitor, ufd, 0x100000000UL, buffer, P, UffdCopyMode.None, out _).Error);
        Assert.Equal(Errno.ENOENT, m.UffdioCopy(monitor, ufd, unregistered, buffer, P, UffdCopyMode.None, out _).Error);
        // The source is only checked for wrapping, then read page by page from the monitor's memory.
        Assert.Equal(Errno.EFAULT, m.UffdioCopy(monitor, ufd, at, 0, P, UffdCopyMode.None, out copy).Error);
        Assert.Equal(-(long)Errno.EFAULT, copy);
        Assert.Equal(Errno.EFAULT, m.UffdioCopy(monitor, ufd, at, 0x100000000UL, P, UffdCopyMode.None, out _).Error);
        monitor.Store(buffer, 3);
        Assert.True(m.UffdioCopy(monitor, ufd, at, buffer + 1, P, UffdCopyMode.None, out copy).IsOk);
        Assert.Equal(3UL, target.Load(at).Value);
    }

    [Fact]
    public void A_copy_that_meets_a_present_page_after_copying_some_returns_eagain_with_the_bytes_copied()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var buffer = monitor.MapAnon(2);
        m.Copy(monitor, ufd, at + P, buffer, 1);
        Assert.Equal(Errno.EAGAIN, m.UffdioCopy(monitor, ufd, at, buffer, 2 * P, UffdCopyMode.None, out var copied).Error);
        Assert.Equal((long)P, copied);
        Assert.Equal(Errno.EEXIST, m.UffdioCopy(monitor, ufd, at + P, buffer, 2 * P, UffdCopyMode.None, out copied).Error);
        Assert.Equal(-(long)Errno.EEXIST, copied);
        Assert.Equal(2, target.Mm!.RssAnon);
    }

    [Fact]
    public void Zeropage_maps_the_shared_zero_page_once_and_is_eexist_after()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var unregistered = target.MapAnon(1);
        Assert.Equal(Errno.EINVAL, m.UffdioZeropage(monitor, ufd, at, P, (UffdZeropageMode)2, out _).Error);
        Assert.True(m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out var mapped).IsOk);
        Assert.Equal((long)P, mapped);
        Assert.Equal(FramePool.ZeroPage, Pte.Index(target.Mm!.PageTable.Get(Page.ToVpn(at))));
        Assert.Equal(Errno.EEXIST, m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out mapped).Error);
        Assert.Equal(-(long)Errno.EEXIST, mapped);
        Assert.Equal(Errno.ENOENT, m.UffdioZeropage(monitor, ufd, unregistered, P, UffdZeropageMode.None, out _).Error);
        Assert.Equal(0UL, target.Load(at).Value);
        Assert.Equal(0, m.Frames.UsedCount);
    }

    [Fact]
    public void Resolving_a_fault_before_reading_it_wakes_the_task_and_its_message_disappears()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
        Assert.True(m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out _).IsOk);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
        Assert.Equal(0UL, target.Load(at).Value);
    }

    [Fact]
    public void Copy_and_zeropage_on_shmem_fill_the_page_cache_and_meet_eexist_there()
    {
        var (m, target, monitor, _, ufd, at) = Setup(pages: 4, type: MapFlags.Shared);
        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 0x44);
        Assert.Equal(Errno.ERESTARTSYS, target.Store(at + (3 * P), 1).Error);
        Assert.Equal(UffdPagefaultFlags.Write, m.ReadMessage(monitor, ufd).PagefaultFlags);
        m.Copy(monitor, ufd, at + (3 * P), buffer, 1);
        Assert.Equal(1UL, target.Store(at + (3 * P), 1).Value);
        Assert.True(m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out _).IsOk);
        Assert.Equal(Errno.EEXIST, m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out _).Error);
        // DONTNEED empties the PTE but the page stays in the cache: still EEXIST, and a fault maps it without the monitor.
        target.Madvise(at, P, Advice.DontNeed);
        Assert.Equal(Errno.EEXIST, m.UffdioCopy(monitor, ufd, at, buffer, P, UffdCopyMode.None, out _).Error);
        Assert.Equal(0UL, target.Load(at).Value);
        Assert.Equal(2, target.Mm!.Vmas.Find(at)!.Shmem!.PageCount);
    }

    [Fact]
    public void Minor_faults_go_to_the_monitor_for_cached_pages_and_continue_maps_them()
    {
        var (m, target, monitor, _, ufd, at) = Setup(pages: 4, type: MapFlags.Shared, mode: UffdRegisterMode.Missing | UffdRegisterMode.Minor);
        var buffer = monitor.MapAnon(1);
        m.Copy(monitor, ufd, at, buffer, 1);
        monitor.Store(buffer, 2);
        m.Copy(monitor, ufd, at + P, buffer, 1);
        Assert.Equal(0UL, target.Load(at).Value);
        target.Madvise(at, 2 * P, Advice.DontNeed);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at + P).Error);
        Assert.Equal(UffdPagefaultFlags.Minor, m.ReadMessage(monitor, ufd).PagefaultFlags);

        Assert.Equal(Errno.EINVAL, m.UffdioContinue(monitor, ufd, at + P, P, (UffdContinueMode)4, out _).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioContinue(monitor, ufd, at + P, P, UffdContinueMode.Wp, out var mapped).Error);
        Assert.Equal(-(long)Errno.EINVAL, mapped);
        Assert.True(m.UffdioContinue(monitor, ufd, at + P, P, UffdContinueMode.None, out mapped).IsOk);
        Assert.Equal((long)P, mapped);
        Assert.Equal(2UL, target.Load(at + P).Value);
        Assert.Equal(Errno.EEXIST, m.UffdioContinue(monitor, ufd, at + P, P, UffdContinueMode.None, out mapped).Error);
        Assert.Equal(-(long)Errno.EEXIST, mapped);
        Assert.Equal(Errno.EFAULT, m.UffdioContinue(monitor, ufd, at + (2 * P), P, UffdContinueMode.None, out mapped).Error);
        Assert.Equal(-(long)Errno.EFAULT, mapped);
    }

    [Fact]
    public void Continue_on_anonymous_memory_is_einval()
    {
        var (m, _, monitor, _, ufd, at) = Setup();
        Assert.Equal(Errno.EINVAL, m.UffdioContinue(monitor, ufd, at, P, UffdContinueMode.None, out var mapped).Error);
        Assert.Equal(-(long)Errno.EINVAL, mapped);
    }

    [Fact]
    public void Copy_overwrites_a_guard_marker_but_zeropage_does_not()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 8);
        Assert.True(target.Madvise(at, 2 * P, Advice.GuardInstall).IsOk);
        Assert.Equal(Errno.EEXIST, m.UffdioZeropage(monitor, ufd, at + P, P, UffdZeropageMode.None, out _).Error);
        m.Copy(monitor, ufd, at, buffer, 1);
        Assert.Equal(8UL, target.Load(at).Value);
        Assert.Equal(Errno.EFAULT, target.Load(at + P).Error);
    }

    [Fact]
    public void Remote_process_vm_readv_sleeps_in_the_userfault_and_succeeds_once_resolved()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var reader = m.Root("reader");
        var local = reader.MapAnon(2);
        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 0x5a);
        IoVec[] locals = [new IoVec(local, 2 * P)];
        IoVec[] remotes = [new IoVec(at, 2 * P)];
        Assert.Equal(Errno.ERESTARTSYS, m.ProcessVmReadv(reader, new Pid(target.Pid), locals, remotes, 0).Error);
        Assert.NotNull(reader.UffdWait);
        Assert.Null(target.UffdWait);
        Assert.Equal(UffdPagefaultFlags.None, m.ReadMessage(monitor, ufd).PagefaultFlags);
        m.Copy(monitor, ufd, at, buffer, 1);
        // The retried call gets past page 0 and sleeps on page 1.
        Assert.Equal(Errno.ERESTARTSYS, m.ProcessVmReadv(reader, new Pid(target.Pid), locals, remotes, 0).Error);
        Assert.Equal(at + P, m.ReadMessage(monitor, ufd).Address);
        m.Copy(monitor, ufd, at + P, buffer, 1);
        Assert.Equal(2 * (long)P, m.ProcessVmReadv(reader, new Pid(target.Pid), locals, remotes, 0).Value);
        Assert.Equal(0x5aUL, reader.Load(local + P).Value);

        Assert.Equal(Errno.ERESTARTSYS, m.ProcessVmWritev(reader, new Pid(target.Pid), locals, [new IoVec(at + (2 * P), P)], 0).Error);
        Assert.Equal(UffdPagefaultFlags.Write, m.ReadMessage(monitor, ufd).PagefaultFlags);
    }

    [Fact]
    public void With_user_mode_only_kernel_mode_faults_are_efault_while_the_targets_own_accesses_still_sleep()
    {
        var (m, target, monitor, _, ufd, at) = Setup(flags: UffdFlags.NonBlock | UffdFlags.UserModeOnly);
        var reader = m.Root("reader");
        var local = reader.MapAnon(1);
        Assert.Equal(Errno.EFAULT, m.ProcessVmReadv(reader, new Pid(target.Pid), [new IoVec(local, P)], [new IoVec(at, P)], 0).Error);
        Assert.Equal(Errno.EFAULT, m.ProcessVmWritev(reader, new Pid(target.Pid), [new IoVec(local, P)], [new IoVec(at, P)], 0).Error);
        Assert.Null(reader.UffdWait);
        Assert.Equal(Errno.EFAULT, target.Madvise(at, P, Advice.PopulateRead).Error);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
        Assert.Equal(at, m.ReadMessage(monitor, ufd).Address);
    }

    [Fact]
    public void Madvise_populate_sleeps_in_the_userfault_as_the_calling_task()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        Assert.Equal(Errno.ERESTARTSYS, target.Madvise(at, 2 * P, Advice.PopulateWrite).Error);
        Assert.NotNull(target.UffdWait);
        Assert.Equal(UffdPagefaultFlags.Write, m.ReadMessage(monitor, ufd).PagefaultFlags);
    }

    [Fact]
    public void With_the_sigbus_feature_a_missing_fault_is_a_sigbus_and_nothing_is_queued()
    {
        var (m, target, monitor, _, ufd, at) = Setup(features: UffdFeatures.Sigbus);
        Assert.Equal(Errno.EIO, target.Load(at).Error);
        Assert.Null(target.UffdWait);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
    }

    [Fact]
    public void After_the_target_exits_fills_are_esrch_registration_enomem_and_wake_and_read_still_work()
    {
        var (m, target, monitor, _, ufd, at) = Setup();
        var buffer = monitor.MapAnon(1);
        Assert.Equal(Errno.ERESTARTSYS, target.Load(at).Error);
        m.Exit(target);
        m.Reap(target);
        // The sleeping task's fault went with it.
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
        Assert.Equal(Errno.ESRCH, m.UffdioCopy(monitor, ufd, at, buffer, P, UffdCopyMode.None, out _).Error);
        Assert.Equal(Errno.ESRCH, m.UffdioZeropage(monitor, ufd, at, P, UffdZeropageMode.None, out _).Error);
        Assert.Equal(Errno.ESRCH, m.UffdioWriteprotect(monitor, ufd, at, P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(Errno.ENOMEM, m.UffdioRegister(monitor, ufd, at, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.ENOMEM, m.UffdioUnregister(monitor, ufd, at, P).Error);
        Assert.True(m.UffdioWake(monitor, ufd, at, P).IsOk);
    }

    [Fact]
    public void A_remote_reader_asleep_on_a_target_that_exits_is_woken_and_then_sees_esrch()
    {
        var (m, target, _, _, _, at) = Setup();
        var reader = m.Root("reader");
        var local = reader.MapAnon(1);
        var pid = new Pid(target.Pid);
        Assert.Equal(Errno.ERESTARTSYS, m.ProcessVmReadv(reader, pid, [new IoVec(local, P)], [new IoVec(at, P)], 0).Error);
        m.Exit(target);
        Assert.Null(reader.UffdWait);
        Assert.Equal(Errno.ESRCH, m.ProcessVmReadv(reader, pid, [new IoVec(local, P)], [new IoVec(at, P)], 0).Error);
    }
}
