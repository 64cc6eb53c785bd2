using ApiLab.Spec;

namespace ApiLab.Proposals.Droppable;

/// <summary>
/// Andy Lutomirski's counter-proposal (seed 002_310b7bb94a93504d.txt, 2023-01-03): "make a special mapping ... with
/// callbacks that does the right thing. No fancy VM flags" — look for _install_special_mapping(). Evicted pages are
/// "not written out anywhere" and faulted back in by the mapping's own -&gt;fault; mlock is left alone ("If someone
/// mlocks() it, that's their problem"); and fork unmaps rather than wipes: "You really want unmap (the pages, not the
/// vma) on fork, not wipe on fork. It'll be VM_SHARED, and I'm not sure what VM_WIPEONFORK | VM_SHARED does."
/// The model answers that question the way the design does: the child's VMA is kept but backed by nothing, so its
/// first access faults and gets a fresh zero page (UNCONFIRMED: the thread does not say what the child's -&gt;fault
/// returns; a fresh page is the choice that keeps a child's vDSO working). Also UNCONFIRMED: the entry point (kept
/// as v14's vgetrandom_alloc ABI), the mapping's name "[vgetrandom]", and that an allocation failure in -&gt;fault
/// OOMs (Andy: "We either OOM or we wait"). What the thread did not notice and the engine shows: a special mapping
/// has a -&gt;name, so always_dump_vma puts it in every core dump, VM_DONTDUMP or not. Never merged.
/// </summary>
[Proposal("droppable", "special-mapping", Title = "Special mapping with its own ->fault, unmapped on fork",
    Seed = "002_310b7bb94a93504d.txt", Author = "Andy Lutomirski", Date = "2023-01-03",
    Outcome = Outcome.NeverMerged)]
public partial interface ISpecialMappingStates
{
    /// <summary>vgetrandom_alloc(num, size_per_each, addr, flags) installing a special mapping instead of a VMA with
    /// new flags (UNCONFIRMED entry point; same argument checks as v14).</summary>
    [Syscall("vgetrandom_alloc"), Target(TargetKind.Self), InvalidatesLayout]
    [Allocates(ExcludedFromDump = false, HiddenFromChild = true, NeverSwapped = true, MayVanish = true)]
    SysResult<ulong> Alloc(ulong num, ulong sizePerEach, [MustBeZero] ulong addr, [MustBeZero] uint flags);
}
