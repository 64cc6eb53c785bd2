using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>The hand-written part of mainline process_madvise: the advice policy and vector_madvise.</summary>
public sealed partial class MainlineMadviseAdapter
{
    partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, ref Errno error) =>
        error = AdviceInfo.CheckProcessMadvise(Caller, target, advice);

    private partial SysResult<string> ReadMapsCore(Process target) => ProcFs.ReadMaps(Caller, target);

    private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) =>
        VectorMadvise.Apply(target.Mm!, ranges, advice);
}
