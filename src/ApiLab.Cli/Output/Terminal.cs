namespace ApiLab.Cli;

/// <summary>
/// Whether output goes to a person at a terminal (Spectre tables and progress bars) or to a pipe, a file or a test
/// (plain, stable text). Only the process's own stdout/stderr can be a terminal.
/// </summary>
internal static class Terminal
{
    public static bool IsInteractive(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
}
