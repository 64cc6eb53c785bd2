namespace ApiLab.Engine;

/// <summary>Splitting, merging and inserting VMAs, following mm/vma.c's rules.</summary>
public sealed partial class Mm
{
    /// <summary>
    /// __split_vma: if a VMA straddles <paramref name="address"/>, cut it there. The lower part keeps the identity; the
    /// upper part is a new VMA. Returns false when the split would exceed vm.max_map_count (ENOMEM). split_vma checks
    /// the count; munmap calls __split_vma directly, having checked it once for the whole range
    /// (<paramref name="checkMapCount"/> false).
    /// </summary>
    internal bool SplitAt(ulong address, bool checkMapCount = true)
    {
        var index = Vmas.IndexOfFirstEndingAbove(address);
        if (index >= Vmas.Count)
        {
            return true;
        }

        var vma = Vmas[index];
        if (vma.Start >= address)
        {
            return true;
        }

        if (checkMapCount && Vmas.Count >= Machine.Config.MaxMapCount)
        {
            return false;
        }

        var upper = new Vma(Machine.NextVmaIdentity(), address, vma.End, vma.Flags, vma.Shmem,
            vma.PgOff + ((address - vma.Start) >> Page.Shift))
        {
            AnonVma = vma.AnonVma,
            Uffd = vma.Uffd,
        };
        if (vma.Shmem is { } shmem)
        {
            shmem.MapCount++;
        }

        vma.End = address;
        Vmas.Insert(upper);
        BumpLayout();
        return true;
    }

    /// <summary>is_mergeable_vma (flags, file, userfaultfd context) + anon_vma compatibility + pgoff contiguity, for
    /// <paramref name="a"/> directly below <paramref name="b"/>.</summary>
    internal static bool CanMerge(Vma a, Vma b)
    {
        if (a.End != b.Start || ((a.Flags ^ b.Flags) & ~VmFlags.SoftDirty) != 0 || (a.Flags & VmFlags.Special) != 0
            || !ReferenceEquals(a.Uffd, b.Uffd))
        {
            return false;
        }

        if (!ReferenceEquals(a.Shmem, b.Shmem) || a.PgOff + ((a.End - a.Start) >> Page.Shift) != b.PgOff)
        {
            return false;
        }

        return a.AnonVma == 0 || b.AnonVma == 0 || a.AnonVma == b.AnonVma;
    }

    /// <summary>
    /// Merges the VMA at <paramref name="index"/> with its neighbours where Linux would. The lower VMA survives a merge
    /// (vma_expand of prev); with only the next one compatible, the next survives, expanded downward.
    /// Returns the surviving VMA.
    /// </summary>
    internal Vma MergeAround(int index)
    {
        var vma = Vmas[index];
        if (index + 1 < Vmas.Count && CanMerge(vma, Vmas[index + 1]))
        {
            var next = Vmas[index + 1];
            if (index > 0 && CanMerge(Vmas[index - 1], vma) && AnonVmaCompatible(Vmas[index - 1], next))
            {
                var prev = Vmas[index - 1];
                Absorb(prev, vma, index);
                Absorb(prev, next, index);
                return prev;
            }

            next.Start = vma.Start;
            next.PgOff = vma.PgOff;
            next.AnonVma = next.AnonVma != 0 ? next.AnonVma : vma.AnonVma;
            Release(vma);
            Vmas.RemoveAt(index);
            BumpLayout();
            return next;
        }

        if (index > 0 && CanMerge(Vmas[index - 1], vma))
        {
            var prev = Vmas[index - 1];
            Absorb(prev, vma, index);
            return prev;
        }

        return vma;
    }

    private static bool AnonVmaCompatible(Vma a, Vma b) => a.AnonVma == 0 || b.AnonVma == 0 || a.AnonVma == b.AnonVma;

    private void Absorb(Vma prev, Vma victim, int victimIndex)
    {
        prev.End = victim.End;
        prev.AnonVma = prev.AnonVma != 0 ? prev.AnonVma : victim.AnonVma;
        Release(victim);
        Vmas.RemoveAt(victimIndex);
        BumpLayout();
    }

    /// <summary>Drops a VMA's reference on its backing object.</summary>
    private static void Release(Vma vma)
    {
        if (vma.Shmem is { } shmem)
        {
            shmem.MapCount--;
        }
    }

    /// <summary>Inserts a new VMA and merges it with its neighbours.</summary>
    internal Vma InsertAndMerge(Vma vma)
    {
        var index = Vmas.Insert(vma);
        BumpLayout();
        return MergeAround(index);
    }
}
