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

    public IReadOnlyList<DebateArgument> Arguments { get; } =
    [
        new("Kirill Tkhai", "Duplicating page tables moves memory without copying it and without swapping it in.",
            "<155836064844.2441.10911127801797083064.stgit@localhost.localdomain>", "pages_swapped_in"),
        new("Kirill Tkhai", "Copying costs what duplication avoids.", "seed 003", "bytes_copied"),
        new("Kirill Shutemov", "It maps the same page several times in one process, which was not allowed before (fork-and-pass-back).",
            "<20190524115239.ugxv766doolc6nsc@box>", "double_mapped_pages"),
        new("Kirill Tkhai", "The memcg charge stays where it was, the same as after fork()+mremap().", "seed 003", "memcg_source"),
        new("Michal Hocko", "Why not shared memory?", "20190516135259.GU16651@dhcp22.suse.cz", "harm"),
    ];
}
