using System.Globalization;

namespace ApiLab.Fidelity.Format;

/// <summary>Reads one line's tokens, with errors that name the file and line.</summary>
internal sealed class LineCursor(string file, int line, List<string> tokens, Dictionary<string, NameKind> kinds)
{
    private int _at;

    public int Line { get; } = line;

    public bool More => _at < tokens.Count;

    public string? Peek(int ahead) => _at + ahead < tokens.Count ? tokens[_at + ahead] : null;

    public TraceSyntaxException Error(string message) => new(file, Line, message);

    public string Next(string what) => More ? tokens[_at++] : throw Error($"expected {what} at the end of the line");

    public void Expect(string token)
    {
        var found = Next($"'{token}'");
        if (found != token)
        {
            throw Error($"expected '{token}', found '{found}'");
        }
    }

    /// <summary>Every token left on the line.</summary>
    public List<string> Rest()
    {
        var rest = tokens.Skip(_at).ToList();
        _at = tokens.Count;
        return rest;
    }

    public void End()
    {
        if (More)
        {
            throw Error($"unexpected '{tokens[_at]}' after the call");
        }
    }

    public string Identifier(string what)
    {
        var token = Next(what);
        if (token.Length == 0 || !char.IsLetter(token[0]) || !token.All(static ch => char.IsLetterOrDigit(ch) || ch == '_'))
        {
            throw Error($"expected {what} (a name of letters, digits and _), found '{token}'");
        }

        return token;
    }

    public void Define(string name, NameKind kind)
    {
        if (kinds.TryGetValue(name, out var existing) && existing != kind)
        {
            throw Error($"'{name}' already names a {existing.ToString().ToLowerInvariant()}");
        }

        kinds[name] = kind;
    }

    public void RequireKind(string name, NameKind kind)
    {
        if (!kinds.TryGetValue(name, out var found))
        {
            var known = kinds.Where(p => p.Value == kind).Select(static p => p.Key).Order(StringComparer.Ordinal);
            throw Error($"unknown {kind.ToString().ToLowerInvariant()} '{name}'; defined so far: {string.Join(", ", known)}");
        }

        if (found != kind)
        {
            throw Error($"'{name}' is a {found.ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}");
        }
    }

    public ulong Number(string what)
    {
        var token = Next(what);
        return ParseNumber(token) ?? throw Error($"expected {what} (a number such as 12, 0x1f or 4p), found '{token}'");
    }

    public ulong Length() => Number("a length");

    public uint OptionalFlags()
    {
        if (!More)
        {
            return 0;
        }

        Expect("flags");
        return (uint)Number("flag bits");
    }

    public int Prot()
    {
        var token = Next("a protection");
        if (token == "none")
        {
            return 0;
        }

        if (token.All(static ch => ch is 'r' or 'w' or 'x'))
        {
            return (token.Contains('r') ? 1 : 0) | (token.Contains('w') ? 2 : 0) | (token.Contains('x') ? 4 : 0);
        }

        return (int)(ParseNumber(token) ?? throw Error($"expected a protection (none, r, rw, rwx, ... or a number), found '{token}'"));
    }

    public int Advice()
    {
        var token = Next("an advice");
        if (Names.Advices.TryGetValue(token, out var advice))
        {
            return advice;
        }

        return ParseNumber(token) is { } n
            ? (int)n
            : throw Error($"unknown advice '{token}'; valid: {string.Join(", ", Names.Advices.Keys)} or a number");
    }

    public string Fd()
    {
        var token = Identifier("an fd name or 'self'");
        if (token != "self")
        {
            RequireKind(token, NameKind.Fd);
        }

        return token;
    }

    public AddressExpr Address()
    {
        var token = Next("an address");
        if (ParseNumber(token) is { } absolute)
        {
            return AddressExpr.Absolute(absolute);
        }

        var split = token.IndexOfAny(['+', '-']);
        var name = split < 0 ? token : token[..split];
        RequireKind(name, NameKind.Address);
        if (split < 0)
        {
            return new AddressExpr(name, 0);
        }

        var offset = ParseNumber(token[(split + 1)..]) ?? throw Error($"bad offset in '{token}' (write a+2p, a-1p or a+8)");
        return new AddressExpr(name, token[split] == '-' ? -(long)offset : (long)offset);
    }

    /// <summary>Loads and stores touch the first word of a page: the engine keeps one content word per page.</summary>
    public AddressExpr PageAddress()
    {
        var address = Address();
        if (address.Offset % (long)Names.PageSize != 0)
        {
            throw Error($"'{address}' is not page-aligned: loads and stores address a page's first word");
        }

        return address;
    }

    public List<IoVecExpr> IoVecs()
    {
        Expect("[");
        var list = new List<IoVecExpr>();
        while (Peek(0) != "]")
        {
            list.Add(new IoVecExpr(Address(), Length()));
            if (Peek(0) == ",")
            {
                _at++;
            }
        }

        _at++;
        return list;
    }

    internal static ulong? ParseNumber(string token)
    {
        var pages = token.EndsWith('p');
        var digits = pages ? token[..^1] : token;
        ulong value;
        var ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(digits.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok || digits.Length == 0)
        {
            return null;
        }

        return pages ? value * Names.PageSize : value;
    }
}
