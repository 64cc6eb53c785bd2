using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ApiLab.Engine;
using ApiLab.Lab;

namespace ApiLab.Cli;

/// <summary>`apilab run`: one uncontended pass of a scenario for one design at one size, with every cost counter.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenarioArg = new Argument<string>("scenario") { Description = "Scenario id (or a debate id for its scenario)" };
        var design = new Option<string?>("--design") { Description = "Design id (default: every design of the scenario)" };
        var size = new Option<int?>("--size") { Description = "Workload size (see apilab list for each scenario's range)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var perCall = new Option<bool>("--per-call")
        {
            Description = "Also break each design's costs down by syscall and by address space (what was done to each mm)",
        };
        var command = new Command("run", "Run a scenario once, actors one after another, and print what it cost and any harm.\n"
            + "Example: apilab run remote-madvise.reclaim-race --design cookie --size 1000 --per-call")
        {
            scenarioArg, design, size, json, perCall,
        };
        command.SetAction(parse =>
        {
            var scenario = Resolve.Scenario(parse.GetValue(scenarioArg)!);
            var n = Resolve.Size(scenario, parse.GetValue(size));
            var designs = parse.GetValue(design) is { } d ? [Resolve.Design(scenario, d)] : scenario.Designs;
            var breakdown = parse.GetValue(perCall);
            var results = Progress.Run(error, $"{scenario.Id} at size {n}", designs.Count, tick => designs.Select(name =>
            {
                Machine? machine = null;
                var result = Runner.Run(() =>
                {
                    var world = scenario.Build(name, n);
                    if (breakdown && world is IHasMachine has)
                    {
                        machine = has.Machine;
                        machine.CostPerCall = true;
                    }

                    return world;
                }, scenario.Uncontended, trace: false);
                tick();
                return (Design: name, Result: result, Machine: machine);
            }).ToList());
            if (parse.GetValue(json))
            {
                output.Write(JsonSerializer.Serialize(new
                {
                    scenario = scenario.Id,
                    size = n,
                    schedule = scenario.Uncontended.ToString(),
                    designs = results.Select(static r => new
                    {
                        design = r.Design,
                        counters = r.Result.Measurement.Counters.ToDictionary(static c => c.Key, static c => c.Value),
                        context_switches = r.Result.Schedule.Switches,
                        harms = r.Result.Harms,
                        breakdown = r.Machine is null ? null : RunBreakdown.Json(r.Machine),
                    }),
                }, new JsonSerializerOptions { WriteIndented = true }) + "\n");
                return ExitCodes.Success;
            }

            var keys = results.SelectMany(static r => r.Result.Measurement.Counters.Select(static c => c.Key)).Distinct().ToList();
            var rows = keys.Select(k => (IReadOnlyList<string>)
                [k, .. results.Select(r => r.Result.Measurement[k].ToString(CultureInfo.InvariantCulture))]).ToList();
            // Derived from the schedule, not measured: how often the running actor changed.
            rows.Add(["context_switches", .. results.Select(static r => r.Result.Schedule.Switches.ToString(CultureInfo.InvariantCulture))]);
            rows.Add(["harm", .. results.Select(static r => r.Result.Harms.Count == 0 ? "none" : string.Join("; ", r.Result.Harms))]);
            TableWriter.Write(output, $"{scenario.Id}, size {n}, uncontended ({scenario.Uncontended})",
                [$"{scenario.Id} (size {n})", .. results.Select(static r => r.Design)], rows);
            foreach (var r in results.Where(static r => r.Machine is not null))
            {
                var (callHeader, callRows) = RunBreakdown.PerCall(r.Design, r.Machine!);
                output.WriteLine();
                TableWriter.Write(output, $"{r.Design}: costs by syscall", callHeader, callRows);
                var (mmHeader, mmRows) = RunBreakdown.PerMm(r.Design, r.Machine!);
                output.WriteLine();
                TableWriter.Write(output, $"{r.Design}: what was done to each address space", mmHeader, mmRows);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
