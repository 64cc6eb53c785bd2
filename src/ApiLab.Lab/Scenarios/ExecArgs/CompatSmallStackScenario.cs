using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// A compat-like task (stack top below 4 GiB, Miller's case) whose own stack has only 64 KiB left to grow before the
/// VMA below it (Hugh's "too little space for your userstack"), exec'ing under memory pressure.
/// </summary>
public sealed class CompatSmallStackScenario : ExecScenario
{
    /// <summary>How far the caller's stack may still grow.</summary>
    public const ulong Room = 64 * 1024;

    public override string Id => "exec-args.compat-small-stack";

    public override string Title => "Compat exec from a small user stack under memory pressure";

    protected override ExecWorkload Workload { get; } =
        new(ExecOptions.Default with { Abi = ExecAbi.Compat32 }, Room, Pressure: true);
}
