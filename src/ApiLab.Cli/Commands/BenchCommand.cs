using System.CommandLine;
using ApiLab.Lab.Bench;

namespace ApiLab.Cli;

internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("bench", "Measure the engine against its speed and memory targets (and the host kernel where it can).\n"
            + "Example: dotnet run -c Release --project src/ApiLab.Cli -- bench");
        command.SetAction(_ =>
        {
            var figures = EngineBench.RunAll(step => error.Write($"running: {step}\n"));
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
