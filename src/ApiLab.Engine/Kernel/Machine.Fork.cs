using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>fork(2): a new process with a copy-on-write copy of the parent's address space.</summary>
public sealed partial class Machine
{
    /// <summary>Forks <paramref name="parent"/>: EAGAIN when pids run out, ESRCH when the parent has exited.</summary>
    public SysResult<Process> Fork(Process parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        using var scope = EnterSyscall(parent, "fork");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (parent.Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        var pid = Pids.Allocate();
        if (pid < 0)
        {
            return Errno.EAGAIN;
        }

        var child = new Process(this, pid, _nextProcessIdentity++, parent, parent.Credentials, parent.Comm, parent.Fds.Clone())
        {
            Dumpable = parent.Dumpable,
            Limits = parent.Limits.Clone(),
            Pgid = parent.Pgid,
            Sid = parent.Sid,
            ForkNoExec = true,
        };
        foreach (var file in child.Fds.OpenFiles())
        {
            AcquireFile(file);
        }

        child.Mm = new Mm(this) { MmapBase = mm.MmapBase, Owner = child };
        mm.InheritInto(child.Mm);
        mm.CopyInto(child.Mm);
        _byPid.Add(pid, child);
        return child;
    }
}
