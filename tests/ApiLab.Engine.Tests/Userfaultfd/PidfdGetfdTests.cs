using ApiLab.Engine.Tests.Support;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Userfaultfd;

/// <summary>pidfd_getfd(2), the way a monitor takes over a target's userfaultfd (host probe p7.c).</summary>
public sealed class PidfdGetfdTests
{
    [Fact]
    public void Errors_come_in_pidfd_getfd_order()
    {
        var m = New();
        var monitor = m.User(1000, "monitor");
        var target = m.User(1000, "target");
        var stranger = m.User(2000, "stranger");
        var uffd = m.Userfaultfd(target, UffdFlags.UserModeOnly).Value;
        var pidfd = m.PidfdOpen(monitor, new Pid(target.Pid), 0).Value;
        var strangerPidfd = m.PidfdOpen(monitor, new Pid(stranger.Pid), 0).Value;
        var ownUffd = m.Userfaultfd(monitor, UffdFlags.UserModeOnly).Value;
        Assert.Equal(Errno.EINVAL, m.PidfdGetfd(monitor, pidfd, uffd, 1).Error);
        Assert.Equal(Errno.EBADF, m.PidfdGetfd(monitor, new Pidfd(99), uffd, 0).Error);
        Assert.Equal(Errno.EBADF, m.PidfdGetfd(monitor, new Pidfd(ownUffd), uffd, 0).Error);
        Assert.Equal(Errno.EBADF, m.PidfdGetfd(monitor, Pidfd.Self, ownUffd, 0).Error);
        Assert.Equal(Errno.EBADF, m.PidfdGetfd(monitor, pidfd, 500, 0).Error);
        Assert.Equal(Errno.EPERM, m.PidfdGetfd(monitor, strangerPidfd, 0, 0).Error);
        target.Dumpable = 0;
        Assert.Equal(Errno.EPERM, m.PidfdGetfd(monitor, pidfd, uffd, 0).Error);
        monitor.Credentials = monitor.Credentials.With(Capability.SysPtrace);
        Assert.True(m.PidfdGetfd(monitor, pidfd, uffd, 0).IsOk);
    }

    [Fact]
    public void An_exited_or_reaped_target_is_esrch()
    {
        var m = New();
        var monitor = m.Root("monitor");
        var target = m.Root("target");
        var uffd = m.Userfaultfd(target, UffdFlags.None).Value;
        var pidfd = m.PidfdOpen(monitor, new Pid(target.Pid), 0).Value;
        m.Exit(target);
        Assert.Equal(Errno.ESRCH, m.PidfdGetfd(monitor, pidfd, uffd, 0).Error);
        m.Reap(target);
        Assert.Equal(Errno.ESRCH, m.PidfdGetfd(monitor, pidfd, uffd, 0).Error);
    }

    [Fact]
    public void The_new_fd_is_the_same_userfaultfd_acting_on_the_targets_mm()
    {
        var m = New();
        var monitor = m.Root("monitor");
        var target = m.Root("target");
        var shared = target.MapAnon(1);
        var onlyMonitor = monitor.MapAnon(1, at: 0x10000000);
        var uffd = m.OpenUffd(target);
        var pidfd = m.PidfdOpen(monitor, new Pid(target.Pid), 0).Value;
        var dup = m.PidfdGetfd(monitor, pidfd, uffd, 0).Value;
        Assert.Same(target.Fds.Get(uffd), monitor.Fds.Get(dup));
        Assert.Equal(Errno.EINVAL, m.UffdioRegister(monitor, dup, onlyMonitor, P, UffdRegisterMode.Missing).Error);
        m.Register(monitor, dup, shared, 1, UffdRegisterMode.Missing);
        Assert.NotNull(target.Mm!.Vmas.Find(shared)!.Uffd);
        var buffer = monitor.MapAnon(1);
        monitor.Store(buffer, 77);
        m.Copy(monitor, dup, shared, buffer, 1);
        Assert.Equal(77UL, target.Load(shared).Value);
    }
}
