using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>Non-cooperative events: REMOVE, UNMAP, REMAP, FORK (userfaultfd.2 "non-cooperative"; host probes p6.c, p9.c).</summary>
public sealed class UffdEventTests
{
    private const UffdFeatures AllEvents = UffdFeatures.EventFork | UffdFeatures.EventRemap | UffdFeatures.EventRemove | UffdFeatures.EventUnmap;

    private static (Machine M, Process P, int Fd, ulong At) Setup(int pages = 16, UffdFeatures features = AllEvents,
        UffdRegisterMode mode = UffdRegisterMode.Missing | UffdRegisterMode.Wp)
    {
        var m = New();
        var p = m.Root();
        var at = p.MapAnon(pages);
        p.Fill(at, pages, 100);
        var fd = m.OpenUffd(p, features);
        m.Register(p, fd, at, pages, mode);
        return (m, p, fd, at);
    }

    private static List<UffdMessage> Drain(Machine m, Process reader, int fd)
    {
        var messages = new List<UffdMessage>();
        while (m.UffdRead(reader, fd) is { IsOk: true } message)
        {
            messages.Add(message.Value);
        }

        return messages;
    }

    [Fact]
    public void Dontneed_and_free_over_a_registered_range_raise_remove_for_each_vma_part()
    {
        var (m, p, fd, at) = Setup();
        p.Madvise(at + P, 2 * P, Advice.DontNeed);
        p.Madvise(at + (3 * P), P, Advice.Free);
        p.Munmap(at + (16 * P), P);
        Assert.Equal(Errno.ENOMEM, p.Madvise(at + (15 * P), 2 * P, Advice.DontNeed).Error);
        Assert.Equal(
            [UffdMessage.Remove(at + P, at + (3 * P)), UffdMessage.Remove(at + (3 * P), at + (4 * P)), UffdMessage.Remove(at + (15 * P), at + (16 * P))],
            Drain(m, p, fd));
        // The zap still happened: the next access is a MISSING fault.
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at + P).Error);
    }

    [Fact]
    public void Madv_remove_on_shmem_raises_remove_and_events_need_their_feature()
    {
        var m = New();
        var p = m.Root();
        var shared = p.MapAnon(2, MapFlags.Shared);
        var fd = m.OpenUffd(p, UffdFeatures.EventRemove);
        m.Register(p, fd, shared, 2, UffdRegisterMode.Missing);
        Assert.True(p.Madvise(shared, 2 * P, Advice.Remove).IsOk);
        Assert.Equal(UffdMessage.Remove(shared, shared + (2 * P)), m.ReadMessage(p, fd));

        var (m2, p2, quiet, at) = Setup(features: UffdFeatures.None);
        p2.Madvise(at, P, Advice.DontNeed);
        p2.Munmap(at + P, P);
        Assert.Equal(Errno.EAGAIN, m2.UffdRead(p2, quiet).Error);
    }

    [Fact]
    public void An_unread_event_makes_copy_zeropage_continue_and_writeprotect_eagain_until_it_is_read()
    {
        var (m, p, fd, at) = Setup();
        var buffer = p.MapAnon(1);
        p.Madvise(at, P, Advice.DontNeed);
        Assert.Equal(1, ((UserfaultfdFile)p.Fds.Get(fd)!).MmapChanging);
        Assert.Equal(Errno.EAGAIN, m.UffdioCopy(p, fd, at, buffer, P, UffdCopyMode.None, out var copied).Error);
        Assert.Equal(-(long)Errno.EAGAIN, copied);
        Assert.Equal(Errno.EAGAIN, m.UffdioZeropage(p, fd, at, P, UffdZeropageMode.None, out var zeroed).Error);
        Assert.Equal(-(long)Errno.EAGAIN, zeroed);
        Assert.Equal(Errno.EAGAIN, m.UffdioContinue(p, fd, at, P, UffdContinueMode.None, out _).Error);
        Assert.Equal(Errno.EAGAIN, m.UffdioWriteprotect(p, fd, at + P, P, UffdWriteprotectMode.Wp).Error);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(p, fd).Event);
        m.Copy(p, fd, at, buffer, 1);
        m.WriteProtect(p, fd, at + P, 1);
    }

    [Fact]
    public void Page_faults_are_read_before_events_even_when_they_came_later()
    {
        var (m, p, fd, at) = Setup();
        var other = m.Root("other");
        var local = other.MapAnon(1);
        p.Madvise(at + (5 * P), P, Advice.DontNeed);
        Assert.Equal([UffdEventType.Remove], Drain(m, p, fd).Select(static e => e.Event));
        p.Madvise(at, 2 * P, Advice.DontNeed);
        // p itself still waits in madvise for its REMOVE to be read: it does not run, so it cannot fault yet.
        Assert.Equal(1, p.UffdEventsUnread);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at).Error);
        // Nothing is zapped before the read: another reader still gets the old data there, and faults only on page 5.
        Assert.Equal((long)P, m.ProcessVmReadv(other, new Pid(p.Pid), [new IoVec(local, P)], [new IoVec(at + P, P)], 0).Value);
        Assert.Equal(101UL, other.Load(local).Value);
        Assert.Equal(Errno.ERESTARTSYS, m.ProcessVmReadv(other, new Pid(p.Pid), [new IoVec(local, P)], [new IoVec(at + (5 * P), P)], 0).Error);
        Assert.Equal([UffdEventType.Pagefault, UffdEventType.Remove], Drain(m, p, fd).Select(static e => e.Event));
        Assert.Equal(0, p.UffdEventsUnread);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at).Error);
        Assert.Equal([UffdEventType.Pagefault], Drain(m, p, fd).Select(static e => e.Event));
    }

    [Fact]
    public void Munmap_and_mmap_over_a_registered_range_raise_unmap_for_the_whole_requested_range()
    {
        var (m, p, fd, at) = Setup();
        p.Munmap(at + (14 * P), P);
        p.Munmap(at + (13 * P), 7 * P);
        p.MapAnon(1, at: at + (12 * P));
        Assert.Equal(
            [UffdMessage.Unmap(at + (14 * P), at + (15 * P)), UffdMessage.Unmap(at + (13 * P), at + (20 * P)), UffdMessage.Unmap(at + (12 * P), at + (13 * P))],
            Drain(m, p, fd));
        // Unmapping what is not registered raises nothing; nor does exit (exit_mmap), nor closing p's fd at exit.
        p.Munmap(at + (12 * P), P);
        var monitor = m.Root("monitor");
        var ufd = m.PidfdGetfd(monitor, m.PidfdOpen(monitor, new Pid(p.Pid), 0).Value, fd, 0).Value;
        m.Exit(p);
        Assert.Equal(Errno.EBADF, m.UffdRead(p, fd).Error);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
    }

    [Fact]
    public void Mremap_raises_unmap_for_a_shrink_and_remap_then_unmap_for_moves_with_the_new_length()
    {
        var (m, p, fd, at) = Setup();
        Assert.True(p.Mremap(at + (10 * P), 2 * P, P, MremapFlags.None).IsOk);
        Assert.True(p.Mremap(at + (8 * P), 2 * P, 2 * P, MremapFlags.MayMove | MremapFlags.Fixed, at + (30 * P)).IsOk);
        Assert.True(p.Mremap(at + (6 * P), 2 * P, P, MremapFlags.MayMove | MremapFlags.Fixed, at + (33 * P)).IsOk);
        Assert.Equal(
        [
            UffdMessage.Unmap(at + (11 * P), at + (12 * P)),
            UffdMessage.Remap(at + (8 * P), at + (30 * P), 2 * P),
            UffdMessage.Unmap(at + (8 * P), at + (10 * P)),
            UffdMessage.Remap(at + (6 * P), at + (33 * P), P),
            UffdMessage.Unmap(at + (7 * P), at + (8 * P)),
            UffdMessage.Unmap(at + (6 * P), at + (7 * P)),
        ], Drain(m, p, fd));
        // With EVENT_REMAP the moved range stays registered: its contents moved, its holes still fault to the monitor.
        Assert.Equal(108UL, p.Load(at + (30 * P)).Value);
        Assert.Same(p.Fds.Get(fd), p.Mm!.Vmas.Find(at + (30 * P))!.Uffd);
    }

    [Fact]
    public void Mremap_fixed_over_a_registered_target_raises_its_unmap_before_the_remap()
    {
        var (m, p, fd, at) = Setup();
        Assert.True(p.Mremap(at, P, P, MremapFlags.MayMove | MremapFlags.Fixed, at + (5 * P)).IsOk);
        Assert.Equal([UffdMessage.Unmap(at + (5 * P), at + (6 * P)), UffdMessage.Remap(at, at + (5 * P), P), UffdMessage.Unmap(at, at + P)],
            Drain(m, p, fd));
    }

    [Fact]
    public void Dontunmap_keeps_the_old_range_registered_so_its_next_access_faults_to_the_monitor()
    {
        var (m, p, fd, at) = Setup();
        Assert.True(p.Mremap(at + (4 * P), 2 * P, 2 * P, MremapFlags.MayMove | MremapFlags.DontUnmap | MremapFlags.Fixed, at + (35 * P)).IsOk);
        Assert.Equal([UffdMessage.Remap(at + (4 * P), at + (35 * P), 2 * P)], Drain(m, p, fd));
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at + (4 * P)).Error);
        Assert.Equal(at + (4 * P), m.ReadMessage(p, fd).Address);
        Assert.True(m.UffdioZeropage(p, fd, at + (4 * P), P, UffdZeropageMode.None, out _).IsOk);
        Assert.Equal(0UL, p.Load(at + (4 * P)).Value);
        Assert.Equal(104UL, p.Load(at + (35 * P)).Value);
    }

    [Fact]
    public void Without_event_remap_a_moved_vma_loses_its_registration_and_its_protection()
    {
        var (m, p, fd, at) = Setup(pages: 4, features: UffdFeatures.None);
        m.WriteProtect(p, fd, at, 4);
        var moved = p.Mremap(at, 4 * P, 4 * P, MremapFlags.MayMove | MremapFlags.Fixed, at + (64 * P)).Value;
        var vma = p.Mm!.Vmas.Find(moved)!;
        Assert.Null(vma.Uffd);
        Assert.Equal(VmFlags.None, vma.Flags & VmFlags.UffdMask);
        Assert.Equal(1UL, p.Store(moved, 1).Value);
        var other = m.OpenUffd(p);
        Assert.True(m.UffdioRegister(p, other, moved, 4 * P, UffdRegisterMode.Missing).IsOk);
    }

    [Fact]
    public void Growing_a_registered_vma_in_place_registers_the_new_part_too()
    {
        var m = New();
        var p = m.Root();
        var at = p.MapAnon(2);
        p.Munmap(at + P, P);
        var fd = m.OpenUffd(p);
        m.Register(p, fd, at, 1, UffdRegisterMode.Missing);
        Assert.Equal(at, p.Mremap(at, P, 2 * P, MremapFlags.None).Value);
        Assert.Equal(Errno.ERESTARTSYS, p.Load(at + P).Error);
        Assert.Equal(at + P, m.ReadMessage(p, fd).Address);
    }

    [Fact]
    public void With_event_fork_the_child_gets_its_own_userfaultfd_installed_in_the_monitor_when_it_reads_the_event()
    {
        var (m, p, fd, at) = Setup(pages: 2);
        var monitor = m.Root("monitor");
        var pidfd = m.PidfdOpen(monitor, new Pid(p.Pid), 0).Value;
        var ufd = m.PidfdGetfd(monitor, pidfd, fd, 0).Value;
        m.WriteProtect(monitor, ufd, at, 1);
        p.Madvise(at + P, P, Advice.DontNeed);
        Assert.Equal(UffdEventType.Remove, m.ReadMessage(monitor, ufd).Event);
        var child = m.Fork(p).Value;
        var parentUffd = (UserfaultfdFile)p.Fds.Get(fd)!;
        Assert.Equal(1, parentUffd.MmapChanging);

        var fork = m.ReadMessage(monitor, ufd);
        Assert.Equal(UffdEventType.Fork, fork.Event);
        var childUffd = Assert.IsType<UserfaultfdFile>(monitor.Fds.Get(fork.ForkFd));
        Assert.Same(child.Mm, childUffd.Mm);
        Assert.Equal(parentUffd.Features, childUffd.Features);
        Assert.Same(childUffd, child.Mm!.Vmas.Find(at)!.Uffd);
        Assert.Equal(0, parentUffd.MmapChanging);

        // The child's write-protected page and missing page report to the child's userfaultfd.
        Assert.Equal(Errno.ERESTARTSYS, child.Store(at, 1).Error);
        Assert.Equal(UffdPagefaultFlags.Write | UffdPagefaultFlags.Wp, m.ReadMessage(monitor, fork.ForkFd).PagefaultFlags);
        m.WriteProtect(monitor, fork.ForkFd, at, 1, protect: false);
        Assert.Equal(1UL, child.Store(at, 1).Value);
        Assert.Equal(Errno.ERESTARTSYS, child.Load(at + P).Error);
        Assert.Equal(at + P, m.ReadMessage(monitor, fork.ForkFd).Address);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(monitor, ufd).Error);
        Assert.Equal(Errno.ERESTARTSYS, p.Store(at, 2).Error);
    }

    [Fact]
    public void An_unread_fork_event_dies_with_the_parents_userfaultfd_and_the_child_is_unregistered()
    {
        var (m, p, fd, at) = Setup(pages: 2);
        m.WriteProtect(p, fd, at, 2);
        var child = m.Fork(p).Value;
        Assert.NotNull(child.Mm!.Vmas.Find(at)!.Uffd);
        m.Close(p, fd);
        // The child inherited the fd too (fork copies the fd table): the file goes only with its last fd.
        Assert.NotNull(child.Mm.Vmas.Find(at)!.Uffd);
        m.Close(child, fd);
        Assert.Null(child.Mm.Vmas.Find(at)!.Uffd);
        Assert.Equal(5UL, child.Store(at, 5).Value);
        Assert.Equal(6UL, p.Store(at, 6).Value);
    }
}
