using ApiLab.Analyzers;
using ApiLab.Package.Preset;
using Microsoft.CodeAnalysis;

namespace ApiLab.Package.Tests.Preset;

/// <summary>The preset the package ships lists every rule the shipped analyzers declare (the consumer test checks the
/// packed file; these check the writer, fast).</summary>
public sealed class EditorConfigPresetTests
{
    [Fact]
    public void Every_shipped_descriptor_is_listed_with_its_default_severity_title_and_link()
    {
        var descriptors = DescriptorLoader.FromAssemblies([typeof(DiagnosticIds).Assembly]);
        var preset = EditorConfigPreset.Render(descriptors);

        Assert.Contains(descriptors, static d => d.Id == DiagnosticIds.UnrevalidatedSnapshotRange);
        Assert.StartsWith("# ", preset, StringComparison.Ordinal);
        Assert.Contains("\n[*.cs]\n", preset, StringComparison.Ordinal);
        foreach (var descriptor in descriptors)
        {
            Assert.Contains($"# {descriptor.Id} ({descriptor.Category}): {descriptor.Title}\n# {descriptor.HelpLinkUri}\ndotnet_diagnostic.{descriptor.Id}.severity = {EditorConfigPreset.Severity(descriptor)}\n", preset, StringComparison.Ordinal);
        }

        // One entry per id, though a rule may have several descriptors (one message each).
        Assert.Equal(descriptors.Select(static d => d.Id).Distinct().Count(), preset.Split('\n').Count(static l => l.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(DiagnosticSeverity.Error, true, "error")]
    [InlineData(DiagnosticSeverity.Warning, true, "warning")]
    [InlineData(DiagnosticSeverity.Info, true, "suggestion")]
    [InlineData(DiagnosticSeverity.Hidden, true, "silent")]
    [InlineData(DiagnosticSeverity.Warning, false, "none")]
    public void Severities_use_the_editorconfig_words(DiagnosticSeverity severity, bool enabled, string expected)
    {
        var descriptor = new DiagnosticDescriptor("TEST0001", "Title", "Message", "Usage", severity, enabled);

        Assert.Equal(expected, EditorConfigPreset.Severity(descriptor));
    }
}
