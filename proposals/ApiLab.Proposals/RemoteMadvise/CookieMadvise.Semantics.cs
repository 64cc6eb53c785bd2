using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>The hand-written part of the cookie design: the query, and the sequence-number check under the lock.</summary>
public sealed partial class CookieMadviseAdapter
{
    /// <summary>Assumed size of one binary VMA record (start, end, flags, offset, dev, inode, name handle).</summary>
    public const int RecordBytes = 64;

    partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, LayoutCookie cookie, ref Errno error) =>
        error = AdviceInfo.CheckProcessMadvise(Caller, target, advice);

    private partial SysResult<VmaSnapshot> QueryVmasCore(Process target)
    {
        var mm = target.Mm!;
        using var mmapLock = mm.LockMmap(MmapLockMode.Read);
        var vmas = mm.Describe();
        Caller.Machine.Stats.BytesCopied += (long)vmas.Count * RecordBytes;
        return new VmaSnapshot(vmas, new LayoutCookie(mm.LayoutSeq));
    }

    private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, LayoutCookie cookie)
    {
        var mm = target.Mm!;
        return mm.LayoutSeq != cookie.Seq ? Errno.ESTALE : VectorMadvise.Apply(mm, ranges, advice);
    }
}
