using ApiLab.Fidelity.Format;

namespace ApiLab.Fidelity.Tests.Support;

/// <summary>The conformance traces shipped next to the tests.</summary>
internal static class TraceFiles
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Traces");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.trace").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static Trace Load(string name) =>
        TraceParser.Parse(name + ".trace", File.ReadAllText(Path.Combine(Directory, name + ".trace")));
}
