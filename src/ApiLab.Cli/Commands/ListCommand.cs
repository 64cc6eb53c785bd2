using System.CommandLine;
using System.Text.Json;
using ApiLab.Lab;

namespace ApiLab.Cli;

internal static class ListCommand
{
    public static Command Create(TextWriter output)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var command = new Command("list", "List the debates, their designs and scenarios.\nExample: apilab list --json") { json };
        command.SetAction(parse =>
        {
            if (parse.GetValue(json))
            {
                output.Write(Json() + "\n");
                return ExitCodes.Success;
            }

            foreach (var debate in LabCatalog.Debates)
            {
                output.Write($"{debate.Id}: {debate.Title}\n");
                foreach (var design in LabCatalog.DesignsOf(debate.Id))
                {
                    output.Write($"  design   {design.Design,-24} {design.Title}\n");
                }

                foreach (var scenario in LabCatalog.Scenarios.Where(s => s.Debate == debate.Id))
                {
                    output.Write($"  scenario {scenario.Id}: {scenario.Title} (size 1..{scenario.MaxSize}, default {scenario.DefaultSize})\n");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Json() => JsonSerializer.Serialize(
        LabCatalog.Debates.Select(static d => new
        {
            id = d.Id,
            title = d.Title,
            seed = d.Seed,
            designs = LabCatalog.DesignsOf(d.Id).Select(static p => new { id = p.Design, title = p.Title, outcome = p.Outcome.ToString() }),
            scenarios = LabCatalog.Scenarios.Where(s => s.Debate == d.Id).Select(static s => new
            {
                id = s.Id,
                title = s.Title,
                designs = s.Designs,
                default_size = s.DefaultSize,
                max_size = s.MaxSize,
            }),
        }),
        new JsonSerializerOptions { WriteIndented = true });
}
