using System.Globalization;

namespace ApiLab.Fidelity.Running;

/// <summary>Parses /proc/pid/maps text (the engine's and the kernel's alike) into lines.</summary>
public static class MapsText
{
    public static List<MapsLine> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<MapsLine>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5)
            {
                continue;
            }

            var dash = fields[0].IndexOf('-', StringComparison.Ordinal);
            var start = ulong.Parse(fields[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(fields[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            list.Add(new MapsLine(start, end, fields[1], fields.Length > 5 ? fields[5].Trim() : ""));
        }

        return list;
    }
}
