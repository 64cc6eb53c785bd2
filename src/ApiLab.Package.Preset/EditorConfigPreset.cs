using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace ApiLab.Package.Preset;

/// <summary>
/// The <c>.editorconfig</c> preset: every rule at its default severity, its title and help link as comments (after
/// Meziantou.Analyzer's packaged <c>configuration/*.editorconfig</c>). Users copy it and change severities.
/// </summary>
public static class EditorConfigPreset
{
    /// <summary>Where the preset sits inside the package.</summary>
    public const string PackagePath = "configuration/apilab.editorconfig";

    public static string Render(IEnumerable<DiagnosticDescriptor> descriptors)
    {
        var text = new StringBuilder();
        text.Append("# ApiLab.Sdk rules at their default severities. Generated from the analyzers' descriptors when the\n");
        text.Append("# package is packed: do not edit; copy into your .editorconfig and change what you need.\n");
        text.Append("# Severities: none, silent, suggestion, warning, error.\n\n");
        text.Append("[*.cs]\n");
        foreach (var descriptor in descriptors
            .GroupBy(static d => d.Id, StringComparer.Ordinal)
            .Select(static g => g.First())
            .OrderBy(static d => d.Id, StringComparer.Ordinal))
        {
            text.Append('\n');
            text.Append(CultureInfo.InvariantCulture, $"# {descriptor.Id} ({descriptor.Category}): {OneLine(descriptor.Title.ToString(CultureInfo.InvariantCulture))}\n");
            if (!string.IsNullOrEmpty(descriptor.HelpLinkUri))
            {
                text.Append(CultureInfo.InvariantCulture, $"# {descriptor.HelpLinkUri}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"dotnet_diagnostic.{descriptor.Id}.severity = {Severity(descriptor)}\n");
        }

        return text.ToString();
    }

    /// <summary>The .editorconfig word for a descriptor's default: a rule disabled by default is <c>none</c>.</summary>
    public static string Severity(DiagnosticDescriptor descriptor) => !descriptor.IsEnabledByDefault
        ? "none"
        : descriptor.DefaultSeverity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            DiagnosticSeverity.Info => "suggestion",
            _ => "silent",
        };

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ');
}
