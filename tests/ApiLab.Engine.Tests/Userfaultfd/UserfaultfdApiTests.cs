using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>userfaultfd(2) and UFFDIO_API (PROPOSALS.md §6.7; checked on the 6.18 host with /tmp/uffd/p1.c, p7.c).</summary>
public sealed class UserfaultfdApiTests
{
    [Fact]
    public void Flags_other_than_cloexec_nonblock_and_user_mode_only_are_einval()
    {
        var m = New();
        var root = m.Root();
        Assert.Equal(Errno.EINVAL, m.Userfaultfd(root, (UffdFlags)2).Error);
        Assert.Equal(Errno.EINVAL, m.Userfaultfd(root, (UffdFlags)0x80).Error);
        var fd = m.Userfaultfd(root, UffdFlags.CloExec | UffdFlags.NonBlock | UffdFlags.UserModeOnly);
        Assert.True(fd.IsOk);
        Assert.IsType<UserfaultfdFile>(root.Fds.Get(fd.Value));
    }

    [Fact]
    public void Without_cap_sys_ptrace_only_a_user_mode_only_userfaultfd_is_allowed()
    {
        var m = New();
        var user = m.User();
        // userfaultfd_syscall_allowed comes before the flag check: EPERM even for bad flags.
        Assert.Equal(Errno.EPERM, m.Userfaultfd(user, UffdFlags.None).Error);
        Assert.Equal(Errno.EPERM, m.Userfaultfd(user, (UffdFlags)2).Error);
        Assert.True(m.Userfaultfd(user, UffdFlags.UserModeOnly).IsOk);

        var permissive = new Machine(new MachineConfig { Frames = 64, SwapSlots = 0, UnprivilegedUserfaultfd = true, CheckInvariants = true });
        Assert.True(permissive.Userfaultfd(permissive.User(), UffdFlags.None).IsOk);
    }

    [Fact]
    public void Every_ioctl_and_read_before_uffdio_api_is_einval()
    {
        var m = New();
        var root = m.Root();
        var at = root.MapAnon(1);
        var fd = m.Userfaultfd(root, UffdFlags.NonBlock).Value;
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(root, fd, at, P, UffdRegisterMode.Missing).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioCopy(root, fd, at, at, P, UffdCopyMode.None, out _).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioWake(root, fd, at, P).Error);
        Assert.Equal(Errno.EINVAL, m.UffdRead(root, fd).Error);
    }

    [Fact]
    public void Uffdio_api_needs_api_0xaa_known_features_and_succeeds_only_once()
    {
        var m = New();
        var root = m.Root();
        var fd = m.Userfaultfd(root, UffdFlags.NonBlock).Value;
        Assert.Equal(Errno.EINVAL, m.UffdioApi(root, fd, 0xAB, UffdFeatures.None).Error);
        Assert.Equal(Errno.EINVAL, m.UffdioApi(root, fd, Machine.UffdApiVersion, (UffdFeatures)(1UL << 20)).Error);
        // A failed UFFDIO_API leaves the fd uninitialized: the next one may still succeed.
        var api = m.UffdioApi(root, fd, Machine.UffdApiVersion, UffdFeatures.EventRemove | UffdFeatures.ThreadId);
        Assert.True(api.IsOk);
        Assert.Equal(UffdFeatures.EngineSupported, api.Value.Features);
        Assert.Equal(0x8000000000000003UL, (ulong)api.Value.Ioctls);
        Assert.Equal(Errno.EINVAL, m.UffdioApi(root, fd, Machine.UffdApiVersion, UffdFeatures.None).Error);
        Assert.Equal(UffdFeatures.EventRemove | UffdFeatures.ThreadId, ((UserfaultfdFile)root.Fds.Get(fd)!).Features);
    }

    [Fact]
    public void Event_fork_needs_cap_sys_ptrace_and_is_checked_after_the_api_number()
    {
        var m = New();
        var user = m.User();
        var fd = m.Userfaultfd(user, UffdFlags.UserModeOnly).Value;
        Assert.Equal(Errno.EINVAL, m.UffdioApi(user, fd, 0x12, UffdFeatures.EventFork).Error);
        Assert.Equal(Errno.EPERM, m.UffdioApi(user, fd, Machine.UffdApiVersion, UffdFeatures.EventFork | (UffdFeatures)(1UL << 40)).Error);
        Assert.True(m.UffdioApi(user, fd, Machine.UffdApiVersion, UffdFeatures.EventRemap).IsOk);
    }

    [Fact]
    public void Reading_an_empty_userfaultfd_is_eagain_when_nonblocking_and_sleeps_otherwise()
    {
        var m = New();
        var root = m.Root();
        var nonBlocking = m.OpenUffd(root);
        var blocking = m.OpenUffd(root, flags: UffdFlags.None);
        Assert.Equal(Errno.EAGAIN, m.UffdRead(root, nonBlocking).Error);
        Assert.Equal(Errno.ERESTARTSYS, m.UffdRead(root, blocking).Error);
        Assert.Equal(Errno.EBADF, m.UffdRead(root, 99).Error);
    }

    [Fact]
    public void An_ioctl_on_a_file_that_is_not_a_userfaultfd_is_enotty()
    {
        var m = New();
        var root = m.Root();
        var pidfd = m.PidfdOpen(root, new Pid(root.Pid), 0).Value;
        Assert.Equal(Errno.ENOTTY, m.UffdioApi(root, pidfd.Fd, Machine.UffdApiVersion, UffdFeatures.None).Error);
        Assert.Equal(Errno.EBADF, m.UffdioApi(root, 77, Machine.UffdApiVersion, UffdFeatures.None).Error);
        Assert.Equal(Errno.EINVAL, m.UffdRead(root, pidfd.Fd).Error);
    }
}
