using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Tests;

/// <summary>Every rule is documented and tracked (after Meziantou's RuleHelpUri test).</summary>
public sealed partial class RuleMetadataTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(DiagnosticIds).Assembly;

    public static TheoryData<string> Analyzers() =>
        [.. AnalyzerTypes().Select(static t => t.FullName!)];

    [Theory]
    [MemberData(nameof(Analyzers))]
    public void EveryDescriptor_HasIdTitleCategoryAndItsHelpLink(string analyzerName)
    {
        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerAssembly.GetType(analyzerName, throwOnError: true)!)!;

        Assert.NotEmpty(analyzer.SupportedDiagnostics);
        foreach (var descriptor in analyzer.SupportedDiagnostics)
        {
            Assert.Matches(IdPattern(), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()), descriptor.Id);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Category), descriptor.Id);
            Assert.Equal(HelpLinks.GetHelpUri(descriptor.Id), descriptor.HelpLinkUri);
            Assert.Contains(descriptor.Id, DeclaredIds());
        }
    }

    [Fact]
    public void HelpLinks_PointAtTheRulePageInTheRepository()
    {
        Assert.Equal("docs/rules/APILAB1001.md", HelpLinks.GetDocsPath("APILAB1001"));
        Assert.Equal("https://github.com/apilab/apilab/blob/main/docs/rules/APILAB1001.md", HelpLinks.GetHelpUri("APILAB1001"));
    }

    [Fact]
    public void EveryDeclaredId_IsInTheUnshippedRelease()
    {
        var unshipped = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "AnalyzerReleases.Unshipped.md"));
        var tracked = unshipped
            .Select(static line => line.Split('|')[0].Trim())
            .Where(static id => IdPattern().IsMatch(id))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(DeclaredIds());
        foreach (var id in DeclaredIds())
        {
            Assert.Contains(id, tracked);
        }
    }

    [Fact]
    public void EveryDeclaredId_IsReportedBySomeAnalyzer()
    {
        var supported = AnalyzerTypes()
            .SelectMany(static t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(static d => d.Id)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(DeclaredIds(), id => Assert.Contains(id, supported));
    }

    private static IEnumerable<Type> AnalyzerTypes() =>
        AnalyzerAssembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(static t => t.FullName, StringComparer.Ordinal);

    private static string[] DeclaredIds() =>
        [.. typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(static f => (string)f.GetRawConstantValue()!)];

    [GeneratedRegex("^APILAB[0-9]{4}$")]
    private static partial Regex IdPattern();
}
