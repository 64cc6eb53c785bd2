namespace ApiLab.Engine;

/// <summary>
/// A <c>struct vm_special_mapping</c> installed by <c>_install_special_mapping</c>: a named mapping whose own
/// <c>-&gt;fault</c> handler, not core mm, decides where its pages come from. The engine backs it with a page-cache
/// object of its own (so the VMA is VM_SHARED, as Lutomirski said it would be, seed 002) and lets the mapping choose
/// the two behaviours the droppable debate asked of it: what a child gets after fork, and what eviction does.
/// </summary>
public sealed class SpecialMapping(string name)
{
    /// <summary>The name <c>vm_ops-&gt;name</c> reports (shown in /proc/pid/maps); having one makes the core dump
    /// always include the mapping (<c>always_dump_vma</c>), whatever VM_DONTDUMP says.</summary>
    public string Name { get; } = name;

    /// <summary>Fork unmaps the pages, not the VMA: the child's copy is backed by a new, empty object, so its first
    /// access faults and the handler hands it a fresh zeroed page instead of the parent's.</summary>
    public bool FreshOnFork { get; init; }

    /// <summary>Evicted pages are not written out anywhere: reclaim discards them (dirty or not) and the next fault
    /// gets a zeroed page.</summary>
    public bool DiscardOnEvict { get; init; }
}
