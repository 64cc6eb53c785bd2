using ApiLab.Engine;
using ApiLab.Proposals.VmaDuplication;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>Hocko's shared-memory position (seed 003 thread, 2019-05-16) and Tkhai's objection to it.</summary>
public sealed class MemfdShareTests
{
    private const ulong Length = 4 * Page.Size;

    private sealed class MemfdWorld
    {
        public MemfdWorld(Credentials? destination = null)
        {
            Machine = new Machine(new MachineConfig { Frames = 256, SwapSlots = 64, CheckInvariants = true });
            Source = Machine.Spawn(Credentials.User(1000), "source").Value;
            Dest = Machine.Spawn(destination ?? Credentials.User(1000), "restorer").Value;
            Fd = Machine.MemfdCreate(Source, "heap", 0).Value;
            Assert.True(Machine.Ftruncate(Source, Fd, (long)Length).IsOk);
            Heap = Source.Mmap(0, Length, Prot.ReadWrite, MapFlags.Shared, Fd, 0).Value;
            Source.Store(Heap, 100);
            Pidfd = Machine.PidfdOpen(Dest, new Pid(Source.Pid), 0).Value;
        }

        public Machine Machine { get; }

        public Process Source { get; }

        public Process Dest { get; }

        public int Fd { get; }

        public ulong Heap { get; }

        public Pidfd Pidfd { get; }
    }

    [Fact]
    public void A_write_on_either_side_shows_on_the_other_and_the_vma_is_shared()
    {
        // Hocko (quoted by Tkhai): why not shared memory? Tkhai: the VMA type changes, private memory becomes shared.
        var w = new MemfdWorld();
        var api = new MemfdShareAdapter(w.Dest);
        var fd = api.TakeFd(w.Pidfd, w.Fd, 0).Value;
        var mapped = api.MapShared(fd, Length, 0).Value;
        Assert.Equal(100UL, w.Dest.Load(mapped).Value);
        w.Dest.Store(mapped, 0xd);
        Assert.Equal(0xdUL, w.Source.Load(w.Heap).Value);
        w.Source.Store(w.Heap + Page.Size, 0x5);
        Assert.Equal(0x5UL, w.Dest.Load(mapped + Page.Size).Value);
        Assert.True(w.Dest.Mm!.Vmas.Find(mapped)!.IsShared);
        Assert.Equal(0, w.Dest.Mm.MemcgCharged);
    }

    [Fact]
    public void A_fork_child_sees_its_parents_later_writes()
    {
        // Tkhai's objection in practice: what was private heap is now shared with every fork child too.
        var w = new MemfdWorld();
        var child = w.Machine.Fork(w.Source).Value;
        w.Source.Store(w.Heap, 0xbeef);
        Assert.Equal(0xbeefUL, child.Load(w.Heap).Value);
    }

    [Fact]
    public void Pidfd_getfd_on_a_foreign_uid_is_eperm_and_no_fd_appears()
    {
        var w = new MemfdWorld(destination: Credentials.User(2000));
        var fds = w.Dest.Fds.Count;
        Assert.Equal(Errno.EPERM, new MemfdShareAdapter(w.Dest).TakeFd(w.Pidfd, w.Fd, 0).Error);
        Assert.Equal(fds, w.Dest.Fds.Count);
    }

    [Fact]
    public void Bad_flags_fds_and_files_are_refused()
    {
        var w = new MemfdWorld();
        var api = new MemfdShareAdapter(w.Dest);
        Assert.Equal(Errno.EINVAL, api.TakeFd(w.Pidfd, w.Fd, 1).Error);
        Assert.Equal(Errno.EBADF, api.TakeFd(w.Pidfd, 99, 0).Error);
        Assert.Equal(Errno.EBADF, api.MapShared(99, Length, 0).Error);
        Assert.Equal(Errno.ENODEV, api.MapShared(w.Pidfd.Fd, Length, 0).Error);
        Assert.Equal(0, w.Dest.Mm!.Vmas.Count);
    }
}
