using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>execve(2) for an ELF binary, as 6.18's MMU path stages it (PROPOSALS.md §5.4).</summary>
public sealed partial class Machine
{
    /// <summary>TASK_COMM_LEN - 1: comm keeps 15 bytes of the filename's basename (host-checked).</summary>
    private const int CommLength = 15;

    /// <summary>
    /// Replaces <paramref name="process"/>'s address space with a fresh one holding only the new stack, as
    /// do_execveat_common → bprm_execve → load_elf_binary do. Before the point of no return (begin_new_exec) any
    /// failure leaves the old mm as it was (its pages may have been reclaimed meanwhile, as on Linux): E2BIG for
    /// arguments over the limits and, as get_arg_page reports it, for memory that cannot be had. Then the old mm is
    /// torn down (every frame it alone held freed, every per-mm state gone: locks, seals, WIPEONFORK, mlockall
    /// MCL_FUTURE, uffd registrations), close-on-exec fds close, comm becomes the filename's basename, dumpable is
    /// reset, self_exec_id moves on. A failure after that point kills the process (SIGSEGV) and returns the error
    /// the kernel saw. The process keeps its pid, identity and pidfds (which reach the new mm). ESRCH without an mm.
    /// </summary>
    public SysResult<ExecStats> Exec(Process process, IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp,
        ExecOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var scope = EnterSyscall(process, "execve");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        // 6.18's own staging, its three stages run back to back (the exec-args debate runs them one by one).
        var staged = CopyArgumentsStage(process, argv, envp, options ?? ExecOptions.Default, ExecArgStaging.TemporaryStack, 0);
        if (!staged.IsOk)
        {
            return staged.Error;
        }

        var begun = BeginNewExecStage(staged.Value);
        return begun.IsOk ? SetupArgPagesStage(staged.Value) : begun.Error;
    }

    /// <summary>
    /// begin_new_exec, the point of no return: exec_mmap (uncharge the arguments from the old mm, switch, mmput the old
    /// mm), do_close_on_exec, __set_task_comm, the dumpability reset (SUID_DUMP_USER unless euid differs from uid,
    /// then fs.suid_dumpable, 0 on this host) and self_exec_id. Returns the frames freed and the fds closed.
    /// </summary>
    private (long Freed, int Closed) BeginNewExec(Process process, Mm oldMm, Mm newMm, string filename)
    {
        oldMm.ExecArgPages = 0;
        process.Mm = newMm;
        var used = Frames.UsedCount;
        oldMm.Teardown();
        var freed = used - Frames.UsedCount;
        var closedFiles = process.Fds.CloseOnExec();
        foreach (var file in closedFiles)
        {
            ReleaseFile(file);
        }

        var closed = closedFiles.Count;
        var slash = filename.LastIndexOf('/');
        var basename = slash >= 0 ? filename[(slash + 1)..] : filename;
        process.Comm = basename.Length > CommLength ? basename[..CommLength] : basename;
        process.Dumpable = process.Credentials.Uid == process.Credentials.Euid ? 1 : 0;
        process.SelfExecId++;
        process.ForkNoExec = false;
        return (freed, closed);
    }
}
