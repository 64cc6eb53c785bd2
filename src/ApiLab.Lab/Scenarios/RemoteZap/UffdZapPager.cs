using ApiLab.Proposals.RemoteZap;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteZap;

/// <summary>The uffd ioctl: one UFFDIO_ZAP (UNCONFIRMED name) per page the manager picked, one TLB flush each.</summary>
internal sealed class UffdZapPager(ManagerLoopWorld world, bool protect) : ZapPagerDriver(world, protect)
{
    private readonly IUffdZap _api = new UffdZapAdapter(world.Manager);

    protected override string ZapLabel => "UFFDIO_ZAP per page";

    protected override SysResult<int> WriteProtect() => _api.WriteProtect(World.ManagerUffd, World.HeapRange);

    protected override SysResult<long> Zap()
    {
        long done = 0;
        foreach (var page in World.EachPage)
        {
            var zapped = _api.Zap(World.ManagerUffd, page, 0);
            if (!zapped.IsOk)
            {
                return done > 0 ? done : zapped;
            }

            done += zapped.Value;
        }

        return done;
    }
}
