using System.Reflection;
using ApiLab.Fidelity.Format;

namespace ApiLab.Fidelity.Report;

/// <summary>The conformance traces (tests/ApiLab.Fidelity.Tests/Traces), embedded so the CLI and the docs can run them.</summary>
public static class ConformanceSuite
{
    private const string Prefix = "ApiLab.Fidelity.Conformance.";

    public static IReadOnlyList<Trace> All()
    {
        var assembly = typeof(ConformanceSuite).Assembly;
        var traces = new List<Trace>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(static n => n.StartsWith(Prefix, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var file = resource[Prefix.Length..];
            traces.Add(TraceParser.Parse(file, reader.ReadToEnd()) with { Name = Path.GetFileNameWithoutExtension(file) });
        }

        return traces;
    }
}
