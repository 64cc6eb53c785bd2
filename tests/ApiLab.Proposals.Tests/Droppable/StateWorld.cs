using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.Droppable;

/// <summary>
/// An owner process on a small checked machine (with swap, so that plain memory can reach it), two words of its own
/// memory for vgetrandom_alloc's in/out arguments, and a memory hog that can take every free frame with locked memory.
/// </summary>
internal sealed class StateWorld
{
    public const ulong Secret = 0x5ec12e7_0000UL;
    public const int Frames = 64;

    public StateWorld(Credentials? owner = null)
    {
        Machine = new Machine(new MachineConfig { Frames = Frames, SwapSlots = 64, CheckInvariants = true });
        Owner = Machine.Spawn(owner ?? Credentials.User(1000), "owner").Value;
        // One word per page in the engine, so each in/out argument gets a page of its own.
        Args = Owner.Mm!.MmapAnonymous(0, 2 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
    }

    public Machine Machine { get; }

    public Process Owner { get; }

    public ulong Args { get; }

    public ulong NumPointer => Args;

    public ulong SizePointer => Args + Page.Size;

    public Process? Hog { get; private set; }

    /// <summary>Sets *num and *size_per_each as a caller of vgetrandom_alloc would.</summary>
    public void SetArgs(ulong num, ulong sizePerEach = 0)
    {
        Assert.True(Owner.Store(NumPointer, num).IsOk);
        Assert.True(Owner.Store(SizePointer, sizePerEach).IsOk);
    }

    public ulong Num => Owner.Load(NumPointer).Value;

    public ulong SizePerEach => Owner.Load(SizePointer).Value;

    public Vma VmaAt(ulong address) => Owner.Mm!.Vmas.Find(address)!;

    /// <summary>Writes <see cref="Secret"/> + page index into each page of the range (faulting each in).</summary>
    public void Fill(ulong start, int pages)
    {
        for (var i = 0; i < pages; i++)
        {
            Assert.True(Owner.Store(start + ((ulong)i * Page.Size), Secret + (ulong)i).IsOk);
        }
    }

    /// <summary>A hog with CAP_IPC_LOCK maps and populates locked memory until no frame is left: everything reclaim
    /// can take (droppable pages dropped, plain ones swapped) is taken.</summary>
    public void ExhaustMemory()
    {
        Hog = Machine.Spawn(Credentials.User(1001).With(Capability.IpcLock), "hog").Value;
        Assert.True(Hog.Mmap(0, Frames * Page.Size, Prot.ReadWrite,
            MapFlags.Private | MapFlags.Anonymous | MapFlags.Locked | MapFlags.Populate).IsOk);
        Assert.Equal(0, Machine.Frames.FreeCount);
    }

    /// <summary>Direct reclaim of everything reclaimable.</summary>
    public int ReclaimAll() => Machine.Reclaim(Frames);

    /// <summary>Whether any swap slot in use holds one of the owner's secret words.</summary>
    public bool SwapHoldsSecret()
    {
        for (var slot = 1; slot <= Machine.Swap.Slots; slot++)
        {
            if (Machine.Swap.Count(slot) > 0 && IsSecret(Machine.Swap.Content(slot)))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsSecret(ulong value) => (value & ~0xffffUL) == Secret;

    /// <summary>Whether a core dump of the owner, taken now, holds any secret word.</summary>
    public bool DumpHoldsSecret() =>
        Machine.CoreDump(Owner).Value.Segments.Any(s => s.Pages.Any(IsSecret));
}
