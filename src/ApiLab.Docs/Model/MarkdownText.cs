namespace ApiLab.Docs;

/// <summary>Escapes text from specs and results so it renders as text in a Markdown table cell, never as markup.</summary>
public static class MarkdownText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '|': escaped.Append("\\|"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '&': escaped.Append("&amp;"); break;
                case '*': escaped.Append("\\*"); break;
                case '_': escaped.Append("\\_"); break;
                case '`': escaped.Append("\\`"); break;
                case '[': escaped.Append("\\["); break;
                case ']': escaped.Append("\\]"); break;
                case '\r': break;
                case '\n': escaped.Append(' '); break;
                default: escaped.Append(c); break;
            }
        }

        return escaped.ToString();
    }
}
