using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>The hand-written part of <see cref="IEarlyCheckLike"/>.</summary>
internal sealed partial class EarlyCheckLikeAdapter
{
    /// <summary>How often the early hook ran.</summary>
    public int Prechecks { get; private set; }

    partial void PrecheckDuplicate(Pid pid, ulong length, int error, ref Errno _error)
    {
        Prechecks++;
        _error = length == 0 || pid.Value <= 0 || error != 0 ? Errno.EINVAL : Errno.None;
    }

    private partial SysResult<ulong> DuplicateCore(Process target, ulong length, int error) => length;
}
