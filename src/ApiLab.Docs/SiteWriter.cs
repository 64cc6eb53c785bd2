namespace ApiLab.Docs;

/// <summary>Writes a rendered site to disk, or checks that the files on disk are exactly what would be written.</summary>
public static class SiteWriter
{
    public static void Write(string directory, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }
    }

    /// <summary>The files that are missing or differ from what would be written (empty when docs are current).</summary>
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

        return stale;
    }
}
