using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>execve(2) and the per-process exec state that /proc exposes.</summary>
public sealed partial class Process
{
    /// <summary>execve(options.Filename, argv, envp); see <see cref="Machine.Exec"/>.</summary>
    public SysResult<ExecStats> Execve(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions? options = null) =>
        Machine.Exec(this, argv, envp, options);

    /// <summary>
    /// A write to /proc/self/coredump_filter: the low nine bits become the mm's MMF_DUMP_* bits, higher bits are
    /// ignored (proc_coredump_filter_write). Inherited by fork, kept across execve.
    /// </summary>
    public SysResult<int> WriteCoredumpFilter(uint filter)
    {
        using var scope = Machine.EnterSyscall(this, "write");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (Mm is not { } mm)
        {
            return Errno.ESRCH;
        }

        mm.CoredumpFilter = filter & Mm.CoredumpFilterMask;
        return 0;
    }
}
