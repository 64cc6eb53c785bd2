using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// What was merged (6.11, commit 9651fcedf7b9, from Donenfeld's v22 of 2024-07-09): no new syscall, a new mmap type,
/// <c>mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_DROPPABLE, -1, 0)</c>, MAP_DROPPABLE = 0x08 in the
/// MAP_TYPE field. It sets VM_DROPPABLE | VM_NORESERVE | VM_WIPEONFORK | VM_DONTDUMP: never dumped, zeroed in the
/// child, never swapped (discarded under pressure even when dirty, reading back as zero), never locked (mlock
/// succeeds but sets no VM_LOCKED), never registered with userfaultfd; MADV_KEEPONFORK and MADV_DODUMP on it are
/// EINVAL, as is combining it with MAP_LOCKED, MAP_HUGETLB or MAP_GROWSDOWN (all checked on the 6.18 host). The
/// fault path is untouched: a write that finds no memory OOMs as any other would. The v14 thread it came from is
/// seed 002_310b7bb94a93504d.txt.
/// </summary>
[Proposal("droppable", "map-droppable", Title = "mmap(MAP_ANONYMOUS | MAP_DROPPABLE) (merged)",
    Seed = "002_310b7bb94a93504d.txt", Author = "Jason A. Donenfeld", Date = "2024-07-09",
    Outcome = Outcome.Merged, MergedIn = "6.11")]
public partial interface IMapDroppable
{
    /// <summary>mmap(2). The guarantees hold for MAP_DROPPABLE mappings (the flag the vDSO's opaque params return).</summary>
    [Syscall("mmap"), Target(TargetKind.Self), InvalidatesLayout]
    [Allocates(ExcludedFromDump = true, HiddenFromChild = true, NeverSwapped = true, MayVanish = true)]
    SysResult<ulong> Map(ulong address, ulong length, Prot prot, MapFlags flags, int fd, ulong offset);
}
