using System.Globalization;

namespace ApiLab.Fidelity.Format;

/// <summary>The words of the trace format for Linux's constants, both ways. Unknown values stay numbers.</summary>
public static class Names
{
    public const ulong PageSize = 4096;

    /// <summary>madvise(2) advice names (lower case, without MADV_).</summary>
    public static readonly IReadOnlyDictionary<string, int> Advices = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["normal"] = 0, ["random"] = 1, ["sequential"] = 2, ["willneed"] = 3, ["dontneed"] = 4, ["free"] = 8,
        ["remove"] = 9, ["dontfork"] = 10, ["dofork"] = 11, ["mergeable"] = 12, ["unmergeable"] = 13,
        ["hugepage"] = 14, ["nohugepage"] = 15, ["dontdump"] = 16, ["dodump"] = 17, ["wipeonfork"] = 18,
        ["keeponfork"] = 19, ["cold"] = 20, ["pageout"] = 21, ["populate_read"] = 22, ["populate_write"] = 23,
        ["dontneed_locked"] = 24, ["collapse"] = 25, ["guard_install"] = 102, ["guard_remove"] = 103,
    };

    /// <summary>mmap(2) map types (the MAP_TYPE field).</summary>
    public static readonly IReadOnlyDictionary<string, int> MapTypes = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["shared"] = 0x01, ["private"] = 0x02, ["shared_validate"] = 0x03, ["droppable"] = 0x08,
    };

    /// <summary>mmap(2) flags other than the type; MAP_ANONYMOUS is always set (traces have no files).</summary>
    public static readonly IReadOnlyDictionary<string, int> MapFlagWords = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["fixed"] = 0x10, ["growsdown"] = 0x100, ["locked"] = 0x2000, ["noreserve"] = 0x4000, ["populate"] = 0x8000,
        ["noreplace"] = 0x100000,
    };

    public static readonly IReadOnlyDictionary<string, int> MremapFlagWords = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["maymove"] = 1, ["fixed"] = 2, ["dontunmap"] = 4,
    };

    public const int MapAnonymous = 0x20;
    public const int MapTypeMask = 0x0f;

    /// <summary>"4p" for whole pages, else the number.</summary>
    /// <summary>Signal names a trace may use (x86-64 numbers).</summary>
    public static readonly IReadOnlyDictionary<string, int> Signals = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["SIGHUP"] = 1, ["SIGKILL"] = 9, ["SIGTERM"] = 15, ["SIGCHLD"] = 17, ["SIGCONT"] = 18, ["SIGSTOP"] = 19, ["SIGURG"] = 23,
        ["SIGWINCH"] = 28,
    };

    public static string Signal(int signal) =>
        Signals.FirstOrDefault(s => s.Value == signal).Key ?? signal.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>msync(2)'s MS_ASYNC, MS_INVALIDATE and MS_SYNC.</summary>
    public static readonly IReadOnlyDictionary<string, int> MsyncFlagWords = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["async"] = 1, ["invalidate"] = 2, ["sync"] = 4,
    };

    public static string MsyncFlags(int flags)
    {
        var words = MsyncFlagWords.Where(w => (flags & w.Value) != 0).Select(static w => w.Key).ToList();
        var rest = flags & ~7;
        return rest != 0 || words.Count == 0 ? $"flags 0x{flags:x}" : string.Join('|', words);
    }

    public static string Size(ulong length) =>
        length != 0 && length % PageSize == 0 && length / PageSize < 1UL << 40
            ? (length / PageSize).ToString(CultureInfo.InvariantCulture) + "p"
            : length.ToString(CultureInfo.InvariantCulture);

    public static string Prot(int prot)
    {
        if (prot == 0)
        {
            return "none";
        }

        if ((prot & ~7) != 0)
        {
            return "0x" + prot.ToString("x", CultureInfo.InvariantCulture);
        }

        return ((prot & 1) != 0 ? "r" : "") + ((prot & 2) != 0 ? "w" : "") + ((prot & 4) != 0 ? "x" : "");
    }

    public static string Advice(int advice)
    {
        foreach (var (name, value) in Advices)
        {
            if (value == advice)
            {
                return name;
            }
        }

        return advice.ToString(CultureInfo.InvariantCulture);
    }

    public static string MapFlags(int flags)
    {
        var type = flags & MapTypeMask;
        var words = new List<string>();
        var typeName = MapTypes.FirstOrDefault(p => p.Value == type).Key;
        words.Add(typeName ?? $"type 0x{type:x}");
        var rest = flags & ~MapTypeMask & ~MapAnonymous;
        foreach (var (name, value) in MapFlagWords)
        {
            if ((rest & value) != 0)
            {
                words.Add(name);
                rest &= ~value;
            }
        }

        if (rest != 0)
        {
            words.Add($"flags 0x{rest:x}");
        }

        return string.Join(' ', words);
    }

    public static string MremapFlags(int flags)
    {
        var words = new List<string>();
        var rest = flags;
        foreach (var (name, value) in MremapFlagWords)
        {
            if ((rest & value) != 0)
            {
                words.Add(name);
                rest &= ~value;
            }
        }

        if (rest != 0)
        {
            words.Add($"flags 0x{rest:x}");
        }

        return words.Count == 0 ? "none" : string.Join(' ', words);
    }
}
