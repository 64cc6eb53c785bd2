namespace ApiLab.Lab.Scenarios.VmaDuplication;

/// <summary>Seed 003: give another process a mapping (checkpoint/restore, live migration) without copying it.</summary>
public sealed class VmaDuplicationDebate : IDebate
{
    public DebateInfo Info { get; } = new("vma-duplication",
        "Duplicating a mapping into another process: does it break rmap, memcg and private memory?",
        "003_e3f5c1e57564c3cc.txt",
        "Tkhai's process_vm_mmap copies page tables as fork does (no copy, no swap-in); Shutemov objected that it maps "
        + "the same anonymous page twice in one mm, Lutomirski proposed moving instead (still broken after fork), Horn "
        + "splicing into /proc/pid/mem, Hocko shared memory (which makes private memory shared); the status quo copies "
        + "with process_vm_readv/writev.");
}
