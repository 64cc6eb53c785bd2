using ApiLab.Engine;
using ApiLab.Proposals.RemoteMadvise;
using ApiLab.Spec;

namespace ApiLab.Lab.Scenarios.RemoteMadvise;

/// <summary>Cookie design: query the VMAs with the layout sequence number, present it with the advice.</summary>
public sealed class CookieDriver(Process manager, Process target) : ManagerDriver(manager, target)
{
    private readonly ICookieMadvise _api = new CookieMadviseAdapter(manager);
    private LayoutCookie _cookie;

    public override string Design => "cookie";

    public override SysResult<IReadOnlyList<IoVec>> Survey()
    {
        var snapshot = _api.QueryVmas(Pidfd);
        if (!snapshot.IsOk)
        {
            return snapshot.Error;
        }

        _cookie = snapshot.Value.Cookie;
        return SysResult<IReadOnlyList<IoVec>>.Ok(PrivateAnonymous(snapshot.Value.Vmas));
    }

    public override SysResult<long> Advise(IReadOnlyList<IoVec> ranges, Advice advice) =>
        Batched(ranges, batch => _api.Advise(Pidfd, batch, advice, _cookie));
}
