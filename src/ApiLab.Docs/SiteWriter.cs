namespace ApiLab.Docs;

/// <summary>
/// Writes a rendered site to disk, or checks that the files on disk are exactly what would be written. Generated
/// kinds of file (.md, .html, .svg, .css) left over from an older generation are orphans: writing removes them and
/// the check reports them. Anything else (a committed screenshot under images/) is the author's and is left alone.
/// </summary>
public static class SiteWriter
{
    private static readonly string[] GeneratedExtensions = [".md", ".html", ".svg", ".css"];

    public static void Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var orphan in Orphans(directory, files))
        {
            File.Delete(Path.Combine(directory, orphan));
        }

        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    /// <summary>The files that are missing, differ from what would be written, or are orphans (empty when docs are current).</summary>
    public static IReadOnlyList<string> Stale(string directory, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stale = new List<string>();
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(directory, relative);
            if (!File.Exists(path) || File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) != content)
            {
                stale.Add(relative);
            }
        }

        stale.AddRange(Orphans(directory, files));
        return stale;
    }

    private static IEnumerable<string> Orphans(string directory, IReadOnlyDictionary<string, string> files)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(directory, path).Replace('\\', '/'))
            .Where(relative => !relative.StartsWith("images/", StringComparison.Ordinal)
                && GeneratedExtensions.Contains(Path.GetExtension(relative)) && !files.ContainsKey(relative))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
