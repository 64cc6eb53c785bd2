using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>The filter walk: advise only the VMAs the filter keeps, over whatever ranges were given.</summary>
public sealed partial class FilterMadviseAdapter
{
    public const int AnonymousFilter = 1 << 31;
    public const int FileFilter = 1 << 30;
    public const int BehaviorMask = ~(AnonymousFilter | FileFilter);

    partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, int behavior, uint flags, ref Errno error)
    {
        var both = (behavior & AnonymousFilter) != 0 && (behavior & FileFilter) != 0;
        error = both ? Errno.EINVAL : AdviceInfo.CheckProcessMadvise(Caller, target, (Advice)(behavior & BehaviorMask));
    }

    private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, int behavior, uint flags)
    {
        var mm = target.Mm!;
        var anonOnly = (behavior & AnonymousFilter) != 0;
        var fileOnly = (behavior & FileFilter) != 0;
        var advice = (Advice)(behavior & BehaviorMask);
        if (!anonOnly && !fileOnly)
        {
            return VectorMadvise.Apply(mm, ranges, advice);
        }

        // The kernel walks the VMAs under the lock and advises the kept ones; the caller's ranges only bound the walk.
        var kept = new List<IoVec>();
        foreach (var range in ranges)
        {
            for (var vma = mm.Vmas.FindFirstEndingAbove(range.Base); vma is not null && vma.Start < range.End;
                 vma = mm.Vmas.FindFirstEndingAbove(vma.End))
            {
                var isFile = vma.Shmem is not null;
                if (isFile == fileOnly)
                {
                    var start = Math.Max(vma.Start, range.Base);
                    kept.Add(new IoVec(start, Math.Min(vma.End, range.End) - start));
                }
            }
        }

        var advised = VectorMadvise.Apply(mm, kept.ToArray(), advice);
        if (!advised.IsOk)
        {
            return advised;
        }

        ulong total = 0;
        foreach (var range in ranges)
        {
            total += range.Length;
        }

        return (long)total;
    }
}
