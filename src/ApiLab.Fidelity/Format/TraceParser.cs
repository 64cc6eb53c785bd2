namespace ApiLab.Fidelity.Format;

/// <summary>
/// Parses the trace format (docs/trace-format.md). One call per line: <c>[name =] process: call operands</c>; <c>#</c>
/// starts a comment, and the comment lines before the first call describe the trace. Every error names the line.
/// </summary>
public static class TraceParser
{
    /// <summary>Every call the format knows, for error messages and the format's documentation.</summary>
    public static IReadOnlyList<string> CallNames => Calls;

    private static readonly string[] Calls =
    [
        "mmap", "munmap", "mprotect", "madvise", "mremap", "load", "store", "fork", "exit", "maps", "setuid", "set_dumpable",
        "pidfd_open", "close", "process_madvise", "process_vm_readv", "process_vm_writev", "mseal", "mlock", "munlock", "exec",
        "memfd_create", "ftruncate", "userfaultfd", "uffd_register", "uffd_unregister", "uffd_copy", "uffd_zeropage", "uffd_wp", "uffd_read",
        "open_tmpfile", "msync", "fsync", "kill", "setpgid", "setsid", "getpgid", "getsid",
    ];

    private static readonly Dictionary<string, ulong> UffdFeatureWords = new(StringComparer.Ordinal)
    {
        ["wp"] = 1 << 0, ["remap"] = 1 << 2, ["remove"] = 1 << 3, ["shmem"] = 1 << 5, ["unmap"] = 1 << 6, ["sigbus"] = 1 << 7,
        ["wp_unpopulated"] = 1 << 13,
    };

