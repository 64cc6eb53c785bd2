namespace ApiLab.Docs.Html;

/// <summary>Escapes text from specs and results for HTML text and attribute values (Scriban escapes nothing itself).</summary>
public static class HtmlText
{
    public static string Escape(string? text) =>
        string.IsNullOrEmpty(text) ? "" : System.Net.WebUtility.HtmlEncode(text).Replace("'", "&#39;", StringComparison.Ordinal);
}
