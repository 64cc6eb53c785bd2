namespace ApiLab.Docs.Rules;

/// <summary>Splits a rule page source into its "## " sections; the first line is "# ID: title".</summary>
public static class RuleDocSource
{
    public static IReadOnlyDictionary<string, string> Sections(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new List<string>();
        foreach (var raw in markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                current = raw[3..].Trim();
                continue;
            }

            if (current is not null)
            {
                body.Add(raw);
            }
        }

        Flush();
        return sections;

        void Flush()
        {
            if (current is not null)
            {
                sections[current] = string.Join("\n", body).Trim('\n');
            }

            body.Clear();
        }
    }
}
