using System.CommandLine;
using ApiLab.Docs;
using ApiLab.Fidelity.Report;
using ApiLab.Lab;
using ApiLab.Lab.Comparison;

namespace ApiLab.Cli;

internal static class DocsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "docs" };
        var check = new Option<bool>("--check") { Description = "Do not write; exit 1 if the folder's docs are stale" };
        var templates = new Option<string?>("--templates") { Description = "Folder of .sbn templates overriding the built-in ones" };
        var command = new Command("docs", "Render the generated docs (Markdown, and an HTML site under site/) from the specs, analyzers and measured results.\n"
            + "Example: apilab docs --out docs --check")
        {
            outDir, check, templates,
        };
        command.SetAction(parse =>
        {
            var templateDir = parse.GetValue(templates);
            if (templateDir is not null && !Directory.Exists(templateDir))
            {
                throw new UsageException($"template folder '{templateDir}' does not exist");
            }

            var files = Progress.Run(error, "rendering docs", 1, tick =>
            {
                var site = DocsSite.Render(templateDir);
                tick();
                return site;
            });
            var dir = parse.GetValue(outDir)!;
            if (parse.GetValue(check))
            {
                var stale = SiteWriter.Stale(dir, files);
                output.Write(stale.Count == 0 ? "docs are up to date\n" : $"stale docs in {dir}: {string.Join(", ", stale)}; run: apilab docs --out {dir}\n");
                return stale.Count == 0 ? ExitCodes.Success : ExitCodes.Findings;
            }

            SiteWriter.Write(dir, files);
            output.Write($"wrote {files.Count} files to {dir}\n");
            return ExitCodes.Success;
        });
        return command;
    }
}
