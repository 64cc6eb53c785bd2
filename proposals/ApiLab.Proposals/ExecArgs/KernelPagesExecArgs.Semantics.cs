using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>The hand-written part: the argument pages live in the kernel page list (<see cref="ExecArgStaging.KernelPageList"/>).</summary>
public sealed partial class KernelPagesExecArgsAdapter
{
    partial void ValidateBeginNewExec(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    partial void ValidateSetupArgPages(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    private partial SysResult<StagedExec> CopyArgumentsCore(Process target, IReadOnlyList<string?>? argv,
        IReadOnlyList<string?>? envp, ExecOptions options) =>
        ExecStages.Copy(target, argv, envp, options, ExecArgStaging.KernelPageList);

    private partial SysResult<int> BeginNewExecCore(Process target, StagedExec exec) => ExecStages.Switch(target, exec);

    private partial SysResult<ExecStats> SetupArgPagesCore(Process target, StagedExec exec) => ExecStages.Setup(target, exec);
}
