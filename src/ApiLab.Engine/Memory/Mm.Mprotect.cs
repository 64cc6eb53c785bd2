using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>mprotect(2).</summary>
public sealed partial class Mm
{
    /// <summary>
    /// do_mprotect_pkey: EINVAL for an unaligned start, unknown prot bits or a wrapping length; ENOMEM when the start
    /// is unmapped or the range has a hole (VMAs before the hole keep the new protection, as in Linux); EACCES when a
    /// VMA may not get the protection (VM_MAY* missing); EPERM at a sealed VMA (6.10). Removing write access
    /// write-protects the PTEs (one TLB flush).
    /// </summary>
    public SysResult<int> Mprotect(ulong start, ulong length, Prot prot)
    {
        LockMmap();
        if (!Page.IsAligned(start) || ((int)prot & ~(int)(Prot.Read | Prot.Write | Prot.Exec)) != 0)
        {
            return Errno.EINVAL;
        }

        var len = Page.AlignUp(length);
        if (len == 0)
        {
            return length == 0 ? SysResult<int>.Ok(0) : Errno.ENOMEM;
        }

        var end = start + len;
        if (end <= start)
        {
            return Errno.ENOMEM;
        }

        var first = Vmas.Find(start);
        if (first is null)
        {
            return Errno.ENOMEM;
        }

        var wanted = (prot & Prot.Read) != 0 ? VmFlags.Read : VmFlags.None;
        wanted |= (prot & Prot.Write) != 0 ? VmFlags.Write : VmFlags.None;
        wanted |= (prot & Prot.Exec) != 0 ? VmFlags.Exec : VmFlags.None;
        var address = start;
        var flush = false;
        while (address < end)
        {
            var vma = Vmas.Find(address);
            if (vma is null)
            {
                return Errno.ENOMEM;
            }

            var may = (VmFlags)((ulong)(vma.Flags & (VmFlags.MayRead | VmFlags.MayWrite | VmFlags.MayExec)) >> 4);
            if ((wanted & ~may) != 0)
            {
                return Errno.EACCES;
            }

            // mprotect_fixup: a sealed VMA refuses even an unchanged protection; VMAs before it keep theirs.
            if (IsSealed(vma))
            {
                return Errno.EPERM;
            }

            var rangeEnd = Math.Min(vma.End, end);
            var losesWrite = (vma.Flags & VmFlags.Write) != 0 && (wanted & VmFlags.Write) == 0;
            var flags = (vma.Flags & ~VmFlags.AccessMask) | wanted;
            if (!vma.IsShared && (wanted & VmFlags.Write) != 0)
            {
                flags |= VmFlags.Account;
            }

            if (flags != vma.Flags)
            {
                if (!SplitAt(address) || !SplitAt(rangeEnd))
                {
                    return Errno.ENOMEM;
                }

                var index = Vmas.IndexOfFirstEndingAbove(address);
                Vmas[index].Flags = flags;
                BumpLayout();
                if (losesWrite)
                {
                    flush |= WriteProtectRange(address, rangeEnd);
                }

                MergeAround(index);
            }

            address = rangeEnd;
        }

        if (flush)
        {
            FlushTlb();
        }

        return 0;
    }

    /// <summary>Clears the write bit of every present PTE in the range; true if any changed.</summary>
    private bool WriteProtectRange(ulong start, ulong end)
    {
        var changed = false;
        for (var vpn = Page.ToVpn(start); vpn < Page.ToVpn(end); vpn++)
        {
            var pte = PageTable.Get(vpn);
            if (Pte.IsPresent(pte) && (pte & Pte.Write) != 0)
            {
                PageTable.Set(vpn, pte & ~Pte.Write);
                changed = true;
            }
        }

        return changed;
    }
}
