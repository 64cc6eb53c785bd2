using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// execve in three stages (<see cref="StagedExec"/>), with the argument pages held where an
/// <see cref="ExecArgStaging"/> says. <see cref="Exec"/> is these three stages with
/// <see cref="ExecArgStaging.TemporaryStack"/>, run inside one syscall. The stages are scheduling points inside one execve, not syscalls: each
/// reaches the hook, none is counted (the syscall entry that runs them, e.g. a generated adapter, counts itself).
/// </summary>
public sealed partial class Machine
{
    /// <summary>What the caller's frames take below the argument area when the caller gives no sp: one page (the
    /// pointer arrays, auxv and a few frames of a small program). UNCONFIRMED: the engine keeps no registers.</summary>
    public const ulong DefaultStackInUse = Page.Size;

    /// <summary>
    /// Stage 1, the execve entry: bprm_mm_init, bprm_stack_limits and copy_strings into the staging's pages. Errors as
    /// <see cref="Exec"/> gives them (E2BIG over the limits; ESRCH without an mm), plus the staging's own failure
    /// (the caller's stack cannot grow: ENOMEM). A failure releases everything and leaves the old image running.
    /// <paramref name="stackPointer"/> is the caller's sp (0: <see cref="DefaultStackInUse"/> below its mm's
    /// start_stack, or none when it has no stack).
    /// </summary>
    public SysResult<StagedExec> ExecCopyArguments(Process process, IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp,
        ExecOptions? options, ExecArgStaging staging, ulong stackPointer = 0)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var scope = EnterExecStage(process, "execve:copy_strings");
        return CopyArgumentsStage(process, argv, envp, options ?? ExecOptions.Default, staging, stackPointer);
    }

    private SysResult<StagedExec> CopyArgumentsStage(Process process, IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp,
        ExecOptions options, ExecArgStaging staging, ulong stackPointer)
    {
        if (process.Mm is not { } oldMm)
        {
            return Errno.ESRCH;
        }

        if (stackPointer == 0 && oldMm.StartStack > DefaultStackInUse)
        {
            stackPointer = (oldMm.StartStack & ~15UL) - DefaultStackInUse;
        }

        var bprm = new Bprm(this, process, oldMm, options, staging, stackPointer);
        var error = bprm.CopyArguments(argv, envp, options.Filename ?? "");
        if (error != Errno.None)
        {
            var reported = error == Errno.E2BIG ? bprm.Store.FailureErrno : error;
            bprm.Abandon();
            return reported;
        }

        return new StagedExec(process, oldMm, bprm, options, staging);
    }

    /// <summary>
    /// Stage 2, begin_new_exec (the point of no return), preceded by whatever the staging must do while the old mm
    /// still exists (the caller-stack staging migrates its pages here; a failure there abandons the exec with the old
    /// image intact). EINVAL for an exec not at this stage; ESRCH when the process lost its mm meanwhile.
    /// </summary>
    public SysResult<int> ExecBeginNewExec(StagedExec exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        using var scope = EnterExecStage(exec.Process, "execve:begin_new_exec");
        return exec.Stage != ExecStage.ArgumentsCopied ? Errno.EINVAL : BeginNewExecStage(exec);
    }

    private SysResult<int> BeginNewExecStage(StagedExec exec)
    {
        var bprm = exec.Bprm;
        var error = !ReferenceEquals(exec.Process.Mm, exec.OldMm) ? Errno.ESRCH : bprm.Store.BeforeSwitch(exec.Options.StackTop);
        if (error != Errno.None)
        {
            bprm.Abandon();
            exec.Stage = ExecStage.Failed;
            return error;
        }

        var (freed, closed) = BeginNewExec(exec.Process, exec.OldMm, bprm.Mm, exec.Options.Filename ?? "");
        exec.OldMmFramesFreed = freed;
        exec.FdsClosed = closed;
        exec.Stage = ExecStage.PastPointOfNoReturn;
        return (int)Math.Min(freed, int.MaxValue);
    }

    /// <summary>
    /// Stage 3, setup_arg_pages: the staging puts the argument pages at the final stack top (the temporary stack is
    /// relocated there; the others build the VMA there), then the flags, the pre-expansion and mm's argument fields as
    /// <see cref="Exec"/> sets them. A failure kills the process (SIGSEGV). EINVAL for an exec not at this stage.
    /// </summary>
    public SysResult<ExecStats> ExecSetupArgPages(StagedExec exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        using var scope = EnterExecStage(exec.Process, "execve:setup_arg_pages");
        return exec.Stage != ExecStage.PastPointOfNoReturn ? Errno.EINVAL : SetupArgPagesStage(exec);
    }

    private SysResult<ExecStats> SetupArgPagesStage(StagedExec exec)
    {
        var bprm = exec.Bprm;
        var options = exec.Options;
        var mm = bprm.Mm;
        var placed = bprm.Store.PlaceStack(mm, options.StackTop);
        var relocation = default(ExecRelocation);
        var shift = placed.IsOk
            ? mm.SetupArgPages(placed.Value, options.StackTop, options.ExecutableStack, out relocation)
            : placed.Error;
        if (!shift.IsOk)
        {
            exec.Stage = ExecStage.Failed;
            Exit(exec.Process);
            return shift.Error;
        }

        (bprm.Store as TemporaryStackStore)?.Relocated(relocation.PtesMoved, relocation.TlbFlushes);
        bprm.P -= Mm.StackTopMax - Page.AlignUp(options.StackTop);
        mm.ArgStart = bprm.P;
        mm.StartStack = bprm.P;
        mm.StartBrk = options.EffectiveStartBrk;
        mm.Brk = mm.StartBrk;
        Stats.Execs++;
        Stats.BytesCopied += bprm.BytesCopied;
        mm.Stats.Execs++;
        mm.Stats.BytesCopied += bprm.BytesCopied;
        exec.Stage = ExecStage.Finished;
        var stack = placed.Value;
        return new ExecStats
        {
            Argc = bprm.Argc,
            Envc = bprm.Envc,
            ArgBytesCopied = bprm.BytesCopied,
            ArgPageLookups = bprm.PageLookups,
            ArgPagesChargedToCaller = bprm.Store.ChargedToCaller ? bprm.VmaPages : 0,
            StackShift = shift.Value,
            PtesMoved = bprm.Store.PtesMoved,
            TlbFlushes = mm.TlbFlushes,
            FramesCharged = mm.MemcgCharged,
            OldMmFramesFreed = exec.OldMmFramesFreed,
            FdsClosed = exec.FdsClosed,
            StackStart = stack.Start,
            StackEnd = stack.End,
            StartStack = bprm.P,
        };
    }

    /// <summary>A scheduling point inside a syscall (a stage of a staged exec): the hook sees it and the process is
    /// current for its faults, but the syscall count does not grow.</summary>
    private SyscallScope EnterExecStage(Process process, string stage)
    {
        Hook?.OnSyscallEnter(process, stage);
        var previous = Current;
        Current = process;
        return new SyscallScope(this, previous, stage, CostPerCall ? Stats.Clone() : null);
    }
}
