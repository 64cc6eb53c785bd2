namespace ApiLab.Fidelity.Running;

/// <summary>
/// The canonical outcome log of one trace on one backend: one line per call (with maps snapshots indented under
/// their call), addresses written relative to the trace's names so that logs from different backends compare
/// line by line. <see cref="Unsupported"/> holds why a backend could not run a call, if one could not.
/// </summary>
public sealed record TraceLog(string Backend, IReadOnlyList<string> Lines, string? Unsupported)
{
    public string Text => string.Join('\n', Lines) + "\n";

    /// <summary>The first line where two logs differ (1-based index into <see cref="Lines"/>), or 0 when equal.</summary>
    public static int FirstDifference(TraceLog a, TraceLog b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = Math.Max(a.Lines.Count, b.Lines.Count);
        for (var i = 0; i < n; i++)
        {
            var left = i < a.Lines.Count ? a.Lines[i] : null;
            var right = i < b.Lines.Count ? b.Lines[i] : null;
            if (left != right)
            {
                return i + 1;
            }
        }

        return 0;
    }
}
