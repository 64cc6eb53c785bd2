namespace ApiLab.Engine.Tests.Support;

/// <summary>Small, checked machines and shorthands for the calls tests make most.</summary>
internal static class TestMachine
{
    public const ulong P = Page.Size;

    /// <summary>A machine that runs the invariant checker after every syscall.</summary>
    public static Machine New(int frames = 1024, int swapSlots = 1024, int pidMax = 32768, int maxMapCount = 65530) =>
        new(new MachineConfig
        {
            Frames = frames,
            SwapSlots = swapSlots,
            PidMax = pidMax,
            MaxMapCount = maxMapCount,
            CheckInvariants = true,
        });

    public static Process User(this Machine machine, int uid = 1000, string comm = "task") =>
        machine.Spawn(Credentials.User(uid), comm).Value;

    /// <summary>mmap(NULL, pages * 4096, prot, MAP_ANONYMOUS | type) — or at a fixed address.</summary>
    public static ulong MapAnon(this Process process, int pages, MapFlags type = MapFlags.Private, Prot prot = Prot.ReadWrite, ulong at = 0)
    {
        var flags = type | MapFlags.Anonymous | (at != 0 ? MapFlags.Fixed : MapFlags.None);
        return process.Mmap(at, (ulong)pages * P, prot, flags).Value;
    }

    /// <summary>Writes value base+i into page i of the range.</summary>
    public static void Fill(this Process process, ulong start, int pages, ulong baseValue)
    {
        for (var i = 0; i < pages; i++)
        {
            Assert.True(process.Store(start + ((ulong)i * P), baseValue + (ulong)i).IsOk);
        }
    }

    /// <summary>The maps lines reduced to "start-end perms" (the part tests compare).</summary>
    public static string[] MapsShape(this Process process) =>
        process.Mm!.FormatMaps().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(static line => line[..line.IndexOf(' ', line.IndexOf(' ') + 1)])
            .ToArray();

    public static string Range(ulong start, ulong end, string perms) => $"{start:x8}-{end:x8} {perms}";
}
