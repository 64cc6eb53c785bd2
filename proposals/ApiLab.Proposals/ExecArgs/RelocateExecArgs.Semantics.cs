using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>The hand-written part: the argument pages live in 6.18's temporary stack (<see cref="ExecArgStaging.TemporaryStack"/>).</summary>
public sealed partial class RelocateExecArgsAdapter
{
    partial void ValidateBeginNewExec(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    partial void ValidateSetupArgPages(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    private partial SysResult<StagedExec> CopyArgumentsCore(Process target, IReadOnlyList<string?>? argv,
        IReadOnlyList<string?>? envp, ExecOptions options) =>
        ExecStages.Copy(target, argv, envp, options, ExecArgStaging.TemporaryStack);

    private partial SysResult<int> BeginNewExecCore(Process target, StagedExec exec) => ExecStages.Switch(target, exec);

    private partial SysResult<ExecStats> SetupArgPagesCore(Process target, StagedExec exec) => ExecStages.Setup(target, exec);
}
