using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// One simulated computer: physical frames, a swap device, the process table and the cost counters. Everything is
/// deterministic: the same calls in the same order give the same pids, addresses, identities and counters.
/// </summary>
public sealed partial class Machine
{
    private readonly Dictionary<int, Process> _byPid = [];
    private ulong _nextProcessIdentity = 1;
    private ulong _nextVmaIdentity = 1;
    private ulong _nextObjectIdentity = 1;

    public Machine(MachineConfig? config = null)
    {
        Config = config ?? new MachineConfig();
        Frames = new FramePool(Config.Frames);
        Swap = new SwapDevice(Config.SwapSlots);
        Pids = new PidAllocator(Config.PidMax);
        CostPerCall = Config.CostPerCall;
    }

    public MachineConfig Config { get; }

    public FramePool Frames { get; }

    public SwapDevice Swap { get; }

    public PidAllocator Pids { get; }

    public MachineStats Stats { get; } = new();

    // Made on the first accounted call: the race explorer builds a machine per schedule and never asks.
    private Dictionary<string, SyscallCost>? _callCosts;

    /// <summary>Costs per syscall name, while <see cref="CostPerCall"/> is on (empty otherwise).</summary>
    public IReadOnlyDictionary<string, SyscallCost> CallCosts =>
        _callCosts ?? (IReadOnlyDictionary<string, SyscallCost>)System.Collections.Immutable.ImmutableDictionary<string, SyscallCost>.Empty;

    /// <summary>Whether syscalls add their costs to <see cref="CallCosts"/>; starts as the config says, and a tool that
    /// did not build the machine (apilab run --per-call) may turn it on.</summary>
    public bool CostPerCall { get; set; }

    /// <summary>The scheduler's hook, called at every syscall entry.</summary>
    public ISyscallHook? Hook { get; set; }

    /// <summary>Ground-truth observer for the lab (null on hot paths).</summary>
    public IMmObserver? Observer { get; set; }

    /// <summary><c>current</c>: the process whose syscall is running (null between syscalls). Faults taken on its behalf
    /// by kernel code (populate, GUP) sleep in its name when they hit a userfaultfd.</summary>
    public Process? Current { get; internal set; }

    /// <summary>Every process that still holds a pid (running or zombie), by pid.</summary>
    public IReadOnlyDictionary<int, Process> Processes => _byPid;

    private ulong _layoutClock;

    internal ulong NextVmaIdentity() => _nextVmaIdentity++;

    /// <summary>The machine-wide layout clock behind every mm's <see cref="Mm.LayoutSeq"/>.</summary>
    internal ulong NextLayoutSeq() => ++_layoutClock;

    internal ulong NextObjectIdentity() => _nextObjectIdentity++;

    /// <summary>Creates a process with an empty address space, as if it had just exec'd a static binary that maps
    /// nothing. Returns ESRCH-free errors only: EAGAIN when pids are exhausted.</summary>
    public SysResult<Process> Spawn(Credentials credentials, string comm, Process? parent = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var pid = Pids.Allocate();
        if (pid < 0)
        {
            return Errno.EAGAIN;
        }

        // A spawned process has exec'd its program; it starts in its parent's group and session, or in group and
        // session 0 when nothing in the machine started it.
        var process = new Process(this, pid, _nextProcessIdentity++, parent, credentials, comm)
        {
            Pgid = parent?.Pgid ?? 0,
            Sid = parent?.Sid ?? 0,
        };
        process.Mm = new Mm(this) { Owner = process };
        _byPid.Add(pid, process);
        return process;
    }

    /// <summary>
    /// exit(): the address space is torn down at once (every frame freed), then the fd table is closed (exit_mm before
    /// exit_files); the pid stays until reaped. A task asleep in a userfault leaves the wait queue (the fatal signal
    /// interrupts it), and tasks asleep on faults in this mm are woken: it is gone, their retry sees that.
    /// </summary>
    public void Exit(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.State != ProcessState.Running)
        {
            return;
        }

