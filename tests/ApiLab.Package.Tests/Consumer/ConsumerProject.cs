namespace ApiLab.Package.Tests.Consumer;

/// <summary>
/// A small project written the way a user of the package would write one: its own nuget.config (the local feed
/// for ApiLab.*, the normal source for the rest), a design spec with <c>[Proposal]</c>, the design's hand-written
/// semantics, and a client that passes a /proc/pid/maps-derived range straight to process_madvise (APILAB1001).
/// </summary>
internal static class ConsumerProject
{
    public const string Name = "Consumer";

    /// <summary>The adapter the generator must emit for <see cref="Spec"/>; <see cref="Program"/> constructs it.</summary>
    public const string AdapterName = "DemoMadviseAdapter";

    /// <summary>What the program prints once the adapter ran on the engine: the bytes advised (the target's four
    /// heap pages at least).</summary>
    public const string SuccessPattern = @"advised (\d+) bytes";

    public const long HeapBytes = 4 * 4096;

    public static string Write(string directory, string feed, string version)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig(feed));
        File.WriteAllText(Path.Combine(directory, Name + ".csproj"), Project(version));
        File.WriteAllText(Path.Combine(directory, "IDemoMadvise.cs"), Spec);
        File.WriteAllText(Path.Combine(directory, "DemoMadvise.Semantics.cs"), Semantics);
        File.WriteAllText(Path.Combine(directory, "ReclaimClient.cs"), Client);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
        return directory;
    }

    /// <summary>The packages folder is the project's own, so a stale ApiLab.Sdk of the same version in the user-wide
    /// cache can never stand in for the one just packed. Source mapping sends ApiLab.* to the local feed only, so
    /// restoring it never needs the network.</summary>
    private static string NuGetConfig(string feed) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="packages" />
          </config>
          <packageSources>
            <clear />
            <add key="local" value="{feed}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="local">
              <package pattern="ApiLab.*" />
            </packageSource>
            <packageSource key="nuget.org">
              <package pattern="*" />
            </packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    private static string Project(string version) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="ApiLab.Sdk" Version="{version}" />
          </ItemGroup>
        </Project>
        """;

    private const string Spec = """
        using ApiLab.Spec;

        namespace Consumer;

        /// <summary>A user's own design: mainline process_madvise with ranges read from /proc/pid/maps.</summary>
        [Proposal("remote-madvise", "consumer-demo", Title = "A consumer's design", Seed = "000_9de8a7c864f17f9f.txt")]
        public partial interface IDemoMadvise
        {
            /// <summary>A text snapshot of the target's layout.</summary>
            [Syscall("read:/proc/pid/maps"), Target(TargetKind.Pid), Requires(PtraceMode.ReadFsCreds), Snapshot]
            SysResult<string> ReadMaps(Pid target);

            /// <summary>process_madvise(2).</summary>
            [Syscall("process_madvise"), Target(TargetKind.Pidfd), Hint, Vectored(TlbFlush.OncePerCall)]
            [Requires(PtraceMode.ReadFsCreds, Capability.SysNice), PartialResult]
            SysResult<long> Advise(Pidfd target, [TargetRange] ReadOnlySpan<IoVec> ranges, Advice advice, [MustBeZero] uint flags);
        }
        """;

    private const string Semantics = """
        using ApiLab.Engine;
        using ApiLab.Spec;

        namespace Consumer;

        public sealed partial class DemoMadviseAdapter
        {
            partial void ValidateAdvise(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags, ref Errno error) =>
                error = AdviceInfo.CheckProcessMadvise(Caller, target, advice);

            private partial SysResult<string> ReadMapsCore(Process target) => ProcFs.ReadMaps(Caller, target);

            private partial SysResult<long> AdviseCore(Process target, ReadOnlySpan<IoVec> ranges, Advice advice, uint flags) =>
                VectorMadvise.Apply(target.Mm!, ranges, advice);
        }
        """;

    /// <summary>The misuse: the ranges come from the snapshot and nothing revalidates them before the call.</summary>
    private const string Client = """
        using ApiLab.Engine;
        using ApiLab.Spec;

        namespace Consumer;

        public static class ReclaimClient
        {
            public static SysResult<long> PageOutAnonymous(IDemoMadvise api, Pid pid, Pidfd pidfd)
            {
                var maps = api.ReadMaps(pid);
                if (!maps.IsOk)
                {
                    return maps.Error;
                }

                var ranges = ProcFs.ParseMaps(maps.Value)
                    .Where(static v => !v.Shared && !v.FileBacked)
                    .Select(static v => new IoVec(v.Start, v.Length))
                    .ToArray();
                return api.Advise(pidfd, ranges, Advice.PageOut, 0);
            }
        }
        """;

    private const string Program = """
        using ApiLab.Engine;
        using ApiLab.Spec;
        using Consumer;

        var machine = new Machine(new MachineConfig { Frames = 256, SwapSlots = 256 });
        var manager = machine.Spawn(Credentials.User(1000).With(Capability.SysNice), "manager").Value;
        var target = machine.Spawn(Credentials.User(1000), "target").Value;
        var heap = target.Mm!.MmapAnonymous(0, 4 * Page.Size, Prot.ReadWrite, MapFlags.Private | MapFlags.Anonymous).Value;
        for (var i = 0UL; i < 4; i++)
        {
            target.Store(heap + (i * Page.Size), i + 1);
        }

        var pidfd = machine.PidfdOpen(manager, new Pid(target.Pid), 0).Value;
        var advised = ReclaimClient.PageOutAnonymous(new DemoMadviseAdapter(manager), new Pid(target.Pid), pidfd);
        Console.WriteLine(advised.IsOk ? $"advised {advised.Value} bytes" : $"failed: {advised.Error}");
        return advised.IsOk ? 0 : 1;
        """;
}
