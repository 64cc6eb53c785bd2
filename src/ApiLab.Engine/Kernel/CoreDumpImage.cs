namespace ApiLab.Engine;

/// <summary>
/// What an ELF core dump of a process would contain: one program header per VMA, with its file size (zero for a VMA
/// the filter or VM_DONTDUMP leaves out) and, for the dumped ones, the content word of every page (zero for holes).
/// </summary>
public sealed record CoreDumpImage(int Pid, string Comm, uint CoredumpFilter, bool Dumpable, IReadOnlyList<CoreDumpSegment> Segments)
{
    /// <summary>Pages read from memory (not holes).</summary>
    public long PagesRead { get; init; }

    /// <summary>Of those, pages the dump had to fault in (swapped-out anon pages, shmem pages not in the cache).</summary>
    public long PagesFaultedIn { get; init; }
}

/// <summary>One PT_LOAD: the VMA's range and flags, its p_filesz, and the page contents written for it.</summary>
public sealed record CoreDumpSegment(ulong Start, ulong End, VmFlags Flags, ulong FileSize, IReadOnlyList<ulong> Pages)
{
    public bool Dumped => FileSize != 0;

    /// <summary>The value the dump holds for the page at <paramref name="address"/>: zero for holes and undumped VMAs.</summary>
    public ulong ValueAt(ulong address) =>
        address >= Start && address < Start + FileSize ? Pages[(int)((address - Start) >> Page.Shift)] : 0;
}