        if (process.UffdWait is { } wait)
        {
            wait.Context.Forget(wait);
        }

        // A fatal signal ends a TASK_KILLABLE wait for event reads: the events leave the queue, the deferred work runs.
        AbandonUffdEventWaits(process);
        process.UffdEventsUnread = 0;
        process.Stopped = false;

        var contexts = process.Mm?.UffdContexts();
        process.Mm?.Teardown();
        process.Mm = null;
        process.State = ProcessState.Zombie;
        KillOrphanedGroups(process);
        if (contexts is not null)
        {
            foreach (var ctx in contexts)
            {
                ctx.Wake(0, 0);
            }
        }

        foreach (var file in process.Fds.CloseAll())
        {
            ReleaseFile(file);
        }
    }

    /// <summary>wait(): frees the pid for reuse. A pidfd still open on the process now gives ESRCH.</summary>
    public void Reap(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        Exit(process);
        if (process.State == ProcessState.Reaped)
        {
            return;
        }

        process.State = ProcessState.Reaped;
        _byPid.Remove(process.Pid);
        // The pid, and the group and session numbers it held, are freed unless a group or session still uses them.
        ReleasePidNumber(process.Pid);
        ReleasePidNumber(process.Pgid);
        ReleasePidNumber(process.Sid);
    }

    public Process? FindByPid(int pid) => _byPid.GetValueOrDefault(pid);

    /// <summary>Enters a syscall: counts it and gives the scheduler its scheduling point. Every adapter call starts here.
    /// An entry made while the same caller is already inside a syscall (an adapter whose core wraps an engine syscall)
    /// is that same syscall: it is neither counted nor a scheduling point again. A stopped caller does not enter
    /// (<see cref="SyscallScope.Blocked"/>).</summary>
    public SyscallScope EnterSyscall(Process caller, string syscall)
    {
        if (ReferenceEquals(Current, caller))
        {
            return new SyscallScope(this, caller);
        }

        if (caller.Stopped)
        {
            return new SyscallScope(this, Current, blocked: true);
        }

        var atEntry = CostPerCall ? Stats.Clone() : null;
        Stats.Syscalls++;
        if (caller.Mm is { } mm)
        {
            mm.Stats.Syscalls++;
        }

        Hook?.OnSyscallEnter(caller, syscall);
        var previous = Current;
        Current = caller;
        return new SyscallScope(this, previous, syscall, atEntry);
    }

    /// <summary>Adds one call's counter movement to its row of <see cref="CallCosts"/>.</summary>
    internal void AddCallCost(string syscall, MachineStats atEntry)
    {
        _callCosts ??= new Dictionary<string, SyscallCost>(StringComparer.Ordinal);
        if (!_callCosts.TryGetValue(syscall, out var row))
        {
            row = new SyscallCost(syscall);
            _callCosts.Add(syscall, row);
        }

        row.Calls++;
        row.Costs.AddDifference(Stats, atEntry);
    }

    /// <summary>Resolves a raw pid as <c>find_get_task_by_vpid</c> does: whatever process holds the number now.</summary>
    public SysResult<Process> ResolvePid(Process caller, Pid pid)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return pid.Value > 0 && _byPid.TryGetValue(pid.Value, out var process) ? process : Errno.ESRCH;
    }

    /// <summary>
    /// Resolves a pidfd as <c>pidfd_get_task</c> does: EBADF when the fd is not open or is not a pidfd, ESRCH when the
    /// process it names was reaped. <see cref="Pidfd.Self"/> and <see cref="Pidfd.SelfProcess"/> name the caller.
    /// </summary>
    public SysResult<Process> ResolvePidfd(Process caller, Pidfd pidfd)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (pidfd == Pidfd.Self || pidfd == Pidfd.SelfProcess)
        {
            return caller;
        }

        if (caller.Fds.Get(pidfd.Fd) is not PidfdFile file)
        {
            return Errno.EBADF;
        }

        return file.Process.State == ProcessState.Reaped ? Errno.ESRCH : file.Process;
    }
}
