using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteZap;

/// <summary>The hand-written part of hint-only reclaim: mainline's advice policy and vector_madvise.</summary>
public sealed partial class HintOnlyReclaimAdapter
{
    partial void ValidateReclaim(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, ref Errno error) =>
        error = AdviceInfo.CheckProcessMadvise(Caller, target, advice);

    private partial SysResult<long> ReclaimCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) =>
        VectorMadvise.Apply(target.Mm!, ranges, advice);
}
