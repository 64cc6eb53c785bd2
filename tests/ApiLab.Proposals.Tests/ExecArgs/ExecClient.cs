using ApiLab.Engine;
using ApiLab.Proposals.ExecArgs;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>One exec-args design behind the three stage calls every one of them declares.</summary>
internal sealed class ExecClient
{
    public static readonly string[] Designs = ["relocate", "kernel-pages", "kernel-pages-swappable", "below-sp"];

    private readonly Func<IReadOnlyList<string?>?, IReadOnlyList<string?>?, ExecOptions, SysResult<StagedExec>> _copy;
    private readonly Func<StagedExec, SysResult<int>> _switch;
    private readonly Func<StagedExec, SysResult<ExecStats>> _setup;

    public ExecClient(string design, Process caller)
    {
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

    public SysResult<StagedExec> Copy(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options) =>
        _copy(argv, envp, options);

    public SysResult<int> Switch(StagedExec exec) => _switch(exec);

    public SysResult<ExecStats> Setup(StagedExec exec) => _setup(exec);

    /// <summary>All three stages; the first error stops it.</summary>
    public SysResult<ExecStats> Run(IReadOnlyList<string?>? argv, IReadOnlyList<string?>? envp, ExecOptions options, out StagedExec? exec)
    {
        var copied = Copy(argv, envp, options);
        exec = copied.IsOk ? copied.Value : null;
        if (!copied.IsOk)
        {
            return copied.Error;
        }

        var switched = Switch(exec!);
        return switched.IsOk ? Setup(exec!) : switched.Error;
    }
}
