using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ApiLab.Analyzers;
using ApiLab.Generators;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// The compiler's own figures: the generated client written out as a project that references the specs and loads our
/// generator and analyzers, rebuilt with <c>dotnet build -p:ReportAnalyzer=true</c>. csc reports each analyzer
/// assembly's execution time; the MSBuild performance summary gives the Csc task's time. Overhead: our analyzers'
/// time over the rest of the compile. The SDK's own analyzers stay on, as in any user's build.
/// </summary>
internal static partial class ReportAnalyzerBench
{
    public static bool Run(int lines, double apiShare, int builds)
    {
        var files = ClientGenerator.Generate(SpecShapes.All, lines, apiShare);
        // APILAB_BENCH_KEEP=DIR writes the client there and leaves it, to profile or rebuild it by hand.
        var keep = Environment.GetEnvironmentVariable("APILAB_BENCH_KEEP");
        var directory = keep is { Length: > 0 } ? Path.GetFullPath(keep) : Path.Combine(Path.GetTempPath(), $"apilab-bench-{Guid.NewGuid():N}");
        try
        {
            foreach (var stale in (string[])[directory, directory + "-bare"])
            {
                if (Directory.Exists(stale))
                {
                    Directory.Delete(stale, recursive: true);
                }
            }

            foreach (var (path, text) in files)
            {
                var full = Path.Combine(directory, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }

            File.WriteAllText(Path.Combine(directory, "Client.csproj"), Project(withAnalyzers: true));

            // The same project without our analyzers (the SDK's own stay): what the Csc task takes without them.
            var bare = directory + "-bare";
            CopyDirectory(directory, bare);
            File.WriteAllText(Path.Combine(bare, "Client.csproj"), Project(withAnalyzers: false));
            Console.WriteLine($"(a') csc's ReportAnalyzer figures, {(apiShare >= 1 ? "worst case" : $"{apiShare:P0} of methods calling the specs")}: " +
                $"{files.Sum(static f => ClientGenerator.Lines(f.Text)).ToString("N0", CultureInfo.InvariantCulture)} lines, rebuilt {builds} times after a warm-up build");
            var warm = Build(directory, restore: true);
            if (warm.ExitCode != 0)
            {
                Console.WriteLine("    the client project does not build:\n" + warm.Output[^Math.Min(warm.Output.Length, 3000)..]);
                return false;
            }

            if (Build(bare, restore: true).ExitCode != 0)
            {
                Console.WriteLine("    the client project without our analyzers does not build");
                return false;
            }

            var ours = new List<double>();
            var csc = new List<double>();
            var cscBare = new List<double>();
            for (var i = 0; i < builds; i++)
            {
                // Alternated with the builds below, so that a change in the machine's load hits both alike.
                var without = Build(bare, restore: false);
                if (CscTask().Match(without.Output) is { Success: true } bareMatch)
                {
                    cscBare.Add(double.Parse(bareMatch.Groups[1].Value, CultureInfo.InvariantCulture));
                }

                var build = Build(directory, restore: false);
                var match = OurAnalyzers().Match(build.Output);
                if (!match.Success || !CscTask().IsMatch(build.Output))
                {
                    Console.WriteLine("    no ReportAnalyzer or Csc figure in the build output:\n" + string.Join('\n', build.Output.Split('\n').Where(static l => l.Length < 300 && (l.Contains("ApiLab", StringComparison.Ordinal) || l.Contains("analyzer", StringComparison.OrdinalIgnoreCase) || l.Contains("Csc", StringComparison.Ordinal))).Take(40)));
                    return false;
                }

                ours.Add(Seconds(match) * 1000);
                csc.Add(double.Parse(CscTask().Match(build.Output).Groups[1].Value, CultureInfo.InvariantCulture));
            }

            var oursMs = Toolchain.Median(ours);
            var cscMs = Toolchain.Median(csc);
            var percent = 100 * oursMs / (cscMs - oursMs);
            var met = percent <= AnalyzerOverheadBench.TargetPercent;
            Console.WriteLine($"    Csc task: {cscMs:F0} ms [{string.Join(", ", csc.Select(static v => v.ToString("F0", CultureInfo.InvariantCulture)))}]; " +
                $"ApiLab.Analyzers: {oursMs:F0} ms [{string.Join(", ", ours.Select(static v => v.ToString("F0", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"    overhead: {percent:F1} % of the rest of the compile; target <= {AnalyzerOverheadBench.TargetPercent:F0} %: {(met ? "MET" : "NOT MET")}");
            if (cscBare.Count > 0)
            {
                // Wall time of a parallel compile on a shared machine: indicative only, but it includes what the driver
                // does on our behalf (operation trees, CFGs, the generated-code check) that no analyzer is charged for.
                var bareMs = Toolchain.Median(cscBare);
                Console.WriteLine($"    Csc task without our analyzers: {bareMs:F0} ms [{string.Join(", ", cscBare.Select(static v => v.ToString("F0", CultureInfo.InvariantCulture)))}]; " +
                    $"with them {cscMs - bareMs:F0} ms more = {100 * (cscMs - bareMs) / bareMs:F1} % (wall, indicative)");
            }
            return met;
        }
        finally
        {
            if (keep is { Length: > 0 })
            {
                Console.WriteLine($"    kept: {directory} and {directory}-bare");
            }
            else
            {
                Directory.Delete(directory, recursive: true);
                if (Directory.Exists(directory + "-bare"))
                {
                    Directory.Delete(directory + "-bare", recursive: true);
                }
            }
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Project(bool withAnalyzers)
    {
        static string Reference(string path) => $"    <Reference Include=\"{Path.GetFileNameWithoutExtension(path)}\" HintPath=\"{path}\" />\n";
        return "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n" +
            "    <Nullable>enable</Nullable>\n    <ImplicitUsings>enable</ImplicitUsings>\n    <!-- Findings stay warnings: suppressing APILAB1001 would make csc skip its analyzer. -->\n" +
            "  </PropertyGroup>\n  <ItemGroup>\n" +
            Reference(typeof(ApiLab.Spec.Errno).Assembly.Location) +
            Reference(typeof(ApiLab.Engine.Process).Assembly.Location) +
            Reference(SpecShapes.ProposalsAssembly.Location) +
            (withAnalyzers ? $"    <Analyzer Include=\"{typeof(DiagnosticIds).Assembly.Location}\" />\n" : "") +
            $"    <Analyzer Include=\"{typeof(AdapterGenerator).Assembly.Location}\" />\n" +
            "  </ItemGroup>\n</Project>\n";
    }

    private static (int ExitCode, string Output) Build(string directory, bool restore)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["build", "-c", "Release", "--no-incremental", "-p:ReportAnalyzer=true", "-v:detailed", "-clp:PerformanceSummary", "-nologo"])
        {
            start.ArgumentList.Add(argument);
        }

        if (!restore)
        {
            start.ArgumentList.Add("--no-restore");
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    private static double Seconds(Match match) =>
        match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("csc printed no time for ApiLab.Analyzers");

    /// <summary>csc's line for our assembly: "   0.655   27   ApiLab.Analyzers, Version=...".</summary>
    [GeneratedRegex(@"^\s*(<?[0-9.]+)\s+<?[0-9]+\s+ApiLab\.Analyzers, Version=", RegexOptions.Multiline)]
    private static partial Regex OurAnalyzers();

    /// <summary>MSBuild's task summary line: "     2345 ms  Csc    1 calls".</summary>
    [GeneratedRegex(@"^\s*([0-9]+) ms\s+Csc\s+[0-9]+ calls", RegexOptions.Multiline)]
    private static partial Regex CscTask();
}
