using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>_install_special_mapping: a kernel-made mapping with its own fault handler (vdso-style).</summary>
public sealed partial class Mm
{
    /// <summary>
    /// Maps <paramref name="length"/> bytes (rounded up to pages) of <paramref name="mapping"/> at a free address
    /// (get_unmapped_area, top-down). The VMA is VM_SHARED | VM_MAYSHARE | VM_DONTEXPAND plus the protection's bits:
    /// VM_DONTEXPAND puts it in VM_SPECIAL, so it is never merged or grown and mlock leaves it unlocked. Length 0 →
    /// EINVAL; too long, too many VMAs or no room → ENOMEM. No commit charge (nothing private to account).
    /// </summary>
    public SysResult<ulong> InstallSpecialMapping(ulong length, Prot prot, SpecialMapping mapping)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        using var mmapLock = LockMmap(MmapLockMode.Write);
        if (length == 0)
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        if (len == 0 || len > Page.TaskSize || Vmas.Count > Machine.Config.MaxMapCount)
        {
            return Errno.ENOMEM;
        }

        var address = GetUnmappedArea(0, len);
        if (address == 0)
        {
            return Errno.ENOMEM;
        }

        var flags = VmFlagsFor(prot, MapFlags.Shared) | VmFlags.DontExpand;
        var backing = NewSpecialBacking(mapping, (long)(len >> Page.Shift));
        InsertAndMerge(new Vma(Machine.NextVmaIdentity(), address, address + len, flags, backing, 0));
        return address;
    }

    /// <summary>The page-cache object behind one special mapping in one mm.</summary>
    internal ShmemObject NewSpecialBacking(SpecialMapping mapping, long pages)
    {
        var backing = Machine.NewShmem(mapping.Name);
        backing.SizePages = pages;
        backing.MapCount = 1;
        backing.Special = mapping;
        return backing;
    }
}
