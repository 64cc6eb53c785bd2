using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Process groups and sessions (kernel/sys.c, Linux 6.18): setpgid, getpgid, getpgrp, setsid, getsid. The checks run
/// in the kernel's order and a failed call changes nothing. Zombies are still members of their group and session
/// until they are reaped (release_task detaches their pids), as on Linux.
/// </summary>
public sealed partial class Machine
{
    /// <summary>
    /// setpgid(pid, pgid): pid 0 is the caller, pgid 0 is pid. Then: pgid &lt; 0 → EINVAL; no process pid → ESRCH; pid
    /// is the caller's child → EPERM if it is in another session, EACCES once it has exec'd; pid is neither the caller
    /// nor its child → ESRCH; pid is a session leader → EPERM; pgid ≠ pid names no group of the caller's session →
    /// EPERM.
    /// </summary>
    public SysResult<int> Setpgid(Process caller, int pid, int pgid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "setpgid");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (pid == 0)
        {
            pid = caller.Pid;
        }

        if (pgid == 0)
        {
            pgid = pid;
        }

        if (pgid < 0)
        {
            return Errno.EINVAL;
        }

        if (FindByPid(pid) is not { } target)
        {
            return Errno.ESRCH;
        }

        if (ReferenceEquals(target.Parent, caller))
        {
            if (target.Sid != caller.Sid)
            {
                return Errno.EPERM;
            }

            if (!target.ForkNoExec)
            {
                return Errno.EACCES;
            }
        }
        else if (!ReferenceEquals(target, caller))
        {
            return Errno.ESRCH;
        }

        if (target.IsSessionLeader)
        {
            return Errno.EPERM;
        }

        // pgid == pid creates (or keeps) the target's own group; any other pgid must be a group of the caller's session.
        if (pgid != pid && !GroupExistsInSession(pgid, caller.Sid))
        {
            return Errno.EPERM;
        }

        var old = target.Pgid;
        target.Pgid = pgid;
        ReleasePidNumber(old);
        return 0;
    }

    /// <summary>getpgid(pid): the caller's group for pid 0; ESRCH when no process (running or zombie) holds pid.</summary>
    public SysResult<int> Getpgid(Process caller, int pid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "getpgid");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (pid == 0)
        {
            return caller.Pgid;
        }

        return FindByPid(pid) is { } target ? target.Pgid : Errno.ESRCH;
    }

    /// <summary>getpgrp(): getpgid(0).</summary>
    public SysResult<int> Getpgrp(Process caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "getpgrp");
        return scope.Blocked ? Errno.ERESTARTSYS : caller.Pgid;
    }

    /// <summary>getsid(pid): the caller's session for pid 0; ESRCH when no process (running or zombie) holds pid.</summary>
    public SysResult<int> Getsid(Process caller, int pid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "getsid");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (pid == 0)
        {
            return caller.Sid;
        }

        return FindByPid(pid) is { } target ? target.Sid : Errno.ESRCH;
    }

    /// <summary>
    /// setsid() (ksys_setsid): EPERM if the caller already leads a session, or if a process group with the caller's
    /// pid exists (the caller leads its group, or a process is still in a group the caller once led). Otherwise the
    /// caller leads a new session and a new group, both numbered with its pid, and returns that number.
    /// </summary>
    public SysResult<int> Setsid(Process caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "setsid");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (caller.IsSessionLeader || GroupExists(caller.Pid))
        {
            return Errno.EPERM;
        }

        var (oldPgid, oldSid) = (caller.Pgid, caller.Sid);
        caller.IsSessionLeader = true;
        caller.Sid = caller.Pid;
        caller.Pgid = caller.Pid;
        ReleasePidNumber(oldPgid);
        ReleasePidNumber(oldSid);
        return caller.Pid;
    }

    /// <summary>pid_task(find_vpid(pgid), PIDTYPE_PGID) != NULL: some process (a zombie counts) is in that group.</summary>
    private bool GroupExists(int pgid)
    {
        foreach (var process in _byPid.Values)
        {
            if (process.Pgid == pgid)
            {
                return true;
            }
        }

        return false;
    }

    private bool GroupExistsInSession(int pgid, int sid)
    {
        // Every member of a group is in the same session (the invariant checker verifies it), so one member decides.
        foreach (var process in _byPid.Values)
        {
            if (process.Pgid == pgid)
            {
                return process.Sid == sid;
            }
        }

        return false;
    }

    /// <summary>free_pid: a pid number goes back to the allocator once no process uses it as its pid, group or session.
    /// 0 (init_struct_pid) is never allocated.</summary>
    private void ReleasePidNumber(int nr)
    {
        if (nr <= 0 || _byPid.ContainsKey(nr))
        {
            return;
        }

        foreach (var process in _byPid.Values)
        {
            if (process.Pgid == nr || process.Sid == nr)
            {
                return;
            }
        }

        Pids.Free(nr);
    }

    /// <summary>The members of group <paramref name="pgid"/> (running or zombie), in pid order.</summary>
    private List<Process> GroupMembers(int pgid)
    {
        var members = new List<Process>();
        foreach (var process in _byPid.Values)
        {
            if (process.Pgid == pgid)
            {
                members.Add(process);
            }
        }

        members.Sort(static (a, b) => a.Pid.CompareTo(b.Pid));
        return members;
    }
}
