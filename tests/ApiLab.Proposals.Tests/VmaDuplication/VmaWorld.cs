using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.VmaDuplication;

/// <summary>
/// A source process with an 8-page private anonymous heap (page i holds 100 + i; pages 4..7 paged out to swap) and a
/// destination process that will receive it, on a machine that checks its invariants after every syscall.
/// </summary>
internal sealed class VmaWorld
{
    public const int Pages = 8;
    public const int Resident = 4;
    public const ulong Dst = 0x20000000UL;

    public VmaWorld(Credentials? destination = null, Credentials? source = null)
    {
        Machine = new Machine(new MachineConfig { Frames = 1024, SwapSlots = 1024, CheckInvariants = true });
        Source = Machine.Spawn(source ?? Credentials.User(1000), "source").Value;
        Dest = Machine.Spawn(destination ?? Credentials.User(1000), "restorer").Value;
        Heap = Source.Mmap(0x10000000UL, Length, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.Fixed).Value;
        for (var i = 0; i < Pages; i++)
        {
            Source.Store(PageOf(Heap, i), 100 + (ulong)i);
        }

        Assert.True(Source.Madvise(PageOf(Heap, Resident), (Pages - Resident) * Page.Size, Advice.PageOut).IsOk);
        Assert.Equal(Pages - Resident, Source.Mm!.SwapEntries);
    }

    public static ulong Length => Pages * Page.Size;

    public Machine Machine { get; }

    public Process Source { get; }

    public Process Dest { get; }

    public ulong Heap { get; }

    public Pid SourcePid => new(Source.Pid);

    public static ulong PageOf(ulong start, int i) => start + ((ulong)i * Page.Size);

    /// <summary>The counters a call changed.</summary>
    public MachineStats Delta(Action action)
    {
        var before = Machine.Stats.Clone();
        action();
        var delta = new MachineStats();
        delta.AddDifference(Machine.Stats, before);
        return delta;
    }

    /// <summary>Frames some mm maps at two addresses (Shutemov's broken invariant), from the rmap itself.</summary>
    public static int DoublyMapped(Process process)
    {
        var frames = process.Machine.Frames;
        var seen = new HashSet<int>();
        var twice = 0;
        foreach (var vma in process.Mm!.Vmas.All())
        {
            for (var a = vma.Start; a < vma.End; a += Page.Size)
            {
                var pte = process.Mm.PageTable.Get(Page.ToVpn(a));
                if (Pte.IsPresent(pte) && Pte.Index(pte) != FramePool.ZeroPage && seen.Add(Pte.Index(pte))
                    && frames.Mappings(Pte.Index(pte)).Count(m => ReferenceEquals(m.Mm, process.Mm)) > 1)
                {
                    twice++;
                }
            }
        }

        return twice;
    }

    /// <summary>The heap's content as the source would read it, without faulting.</summary>
    public static ulong[] Contents(Process process, ulong start) =>
        [.. Enumerable.Range(0, Pages).Select(i => process.Mm!.Peek(PageOf(start, i)) ?? ulong.MaxValue)];
}
