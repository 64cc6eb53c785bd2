using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// v14 without patch 3/7: Donenfeld's compromise for Molnar and Lutomirski (seed 002_310b7bb94a93504d.txt, Jason's
/// reply of 2023-01-03 quoted by Andy: "we could actually punt that part. The result will be that userspace just
/// retries the memory write and the fault happens again, and eventually it succeeds"). Everything else is v14: the
/// same syscall and the same VM_DROPPABLE | VM_DONTDUMP | VM_WIPEONFORK | VM_NORESERVE mapping. A write that cannot
/// get memory is not lost: the writer is stuck re-executing it until memory frees up (UNCONFIRMED: that the fault
/// kept v14's VM_FAULT_OOM masking, so no OOM kill happens meanwhile). Merged differently: the flag, not the syscall.
/// </summary>
[Proposal("droppable", "v14-retry", Title = "vgetrandom_alloc + VM_DROPPABLE, faulting writes retried (v14 minus 3/7)",
    Seed = "002_310b7bb94a93504d.txt", Author = "Jason A. Donenfeld", Date = "2023-01-03",
    Outcome = Outcome.MergedDifferently)]
public partial interface IVgetrandomAllocRetry
{
    /// <summary>vgetrandom_alloc(num, size_per_each, addr, flags), exactly as in v14.</summary>
    [Syscall("vgetrandom_alloc"), Target(TargetKind.Self), InvalidatesLayout]
    [Allocates(ExcludedFromDump = true, HiddenFromChild = true, NeverSwapped = true, MayVanish = true)]
    SysResult<ulong> Alloc(ulong num, ulong sizePerEach, [MustBeZero] ulong addr, [MustBeZero] uint flags);
}
