using System.CommandLine;
using ApiLab.Lab;

namespace ApiLab.Cli;

internal static class RacesCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var scenarioArg = new Argument<string>("scenario") { Description = "Scenario id (or a debate id for its scenario)" };
        var design = new Option<string?>("--design") { Description = "Only this design" };
        var replay = new Option<string?>("--replay") { Description = "Replay one schedule string (actor indices, e.g. 01100) and print its trace" };
        var size = new Option<int?>("--size") { Description = "Workload size" };
        var failOnHazard = new Option<bool>("--fail-on-hazard") { Description = "Exit 1 when any interleaving causes harm" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var mode = new Option<string>("--mode")
        {
            Description = "exhaustive | reduced (partial-order reduction) | preempt:K | random:N[:SEED] | pct:N:DEPTH[:SEED]",
            DefaultValueFactory = _ => "exhaustive",
        };
        var command = new Command("races", "Explore every interleaving of a scenario's actors and report the harmful ones.\n"
            + "Example: apilab races remote-madvise.reclaim-race --design mainline --replay 01100")
        {
            scenarioArg, design, replay, size, failOnHazard, mode, json,
        };
        command.SetAction(parse =>
        {
            var scenario = Resolve.Scenario(parse.GetValue(scenarioArg)!);
            var n = Resolve.Size(scenario, parse.GetValue(size));
            var designs = parse.GetValue(design) is { } d ? [Resolve.Design(scenario, d)] : scenario.Designs;
            if (parse.GetValue(replay) is { } text)
            {
                var schedule = Schedule.TryParse(text, scenario.StepsPerActor, out var error)
                    ?? throw new UsageException($"bad schedule '{text}': {error}");
                foreach (var name in designs)
                {
                    PrintTrace(output, name, Runner.Run(() => scenario.Build(name, n), schedule, trace: true));
                }

                return ExitCodes.Success;
            }

            var explorationMode = ParseMode(parse.GetValue(mode)!);
            var explorations = Progress.Run(error, $"exploring {scenario.Id}", designs.Count, tick => designs.Select(name =>
            {
                var exploration = Explorer.Explore(() => scenario.Build(name, n), scenario.StepsPerActor, explorationMode);
                tick();
                return (Design: name, Exploration: exploration);
            }).ToList());
            if (parse.GetValue(json))
            {
                output.Write(System.Text.Json.JsonSerializer.Serialize(new
                {
                    scenario = scenario.Id,
                    size = n,
                    mode = explorationMode.ToString(),
                    designs = explorations.Select(static e => new
                    {
                        design = e.Design,
                        schedules = e.Exploration.Schedules,
                        harmful = e.Exploration.HazardCount,
                        hazards = e.Exploration.Hazards.Select(static h => new { schedule = h.Schedule.ToString(), harms = h.Harms }),
                    }),
                }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
            }
            else
            {
                foreach (var (name, exploration) in explorations)
                {
                    output.Write($"{name}: {exploration.Schedules} schedules ({explorationMode}), {exploration.HazardCount} harmful\n");
                    foreach (var hazard in exploration.Hazards)
                    {
                        output.Write($"  {hazard.Schedule}: {string.Join("; ", hazard.Harms)}\n");
                    }
                }
            }

            var hazards = explorations.Sum(static e => e.Exploration.HazardCount);
            return hazards > 0 && parse.GetValue(failOnHazard) ? ExitCodes.Findings : ExitCodes.Success;
        });
        return command;
    }

    internal static ExplorationMode ParseMode(string text)
    {
        var parts = text.Split(':');
        static int Number(string part, string text) =>
            int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 0
                ? n
                : throw new UsageException($"bad --mode '{text}': '{part}' is not a non-negative number");
        return parts switch
        {
            ["exhaustive"] => ExplorationMode.Exhaustive,
            ["reduced"] => ExplorationMode.Reduced,
            ["preempt", var k] => ExplorationMode.Preemptions(Number(k, text)),
            ["random", var samples] => ExplorationMode.RandomSamples(Number(samples, text), 0),
            ["random", var samples, var seed] => ExplorationMode.RandomSamples(Number(samples, text), Number(seed, text)),
            ["pct", var samples, var depth] => ExplorationMode.PctSamples(Number(samples, text), Number(depth, text), 0),
            ["pct", var samples, var depth, var seed] => ExplorationMode.PctSamples(Number(samples, text), Number(depth, text), Number(seed, text)),
            _ => throw new UsageException($"bad --mode '{text}'; valid: exhaustive, reduced, preempt:K, random:N[:SEED], pct:N:DEPTH[:SEED]"),
        };
    }

    private static void PrintTrace(TextWriter output, string design, RunResult result)
    {
        output.Write($"{design}, schedule {result.Schedule}:\n");
        foreach (var entry in result.Trace)
        {
            output.Write($"  {entry.Index}. {entry.Actor,-8} {entry.Step,-34} [{string.Join(", ", entry.Syscalls)}] -> {entry.Outcome}\n");
        }

        output.Write(result.Harms.Count == 0 ? "  no harm\n" : $"  HARM: {string.Join("; ", result.Harms)}\n");
    }
}
