using ApiLab.Fidelity.Backends;
using ApiLab.Fidelity.Format;
using ApiLab.Fidelity.Running;

namespace ApiLab.Fidelity.Report;

/// <summary>
/// The fidelity report: every conformance trace run on the engine and on this machine's kernel, with the cases that
/// match, diverge (none hidden: each with its first differing line) or could not run on the host (with the reason).
/// </summary>
public sealed record FidelityReport(string Host, IReadOnlyList<FidelityCase> Cases)
{
    public int Matches => Cases.Count(static c => c.Outcome == FidelityOutcome.Match);

    public int Divergences => Cases.Count(static c => c.Outcome == FidelityOutcome.Divergence);

    public int Unsupported => Cases.Count(static c => c.Outcome == FidelityOutcome.Unsupported);

    public static FidelityReport Run(IReadOnlyList<Trace> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var cases = new List<FidelityCase>();
        string? hostProblem = null;
        foreach (var trace in traces)
        {
            var (modelledOn, description) = Split(trace.Description);
            HostTarget? started = null;
            if (hostProblem is null)
            {
                started = HostTarget.TryStart(out var why);
                hostProblem = started is null ? why : null;
            }

            using var host = started;
            if (host is null)
            {
                cases.Add(new FidelityCase(trace.Name, modelledOn, description, FidelityOutcome.Unsupported, trace.Ops.Count,
                    $"host backend unavailable: {hostProblem}"));
                continue;
            }

            using var engine = new EngineTarget();
            var expected = TraceInterpreter.Run(trace, host);
            var actual = TraceInterpreter.Run(trace, engine);
            var line = TraceLog.FirstDifference(expected, actual);
            cases.Add(expected.Unsupported is { } lacks
                ? new FidelityCase(trace.Name, modelledOn, description, FidelityOutcome.Unsupported, trace.Ops.Count, $"host: {lacks}")
                : line == 0
                    ? new FidelityCase(trace.Name, modelledOn, description, FidelityOutcome.Match, trace.Ops.Count, "")
                    : new FidelityCase(trace.Name, modelledOn, description, FidelityOutcome.Divergence, trace.Ops.Count,
                        $"log line {line}: host `{At(expected, line)}`, engine `{At(actual, line)}`"));
        }

        return new FidelityReport(hostProblem is null ? HostDescription() : "unavailable", cases);
    }

    private static string At(TraceLog log, int line) => line <= log.Lines.Count ? log.Lines[line - 1].Trim() : "(log ended)";

    /// <summary>The header comment's "Modelled on:" line, and the rest.</summary>
    private static (string ModelledOn, string Description) Split(string header)
    {
        const string Marker = "Modelled on:";
        var lines = header.Split('\n');
        var modelled = lines.FirstOrDefault(static l => l.StartsWith(Marker, StringComparison.Ordinal));
        var rest = string.Join(' ', lines.Where(l => l != modelled)).Trim();
        return (modelled is null ? "" : modelled[Marker.Length..].Trim(), rest);
    }

    /// <summary>The kernel the host backend ran on, as uname -sr prints it (major.minor only, so the docs stay stable
    /// across stable-kernel updates).</summary>
    private static string HostDescription()
    {
        try
        {
            var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
            var parts = release.Split('.');
            return parts.Length >= 2 ? $"Linux {parts[0]}.{parts[1]}" : $"Linux {release}";
        }
        catch (IOException)
        {
            return "Linux";
        }
    }
}
