using Spectre.Console;

namespace ApiLab.Cli;

/// <summary>Writes a table: a Spectre.Console table at a terminal, aligned plain text anywhere else.</summary>
internal static class TableWriter
{
    public static void Write(TextWriter output, string title, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        if (!Terminal.IsInteractive(output))
        {
            output.Write(TextTable.Render(header, rows));
            return;
        }

        // Cells are data, never markup: a '[' in a design title must not be read as a colour tag.
        var table = new Table { Title = new TableTitle(Markup.Escape(title)), Border = TableBorder.Rounded };
        foreach (var column in header)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. header.Select((_, i) => Markup.Escape(i < row.Count ? row[i] : ""))]);
        }

        AnsiConsole.Write(table);
    }
}
