using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Syscalls;

/// <summary>memfd_create(2), ftruncate(2) and mmap of a memfd, shared and private (checked against the host by the
/// ltp-memfd* and ltp-ftruncate* traces).</summary>
public sealed class MemfdTests
{
    private const MapFlags Shared = MapFlags.Shared;

    [Fact]
    public void Memfd_create_checks_flags_and_name_length()
    {
        var m = New();
        var p = m.User();
        Assert.Equal(Errno.EINVAL, m.MemfdCreate(p, "x", 0x100).Error);
        Assert.Equal(Errno.EINVAL, m.MemfdCreate(p, new string('n', 250), 0).Error);
        Assert.True(m.MemfdCreate(p, new string('n', 249), Machine.MfdCloexec).IsOk);
    }

    [Fact]
    public void Shared_mappings_of_one_memfd_see_each_others_writes_and_past_the_end_is_sigbus()
    {
        var m = New();
        var p = m.User();
        var fd = m.MemfdCreate(p, "f", 0).Value;
        Assert.True(m.Ftruncate(p, fd, 2 * (long)P).IsOk);
        var a = p.Mmap(0, 2 * P, Prot.ReadWrite, Shared, fd, 0).Value;
        var b = p.Mmap(0, 3 * P, Prot.ReadWrite, Shared, fd, 0).Value;
        p.Store(a + P, 7);
        Assert.Equal(7UL, p.Load(b + P).Value);
        Assert.Equal(Errno.EIO, p.Load(b + (2 * P)).Error);
        Assert.Contains("/memfd:f (deleted)", p.Mm!.FormatMaps(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_private_mapping_copies_on_write_and_the_file_keeps_its_data()
    {
        var m = New();
        var p = m.User();
        var fd = m.MemfdCreate(p, "f", 0).Value;
        m.Ftruncate(p, fd, 4 * (long)P);
        var s = p.Mmap(0, 4 * P, Prot.ReadWrite, Shared, fd, 0).Value;
        var v = p.Mmap(0, 2 * P, Prot.ReadWrite, MapFlags.Private, fd, 2 * P).Value;
        p.Store(s + (2 * P), 5);
        Assert.Equal(5UL, p.Load(v).Value);
        p.Store(v, 9);
        Assert.Equal(5UL, p.Load(s + (2 * P)).Value);
        Assert.Equal(9UL, p.Load(v).Value);
        Assert.Equal(1, p.Mm!.RssAnon);
        var child = m.Fork(p).Value;
        Assert.Equal(9UL, child.Load(v).Value);
        Assert.Equal(5UL, child.Load(s + (2 * P)).Value);
        m.CheckInvariants();
    }

    [Fact]
    public void Truncating_drops_pages_from_every_mapping_and_frees_them()
    {
        var m = New();
        var p = m.User();
        var fd = m.MemfdCreate(p, "f", 0).Value;
        m.Ftruncate(p, fd, 4 * (long)P);
        var s = p.Mmap(0, 4 * P, Prot.ReadWrite, Shared, fd, 0).Value;
        var v = p.Mmap(0, 4 * P, Prot.ReadWrite, MapFlags.Private, fd, 0).Value;
        p.Fill(s, 4, 1);
        p.Store(v + (3 * P), 2);
        var used = m.Frames.UsedCount;
        Assert.True(m.Ftruncate(p, fd, 2 * (long)P).IsOk);
        Assert.Equal(used - 3, m.Frames.UsedCount);
        Assert.Equal(Errno.EIO, p.Load(v + (3 * P)).Error);
        Assert.Equal(2UL, p.Load(s + P).Value);
        Assert.Equal(Errno.EINVAL, m.Ftruncate(p, fd, -1).Error);
        Assert.Equal(Errno.EBADF, m.Ftruncate(p, 77, 0).Error);
    }

    [Fact]
    public void The_pages_go_only_when_no_fd_and_no_mapping_is_left()
    {
        var m = New();
        var p = m.User();
        var fd = m.MemfdCreate(p, "f", 0).Value;
        m.Ftruncate(p, fd, 2 * (long)P);
        var a = p.Mmap(0, 2 * P, Prot.ReadWrite, Shared, fd, 0).Value;
        p.Fill(a, 2, 1);
        var child = m.Fork(p).Value;
        p.Munmap(a, 2 * P);
        m.Close(p, fd);
        Assert.Equal(2, m.Frames.UsedCount);
        child.Munmap(a, 2 * P);
        Assert.Equal(2, m.Frames.UsedCount);
        m.Close(child, fd);
        Assert.Equal(0, m.Frames.UsedCount);
        m.CheckInvariants();
    }

    [Fact]
    public void Mmap_of_a_file_checks_the_offset_the_fd_and_the_map_type()
    {
        var m = New();
        var p = m.User();
        var fd = m.MemfdCreate(p, "f", 0).Value;
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, Shared, fd, 100).Error);
        Assert.Equal(Errno.EBADF, p.Mmap(0, P, Prot.ReadWrite, Shared, 77, 0).Error);
        Assert.Equal(Errno.EINVAL, p.Mmap(0, P, Prot.ReadWrite, MapFlags.Droppable, fd, 0).Error);
        var pidfd = m.PidfdOpen(p, new Pid(p.Pid), 0).Value;
        Assert.Equal(Errno.ENODEV, p.Mmap(0, P, Prot.ReadWrite, Shared, pidfd.Fd, 0).Error);
    }
}
