namespace ApiLab.Analyzers;

/// <summary>Descriptor categories; users can set severities per category
/// (<c>dotnet_analyzer_diagnostic.category-Usage.severity</c>).</summary>
public static class DiagnosticCategories
{
    /// <summary>A spec that the generator cannot turn into an adapter.</summary>
    public const string Design = "Design";

    /// <summary>A call site that misuses a spec'd API.</summary>
    public const string Usage = "Usage";
}
