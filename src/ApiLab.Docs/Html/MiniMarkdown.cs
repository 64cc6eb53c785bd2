using System.Text;
using System.Text.RegularExpressions;

namespace ApiLab.Docs.Html;

/// <summary>
/// The Markdown subset our own pages use: headings, paragraphs, fenced code, bullet lists, pipe tables, `code`,
/// **bold**, [links](url) and backslash escapes. Entities the Markdown escaper wrote are decoded and everything is
/// escaped again, so no raw HTML passes through; links to .md pages become links to the .html pages.
/// </summary>
public static partial class MiniMarkdown
{
    public static string ToHtml(string? markdown)
    {
        var html = new StringBuilder();
        var paragraph = new List<string>();
        var inList = false;
        var inTable = false;
        string? fence = null;
        foreach (var line in (markdown ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (fence is null && line.StartsWith('|'))
            {
                if (!inTable)
                {
                    Close();
                    html.Append("<table>\n<thead>");
                    html.Append(Row(line, "th")).Append("</thead>\n<tbody>\n");
                    inTable = true;
                }
                else if (!Separator().IsMatch(line))
                {
                    html.Append(Row(line, "td"));
                }

                continue;
            }

            if (inTable)
            {
                html.Append("</tbody>\n</table>\n");
                inTable = false;
            }

            if (fence is not null)
            {
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    html.Append("</code></pre>\n");
                    fence = null;
                }
                else
                {
                    html.Append(HtmlText.Escape(line)).Append('\n');
                }

                continue;
            }

            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                Close();
                fence = line[3..].Trim();
                html.Append(fence.Length == 0 ? "<pre><code>" : $"<pre><code class=\"language-{HtmlText.Escape(fence)}\">");
                continue;
            }

            if (line.StartsWith("- ", StringComparison.Ordinal) || line.StartsWith("* ", StringComparison.Ordinal))
            {
                FlushParagraph();
                if (!inList)
                {
                    html.Append("<ul>\n");
                    inList = true;
                }

                html.Append("<li>").Append(Inline(line[2..])).Append("</li>\n");
                continue;
            }

            if (line.StartsWith('#'))
            {
                Close();
                var level = Math.Min(6, line.TakeWhile(static c => c == '#').Count());
                html.Append($"<h{level}>").Append(Inline(line.TrimStart('#').Trim())).Append($"</h{level}>\n");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Close();
                continue;
            }

            if (inList)
            {
                html.Append("</ul>\n");
                inList = false;
            }

            paragraph.Add(line.Trim());
        }

        if (fence is not null)
        {
            html.Append("</code></pre>\n");
        }

        if (inTable)
        {
            html.Append("</tbody>\n</table>\n");
        }

        Close();
        return html.ToString();

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                html.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }

        void Close()
        {
            FlushParagraph();
            if (inList)
            {
                html.Append("</ul>\n");
                inList = false;
            }
        }
    }

    /// <summary>One table row: cells split on unescaped pipes.</summary>
    private static string Row(string line, string cell)
    {
        var cells = new List<string>();
        var current = new StringBuilder();
        var body = line.Trim();
        body = body.StartsWith('|') ? body[1..] : body;
        body = body.EndsWith('|') && !body.EndsWith("\\|", StringComparison.Ordinal) ? body[..^1] : body;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\\' && i + 1 < body.Length && body[i + 1] == '|')
            {
                current.Append("\\|");
                i++;
            }
            else if (body[i] == '|')
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(body[i]);
            }
        }

        cells.Add(current.ToString());
        return "<tr>" + string.Concat(cells.Select(c => $"<{cell}>{Inline(c.Trim())}</{cell}>")) + "</tr>\n";
    }

    /// <summary>Inline markup on escaped text; link targets that are not relative or https are dropped.</summary>
    private static string Inline(string text)
    {
        // Backslash escapes become placeholders so that escaped * _ ` [ ] | are never read as markup.
        var unescaped = Escaped().Replace(System.Net.WebUtility.HtmlDecode(text), static m => ((char)(0xE000 + m.Groups[1].Value[0])).ToString());
        var escaped = HtmlText.Escape(unescaped);
        escaped = CodeSpan().Replace(escaped, "<code>$1</code>");
        escaped = Bold().Replace(escaped, "<strong>$1</strong>");
        escaped = Link().Replace(escaped, static m =>
        {
            var url = m.Groups[2].Value;
            var safe = url.StartsWith("https://", StringComparison.Ordinal) || !url.Contains(':', StringComparison.Ordinal);
            if (safe && url.EndsWith(".md", StringComparison.Ordinal) && !url.StartsWith("https://", StringComparison.Ordinal))
            {
                url = url[..^3] + ".html";
            }

            return safe ? $"<a href=\"{url}\">{m.Groups[1].Value}</a>" : m.Groups[1].Value;
        });
        return Placeholder().Replace(escaped, static m => ((char)(m.Value[0] - 0xE000)).ToString());
    }

    [GeneratedRegex(@"\\([\\|*_`\[\]#<>])")]
    private static partial Regex Escaped();

    [GeneratedRegex("[\uE000-\uE0FF]")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\|?\s*:?-{3,}")]
    private static partial Regex Separator();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex Link();
}
