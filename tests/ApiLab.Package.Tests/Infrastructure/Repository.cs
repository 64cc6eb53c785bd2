using System.Reflection;

namespace ApiLab.Package.Tests.Infrastructure;

/// <summary>The repository these tests were built from, and the configuration they were built in.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("ApiLabRepositoryRoot");

    /// <summary>Debug or Release: what <c>dotnet pack --no-build</c> must pack, since that is what was built.</summary>
    public static string Configuration { get; } = Metadata("ApiLabConfiguration");

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Every <c>*.cs</c> under <paramref name="relative"/>, bin/ and obj/ excluded, in a stable order.</summary>
    public static IReadOnlyList<string> SourceFiles(string relative) =>
        [.. Directory.EnumerateFiles(PathOf(relative), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Split(Path.DirectorySeparatorChar).Any(static part => part is "bin" or "obj"))
            .OrderBy(static f => f, StringComparer.Ordinal)];

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
