using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Grows-down VMAs (MAP_GROWSDOWN and the exec stack): the stack guard gap, expand_downwards, and the fault-time
/// lookup that grows a stack when an access lands just below it (lock_mm_and_find_vma). GUP (process_vm_readv and
/// friends) never grows a stack since 6.5.
/// </summary>
public sealed partial class Mm
{
    /// <summary>stack_guard_gap: 256 pages (the stack_guard_gap= boot parameter's default; this host sets none).</summary>
    public const ulong StackGuardGap = 256 * Page.Size;

    /// <summary>mm->start_stack: where exec left the argument area; the VMA containing it is shown as [stack].</summary>
    public ulong StartStack { get; internal set; }

    /// <summary>vm_start_gap: a grows-down VMA's start minus the guard gap (0 on underflow); nothing may be mapped there.</summary>
    internal static ulong VmStartGap(Vma vma)
    {
        if ((vma.Flags & VmFlags.GrowsDown) == 0)
        {
            return vma.Start;
        }

        var start = vma.Start - StackGuardGap;
        return start > vma.Start ? 0 : start;
    }

    /// <summary>
    /// lock_mm_and_find_vma for a fault at <paramref name="address"/> with no VMA there: if the next VMA up grows
    /// down, expand it to cover the address; null (SIGSEGV) otherwise. The access check comes after, so a refused
    /// write still leaves the stack grown (checked on the 6.18 host).
    /// </summary>
    internal Vma? ExpandStackForFault(ulong address)
    {
        var vma = Vmas.FindFirstEndingAbove(address);
        if (vma is null || (vma.Flags & VmFlags.GrowsDown) == 0)
        {
            return null;
        }

        return ExpandDownwards(vma, address) == Errno.None ? vma : null;
    }

    /// <summary>
    /// expand_downwards: below mmap_min_addr → EPERM; closer than stack_guard_gap to an accessible VMA below that does
    /// not itself grow down → ENOMEM (a PROT_NONE neighbour may be touched: checked on the host); then
    /// acct_stack_growth: a stack larger than RLIMIT_STACK → ENOMEM, beyond RLIMIT_MEMLOCK if locked → ENOMEM. The
    /// VMA gets an anon_vma and its pgoff moves down with its start. mseal does not stop growth (host-checked).
    /// </summary>
    internal Errno ExpandDownwards(Vma vma, ulong address)
    {
        if ((vma.Flags & VmFlags.GrowsDown) == 0)
        {
            return Errno.EFAULT;
        }

        address = Page.AlignDown(address);
        if (address < Machine.Config.MmapMinAddr)
        {
            return Errno.EPERM;
        }

        var index = Vmas.IndexOfFirstEndingAbove(vma.Start);
        if (index > 0)
        {
            var prev = Vmas[index - 1];
            if ((prev.Flags & VmFlags.GrowsDown) == 0 && (prev.Flags & VmFlags.AccessMask) != 0
                && address - prev.End < StackGuardGap)
            {
                return Errno.ENOMEM;
            }
        }

        if (address >= vma.Start)
        {
            return Errno.None;
        }

        var size = vma.End - address;
        var grow = (vma.Start - address) >> Page.Shift;
        if (grow > vma.PgOff)
        {
            return Errno.ENOMEM;
        }

        var stackLimit = Owner?.Limits.Stack ?? ResourceLimits.Infinity;
        if (size > stackLimit || !MlockFutureOk(vma.Flags, grow << Page.Shift))
        {
            return Errno.ENOMEM;
        }

        if (vma.AnonVma == 0)
        {
            PrepareAnonVma(vma);
        }

        vma.Start = address;
        vma.PgOff -= grow;
        BumpLayout();
        return Errno.None;
    }

    /// <summary>
    /// get_user_pages_remote / pin_user_pages_remote for one page: faults it in as the access needs (a FOLL_WRITE pin
    /// breaks COW) without touching its contents. Since 6.5 (gup_vma_lookup) GUP never expands a stack: an address
    /// below a grows-down VMA is EFAULT.
    /// </summary>
    internal Errno GupFault(ulong address, bool write, FaultOrigin origin)
    {
        if (IsDead)
        {
            return Errno.ESRCH;
        }

        if (origin.Task is { UffdWait: not null })
        {
            return Errno.ERESTARTSYS;
        }

        var vma = Vmas.Find(address);
        if (vma is null || !AccessAllowed(vma, write))
        {
            return Errno.EFAULT;
        }

        var vpn = Page.ToVpn(address);
        var pte = PageTable.Get(vpn);
        return Pte.IsPresent(pte) && (!write || (pte & Pte.Write) != 0) ? Errno.None : HandleFault(vma, vpn, write, address, origin);
    }
}
