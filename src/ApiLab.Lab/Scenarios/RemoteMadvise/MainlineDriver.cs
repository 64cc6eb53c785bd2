using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Mainline: parse /proc/pid/maps, then process_madvise the ranges. Nothing revalidates them.</summary>
public sealed class MainlineDriver(Process manager, Process target) : ManagerDriver(manager, target)
{
    private readonly IMainlineMadvise _api = new MainlineMadviseAdapter(manager);

    public override string Design => "mainline";

    public override SysResult<IReadOnlyList<IoVec>> Survey()
    {
        var maps = _api.ReadMaps(new Pid(Target.Pid));
        return maps.IsOk ? SysResult<IReadOnlyList<IoVec>>.Ok(PrivateAnonymous(ProcFs.ParseMaps(maps.Value))) : maps.Error;
    }

    public override SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice) =>
        Batched(ranges, batch => _api.Advise(Pidfd, batch, advice, 0));
}
