using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>PROCMAP_QUERY: open the maps fd, query VMA after VMA until ENOENT, close; then process_madvise.</summary>
public sealed class ProcmapQueryDriver(Process manager, Process target) : ManagerDriver(manager, target)
{
    private readonly IProcmapQueryMadvise _api = new ProcmapQueryMadviseAdapter(manager);

    public override string Design => "procmap-query";

    public override SysResult<IReadOnlyList<IoVec>> Survey()
    {
        var fd = _api.OpenMaps(new Pid(Target.Pid));
        if (!fd.IsOk)
        {
            return fd.Error;
        }

        var vmas = new List<VmaInfo>();
        for (var address = 0UL; ;)
        {
            var vma = _api.Query(fd.Value, address, ProcMapsFile.CoveringOrNext);
            if (!vma.IsOk)
            {
                break;
            }

            vmas.Add(vma.Value);
            address = vma.Value.End;
        }

        _api.Close(fd.Value);
        return SysResult<IReadOnlyList<IoVec>>.Ok(PrivateAnonymous(vmas));
    }

    public override SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice) =>
        Batched(ranges, batch => _api.Advise(Pidfd, batch, advice, 0));
}
