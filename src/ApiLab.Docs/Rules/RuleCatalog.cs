using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using ApiLab.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Docs.Rules;

/// <summary>
/// Every rule the analyzer assembly ships, read from its analyzers' descriptors (never a hand-kept list), joined with
/// the page sources embedded from analyzers/ApiLab.Analyzers/RuleDocs. A rule without a page source still gets a page
/// that says so, and <see cref="Missing"/> names it (a test requires it to be empty).
/// </summary>
public static class RuleCatalog
{
    private const string ResourcePrefix = "ApiLab.Docs.RuleDocs.";

    private static readonly Lazy<IReadOnlyList<RuleDoc>> LazyRules = new(Load);

    public static IReadOnlyList<RuleDoc> Rules => LazyRules.Value;

    /// <summary>Rules whose page source is missing, or lacks a section every page must have.</summary>
    public static IReadOnlyList<string> Missing =>
        [.. Rules.Where(static r => RuleDoc.SectionNames.Any(s => !r.Sections.ContainsKey(s))).Select(static r => r.Id)];

    /// <summary>The descriptors of every analyzer in the assembly, one per id.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> Descriptors() =>
        [.. typeof(HelpLinks).Assembly.GetTypes()
            .Where(static t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract
                && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(static t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .GroupBy(static d => d.Id).Select(static g => g.First())
            .OrderBy(static d => d.Id, StringComparer.Ordinal)];

    private static IReadOnlyList<RuleDoc> Load() =>
        [.. Descriptors().Select(static d => new RuleDoc(
            d.Id,
            d.Title.ToString(CultureInfo.InvariantCulture),
            d.Category,
            d.DefaultSeverity.ToString(),
            d.MessageFormat.ToString(CultureInfo.InvariantCulture),
            d.HelpLinkUri,
            Source(d.Id) is { } text ? RuleDocSource.Sections(text) : ImmutableDictionary<string, string>.Empty))];

    private static string? Source(string id)
    {
        using var stream = typeof(RuleCatalog).Assembly.GetManifestResourceStream(ResourcePrefix + id + ".md");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
