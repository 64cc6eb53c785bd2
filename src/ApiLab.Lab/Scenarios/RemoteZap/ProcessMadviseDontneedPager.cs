using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>Remote DONTNEED: every page in one vectored process_madvise, one TLB flush.</summary>
internal sealed class ProcessMadviseDontneedPager(ManagerLoopWorld world, bool protect) : ZapPagerDriver(world, protect)
{
    private readonly IProcessMadviseDontneed _api = new ProcessMadviseDontneedAdapter(world.Manager);

    protected override string ZapLabel => "process_madvise(DONTNEED, every page)";

    protected override SysResult<int> WriteProtect() => _api.WriteProtect(World.ManagerUffd, World.HeapRange);

    protected override SysResult<long> Zap() => _api.Zap(World.Pidfd, World.EachPage, Advice.DontNeed, 0);
}
