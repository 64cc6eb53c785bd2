namespace ApiLab.Engine;

/// <summary>The invariants of the per-mm state that exec, mlock, mseal, brk and stack growth keep.</summary>
public sealed partial class Machine
{
    /// <summary>
    /// An mm belongs to the process holding it; no exec is half done (no argument charge on the caller, no temporary
    /// stack flags); lock bits are coherent (on-fault implies locked; droppable, special and hugetlb VMAs are never
    /// locked; a locked VMA's mm knows it has locks); grows-down VMAs are private anonymous; the break is at or above
    /// its start. Messages are built only on failure: this runs after every syscall in tests.
    /// </summary>
    private static void CheckMmState(Process process, Mm mm)
    {
        if (!ReferenceEquals(mm.Owner, process))
        {
            Fail($"{process}: mm {mm.Identity} is owned by {mm.Owner}");
        }

        if (mm.ExecArgPages != 0)
        {
            Fail($"{process}: {mm.ExecArgPages} argument pages still charged by an exec");
        }

        if (mm.Brk < mm.StartBrk)
        {
            Fail($"{process}: brk 0x{mm.Brk:x} below start_brk 0x{mm.StartBrk:x}");
        }

        if ((mm.DefFlags & ~(VmFlags.LockedMask | VmFlags.NoHugePage)) != 0)
        {
            Fail($"{process}: def_flags {mm.DefFlags}");
        }

        for (var i = 0; i < mm.Vmas.Count; i++)
        {
            var vma = mm.Vmas[i];
            var flags = vma.Flags;
            if ((flags & VmFlags.StackIncompleteSetup) == VmFlags.StackIncompleteSetup)
            {
                Fail($"{process}: {vma} still has exec's temporary stack flags");
            }

            if ((flags & VmFlags.LockOnFault) != 0 && (flags & VmFlags.Locked) == 0)
            {
                Fail($"{process}: {vma} on-fault but not locked");
            }

            if ((flags & VmFlags.Locked) != 0
                && ((flags & (VmFlags.Droppable | VmFlags.Special | VmFlags.HugeTlb)) != 0 || !mm.MayHaveLockedVmas))
            {
                Fail($"{process}: {vma} cannot be locked, or is locked behind reclaim's back");
            }

            if ((flags & VmFlags.GrowsDown) != 0 && (!vma.IsAnonymous || vma.IsShared))
            {
                Fail($"{process}: {vma} grows down but is shared");
            }
        }
    }

    /// <summary>An unevictable frame is mapped by at least one VM_LOCKED VMA (otherwise munlock or unmap forgot it).</summary>
    private void CheckUnevictable(int frame)
    {
        if (!Frames.IsUnevictable(frame))
        {
            return;
        }

        foreach (var (mm, vpn) in Frames.Mappings(frame))
        {
            if (mm.Vmas.Find(Page.ToAddress(vpn)) is { } vma && (vma.Flags & VmFlags.Locked) != 0)
            {
                return;
            }
        }

        Fail($"frame {frame}: unevictable, but no locked VMA maps it");
    }

    private static void Fail(string message) => throw new InvariantViolationException(message);
}
