using System.Text;

namespace ApiLab.Cli;

/// <summary>A plain-text table with aligned columns (stable for tests and pipes).</summary>
internal static class TextTable
{
    public static string Render(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select(static h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Count && i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        Append(text, header, widths);
        text.Append(string.Join("  ", widths.Select(static w => new string('-', w)))).Append('\n');
        foreach (var row in rows)
        {
            Append(text, row, widths);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : "";
            text.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
        }

        text.Append('\n');
    }
}
