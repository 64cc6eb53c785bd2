using System.CommandLine;
using ApiLab.Lab.Bench;

namespace ApiLab.Cli;

internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var ids = EngineBench.Figures.Select(static f => f.Id).ToList();
        var only = new Option<string[]>("--only")
        {
            Description = $"Run only these figures ({string.Join(", ", ids)}); repeat or separate with spaces",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("bench", "Measure the engine against its speed and memory targets (and the host kernel where it can).\n"
            + "Example: dotnet run -c Release --project src/ApiLab.Cli -- bench --only dontneed memory")
        {
            only,
        };
        command.SetAction(parse =>
        {
            var chosen = parse.GetValue(only) ?? [];
            if (chosen.FirstOrDefault(c => !ids.Contains(c)) is { } unknown)
            {
                throw new UsageException($"unknown figure '{unknown}'; valid: {string.Join(", ", ids)}");
            }

            var figures = EngineBench.RunAll(step => error.Write($"running: {step}\n"), chosen);
            var rows = figures.Select(static f => (IReadOnlyList<string>)[f.Name, f.Value, f.Target, f.Met switch
            {
                true => "met",
                false => "NOT MET",
                null => "n/a",
            }]).ToList();
            output.Write(TextTable.Render(["benchmark", "figure", "target", "status"], rows));
            return ExitCodes.Success;
        });
        return command;
    }
}
