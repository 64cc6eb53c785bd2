using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>mprotect(2).</summary>
public sealed partial class Mm
{
    /// <summary>PROT_SEM: accepted and ignored on x86 (arch_validate_prot).</summary>
    private const int ProtSem = 0x8;

    /// <summary>PROT_GROWSDOWN / PROT_GROWSUP: extend the change to the start (end) of a growing stack VMA.</summary>
    private const int ProtGrowsDown = 0x01000000;

    private const int ProtGrowsUp = 0x02000000;

    /// <summary>
    /// do_mprotect_pkey, checks in its order: both GROWS bits → EINVAL; unaligned start → EINVAL; zero length → 0;
    /// wrapping length → ENOMEM; prot bits beyond R/W/X/SEM → EINVAL; unmapped start → ENOMEM; PROT_GROWSDOWN on a VMA
    /// that does not grow down (or PROT_GROWSUP, which x86 has no VMA for) → EINVAL. A hole later in the range →
    /// ENOMEM, the VMAs before it keeping the new protection; a VMA that may not get it (VM_MAY*) → EACCES; a sealed
    /// VMA (6.10) → EPERM.
    /// Removing write access write-protects the PTEs (one TLB flush).
    /// </summary>
    public SysResult<int> Mprotect(ulong start, ulong length, Prot prot)
    {
        var bits = (int)prot;
        var grows = bits & (ProtGrowsDown | ProtGrowsUp);
        bits &= ~(ProtGrowsDown | ProtGrowsUp);
        if (grows == (ProtGrowsDown | ProtGrowsUp) || !Page.IsAligned(start))
        {
            return Errno.EINVAL;
        }

        if (length == 0)
        {
            return 0;
        }

        var len = Page.AlignUp(length);
        var end = start + len;
        if (end <= start)
        {
            return Errno.ENOMEM;
        }

        if ((bits & ~(int)(Prot.Read | Prot.Write | Prot.Exec) & ~ProtSem) != 0)
        {
            return Errno.EINVAL;
        }

        using var mmapLock = LockMmap(MmapLockMode.Write);
        var first = Vmas.Find(start);
        if (first is null)
        {
            return Errno.ENOMEM;
        }

        if (grows == ProtGrowsUp || (grows == ProtGrowsDown && (first.Flags & VmFlags.GrowsDown) == 0))
        {
            return Errno.EINVAL;
        }

        if (grows == ProtGrowsDown)
        {
            start = first.Start;
        }

        prot = (Prot)bits;
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
            var oldFlags = vma.Flags;
            var flags = (vma.Flags & ~VmFlags.AccessMask) | wanted;
            if ((wanted & VmFlags.Write) != 0)
            {
                // mprotect_fixup charges commit for newly writable private memory, except VM_NORESERVE.
                if ((oldFlags & (VmFlags.Account | VmFlags.Write | VmFlags.HugeTlb | VmFlags.Shared | VmFlags.NoReserve)) == 0)
                {
                    flags |= VmFlags.Account;
                }
            }
            else if ((wanted & VmFlags.Write) == 0 && vma.IsAnonymous && vma.AnonVma == 0)
            {
                // mprotect_fixup: commit charged for write access is given back only while no anon_vma exists.
                flags &= ~VmFlags.Account;
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

                // mprotect_fixup: a locked private VMA made writable is populated at once (COW broken up front).
                if ((oldFlags & (VmFlags.Write | VmFlags.Shared | VmFlags.Locked)) == VmFlags.Locked && (flags & VmFlags.Write) != 0)
                {
                    if (PopulateLocked(address, rangeEnd, ignoreErrors: true) == Errno.ERESTARTSYS)
                    {
                        // Asleep in a userfault: the call is retried, and redoing it changes nothing more.
                        return Errno.ERESTARTSYS;
                    }
                }
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
