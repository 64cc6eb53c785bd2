namespace ApiLab.Fidelity.Format;

/// <summary>A trace file that does not parse: the message names the file, the line and what is valid there.</summary>
public sealed class TraceSyntaxException(string file, int line, string message)
    : Exception($"{file}:{line}: {message}")
{
    public string File { get; } = file;

    public int Line { get; } = line;
}
