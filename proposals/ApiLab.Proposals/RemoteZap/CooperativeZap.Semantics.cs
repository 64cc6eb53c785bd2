using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>The hand-written part of the cooperative zap: the caller's own madvise.</summary>
public sealed partial class CooperativeZapAdapter
{
    private partial SysResult<int> ZapOwnCore(Process target, IoVec range, Advice advice) =>
        target.Mm is { } mm ? mm.Madvise(range.Base, range.Length, advice) : Errno.ESRCH;
}
