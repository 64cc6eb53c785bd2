namespace ApiLab.Proposals.Droppable;

/// <summary>
/// What a design's kernel does when a user write to its state memory faults and no page can be found: the question
/// Lutomirski and Molnar put to v14 (seed 002, Andy 2023-01-03: "We either OOM or we wait for memory to show up").
/// </summary>
public enum WriteFaultPolicy
{
    /// <summary>VM_FAULT_OOM as for any memory: pagefault_out_of_memory runs the OOM killer, then the write is retried.</summary>
    OomKill,

    /// <summary>v14 patch 3/7 (x86): the faulting instruction is skipped; the write silently does not happen.</summary>
    SkipWrite,

    /// <summary>v14 without 3/7: VM_FAULT_OOM is masked, the fault returns and the instruction re-executes, faulting
    /// again until memory shows up (Donenfeld's compromise, seed 002).</summary>
    RetryFault,
}
