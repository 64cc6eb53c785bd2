using ApiLab.Engine;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>
/// A compat-like task (stack top below 4 GiB, Miller's case) whose own stack cannot grow at all: a VMA sits right
/// under its guard gap, so below sp there is only what the stack already has, about 124 KiB (Hugh's "too little
/// space for your userstack"), exec'ing under memory pressure. The default 128 KiB of arguments does not fit there.
/// </summary>
public sealed class CompatSmallStackScenario : ExecScenario
{
    /// <summary>How far the caller's stack may still grow.</summary>
    public const ulong Room = 0;

    public override int DefaultSize => 128;

    public override string Id => "exec-args.compat-small-stack";

    public override string Title => "Compat exec from a small user stack under memory pressure";

    protected override ExecWorkload Workload { get; } =
        new(ExecOptions.Default with { Abi = ExecAbi.Compat32 }, Room, Pressure: true);
}
