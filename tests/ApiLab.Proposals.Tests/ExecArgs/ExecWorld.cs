using ApiLab.Engine;
using ApiLab.Spec;

namespace ApiLab.Proposals.Tests.ExecArgs;

/// <summary>
/// A machine with one process that already runs an image (a first, ordinary exec gave it a [stack]), ready to exec
/// again through a design. No per-syscall invariant checks: they cannot see a half-done exec; tests run the
/// checker themselves once an exec has finished or failed.
/// </summary>
internal sealed class ExecWorld
{
    public static readonly ExecOptions Native = ExecOptions.Default with { Filename = "/bin/next" };
    public static readonly ExecOptions NativeSameTop = Native with { StackRandomization = 0 };
    public static readonly ExecOptions Compat = Native with { Abi = ExecAbi.Compat32 };

    public ExecWorld(int frames = 4096, int swapSlots = 4096, int uid = 1000)
    {
        Machine = new Machine(new MachineConfig { Frames = frames, SwapSlots = swapSlots });
        Execer = Machine.Spawn(Credentials.User(uid), "execer").Value;
        Assert.True(Execer.Execve(["/bin/init"], ["PATH=/bin"], ExecOptions.Default with { Filename = "/bin/init" }).IsOk);
    }

    public Machine Machine { get; }

    public Process Execer { get; }

    public Vma Stack => Execer.Mm!.Vmas.Find(Execer.Mm.StartStack)!;

    /// <summary>Maps a page below the stack so that it can grow by at most <paramref name="room"/> bytes more.</summary>
    public void LeaveRoomBelowStack(ulong room)
    {
        var at = Stack.Start - room - Mm.StackGuardGap - Page.Size;
        Assert.True(Execer.Mmap(at, Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous | MapFlags.FixedNoReplace).IsOk);
    }

    /// <summary>The content word of every page from start_stack's page up to the stack's end.</summary>
    public static ulong[] StackImage(Process process, ExecStats stats)
    {
        var pages = new List<ulong>();
        for (var a = Page.AlignDown(stats.StartStack); a < stats.StackEnd; a += Page.Size)
        {
            pages.Add(process.Load(a).Value);
        }

        return [.. pages];
    }

    /// <summary>argv whose strings (NULs included) add up to about <paramref name="kib"/> KiB.</summary>
    public static string[] ArgvOfKib(int kib)
    {
        var argv = new List<string> { "/bin/next" };
        var left = (kib * 1024) - 10;
        var i = 0;
        while (left > 1)
        {
            var length = Math.Min(left - 1, 100_000);
            argv.Add(new string((char)('a' + (i++ % 26)), length));
            left -= length + 1;
        }

        return [.. argv];
    }

    /// <summary>Frames in use that sit on no LRU list: memory reclaim can never find (engine ground truth).</summary>
    public static long OffLruFrames(Machine machine)
    {
        var frames = machine.Frames;
        var onLists = frames.LruSize(false, false) + frames.LruSize(false, true) + frames.LruSize(true, false)
            + frames.LruSize(true, true) + frames.UnevictableCount;
        return frames.UsedCount - onLists;
    }
}
