using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// A virtual memory area. <see cref="Id"/> is unique for the machine's life and never reused: a split keeps it on the
/// lower part and gives the upper part a new one, a merge keeps the surviving VMA's, a moved VMA gets a new one (as
/// Linux allocates a new vm_area_struct in each of these cases). The lab uses it to tell what an operation really hit.
/// </summary>
public sealed class Vma
{
    private ulong _start;
    private ulong _end;

    internal Vma(ulong id, ulong start, ulong end, VmFlags flags, ShmemObject? shmem, ulong pgoff)
    {
        Id = id;
        Start = start;
        End = end;
        Flags = flags;
        Shmem = shmem;
        PgOff = pgoff;
    }

    public ulong Id { get; internal set; }

    public ulong Start
    {
        get => _start;
        internal set
        {
            _start = value;
            Tree?.MarkDirty();
        }
    }

    public ulong End
    {
        get => _end;
        internal set
        {
            _end = value;
            Tree?.MarkDirty();
        }
    }

    /// <summary>The tree this VMA is in, so a bounds change can invalidate the tree's search index.</summary>
    internal VmaTree? Tree { get; set; }

    public VmFlags Flags { get; internal set; }

    /// <summary>The shmem object behind a shared anonymous mapping, or null for private anonymous memory.</summary>
    public ShmemObject? Shmem { get; internal set; }

    /// <summary>vm_pgoff, in pages: the object offset for shmem, addr &gt;&gt; PAGE_SHIFT at creation for anon.</summary>
    public ulong PgOff { get; internal set; }

    /// <summary>vm_userfaultfd_ctx: the userfaultfd this VMA is registered with (non-null exactly when a VmFlags.Uffd*
    /// bit is set). Part of the merge key, as is_mergeable_vm_userfaultfd_ctx compares it.</summary>
    public UserfaultfdFile? Uffd { get; internal set; }

    /// <summary>The anon_vma's identity (0 until the first anonymous fault). Merging needs compatible anon_vmas.</summary>
    public ulong AnonVma { get; internal set; }

    /// <summary>The anon_vma chain also links a parent's anon_vma (the VMA was copied at fork), so it is not singular.</summary>
    internal bool AnonVmaInherited { get; set; }

    public ulong Length => End - Start;

    public bool IsAnonymous => Shmem is null;

    public bool IsShared => (Flags & VmFlags.Shared) != 0;

    public Prot Prot =>
        ((Flags & VmFlags.Read) != 0 ? Prot.Read : Prot.None)
        | ((Flags & VmFlags.Write) != 0 ? Prot.Write : Prot.None)
        | ((Flags & VmFlags.Exec) != 0 ? Prot.Exec : Prot.None);

    public bool Contains(ulong address) => address >= Start && address < End;

    public override string ToString() => $"vma#{Id} {Start:x}-{End:x} {Flags}";
}
