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
            AnonVmaInherited = vma.AnonVmaInherited,
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

    /// <summary>is_mergeable_vma (flags, file, userfaultfd context) + pgoff contiguity, for <paramref name="a"/>
    /// directly below <paramref name="b"/>.</summary>
    internal static bool Adjacent(Vma a, Vma b) =>
        a.End == b.Start && ((a.Flags ^ b.Flags) & ~VmFlags.SoftDirty) == 0 && (a.Flags & VmFlags.Special) == 0
        && ReferenceEquals(a.Uffd, b.Uffd) && ReferenceEquals(a.Shmem, b.Shmem)
        && a.PgOff + ((a.End - a.Start) >> Page.Shift) == b.PgOff;

    /// <summary>
    /// is_mergeable_anon_vma (6.16+), for <paramref name="source"/> merging into <paramref name="target"/>: the same
    /// anon_vma (or none on either); or one side without one, provided the side that has one did not inherit it at
    /// fork (vma_had_uncowed_parents: its anon_vma chain is not singular). Host-verified both ways: a child's inherited
    /// VMA neither absorbs nor is absorbed by a neighbour without an anon_vma.
    /// </summary>
    private static bool AnonCompatible(Vma target, Vma source)
    {
        if (target.AnonVma == source.AnonVma)
        {
            return true;
        }

        if (source.AnonVma == 0)
        {
            return !target.AnonVmaInherited;
        }

        return target.AnonVma == 0 && !source.AnonVmaInherited;
    }

    /// <summary>
    /// Merges the VMA at <paramref name="index"/> with its neighbours where Linux would (vma_merge_existing_range and
    /// vma_merge_new_range): both when possible, else into the previous one (which survives, expanded), else into the
    /// next one (which survives, expanded downward). Returns the surviving VMA.
    /// </summary>
    internal Vma MergeAround(int index)
    {
        var vma = Vmas[index];
        var prev = index > 0 ? Vmas[index - 1] : null;
        var next = index + 1 < Vmas.Count ? Vmas[index + 1] : null;
        var left = prev is not null && Adjacent(prev, vma) && AnonCompatible(prev, vma);
        var right = next is not null && Adjacent(vma, next) && AnonCompatible(next, vma);
        if (left && right && AnonCompatible(prev!, next!))
        {
            Absorb(prev!, vma, index);
            Absorb(prev!, next!, index);
            return prev!;
        }

        if (left)
        {
            Absorb(prev!, vma, index);
            return prev!;
        }

        if (right)
        {
            next!.Start = vma.Start;
            next.PgOff = vma.PgOff;
            TakeAnonVma(next, vma);
            Release(vma);
            Vmas.RemoveAt(index);
            BumpLayout();
            return next;
        }

        return vma;
    }

    /// <summary>Merges the VMA at <paramref name="index"/> with the next one only, where Linux would.</summary>
    internal void MergeWithNext(int index)
    {
        if (index + 1 < Vmas.Count && Adjacent(Vmas[index], Vmas[index + 1]) && AnonCompatible(Vmas[index], Vmas[index + 1]))
        {
            Absorb(Vmas[index], Vmas[index + 1], index + 1);
        }
    }

    private void Absorb(Vma prev, Vma victim, int victimIndex)
    {
        prev.End = victim.End;
        TakeAnonVma(prev, victim);
        Release(victim);
        Vmas.RemoveAt(victimIndex);
        BumpLayout();
    }

    /// <summary>
    /// __anon_vma_prepare → find_mergeable_anon_vma: a VMA getting its first anon_vma reuses its next, else its previous,
    /// neighbour's when the two could merge but for protections (anon_vma_compatible) and that neighbour's chain is
    /// singular (reusable_anon_vma); otherwise it gets a new one. Host-verified: VMAs prepared one after another by
    /// one madvise merge later.
    /// </summary>
    internal void PrepareAnonVma(Vma vma)
    {
        var index = Vmas.IndexOfFirstEndingAbove(vma.Start);
        var next = index + 1 < Vmas.Count ? Vmas[index + 1] : null;
        var prev = index > 0 ? Vmas[index - 1] : null;
        if (next is not null && Reusable(next, vma, next))
        {
            vma.AnonVma = next.AnonVma;
        }
        else if (prev is not null && Reusable(prev, prev, vma))
        {
            vma.AnonVma = prev.AnonVma;
        }
        else
        {
            vma.AnonVma = Machine.NextObjectIdentity();
        }

        vma.AnonVmaInherited = false;
    }

    /// <summary>reusable_anon_vma + anon_vma_compatible, for <paramref name="a"/> directly below <paramref name="b"/>.</summary>
    private static bool Reusable(Vma old, Vma a, Vma b) =>
        old.AnonVma != 0 && !old.AnonVmaInherited && a.End == b.Start && ReferenceEquals(a.Shmem, b.Shmem)
        && ((a.Flags ^ b.Flags) & ~(VmFlags.AccessMask | VmFlags.SoftDirty)) == 0
        && b.PgOff == a.PgOff + ((b.Start - a.Start) >> Page.Shift);

    /// <summary>The surviving VMA of a merge keeps its anon_vma, or takes the other's (dup_anon_vma).</summary>
    private static void TakeAnonVma(Vma survivor, Vma other)
    {
        if (survivor.AnonVma == 0 && other.AnonVma != 0)
        {
            survivor.AnonVma = other.AnonVma;
            survivor.AnonVmaInherited = other.AnonVmaInherited;
        }
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
