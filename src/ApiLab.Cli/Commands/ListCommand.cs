using System.CommandLine;
using ApiLab.Lab;

namespace ApiLab.Cli;

internal static class ListCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("list", "List the debates, their designs and scenarios.\nExample: apilab list");
        command.SetAction(_ =>
        {
            foreach (var debate in LabCatalog.Debates)
            {
                output.Write($"{debate.Id}: {debate.Title}\n");
                foreach (var design in LabCatalog.DesignsOf(debate.Id))
                {
                    output.Write($"  design   {design.Design,-12} {design.Title}\n");
                }

                foreach (var scenario in LabCatalog.Scenarios.Where(s => s.Debate == debate.Id))
                {
                    output.Write($"  scenario {scenario.Id}: {scenario.Title}\n");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
