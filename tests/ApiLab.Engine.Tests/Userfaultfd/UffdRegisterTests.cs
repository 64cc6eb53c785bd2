using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>UFFDIO_REGISTER / UFFDIO_UNREGISTER and release on close (UFFDIO_REGISTER.2const; host probe p2.c).</summary>
public sealed class UffdRegisterTests
{
    [Fact]
    public void Bad_ranges_and_modes_are_einval()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(4);
        var fd = m.OpenUffd(root);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at + 1, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, P + 1, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, 0, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, P, UffdRegisterMode.None).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, P, (UffdRegisterMode)8).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, P, (UffdRegisterMode)9).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, 0, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, Page.TaskSize, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, Page.TaskSize - P, 2 * P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, 0x100000000UL, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(VmFlags.None, root.Mm!.Vmas.Find(at)!.Flags & VmFlags.UffdMask);
    }

    [Fact]
    public void Minor_mode_is_for_shmem_only_and_droppable_memory_cannot_be_registered()
    {
        var m = New();
        var root = m.Root();
        var fd = m.OpenUffd(root);
        var anon = root.MapAnon(1);
        var shmem = root.MapAnon(1, MapFlags.Shared);
        var droppable = root.MapAnon(1, MapFlags.Droppable);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, anon, P, UffdRegisterMode.Minor).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, droppable, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, droppable, P, UffdRegisterMode.Wp).Error);
        // The host reports MOVE and POISON too (0x13c / 0x17c / 0x1fc); the engine implements neither.
        Assert.Equal(UffdIoctls.Wake | UffdIoctls.Copy | UffdIoctls.Zeropage, m.UffdioRegister(root, fd, anon, P, UffdRegisterMode.Missing).Value);
        Assert.Equal(UffdIoctls.RangeIoctls, m.UffdioRegister(root, fd, shmem, P, UffdRegisterMode.Missing | UffdRegisterMode.Wp | UffdRegisterMode.Minor).Value);
        Assert.Equal(VmFlags.UffdMask, root.Mm!.Vmas.Find(shmem)!.Flags & VmFlags.UffdMask);
    }

    [Fact]
    public void A_range_needs_one_vma_but_may_have_holes_and_registers_every_vma_part_in_it()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(3);
        root.Munmap(at + P, P);
        var fd = m.OpenUffd(root);
        Assert.True(m.UffdioRegister(root, fd, at, 3 * P, UffdRegisterMode.Missing).IsOk);
        Assert.Equal(VmFlags.UffdMissing, root.Mm!.Vmas.Find(at)!.Flags & VmFlags.UffdMask);
        Assert.Equal(VmFlags.UffdMissing, root.Mm.Vmas.Find(at + (2 * P))!.Flags & VmFlags.UffdMask);
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at + P, P, UffdRegisterMode.Missing).Error);
    }

    [Fact]
    public void Registering_part_of_a_vma_splits_it_and_unregistering_merges_it_back()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(4);
        var fd = m.OpenUffd(root);
        var before = root.Mm!.LayoutSeq;
        m.Register(root, fd, at + P, 2, UffdRegisterMode.Missing);
        Assert.Equal([Range(at, at + P, "rw-p"), Range(at + P, at + (3 * P), "rw-p"), Range(at + (3 * P), at + (4 * P), "rw-p")], root.MapsShape());
        Assert.True(root.Mm.LayoutSeq > before);

        // Unregistering the first registered page merges it with the unregistered VMA below.
        Assert.True(m.UffdioUnregister(root, fd, at + P, P).IsOk);
        Assert.Equal([Range(at, at + (2 * P), "rw-p"), Range(at + (2 * P), at + (3 * P), "rw-p"), Range(at + (3 * P), at + (4 * P), "rw-p")],
            root.MapsShape());
        Assert.True(m.UffdioUnregister(root, fd, at, 4 * P).IsOk);
        Assert.Equal([Range(at, at + (4 * P), "rw-p")], root.MapsShape());
    }

    [Fact]
    public void A_new_registration_replaces_the_modes_and_merges_with_a_neighbour_that_now_matches()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(2);
        var fd = m.OpenUffd(root);
        m.Register(root, fd, at + P, 1, UffdRegisterMode.Missing);
        m.Register(root, fd, at, 1, UffdRegisterMode.Wp);
        Assert.Equal(2, root.MapsShape().Length);
        // Page 0 goes from WP to MISSING; page 1 already has MISSING and is left alone: the two merge.
        m.Register(root, fd, at, 2, UffdRegisterMode.Missing);
        Assert.Equal([Range(at, at + (2 * P), "rw-p")], root.MapsShape());
        Assert.Equal(VmFlags.UffdMissing, root.Mm!.Vmas.Find(at)!.Flags & VmFlags.UffdMask);
    }

    [Fact]
    public void Vmas_registered_with_different_userfaultfds_never_merge()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(2);
        var a = m.OpenUffd(root);
        var b = m.OpenUffd(root);
        m.Register(root, a, at, 1, UffdRegisterMode.Missing);
        m.Register(root, b, at + P, 1, UffdRegisterMode.Missing);
        Assert.Equal(2, root.MapsShape().Length);
    }

    [Fact]
    public void A_vma_owned_by_another_userfaultfd_is_ebusy_and_nothing_changes()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(4);
        var first = m.OpenUffd(root);
        var second = m.OpenUffd(root);
        m.Register(root, first, at + (2 * P), 2, UffdRegisterMode.Missing);
        var shape = root.MapsShape();
        Assert.Equal(Errno.EBUSY, m.UffdioRegister(root, second, at, 4 * P, UffdRegisterMode.Missing).Error);
        Assert.Equal(shape, root.MapsShape());
        Assert.Null(root.Mm!.Vmas.Find(at)!.Uffd);
        // Nor can the other one unregister it.
        Assert.Equal(Errno.EINVAL, m.UffdioUnregister(root, second, at + (2 * P), P).Error);
        Assert.NotNull(root.Mm.Vmas.Find(at + (2 * P))!.Uffd);
    }

    [Fact]
    public void Unregister_needs_a_valid_range_with_a_vma_and_ignores_unregistered_ones()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(2);
        var droppable = root.MapAnon(1, MapFlags.Droppable);
        var fd = m.OpenUffd(root);
        Assert.Equal(Errno.EINVAL, m.UffdioUnregister(root, fd, at + 1, P).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioUnregister(root, fd, at, 0).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioUnregister(root, fd, 0x100000000UL, P).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioUnregister(root, fd, droppable, P).Error);
        Assert.True(m.UffdioUnregister(root, fd, at, 2 * P).IsOk);
    }

    [Fact]
    public void Closing_the_last_fd_unregisters_everything_and_wakes_the_sleeping_faults()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(4);
        var fd = m.OpenUffd(root);
        m.Register(root, fd, at + P, 2, UffdRegisterMode.Missing | UffdRegisterMode.Wp);
        root.Store(at, 1);
        Assert.Equal(Errno.ERESTARTSYS, root.Load(at + P).Error);
        Assert.NotNull(root.UffdWait);

        Assert.True(m.Close(root, fd).IsOk);
        Assert.Null(root.UffdWait);
        Assert.Equal([Range(at, at + (4 * P), "rw-p")], root.MapsShape());
        Assert.Equal(0UL, root.Load(at + P).Value);
    }

    [Fact]
    public void The_file_outlives_a_closed_fd_while_another_fd_refers_to_it()
    {
        var m = New();
        var target = m.Root("target");
        var monitor = m.Root("monitor");
        var at = target.MapAnon(1);
        var fd = m.OpenUffd(target);
        m.Register(target, fd, at, 1, UffdRegisterMode.Missing);
        var pidfd = m.PidfdOpen(monitor, new Pid(target.Pid), 0).Value;
        var dup = m.PidfdGetfd(monitor, pidfd, fd, 0).Value;
        m.Close(target, fd);
        Assert.NotNull(target.Mm!.Vmas.Find(at)!.Uffd);
        m.Close(monitor, dup);
        Assert.Null(target.Mm.Vmas.Find(at)!.Uffd);
    }
}
