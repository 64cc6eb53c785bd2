using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>The hand-written part of <see cref="IPidLike"/>.</summary>
internal sealed partial class PidLikeAdapter
{
    /// <summary>The process the last call reached its core with.</summary>
    public Process? LastTarget { get; private set; }

    private partial SysResult<ulong> ZapCore(Process target, ulong start, ulong length, int @fixed)
    {
        LastTarget = target;
        return length;
    }

    private partial SysResult<int> AdviseSelfCore(Process target, IoVec[] ranges, Advice advice, string? error)
    {
        LastTarget = target;
        return ranges.Length;
    }
}
