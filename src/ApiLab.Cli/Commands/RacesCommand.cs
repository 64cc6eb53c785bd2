using System.CommandLine;
using ApiLab.Lab;

namespace ApiLab.Cli;

internal static class RacesCommand
{
    public static Command Create(TextWriter output)
    {
        var scenarioArg = new Argument<string>("scenario") { Description = "Scenario id (or a debate id for its scenario)" };
        var design = new Option<string?>("--design") { Description = "Only this design" };
        var replay = new Option<string?>("--replay") { Description = "Replay one schedule string (actor indices, e.g. 01100) and print its trace" };
        var size = new Option<int?>("--size") { Description = "Workload size" };
        var failOnHazard = new Option<bool>("--fail-on-hazard") { Description = "Exit 1 when any interleaving causes harm" };
        var command = new Command("races", "Explore every interleaving of a scenario's actors and report the harmful ones.\n"
            + "Example: apilab races remote-madvise.reclaim-race --design mainline --replay 01100")
        {
            scenarioArg, design, replay, size, failOnHazard,
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

            var hazards = 0;
            foreach (var name in designs)
            {
                var exploration = Explorer.Explore(() => scenario.Build(name, n), scenario.StepsPerActor);
                hazards += exploration.HazardCount;
                output.Write($"{name}: {exploration.Schedules} interleavings, {exploration.HazardCount} harmful\n");
                foreach (var hazard in exploration.Hazards)
                {
                    output.Write($"  {hazard.Schedule}: {string.Join("; ", hazard.Harms)}\n");
                }
            }

            return hazards > 0 && parse.GetValue(failOnHazard) ? ExitCodes.Findings : ExitCodes.Success;
        });
        return command;
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
