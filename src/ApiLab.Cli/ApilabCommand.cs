using System.CommandLine;

namespace ApiLab.Cli;

/// <summary>The command tree and its error policy: usage errors are one line on stderr and exit code 2.</summary>
public static class ApilabCommand
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = new RootCommand("ApiLab: run the designs of a Linux mm API debate side by side on one simulated kernel.")
        {
            ListCommand.Create(output),
            CompareCommand.Create(output, error),
            RunCommand.Create(output, error),
            RacesCommand.Create(output, error),
            TraceCommand.Create(output),
            DocsCommand.Create(output, error),
            BenchCommand.Create(output, error),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // All parse errors on one line: the first alone can be unhelpful ("Required command was not provided").
            error.Write($"apilab: {string.Join("; ", parse.Errors.Select(static e => e.Message))} (see apilab --help)\n");
            return ExitCodes.Usage;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException e)
        {
            error.Write($"apilab: {e.Message}\n");
            return ExitCodes.Usage;
        }
    }
}
