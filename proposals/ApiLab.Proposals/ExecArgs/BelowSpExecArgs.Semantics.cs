using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.ExecArgs;

/// <summary>The hand-written part: the argument pages live in the caller's own stack (<see cref="ExecArgStaging.CallerStack"/>).</summary>
public sealed partial class BelowSpExecArgsAdapter
{
    partial void ValidateBeginNewExec(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    partial void ValidateSetupArgPages(Process target, StagedExec exec, ref Errno error) =>
        error = ExecStages.CheckOwner(target, exec);

    private partial SysResult<StagedExec> CopyArgumentsCore(Process target, IReadOnlyList<string?>? argv,
        IReadOnlyList<string?>? envp, ExecOptions options) =>
        ExecStages.Copy(target, argv, envp, options, ExecArgStaging.CallerStack);

    private partial SysResult<int> BeginNewExecCore(Process target, StagedExec exec) => ExecStages.Switch(target, exec);

    private partial SysResult<ExecStats> SetupArgPagesCore(Process target, StagedExec exec) => ExecStages.Setup(target, exec);
}
