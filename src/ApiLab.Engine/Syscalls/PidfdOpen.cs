using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>pidfd_open(2) (5.3).</summary>
public sealed partial class Machine
{
    /// <summary>PIDFD_NONBLOCK (= O_NONBLOCK).</summary>
    public const uint PidfdNonBlock = 0x800;

    /// <summary>PIDFD_THREAD (= O_EXCL, 6.9).</summary>
    public const uint PidfdThread = 0x80;

    /// <summary>
    /// Opens a pidfd on <paramref name="pid"/>: EINVAL for unknown flags or pid ≤ 0, ESRCH when no process holds the
    /// pid, EMFILE when the caller's fd table is full. Zombies can still be opened, as in Linux.
    /// </summary>
    public SysResult<Pidfd> PidfdOpen(Process caller, Pid pid, uint flags)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "pidfd_open");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if ((flags & ~(PidfdNonBlock | PidfdThread)) != 0 || pid.Value <= 0)
        {
            return Errno.EINVAL;
        }

        if (!_byPid.TryGetValue(pid.Value, out var target))
        {
            return Errno.ESRCH;
        }

        // pidfd_open always sets O_CLOEXEC.
        var fd = caller.Fds.Install(new PidfdFile(target, (flags & PidfdNonBlock) != 0), closeOnExec: true);
        return fd < 0 ? Errno.EMFILE : new Pidfd(fd);
    }

    /// <summary>close(2) on any fd: EBADF when it is not open. Closing the last fd of a userfaultfd releases it.</summary>
    public SysResult<int> Close(Process caller, int fd)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "close");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (caller.Fds.Get(fd) is not { } file)
        {
            return Errno.EBADF;
        }

        caller.Fds.Close(fd);
        ReleaseFile(file);
        return 0;
    }
}
