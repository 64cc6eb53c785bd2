using System.CommandLine;
using System.Text.Json;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;

namespace ApiLab.Cli;

internal static class CompareCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var debate = new Argument<string>("debate") { Description = "Debate id (default: all debates)", Arity = ArgumentArity.ZeroOrOne };
        var size = new Option<int?>("--size") { Description = "Workload size (e.g. VMAs in the target)" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var command = new Command("compare", "Run every design of a debate on the same workload and print them side by side.\n"
            + "Example: apilab compare remote-madvise --size 16")
        {
            debate, size, json,
        };
        command.SetAction(parse =>
        {
            var id = parse.GetValue(debate);
            var debates = id is null ? LabCatalog.Debates : [Resolve.Debate(id)];
            // Resolve every name and size first, so a bad one fails before any work is done.
            var plan = debates.Select(d => (Debate: d, Scenario: Resolve.ScenarioFor(d))).ToList();
            var sizes = plan.Select(p => Resolve.Size(p.Scenario, parse.GetValue(size))).ToList();
            var comparisons = Progress.Run(error, "exploring every design", plan.Count, tick => plan.Select((p, i) =>
            {
                var comparison = ComparisonBuilder.Build(p.Debate, p.Scenario, sizes[i]);
                tick();
                return comparison;
            }).ToList());
            if (parse.GetValue(json))
            {
                output.Write(Json(comparisons));
                return ExitCodes.Success;
            }

            foreach (var comparison in comparisons)
            {
                WriteTable(output, comparison);
                output.Write("\n");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(TextWriter output, DebateComparison comparison)
    {
        var header = new List<string> { $"{comparison.Debate.Id} ({comparison.ScenarioId}, size {comparison.Size})" };
        header.AddRange(comparison.Designs.Select(static d => d.Design));
        var rows = comparison.Rows.Select(row => (IReadOnlyList<string>)
            [row.Label, .. comparison.Designs.Select(d => d.Cells.GetValueOrDefault(row.Key, "n/a"))]).ToList();
        TableWriter.Write(output, comparison.Debate.Title, header, rows);
    }

    private static string Json(IReadOnlyList<DebateComparison> comparisons)
    {
        var model = comparisons.Select(static c => new
        {
            debate = c.Debate.Id,
            scenario = c.ScenarioId,
            size = c.Size,
            designs = c.Designs.Select(d => new
            {
                design = d.Design,
                title = d.Title,
                schedules = d.Schedules,
                hazardous_schedules = d.HazardousSchedules,
                cells = c.Rows.ToDictionary(static r => r.Key, r => d.Cells.GetValueOrDefault(r.Key, "n/a")),
            }),
        });
        return JsonSerializer.Serialize(model, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
