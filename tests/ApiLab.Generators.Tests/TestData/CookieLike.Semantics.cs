using System;
using System.Collections.Generic;
using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>The hand-written part of <see cref="ICookieLike"/>: it records which hooks ran, so tests can see the order.</summary>
public sealed partial class CookieLikeAdapter
{
    /// <summary>The cookie <see cref="QueryVmasCore"/> hands out and <see cref="AdviseCore"/> accepts.</summary>
    public static readonly LayoutCookie CurrentCookie = new(7);

    /// <summary>Which hand-written methods ran, in order.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>An advice value the design's own validation rejects with EINVAL (none by default).</summary>
    public Advice RejectedAdvice { get; set; } = (Advice)(-1);

    partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, LayoutCookie cookie, ref Errno error)
    {
        Trace.Add("validate");
        if (advice == RejectedAdvice)
        {
            error = Errno.EINVAL;
        }
    }

    private partial SysResult<VmaSnapshot> QueryVmasCore(Process target, uint flags)
    {
        Trace.Add("query");
        return new VmaSnapshot([], CurrentCookie);
    }

    private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, LayoutCookie cookie)
    {
        Trace.Add("core");
        return cookie != CurrentCookie ? Errno.ESTALE : ranges.Length;
    }
}
