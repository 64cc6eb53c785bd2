using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ApiLab.Analyzers.Tests;

/// <summary>
/// Every rule has a documentation source, analyzers/ApiLab.Analyzers/RuleDocs/{id}.md, titled like its descriptor and
/// laid out the same way (the docs generator renders these into docs/rules).
/// </summary>
public sealed partial class RuleDocsTests
{
    private static readonly string[] Sections = ["Why", "Bad code", "Good code", "Fix", "Configure", "Confidence"];

    public static TheoryData<string> Ids() =>
        [.. typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(static f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void RuleDoc_HasTheDescriptorTitleAndTheSectionsInOrder(string id)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "RuleDocs", id + ".md");
        Assert.True(File.Exists(path), $"missing RuleDocs/{id}.md");
        var lines = File.ReadAllLines(path);

        Assert.Equal($"# {id}: {TitleOf(id)}", lines[0]);
        var headings = lines.Where(static l => l.StartsWith("## ", StringComparison.Ordinal)).Select(static l => l[3..]).ToArray();
        Assert.Equal(Sections, headings);

        var text = string.Join("\n", lines);
        Assert.Matches(SectionWithCSharp("Bad code"), text);
        Assert.Matches(SectionWithCSharp("Good code"), text);
        Assert.Contains($"dotnet_diagnostic.{id}.severity = ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryEditorConfigOptionOfTheAnalyzers_IsDocumented()
    {
        var options = typeof(DiagnosticIds).Assembly.GetTypes()
            .SelectMany(static t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(static f => f.IsLiteral && f.FieldType == typeof(string) && f.Name.EndsWith("Option", StringComparison.Ordinal))
            .Select(static f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.NotEmpty(options);
        foreach (var option in options)
        {
            var id = "APILAB" + OptionRule().Match(option).Groups[1].Value;
            var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "RuleDocs", id + ".md"));
            Assert.Contains(option + " = ", text, StringComparison.Ordinal);
        }
    }

    private static string TitleOf(string id)
    {
        var titles = typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(static t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(static t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Where(d => d.Id == id)
            .Select(static d => d.Title.ToString())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return Assert.Single(titles);
    }

    private static Regex SectionWithCSharp(string section) =>
        new($"## {Regex.Escape(section)}\\n\\n```csharp\\n[^`]+```", RegexOptions.CultureInvariant);

    [GeneratedRegex("^apilab_(\\d{4})\\.")]
    private static partial Regex OptionRule();
}
