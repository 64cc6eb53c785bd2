using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>Hint-only (Hocko: "Why cannot you use MADV_PAGEOUT/MADV_COLD?"): the kernel swaps out and faults back in;
/// the manager has no copy to keep and no fault to serve, so its loop only polls its userfaultfd.</summary>
internal sealed class HintOnlyPager(ManagerLoopWorld world) : PagerDriver(world)
{
    private readonly IHintOnlyReclaim _api = new HintOnlyReclaimAdapter(world.Manager);

    public override IReadOnlyList<PagerStep> Steps =>
    [
        new("process_madvise(PAGEOUT, every page)",
            () => Show(_api.Reclaim(World.Pidfd, World.EachPage, Advice.PageOut, 0)), ManagerLoopWorld.TouchesTarget),
        Serve(),
        Serve(),
        Serve(),
    ];
}
