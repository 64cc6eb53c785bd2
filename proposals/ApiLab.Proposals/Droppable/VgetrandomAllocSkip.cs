using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// Jason A. Donenfeld's v14 (2023-01-01, <c>&lt;20230101162910.710293-3-Jason@zx2c4.com&gt;</c>; argued in seed
/// 002_310b7bb94a93504d.txt, Andy Lutomirski's reply of 2023-01-03 quoting Jason and Ingo Molnar). A new syscall,
/// vgetrandom_alloc, maps the vDSO getrandom() states as VM_DROPPABLE | VM_DONTDUMP | VM_WIPEONFORK | VM_NORESERVE
/// private anonymous memory: never dumped, zeroed in a child, never swapped (reclaim drops it even when dirty, so it
/// reads back as zero), never reserved. Patch 3/7 adds x86 instruction skipping: "If there's not enough memory to
/// service a page fault, it's not fatal, and no signal is sent. Instead, writes are simply lost." Lutomirski called
/// that "massively overcomplicated"; Molnar objected to the decoder. VM_DROPPABLE survived (as MAP_DROPPABLE in
/// 6.11); the syscall and the skipping did not. Guesses, marked: the state size (144 bytes) and that v14's mlock
/// left VM_DROPPABLE unlocked as the merged code does (both UNCONFIRMED).
/// </summary>
[Proposal("droppable", "v14-skip", Title = "vgetrandom_alloc + VM_DROPPABLE, faulting writes skipped (v14)",
    Seed = "002_310b7bb94a93504d.txt", Author = "Jason A. Donenfeld", Date = "2023-01-01",
    Outcome = Outcome.MergedDifferently)]
public partial interface IVgetrandomAllocSkip
{
    /// <summary>vgetrandom_alloc(num, size_per_each, addr, flags): <paramref name="num"/> and
    /// <paramref name="sizePerEach"/> are user pointers to unsigned ints (*size_per_each must be 0 on input; both are
    /// written back); addr and flags are reserved (nonzero → EINVAL, changing nothing). Returns the first state.</summary>
    [Syscall("vgetrandom_alloc"), Target(TargetKind.Self), InvalidatesLayout]
    [Allocates(ExcludedFromDump = true, HiddenFromChild = true, NeverSwapped = true, MayVanish = true)]
    SysResult<ulong> Alloc(ulong num, ulong sizePerEach, [MustBeZero] ulong addr, [MustBeZero] uint flags);
}
