using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// UFFDIO_REGISTER / UFFDIO_UNREGISTER and release, on the userfaultfd's own mm: setting and clearing the VM_UFFD_*
/// flags with the splits and merges of vma_modify_flags_uffd, so /proc/pid/maps has Linux's shape.
/// </summary>
public sealed partial class Mm
{
    /// <summary>
    /// userfaultfd_register (checks) + userfaultfd_register_range (changes). At least one VMA must overlap
    /// [start, end); holes are skipped (as on the 6.18 host). Every overlapping VMA is checked before anything changes:
    /// one that cannot take these modes → EINVAL, one without VM_MAYWRITE → EPERM, one registered with another
    /// userfaultfd → EBUSY. A VMA already registered with this one in (at least) these modes is left alone; any other
    /// gets exactly these modes (a new registration replaces the old modes). A split beyond max_map_count → ENOMEM.
    /// </summary>
    internal Errno UffdRegister(UserfaultfdFile ctx, ulong start, ulong end, VmFlags modes)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var first = Vmas.IndexOfFirstEndingAbove(start);
        if (first >= Vmas.Count || Vmas[first].Start >= end)
        {
            return Errno.EINVAL;
        }

        for (var i = first; i < Vmas.Count && Vmas[i].Start < end; i++)
        {
            var vma = Vmas[i];
            if (!CanUserfault(vma, modes))
            {
                return Errno.EINVAL;
            }

            if ((vma.Flags & VmFlags.MayWrite) == 0)
            {
                return Errno.EPERM;
            }

            if (vma.Uffd is { } owner && !ReferenceEquals(owner, ctx))
            {
                return Errno.EBUSY;
            }
        }

        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address);
            if (vma is null || vma.Start >= end)
            {
                break;
            }

            var from = Math.Max(vma.Start, address);
            var to = Math.Min(vma.End, end);
            if (!ReferenceEquals(vma.Uffd, ctx) || (vma.Flags & modes) != modes)
            {
                var error = SetUffd(from, to, (vma.Flags & ~VmFlags.UffdMask) | modes, ctx);
                if (error != Errno.None)
                {
                    return error;
                }
            }

            address = to;
        }

        return Errno.None;
    }

    /// <summary>
    /// userfaultfd_unregister: at least one VMA must overlap (EINVAL); a VMA that could never be registered, or one
    /// registered with another userfaultfd, → EINVAL before anything changes. Each registered part is unprotected and
    /// loses its flags (merging back); tasks asleep on a MISSING range are woken first — a WP-only range is not woken
    /// (they sleep until UFFDIO_WAKE, as on the 6.18 host).
    /// </summary>
    internal Errno UffdUnregister(UserfaultfdFile ctx, ulong start, ulong end)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var first = Vmas.IndexOfFirstEndingAbove(start);
        if (first >= Vmas.Count || Vmas[first].Start >= end)
        {
            return Errno.EINVAL;
        }

        for (var i = first; i < Vmas.Count && Vmas[i].Start < end; i++)
        {
            var vma = Vmas[i];
            if (!CanUserfault(vma, vma.Flags) || (vma.Uffd is { } owner && !ReferenceEquals(owner, ctx)))
            {
                return Errno.EINVAL;
            }
        }

        var address = start;
        while (address < end)
        {
            var vma = Vmas.FindFirstEndingAbove(address);
            if (vma is null || vma.Start >= end)
            {
                break;
            }

            var from = Math.Max(vma.Start, address);
            var to = Math.Min(vma.End, end);
            if (vma.Uffd is not null)
            {
                if ((vma.Flags & VmFlags.UffdMissing) != 0)
                {
                    ctx.Wake(from, to - from);
                }

                var error = ClearUffd(vma, from, to);
                if (error != Errno.None)
                {
                    return error;
                }
            }

            address = to;
        }

        return Errno.None;
    }

    /// <summary>userfaultfd_release_all: every VMA registered with <paramref name="ctx"/> is unregistered (and merged).</summary>
    internal void UffdReleaseAll(UserfaultfdFile ctx)
    {
        using var mmapLock = LockMmap(MmapLockMode.Write);
        var address = 0UL;
        while (Vmas.FindFirstEndingAbove(address) is { } vma)
        {
            var end = vma.End;
            if (ReferenceEquals(vma.Uffd, ctx))
            {
                // The whole VMA: no split, so this cannot fail.
                ClearUffd(vma, vma.Start, end);
            }

            address = end;
        }
    }

    /// <summary>
    /// userfaultfd_reset_ctx over every VMA of a fork-event context that was never read: flags and context go, without
    /// a merge (as userfaultfd_release_new does). Like Linux, it leaves the PTEs' uffd-wp bits behind: without
    /// VM_UFFD_WP nothing acts on them (userfaultfd_pte_wp checks the VMA), and a leftover marker is dropped on fault.
    /// </summary>
    internal void UffdResetAll(UserfaultfdFile ctx)
    {
        for (var i = 0; i < Vmas.Count; i++)
        {
            var vma = Vmas[i];
            if (!ReferenceEquals(vma.Uffd, ctx))
            {
                continue;
            }

            vma.Flags &= ~VmFlags.UffdMask;
            vma.Uffd = null;
            BumpLayout();
        }
    }

    /// <summary>
    /// vma_can_userfault: never VM_DROPPABLE; MINOR only on shmem (no hugetlbfs here); anonymous and shmem VMAs
    /// otherwise, not special mappings (they have vm_ops and no page cache) nor regular files (without
    /// UFFD_FEATURE_WP_ASYNC, which the engine does not offer).
    /// </summary>
    private static bool CanUserfault(Vma vma, VmFlags modes)
    {
        if ((vma.Flags & (VmFlags.Droppable | VmFlags.Special)) != 0 || vma.Shmem is { IsRegularFile: true })
        {
            return false;
        }

        return (modes & VmFlags.UffdMinor) == 0 || vma.Shmem is not null;
    }

    /// <summary>userfaultfd_clear_vma: unprotects the range if the VMA tracked writes, then drops flags and context.</summary>
    private Errno ClearUffd(Vma vma, ulong from, ulong to)
    {
        if ((vma.Flags & VmFlags.UffdWp) != 0)
        {
            UffdWpRange(vma, from, to, enable: false);
        }

        return SetUffd(from, to, vma.Flags & ~VmFlags.UffdMask, null);
    }

    /// <summary>vma_modify_flags_uffd: splits at the edges, sets flags and context, merges where Linux would.</summary>
    private Errno SetUffd(ulong start, ulong end, VmFlags flags, UserfaultfdFile? ctx)
    {
        if (!SplitAt(start) || !SplitAt(end))
        {
            return Errno.ENOMEM;
        }

        var index = Vmas.IndexOfFirstEndingAbove(start);
        var vma = Vmas[index];
        vma.Flags = flags;
        vma.Uffd = ctx;
        BumpLayout();
        MergeAround(index);
        return Errno.None;
    }
}
