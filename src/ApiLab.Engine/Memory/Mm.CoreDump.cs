using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>What a core dump of this mm reads (fs/coredump.c): which VMAs, how much of each, and each page's content.</summary>
public sealed partial class Mm
{
    /// <summary>The default /proc/pid/coredump_filter: anonymous private and shared, ELF headers, private hugetlb.</summary>
    public const uint DefaultCoredumpFilter = 0x33;

    /// <summary>MMF_DUMP_FILTER_BITS: the filter has nine bits; writes keep only those.</summary>
    public const uint CoredumpFilterMask = 0x1ff;

    private const uint DumpAnonPrivate = 1 << 0;
    private const uint DumpAnonShared = 1 << 1;

    /// <summary>The MMF_DUMP_* bits of mm->flags (/proc/pid/coredump_filter); inherited by fork and kept by exec.</summary>
    public uint CoredumpFilter { get; internal set; } = DefaultCoredumpFilter;

    /// <summary>
    /// vma_dump_size for the kinds of VMA the engine has: special mappings (always_dump_vma) → whole; VM_DONTDUMP (so every VM_DROPPABLE one) and VM_IO → nothing;
    /// shared anonymous (shmem with no link) → whole if ANON_SHARED; private anonymous → whole if it has an anon_vma
    /// (it was written to) and ANON_PRIVATE, nothing otherwise (there is no file to fall back to).
    /// </summary>
    internal ulong VmaDumpSize(Vma vma)
    {
        if (vma.Shmem?.Special is not null)
        {
            // always_dump_vma comes first: a VMA whose vm_ops has a ->name (every special mapping) is dumped whole.
            return vma.Length;
        }

        if ((vma.Flags & (VmFlags.DontDump | VmFlags.Io)) != 0)
        {
            return 0;
        }

        if (vma.IsShared)
        {
            return (CoredumpFilter & DumpAnonShared) != 0 ? vma.Length : 0;
        }

        return vma.AnonVma != 0 && (CoredumpFilter & DumpAnonPrivate) != 0 ? vma.Length : 0;
    }

    /// <summary>
    /// get_dump_page: GUP with FOLL_FORCE | FOLL_DUMP. In an anonymous VMA an empty entry or the zero page is a hole
    /// (no fault: no_page_table returns -EFAULT for FOLL_DUMP); a swap entry is faulted back in, so the page is
    /// resident afterwards; a guard marker faults with SIGSEGV: a hole. In a shmem VMA even an empty entry is faulted
    /// in, allocating the page-cache page (the host shows the whole shared range resident after a child dumped it).
    /// FOLL_FORCE lets PROT_NONE VMAs be read. An allocation failure is a hole too. Returns false for a hole.
    /// </summary>
    internal bool ReadDumpPage(Vma vma, ulong vpn, out ulong content)
    {
        content = 0;
        var pte = PageTable.Get(vpn);
        if (pte == Pte.None && vma.IsAnonymous)
        {
            return false;
        }

        if (!Pte.IsPresent(pte) && HandleFault(vma, vpn, write: false, Page.ToAddress(vpn), FaultOrigin.Kernel(Machine.Current)) != Errno.None)
        {
            return false;
        }

        pte = PageTable.Get(vpn);
        var frame = Pte.Index(pte);
        if (frame == FramePool.ZeroPage)
        {
            return false;
        }

        PageTable.Set(vpn, pte | Pte.Young);
        content = Machine.Frames.Content(frame);
        return true;
    }
}
