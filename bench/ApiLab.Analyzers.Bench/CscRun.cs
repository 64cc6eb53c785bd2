using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ApiLab.Analyzers.Bench;

/// <summary>
/// One compiler invocation taken from a project's build, replayed alone: the exact csc command line MSBuild ran (read
/// from a detailed build log), written to a response file and run again without MSBuild around it, so that what is
/// timed is the compiler. Cold: a new csc process per run, as this sandbox builds (it disables the compiler server).
/// Warm: through a compiler server started for the bench, as a developer's machine builds, where the analyzers are
/// loaded and JIT-compiled once.
/// </summary>
internal sealed partial class CscRun
{
    private readonly string _directory;
    private readonly string _cscDll;
    private readonly string _responseFile;

    private CscRun(string directory, string cscDll, string responseFile)
    {
        _directory = directory;
        _cscDll = cscDll;
        _responseFile = responseFile;
    }

    /// <summary>The csc command line in <paramref name="buildLog"/> (a <c>-v:detailed</c> build of the project in
    /// <paramref name="directory"/>), less any <c>/analyzer:</c> for which <paramref name="dropAnalyzer"/> holds, with
    /// <paramref name="extraArguments"/> in front.</summary>
    public static CscRun FromBuildLog(string directory, string buildLog, string name, Func<string, bool>? dropAnalyzer = null, string extraArguments = "")
    {
        var match = CscCommand().Match(buildLog);
        if (!match.Success)
        {
            throw new InvalidOperationException("no csc command line in the build log");
        }

        var arguments = match.Groups["args"].Value.Trim();
        if (dropAnalyzer is not null)
        {
            arguments = AnalyzerArgument().Replace(arguments, m => dropAnalyzer(m.Groups["path"].Value) ? "" : m.Value);
        }

        var responseFile = Path.Combine(directory, name + ".rsp");
        File.WriteAllText(responseFile, (extraArguments + " " + arguments).Trim());
        return new CscRun(directory, Path.Combine(Path.GetDirectoryName(match.Groups["csc"].Value)!, "csc.dll"), responseFile);
    }

    /// <summary>What one compile took: wall time, the CPU time of the csc process (user + system; null through a
    /// server, whose CPU is another process's), and csc's ReportAnalyzer lines.</summary>
    public readonly record struct Result(double WallMs, double? CpuMs, string Output);

    /// <summary>A compile in a new csc process.</summary>
    public Result Cold() => Run(shared: null);

    /// <summary>A compile through the compiler server listening on <paramref name="pipe"/> (started on first use).</summary>
    public Result Warm(string pipe) => Run(pipe);

    /// <summary>Stops the compiler server on <paramref name="pipe"/>.</summary>
    public void Shutdown(string pipe)
    {
        var server = Path.Combine(Path.GetDirectoryName(_cscDll)!, "VBCSCompiler.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["exec", server, "-shutdown", "-pipename:" + pipe])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.WaitForExit(30_000);
    }

    private Result Run(string? shared)
    {
        // The shell's `times` prints its children's user and system time once csc has exited: the CPU figure without
        // reading /proc of a process that is gone.
        var command = $"dotnet exec '{_cscDll}' -nologo {(shared is null ? "" : "-shared:" + shared + " ")}'@{_responseFile}'; status=$?; times; exit $status";
        var start = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wallMs = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("csc failed:\n" + output[^Math.Min(output.Length, 2000)..] + error.Result);
        }

        // The last two figures are the children's user and system time.
        var times = Times().Matches(output);
        double? cpuMs = times.Count >= 4 && shared is null
            ? Seconds(times[^2]) + Seconds(times[^1])
            : null;
        return new Result(wallMs, cpuMs, output);
    }

    private static double Seconds(Match time) =>
        (60 * double.Parse(time.Groups["m"].Value, CultureInfo.InvariantCulture) + double.Parse(time.Groups["s"].Value, CultureInfo.InvariantCulture)) * 1000;

    /// <summary>MSBuild's log line for the Csc task: the apphost path, then the arguments.</summary>
    [GeneratedRegex(@"^\s*(?<csc>/\S+/Roslyn/bincore/csc) (?<args>/noconfig .*)$", RegexOptions.Multiline)]
    private static partial Regex CscCommand();

    [GeneratedRegex(@"/analyzer:(?<path>\S+)")]
    private static partial Regex AnalyzerArgument();

    /// <summary>`times` output: "0m0.004s 0m0.000s" for the shell, then for its children.</summary>
    [GeneratedRegex(@"(?<m>[0-9]+)m(?<s>[0-9.]+)s")]
    private static partial Regex Times();
}
