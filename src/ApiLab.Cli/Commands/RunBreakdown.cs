using System.Globalization;
using ApiLab.Engine;

namespace ApiLab.Cli;

/// <summary>`apilab run --per-call`: one design's costs by syscall (perf trace -s style) and by address space.</summary>
internal static class RunBreakdown
{
    /// <summary>Rows "syscall, calls, every counter any row moved", by syscall name; <paramref name="design"/> heads the
    /// first column (plain-text tables have no title).</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) PerCall(string design, Machine machine)
    {
        var calls = machine.CallCosts.Values.OrderBy(static c => c.Name, StringComparer.Ordinal).ToList();
        var counters = Moved(calls.Select(static c => c.Costs));
        IReadOnlyList<string> header = [$"{design} by syscall", "calls", .. counters];
        var rows = calls.Select(c => (IReadOnlyList<string>)
            [c.Name, Text(c.Calls), .. counters.Select(k => Text(Value(c.Costs, k)))]).ToList();
        return (header, rows);
    }

    /// <summary>Rows "pid comm, every counter any live address space moved": what was done to each.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) PerMm(string design, Machine machine)
    {
        var processes = machine.Processes.Values.Where(static p => p.Mm is not null).OrderBy(static p => p.Pid).ToList();
        var counters = Moved(processes.Select(static p => p.Mm!.Stats));
        IReadOnlyList<string> header = [$"{design} by address space", .. counters];
        var rows = processes.Select(p => (IReadOnlyList<string>)
            [$"{p.Pid} {p.Comm}", .. counters.Select(k => Text(Value(p.Mm!.Stats, k)))]).ToList();
        return (header, rows);
    }

    public static object Json(Machine machine) => new
    {
        per_call = machine.CallCosts.Values.OrderBy(static c => c.Name, StringComparer.Ordinal).ToDictionary(
            static c => c.Name, static c => new { calls = c.Calls, counters = NonZero(c.Costs) }),
        per_mm = machine.Processes.Values.Where(static p => p.Mm is not null).OrderBy(static p => p.Pid)
            .Select(static p => new { pid = p.Pid, comm = p.Comm, counters = NonZero(p.Mm!.Stats) }),
    };

    private static Dictionary<string, long> NonZero(MachineStats stats) =>
        stats.ToPairs().Where(static p => p.Value != 0).ToDictionary(static p => p.Key, static p => p.Value);

    // Only the counters some row moved, in the counters' own order: a table of zeros says nothing.
    private static List<string> Moved(IEnumerable<MachineStats> stats)
    {
        var all = stats.ToList();
        return [.. new MachineStats().ToPairs().Select(static p => p.Key).Where(k => all.Any(s => Value(s, k) != 0))];
    }

    private static long Value(MachineStats stats, string key) => stats.ToPairs().First(p => p.Key == key).Value;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
