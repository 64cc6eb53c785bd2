namespace ApiLab.Engine;

/// <summary>
/// A process's job-control identity (signal->pids[PIDTYPE_PGID] and [PIDTYPE_SID], signal->leader, PF_FORKNOEXEC).
/// Group and session ids are pid numbers; a number that names a live group or session is not handed out again
/// (its struct pid stays allocated while any task is attached to it), so it cannot be reused under a group.
/// </summary>
public sealed partial class Process
{
    /// <summary>The process group id. fork copies it; exec keeps it. A process started with no parent is in group 0
    /// (init_struct_pid, where the kernel's own first tasks start until they call setsid).</summary>
    public int Pgid { get; internal set; }

    /// <summary>The session id, copied by fork and kept by exec; 0 (init_struct_pid) for a process with no parent.</summary>
    public int Sid { get; internal set; }

    /// <summary>signal->leader: the process created its session with setsid(2). Its group cannot change any more.</summary>
    public bool IsSessionLeader { get; internal set; }

    /// <summary>PF_FORKNOEXEC: forked and not yet exec'd. Only then may its parent move it to another group (setpgid's
    /// EACCES). begin_new_exec clears it; a spawned process counts as having exec'd its program.</summary>
    public bool ForkNoExec { get; internal set; }
}
