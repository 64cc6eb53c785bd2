using ApiLab.Engine;
using ApiLab.Proposals.ExecArgs;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.ExecArgs;

/// <summary>The client code every exec-args design shares: its three stage calls, through the design's adapter.</summary>
public sealed class ExecDriver
{
    private readonly Func<IReadOnlyList<string?>?, IReadOnlyList<string?>?, ExecOptions, SysResult<StagedExec>> _copy;
    private readonly Func<StagedExec, SysResult<int>> _switch;
    private readonly Func<StagedExec, SysResult<ExecStats>> _setup;

    public ExecDriver(string design, Process caller)
    {
        Design = design;
        switch (design)
        {
            case "relocate":
                var relocate = new RelocateExecArgsAdapter(caller);
                (_copy, _switch, _setup) = (relocate.CopyArguments, relocate.BeginNewExec, relocate.SetupArgPages);
                break;
            case "kernel-pages":
                var kernel = new KernelPagesExecArgsAdapter(caller);
                (_copy, _switch, _setup) = (kernel.CopyArguments, kernel.BeginNewExec, kernel.SetupArgPages);
                break;
            case "kernel-pages-swappable":
                var inode = new SwappableKernelPagesExecArgsAdapter(caller);
                (_copy, _switch, _setup) = (inode.CopyArguments, inode.BeginNewExec, inode.SetupArgPages);
                break;
            case "below-sp":
                var below = new BelowSpExecArgsAdapter(caller);
                (_copy, _switch, _setup) = (below.CopyArguments, below.BeginNewExec, below.SetupArgPages);
                break;
            default:
                throw new ArgumentException($"unknown design '{design}'", nameof(design));
        }
    }

    /// <summary>Every design of the debate, in the order the thread argues them.</summary>
    public static IReadOnlyList<string> Designs { get; } = ["relocate", "kernel-pages", "kernel-pages-swappable", "below-sp"];

    public string Design { get; }

    public SysResult<StagedExec> Copy(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options) =>
        _copy(argv, envp, options);

    public SysResult<int> Switch(StagedExec exec) => _switch(exec);

    public SysResult<ExecStats> Setup(StagedExec exec) => _setup(exec);
}
