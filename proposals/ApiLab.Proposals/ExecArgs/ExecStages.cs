using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>
/// What the four exec-args designs share: execve modelled as its three stages (the entry with copy_strings, then
/// begin_new_exec, then setup_arg_pages), each a call of the execing process on itself, so the lab can interleave
/// memory pressure between them. Only where the argument pages live differs (<see cref="ExecArgStaging"/>).
/// </summary>
internal static class ExecStages
{
    /// <summary>A staged exec belongs to the process that started it: another process continuing it is EBADF, and
    /// nothing changes (UNCONFIRMED: the stages are kernel-internal, no ABI names this case).</summary>
    public static Errno CheckOwner(Process caller, StagedExec exec) =>
        exec is null || !ReferenceEquals(exec.Process, caller) ? Errno.EBADF : Errno.None;

    public static SysResult<StagedExec> Copy(Process caller, IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp,
        ExecOptions options, ExecArgStaging staging) =>
        caller.Machine.ExecCopyArguments(caller, argv, envp, options, staging);

    public static SysResult<int> Switch(Process caller, StagedExec exec) => caller.Machine.ExecBeginNewExec(exec);

    public static SysResult<ExecStats> Setup(Process caller, StagedExec exec) => caller.Machine.ExecSetupArgPages(exec);
}
