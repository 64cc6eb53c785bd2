using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ApiLab.Analyzers;
using ApiLab.Generators;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// The compiler's own figures: the generated client written out as a project that references the specs and loads our
/// generator and analyzers (the SDK's own analyzers stay on, as in any user's build). One <c>dotnet build</c> restores
/// it and yields the csc command line; csc is then run alone (<see cref="CscRun"/>) with <c>/reportanalyzer</c>,
/// alternately with and without our analyzers, cold (a new csc per compile) and warm (through a compiler server).
/// Figures: our analyzers' ReportAnalyzer time over the rest of the compile, and what they add to csc's wall and CPU
/// time, as the median of the paired differences.
/// </summary>
internal static partial class ReportAnalyzerBench
{
    public static bool Run(int lines, double apiShare, int builds)
    {
        var files = ClientGenerator.Generate(SpecShapes.All, lines, apiShare);

        // APILAB_BENCH_KEEP=DIR writes the client there and leaves it, to profile or rebuild it by hand.
        var keep = Environment.GetEnvironmentVariable("APILAB_BENCH_KEEP");
        var directory = keep is { Length: > 0 } ? Path.GetFullPath(keep) : Path.Combine(Path.GetTempPath(), $"apilab-bench-{Guid.NewGuid():N}");
        var pipe = $"apilab-bench-{Guid.NewGuid():N}";
        CscRun? ours = null;
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            foreach (var (path, text) in files)
            {
                var full = Path.Combine(directory, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }

            File.WriteAllText(Path.Combine(directory, "Client.csproj"), Project());
            Console.WriteLine($"(a') csc, {(apiShare >= 1 ? "worst case" : $"{apiShare:P0} of methods calling the specs")}: " +
                $"{files.Sum(static f => ClientGenerator.Lines(f.Text)).ToString("N0", CultureInfo.InvariantCulture)} lines; csc alone, {builds} compiles each way, alternating");
            var build = Build(directory);
            if (build.ExitCode != 0)
            {
                Console.WriteLine("    the client project does not build:\n" + build.Output[^Math.Min(build.Output.Length, 3000)..]);
                return false;
            }

            var analyzerPath = typeof(DiagnosticIds).Assembly.Location;
            ours = CscRun.FromBuildLog(directory, build.Output, "ours");
            var bare = CscRun.FromBuildLog(directory, build.Output, "bare", path => path == analyzerPath);

            // Judged: one thread (/parallel-). ReportAnalyzer times callbacks by the wall clock, and on csc's threads
            // that includes waiting for a core: Roslyn's authors call the concurrent figure an overview, not what the
            // analyzers add (dotnet/roslyn#2818), and name a sequential compile as the way to accurate times (#24564).
            var sequentialOurs = CscRun.FromBuildLog(directory, build.Output, "ours-sequential", extraArguments: "/parallel-");
            var sequentialBare = CscRun.FromBuildLog(directory, build.Output, "bare-sequential", path => path == analyzerPath, "/parallel-");
            var sequential = Measure(builds, sequentialBare.Cold, sequentialOurs.Cold);
            var met = Print("cold, one thread (/parallel-: ReportAnalyzer's times are then what the callbacks took; judged)", sequential, judged: true);

            var cold = Measure(builds, bare.Cold, ours.Cold);
            Print("cold, parallel (a new csc per compile, as this sandbox builds)", cold, judged: false);

            // Warm-up compiles start the server and let the JIT reach its final tier for both extension sets (the
            // first three compiles through a new server got faster each time) before anything is timed.
            for (var i = 0; i < 3; i++)
            {
                _ = bare.Warm(pipe);
                _ = ours.Warm(pipe);
            }
            var warm = Measure(builds, () => bare.Warm(pipe), () => ours.Warm(pipe));
            Print("warm, parallel (through a compiler server, as a developer's machine builds)", warm, judged: false);
            return met;
        }
        finally
        {
            ours?.Shutdown(pipe);
            if (keep is { Length: > 0 })
            {
                Console.WriteLine($"    kept: {directory} (ours.rsp, bare.rsp: `dotnet exec .../csc.dll @ours.rsp`)");
            }
            else if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private sealed record Pair(CscRun.Result Bare, CscRun.Result Ours, double OursMs);

    private static List<Pair> Measure(int builds, Func<CscRun.Result> bare, Func<CscRun.Result> ours)
    {
        var pairs = new List<Pair>();
        for (var i = 0; i < builds; i++)
        {
            // Alternated, so that a change in the machine's load hits both alike.
            var without = bare();
            var with = ours();
            var match = OurAnalyzers().Match(with.Output);
            if (!match.Success)
            {
                throw new InvalidOperationException("csc printed no ReportAnalyzer line for ApiLab.Analyzers:\n" + with.Output[^Math.Min(with.Output.Length, 3000)..]);
            }

            pairs.Add(new Pair(without, with, double.Parse(match.Groups[1].Value.TrimStart('<'), CultureInfo.InvariantCulture) * 1000));
        }

        return pairs;
    }

    /// <summary>Prints one mode's figures; true when our ReportAnalyzer time is at most 5 % of the rest of the compile
    /// and the median added wall time is too. In a parallel compile the ReportAnalyzer share is an upper bound (it counts
    /// our callbacks' waits for a core), printed without a verdict.</summary>
    private static bool Print(string mode, List<Pair> pairs, bool judged)
    {
        static string Join(IEnumerable<double> values) => string.Join(", ", values.Select(static v => v.ToString("F0", CultureInfo.InvariantCulture)));

        var oursMs = Toolchain.Median(pairs.Select(static p => p.OursMs));
        var wallOurs = Toolchain.Median(pairs.Select(static p => p.Ours.WallMs));
        var wallBare = Toolchain.Median(pairs.Select(static p => p.Bare.WallMs));
        var share = 100 * Toolchain.Median(pairs.Select(static p => p.OursMs / (p.Ours.WallMs - p.OursMs)));
        var addedWall = Toolchain.Median(pairs.Select(static p => p.Ours.WallMs - p.Bare.WallMs));
        var addedWallPercent = 100 * Toolchain.Median(pairs.Select(static p => (p.Ours.WallMs - p.Bare.WallMs) / p.Bare.WallMs));
        Console.WriteLine($"    {mode}:");
        Console.WriteLine($"      csc wall: without ours {wallBare:F0} ms [{Join(pairs.Select(static p => p.Bare.WallMs))}], with {wallOurs:F0} ms [{Join(pairs.Select(static p => p.Ours.WallMs))}]");
        Console.WriteLine($"      ApiLab.Analyzers (ReportAnalyzer): {oursMs:F0} ms [{Join(pairs.Select(static p => p.OursMs))}] = {share:F1} % of the rest of the compile");
        Console.WriteLine($"      added wall time, median of the paired differences: {addedWall:F0} ms = {addedWallPercent:F1} % [{Join(pairs.Select(static p => p.Ours.WallMs - p.Bare.WallMs))}]");
        if (pairs.All(static p => p.Bare.CpuMs is not null && p.Ours.CpuMs is not null))
        {
            var addedCpu = Toolchain.Median(pairs.Select(static p => p.Ours.CpuMs!.Value - p.Bare.CpuMs!.Value));
            var addedCpuPercent = 100 * Toolchain.Median(pairs.Select(static p => (p.Ours.CpuMs!.Value - p.Bare.CpuMs!.Value) / p.Bare.CpuMs!.Value));
            Console.WriteLine($"      added CPU time (user + system, all threads): {addedCpu:F0} ms = {addedCpuPercent:F1} % of {Toolchain.Median(pairs.Select(static p => p.Bare.CpuMs!.Value)):F0} ms " +
                $"[{Join(pairs.Select(static p => p.Ours.CpuMs!.Value - p.Bare.CpuMs!.Value))}]");
        }

        var met = share <= AnalyzerOverheadBench.TargetPercent && addedWallPercent <= AnalyzerOverheadBench.TargetPercent;
        Console.WriteLine(judged
            ? $"      target: ReportAnalyzer share and added wall time <= {AnalyzerOverheadBench.TargetPercent:F0} %: {(met ? "MET" : "NOT MET")}"
            : "      (indicative: the ReportAnalyzer share here is an upper bound, the added times carry the machine's noise)");
        return met;
    }

    private static string Project()
    {
        static string Reference(string path) => $"    <Reference Include=\"{Path.GetFileNameWithoutExtension(path)}\" HintPath=\"{path}\" />\n";
        return "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n" +
            "    <Nullable>enable</Nullable>\n    <ImplicitUsings>enable</ImplicitUsings>\n    <!-- Findings stay warnings: suppressing APILAB1001 would make csc skip its analyzer. -->\n" +
            "  </PropertyGroup>\n  <ItemGroup>\n" +
            Reference(typeof(ApiLab.Spec.Errno).Assembly.Location) +
            Reference(typeof(ApiLab.Engine.Process).Assembly.Location) +
            Reference(SpecShapes.ProposalsAssembly.Location) +
            $"    <Analyzer Include=\"{typeof(DiagnosticIds).Assembly.Location}\" />\n" +
            $"    <Analyzer Include=\"{typeof(AdapterGenerator).Assembly.Location}\" />\n" +
            "  </ItemGroup>\n</Project>\n";
    }

    private static (int ExitCode, string Output) Build(string directory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["build", "-c", "Release", "--no-incremental", "-p:ReportAnalyzer=true", "-v:detailed", "-nologo"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>csc's line for our assembly: "   0.655   27   ApiLab.Analyzers, Version=...".</summary>
    [GeneratedRegex(@"^\s*(<?[0-9.]+)\s+<?[0-9]+\s+ApiLab\.Analyzers, Version=", RegexOptions.Multiline)]
    private static partial Regex OurAnalyzers();
}
