using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// A native exec without stack randomisation (the final top is STACK_TOP_MAX, so today's exec moves nothing) from a
/// roomy stack, under memory pressure: only the pinning and the below-sp move remain.
/// </summary>
public sealed class NativeSameTopScenario : ExecScenario
{
    public override string Id => "exec-args.native-same-top";

    public override string Title => "Native exec, stack tops equal, under memory pressure";

    public override int DefaultSize => 64;

    protected override ExecWorkload Workload { get; } =
        new(ExecOptions.Default with { StackRandomization = 0 }, null, Pressure: true);
}
