using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Filter bits: no survey at all; one call over the whole address space with MADV_ANONYMOUS_FILTER.</summary>
public sealed class FiltersDriver(Process manager, Process target) : ManagerDriver(manager, target)
{
    private readonly IFilterMadvise _api = new FilterMadviseAdapter(manager);

    public override string Design => "filters";

    public override SysResult<IReadOnlyList<IoVec>> Survey() =>
        SysResult<IReadOnlyList<IoVec>>.Ok([new IoVec(Page.Size, Page.TaskSize - Page.Size)]);

    public override SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice) =>
        _api.Advise(Pidfd, [.. ranges], (int)advice | FilterMadviseAdapter.AnonymousFilter, 0);

    /// <summary>The call means "this app's private anonymous memory, whatever it is now".</summary>
    public override bool Intends(Vma vma, IReadOnlySet<ulong> surveyed) => vma.IsAnonymous && !vma.IsShared;
}
