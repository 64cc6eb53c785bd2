using ApiLab.Spec;

namespace ApiLab.Proposals.RemoteMadvise;

/// <summary>
/// Daniel Colascione's cookie design (seed 000, 2019-05-28; never merged). process_vm_getinfo returns the VMAs and
/// one address-space-wide "VMA configuration sequence number"; process_madvise takes the ranges plus that number and
/// acts only if no VMA changed since, so a new VMA appearing inside a range is caught too. Guesses, marked as such:
/// the stale-cookie errno was never specified (ESTALE here); the descriptor size (64 bytes per VMA) is assumed.
/// </summary>
[Proposal("remote-madvise", "cookie", Title = "VMA query + layout sequence number (cookie)",
    Seed = "000_9de8a7c864f17f9f.txt", Author = "Daniel Colascione", Date = "2019-05-28",
    Outcome = Outcome.NeverMerged)]
public partial interface ICookieMadvise
{
    /// <summary>process_vm_getinfo(pidfd): the layout as binary records plus the layout sequence number, read under
    /// the mmap lock so the two agree.</summary>
    [Syscall("process_vm_getinfo"), Target(TargetKind.Pidfd), Requires(PtraceMode.ReadFsCreds)]
    [Snapshot(RevalidatedBy = typeof(LayoutCookie))]
    SysResult<VmaSnapshot> QueryVmas(Pidfd target);

    /// <summary>process_madvise with a cookie: fails with ESTALE (UNCONFIRMED errno), changing nothing, when the
    /// target's layout sequence number moved on since the query.</summary>
    [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
    [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
    SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [Revalidates] LayoutCookie cookie);
}
