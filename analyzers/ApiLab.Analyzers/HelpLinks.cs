namespace ApiLab.Analyzers;

/// <summary>Where each rule's documentation page lives. Every descriptor's help link comes from here (a test checks).</summary>
public static class HelpLinks
{
    private const string RepositoryBlobRoot = "https://github.com/apilab/apilab/blob/main/";

    /// <summary>The page's path relative to the repository root: <c>docs/rules/{id}.md</c>.</summary>
    public static string GetDocsPath(string id) => "docs/rules/" + id + ".md";

    public static string GetHelpUri(string id) => RepositoryBlobRoot + GetDocsPath(id);
}
