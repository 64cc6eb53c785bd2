namespace ApiLab.Docs.Rules;

/// <summary>
/// One diagnostic as the docs show it: what its descriptor says (id, title, severity, help link) and its
/// hand-written page source (analyzers/ApiLab.Analyzers/RuleDocs/ID.md), split into the sections every rule page has.
/// </summary>
public sealed record RuleDoc(
    string Id,
    string Title,
    string Category,
    string Severity,
    string Message,
    string HelpLink,
    IReadOnlyDictionary<string, string> Sections)
{
    /// <summary>The sections of every page, in order (Meziantou-style).</summary>
    public static IReadOnlyList<string> SectionNames { get; } = ["Why", "Bad code", "Good code", "Fix", "Configure", "Confidence"];

    /// <summary>The APILAB0xxx rules report malformed specs; the APILAB1xxx rules report unsafe calls.</summary>
    public bool IsSpecRule => Id.StartsWith("APILAB0", StringComparison.Ordinal);
}
