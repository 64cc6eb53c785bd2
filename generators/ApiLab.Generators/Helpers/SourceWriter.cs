using System.Text;

namespace ApiLab.Generators.Helpers;

/// <summary>
/// A small indenting text writer (System.Text.Json's SourceWriter, cut down): lines end in '\n' on every OS and
/// blank lines carry no indentation, so output is byte-identical everywhere and golden files stay stable.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;
    private readonly StringBuilder _builder = new(capacity: 4096);
    private int _indent;

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public void OpenBrace()
    {
        WriteLine("{");
        _indent++;
    }

    /// <summary>Closes a block; <paramref name="suffix"/> follows the brace (e.g. ";" or ",").</summary>
    public void CloseBrace(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void WriteLine() => _builder.Append('\n');

    public void WriteLine(string text)
    {
        if (text.Length == 0)
        {
            WriteLine();
            return;
        }

        _builder.Append(' ', _indent * IndentSize).Append(text).Append('\n');
    }

    public override string ToString() => _builder.ToString();
}
