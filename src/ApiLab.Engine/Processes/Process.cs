using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// A simulated process (a single-threaded thread group). Its pid can be recycled once it is reaped; its
/// <see cref="Identity"/> never is, so the lab can tell "the process I meant" from "a process with that pid".
/// </summary>
public sealed partial class Process
{
    internal Process(Machine machine, int pid, ulong identity, Process? parent, Credentials credentials, string comm, FdTable? fds = null)
    {
        Machine = machine;
        Pid = pid;
        Identity = identity;
        Parent = parent;
        Credentials = credentials;
        Comm = comm;
        Fds = fds ?? new FdTable();
    }

    public Machine Machine { get; }

    public int Pid { get; }

    /// <summary>Unique for the machine's lifetime, never reused.</summary>
    public ulong Identity { get; }

    public Process? Parent { get; }

    public Credentials Credentials { get; set; }

    public string Comm { get; set; }

    public FdTable Fds { get; }

    /// <summary>The address space; null once the process exited (zombie) or was reaped.</summary>
    public Mm? Mm { get; internal set; }

    public ProcessState State { get; internal set; }

    /// <summary>get_dumpable(): 1 (SUID_DUMP_USER) normally; 0 after a setuid exec or prctl(PR_SET_DUMPABLE, 0).</summary>
    public int Dumpable { get; set; } = 1;

    /// <summary>A SIGKILL is pending: the process dies the next time it runs (fatal_signal_pending), so its mm may be
    /// reaped meanwhile (process_mrelease, the OOM reaper). The lab decides when it runs <see cref="Machine.Exit"/>.</summary>
    public bool KillPending { get; internal set; }

    /// <summary>Stopped by SIGSTOP (or SIGTSTP/SIGTTIN/SIGTTOU) until SIGCONT or a fatal signal: the task does not run,
    /// so its own loads and stores return ERESTARTSYS (not performed) meanwhile; other processes can still reach its
    /// memory (process_vm_readv, process_madvise, process_mrelease).</summary>
    public bool Stopped { get; internal set; }

    /// <summary>The soft rlimits (signal->rlim): copied by fork, kept across exec.</summary>
    public ResourceLimits Limits { get; internal set; } = new();

    /// <summary>self_exec_id: bumped by every successful exec.</summary>
    public ulong SelfExecId { get; internal set; }

    /// <summary>Reads the 8-byte value at <paramref name="address"/> as the process's own load would, faulting as needed.
    /// A SIGSEGV is reported as EFAULT, a SIGBUS as EIO, an OOM as ENOMEM; a fault handed to a userfaultfd as
    /// ERESTARTSYS: the task sleeps until the monitor resolves it, and the load must be retried then.</summary>
    public SysResult<ulong> Load(ulong address) =>
        Mm is { } mm ? mm.Access(address, write: false, 0, FaultOrigin.UserAccess(this)) : Errno.ESRCH;

    /// <summary>Writes <paramref name="value"/> at <paramref name="address"/> as the process's own store would
    /// (ERESTARTSYS, and nothing written, when the fault went to a userfaultfd).</summary>
    public SysResult<ulong> Store(ulong address, ulong value) =>
        Mm is { } mm ? mm.Access(address, write: true, value, FaultOrigin.UserAccess(this)) : Errno.ESRCH;

    public override string ToString() => $"{Comm}[{Pid}]";
}
