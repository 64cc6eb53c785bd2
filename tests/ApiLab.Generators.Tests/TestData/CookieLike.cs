using System;
using ApiLab.Spec;

namespace ApiLab.Generators.Tests.TestData;

/// <summary>
/// A cookie-checked process_madvise, for the generator's tests: a query returns the layout's
/// <see cref="LayoutCookie"/>, and every later call presents it ("test only", not a real design).
/// </summary>
[Proposal("test-madvise", "cookie-like", Title = "Cookie \"like\" design", Seed = "000_test.txt",
    Author = "A. Tester", Date = "2019-05-28", Outcome = Outcome.NeverMerged)]
public partial interface ICookieLike
{
    /// <summary>Returns the target's VMAs and the cookie that revalidates them.</summary>
    [Syscall("process_vm_getinfo"), Target(TargetKind.Pidfd), Requires(PtraceMode.ReadFsCreds)]
    [Snapshot(RevalidatedBy = typeof(LayoutCookie))]
    SysResult<VmaSnapshot> QueryVmas(Pidfd target, [MustBeZero] uint flags);

    /// <summary>
    /// Applies <paramref name="advice"/> to <paramref name="ranges"/>, unless <paramref name="cookie"/> is stale.
    /// </summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Advise(
        Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags, [Revalidates] LayoutCookie cookie);
}
