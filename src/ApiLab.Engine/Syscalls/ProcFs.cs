namespace ApiLab.Engine;

/// <summary>
/// Reading a /proc file as a program does: open, read with a page-sized buffer until EOF, close. The engine counts
/// each of those syscalls and the bytes, since parsing /proc text is a real cost the remote-madvise thread argued
/// about (Minchan: 2000+ VMAs to parse without filters).
/// </summary>
public static class ProcFs
{
    public const int ReadBufferSize = 4096;

    /// <summary>Reads /proc/&lt;pid&gt;/maps of <paramref name="target"/>. The caller already passed the mm_access check.</summary>
    public static string ReadMaps(Process reader, Process target)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(target);
        var text = target.Mm?.FormatMaps() ?? "";
        var stats = reader.Machine.Stats;
        // 6.17+ reads /proc/pid/maps under per-VMA locks, one VMA at a time, not the mmap_lock.
        target.Mm?.LockVma(target.Mm.Vmas.Count);
        // open is the adapter's syscall; then one read per buffer, one read returning 0, and close.
        stats.Syscalls += (text.Length + ReadBufferSize - 1) / ReadBufferSize + 2;
        stats.ProcBytesRead += text.Length;
        if (target.Mm is { } mm)
        {
            mm.Stats.ProcBytesRead += text.Length;
        }
        return text;
    }

    /// <summary>Parses /proc/pid/maps text back into ranges (what every userspace memory manager does).</summary>
    public static List<Spec.VmaInfo> ParseMaps(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<Spec.VmaInfo>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var start = ulong.Parse(line.AsSpan(0, dash), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            var end = ulong.Parse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            var perms = line.AsSpan(space + 1, 4);
            var prot = (perms[0] == 'r' ? Spec.Prot.Read : 0) | (perms[1] == 'w' ? Spec.Prot.Write : 0) | (perms[2] == 'x' ? Spec.Prot.Exec : 0);
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var name = fields.Length > 5 ? fields[5].Trim() : "";
            var inode = fields.Length > 4 ? fields[4] : "0";
            list.Add(new Spec.VmaInfo(start, end, prot, perms[3] == 's', inode != "0", name));
        }

        return list;
    }
}