    public static Trace Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ops = new List<TraceOp>();
        var description = new List<string>();
        var kinds = new Dictionary<string, NameKind>(StringComparer.Ordinal) { [Trace.FirstProcess] = NameKind.Process };
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0 && ops.Count == 0 && raw[..hash].Trim().Length == 0)
            {
                description.Add(raw[(hash + 1)..].Trim());
            }

            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var cursor = new LineCursor(name, i + 1, Tokenize(line), kinds);
            ops.Add(ParseLine(cursor));
        }

        return new Trace(name, string.Join('\n', description).Trim(), ops);
    }

    private static TraceOp ParseLine(LineCursor c)
    {
        string? bind = null;
        if (c.Peek(1) == "=")
        {
            bind = c.Identifier("a name for the result");
            c.Expect("=");
        }

        var process = c.Next("a process name");
        if (!process.EndsWith(':'))
        {
            throw c.Error($"expected 'process:' before the call, found '{process}'");
        }

        process = process[..^1];
        c.RequireKind(process, NameKind.Process);
        var call = c.Next("a call");
        TraceOp op = call switch
        {
            "mmap" => ParseMmap(c, process, bind),
            "munmap" => new MunmapOp(c.Line, process, bind, c.Address(), c.Length()),
            "mprotect" => new MprotectOp(c.Line, process, bind, c.Address(), c.Length(), c.Prot()),
            "madvise" => new MadviseOp(c.Line, process, bind, c.Address(), c.Length(), c.Advice()),
            "mremap" => ParseMremap(c, process, bind),
            "load" => new LoadOp(c.Line, process, bind, c.PageAddress()),
            "store" => new StoreOp(c.Line, process, bind, c.PageAddress(), c.Number("a value")),
            "fork" => new ForkOp(c.Line, process, bind ?? throw c.Error("fork needs a name for the child: 'q = p: fork'")),
            "exit" => new ExitOp(c.Line, process, bind),
            "maps" => new MapsOp(c.Line, process, bind),
            "setuid" => new SetUidOp(c.Line, process, bind, (int)c.Number("a uid")),
            "set_dumpable" => new SetDumpableOp(c.Line, process, bind, (int)c.Number("0 or 1")),
            "pidfd_open" => ParsePidfdOpen(c, process, bind),
            "close" => new CloseOp(c.Line, process, bind, c.Fd()),
            "process_madvise" => ParseProcessMadvise(c, process, bind),
            "process_vm_readv" or "process_vm_writev" => ParseProcessVm(c, process, bind, call == "process_vm_writev"),
            "memfd_create" => new MemfdCreateOp(c.Line, process, bind, c.Identifier("a file name")),
            "ftruncate" => new FtruncateOp(c.Line, process, bind, c.Fd(), c.Length()),
            "mseal" => new MsealOp(c.Line, process, bind, c.Address(), c.Length(), c.OptionalFlags()),
            "mlock" or "munlock" => new MlockOp(c.Line, process, bind, c.Address(), c.Length(), call == "munlock"),
            "exec" => new ExecOp(c.Line, process, bind, c.Rest()),
            "userfaultfd" => ParseUserfaultfd(c, process, bind),
            "uffd_register" or "uffd_unregister" or "uffd_copy" or "uffd_zeropage" or "uffd_wp" => ParseUffdIoctl(c, process, bind, call),
            "uffd_read" => new UffdReadOp(c.Line, process, bind, c.Fd()),
            "open_tmpfile" => new OpenTmpfileOp(c.Line, process, bind, c.Identifier("a file name")),
            "msync" => new MsyncOp(c.Line, process, bind, c.Address(), c.Length(), ParseMsyncFlags(c)),
            "fsync" => new FsyncOp(c.Line, process, bind, c.Fd()),
            "kill" => ParseKill(c, process, bind),
            "setpgid" => new SetpgidOp(c.Line, process, bind, ProcessOrZero(c), ProcessOrZero(c)),
            "setsid" => new SetsidOp(c.Line, process, bind),
            "getpgid" or "getsid" => new GetpgidOp(c.Line, process, bind, ProcessOrZero(c), call == "getsid"),
            _ => throw c.Error($"unknown call '{call}'; valid: {string.Join(", ", Calls)}"),
        };
        c.End();
        if (bind is not null)
        {
            c.Define(bind, op switch
            {
                ForkOp => NameKind.Process,
                PidfdOpenOp or UserfaultfdOp or MemfdCreateOp or OpenTmpfileOp => NameKind.Fd,
                MmapOp or MremapOp => NameKind.Address,
                _ => throw c.Error($"'{op.Describe()}' has no result to name"),
            });
        }

        return op;
    }

    /// <summary>msync flags: nothing (0), "flags N", or words joined by '|' (sync, async, invalidate).</summary>
    private static int ParseMsyncFlags(LineCursor c)
    {
        if (!c.More)
        {
            return 0;
        }

        if (c.Peek(0) == "flags")
        {
            return (int)c.OptionalFlags();
        }

        var flags = 0;
        foreach (var word in c.Next("msync flags").Split('|'))
        {
            flags |= Names.MsyncFlagWords.TryGetValue(word, out var bit)
                ? bit
                : throw c.Error($"unknown msync flag '{word}'; valid: {string.Join(", ", Names.MsyncFlagWords.Keys)}");
        }

        return flags;
    }

    private static MmapOp ParseMmap(LineCursor c, string process, string? bind)
    {
        var length = c.Length();
        var prot = c.Prot();
        var typeWord = c.Next("a map type");
        int flags;
        if (Names.MapTypes.TryGetValue(typeWord, out var type))
        {
            flags = type;
        }
        else if (typeWord == "type")
        {
            flags = (int)c.Number("a map type value");
        }
        else
        {
            throw c.Error($"unknown map type '{typeWord}'; valid: {string.Join(", ", Names.MapTypes.Keys)}, type N");
        }

        flags |= Names.MapAnonymous;
        var address = default(AddressExpr);
        string? file = null;
        ulong offset = 0;
        while (c.More)
        {
            var word = c.Next("a flag");
            if (Names.MapFlagWords.TryGetValue(word, out var flag))
            {
                flags |= flag;
            }
            else if (word == "file")
            {
                file = c.Fd();
                flags &= ~Names.MapAnonymous;
            }
            else if (word == "offset")
            {
                offset = c.Number("an offset");
            }
            else if (word == "flags")
            {
                flags |= (int)c.Number("flag bits");
            }
            else if (word == "at")
            {
                address = c.Address();
            }
            else
            {
                throw c.Error($"unknown mmap flag '{word}'; valid: {string.Join(", ", Names.MapFlagWords.Keys)}, flags N, at ADDRESS, file FD, offset N");
            }
        }

        return new MmapOp(c.Line, process, bind, address, length, prot, flags) { File = file, Offset = offset };
    }

    private static MremapOp ParseMremap(LineCursor c, string process, string? bind)
    {
        var address = c.Address();
        var oldLength = c.Length();
        var newLength = c.Length();
        var flags = 0;
        var to = default(AddressExpr);
        while (c.More)
        {
            var word = c.Next("a flag");
            if (Names.MremapFlagWords.TryGetValue(word, out var flag))
            {
                flags |= flag;
            }
            else if (word == "flags")
            {
                flags |= (int)c.Number("flag bits");
            }
            else if (word == "to")
            {
                to = c.Address();
            }
            else if (word != "none")
            {
                throw c.Error($"unknown mremap flag '{word}'; valid: {string.Join(", ", Names.MremapFlagWords.Keys)}, flags N, to ADDRESS");
            }
        }

        return new MremapOp(c.Line, process, bind, address, oldLength, newLength, flags, to);
    }

    private static UserfaultfdOp ParseUserfaultfd(LineCursor c, string process, string? bind)
    {
        uint flags = 0;
        ulong features = 0;
        var words = c.Rest();
        foreach (var word in words)
        {
            if (word == "nonblock")
            {
                flags |= 0x800;
            }
            else if (word == "user_mode_only")
            {
                flags |= 1;
            }
            else if (UffdFeatureWords.TryGetValue(word, out var feature))
            {
                features |= feature;
            }
            else
            {
                throw c.Error($"unknown userfaultfd word '{word}'; valid: nonblock, user_mode_only, {string.Join(", ", UffdFeatureWords.Keys)}");
            }
        }

        return new UserfaultfdOp(c.Line, process, bind, flags, features, words);
    }

    private static UffdIoctlOp ParseUffdIoctl(LineCursor c, string process, string? bind, string call)
    {
        var fd = c.Fd();
        var address = c.Address();
        var source = call == "uffd_copy" ? c.Address() : default;
        var length = c.Length();
        var words = c.Rest();
        ulong mode = 0;
        foreach (var word in words)
        {
            mode |= (call, word) switch
            {
                ("uffd_register", "missing") => 1,
                ("uffd_register", "wp") => 2,
                ("uffd_register", "minor") => 4,
                ("uffd_copy", "dontwake") or ("uffd_zeropage", "dontwake") => 1,
                ("uffd_copy", "wp") => 2,
                ("uffd_wp", "on") => 1,
                ("uffd_wp", "off") => 0,
                ("uffd_wp", "dontwake") => 2,
                _ => throw c.Error($"'{word}' is not a mode of {call}"),
            };
        }

        if (call == "uffd_register" && mode == 0)
        {
            throw c.Error("uffd_register needs a mode: missing, wp or minor");
        }

        return new UffdIoctlOp(c.Line, process, bind, call, fd, address, length, source, mode, words);
    }

    /// <summary>kill's target: a process, <c>-PROCESS</c> (the group that process's pid names) or <c>0</c> (the
    /// caller's group). Sending to a group is safe on the host only once the trace's processes left the runner's group
    /// (setsid or setpgid first): the runner's group is the test host's.</summary>
    private static KillOp ParseKill(LineCursor c, string process, string? bind)
    {
        var target = c.Peek(0) is { } first && first.StartsWith('-') ? "-" + GroupOf(c) : ProcessOrZero(c);
        var word = c.Next("a signal");
        var signal = Names.Signals.TryGetValue(word, out var named) ? named
            : LineCursor.ParseNumber(word) is { } number ? unchecked((int)number)
            : throw c.Error($"expected a signal number or name ({string.Join(", ", Names.Signals.Keys)}), found '{word}'");
        return new KillOp(c.Line, process, bind, target, signal);
    }

    /// <summary>The name in a <c>-PROCESS</c> operand.</summary>
    private static string GroupOf(LineCursor c)
    {
        var token = c.Next("-PROCESS");
        var name = token[1..];
        if (name.Length == 0 || !char.IsLetter(name[0]) || !name.All(static ch => char.IsLetterOrDigit(ch) || ch == '_'))
        {
            throw c.Error($"expected -PROCESS (a process's group), found '{token}'");
        }

        c.RequireKind(name, NameKind.Process);
        return name;
    }

    /// <summary>A process operand, or <c>0</c> (the caller, as kill, setpgid and getpgid read it).</summary>
    private static string ProcessOrZero(LineCursor c)
    {
        if (c.Peek(0) == "0")
        {
            c.Next("0");
            return "0";
        }

        var target = c.Identifier("a process or 0");
        c.RequireKind(target, NameKind.Process);
        return target;
    }

    private static PidfdOpenOp ParsePidfdOpen(LineCursor c, string process, string? bind)
    {
        var target = c.Identifier("a process");
        c.RequireKind(target, NameKind.Process);
        return new PidfdOpenOp(c.Line, process, bind, target, c.OptionalFlags());
    }

    private static ProcessMadviseOp ParseProcessMadvise(LineCursor c, string process, string? bind)
    {
        var fd = c.Fd();
        var ranges = c.IoVecs();
        var advice = c.Advice();
        return new ProcessMadviseOp(c.Line, process, bind, fd, ranges, advice, c.OptionalFlags());
    }

    private static ProcessVmOp ParseProcessVm(LineCursor c, string process, string? bind, bool write)
    {
        var target = c.Identifier("a process");
        c.RequireKind(target, NameKind.Process);
        c.Expect("local");
        var local = c.IoVecs();
        c.Expect("remote");
        var remote = c.IoVecs();
        return new ProcessVmOp(c.Line, process, bind, write, target, local, remote, c.OptionalFlags());
    }

    private static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var ch in line)
        {
            if (char.IsWhiteSpace(ch) || ch is '[' or ']' or ',' or '=')
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }

                if (!char.IsWhiteSpace(ch))
                {
                    tokens.Add(ch.ToString());
                }
            }
            else
            {
                current.Append(ch);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }
}
