namespace ApiLab.Fidelity.Running;

/// <summary>What a backend reports for one call, before names replace addresses.</summary>
public readonly record struct Raw(RawKind Kind, ulong Value, string? Reason = null)
{
    public static Raw Ok(ulong value) => new(RawKind.Ok, value);

    public static Raw Errno(int errno) => new(RawKind.Errno, (ulong)errno);

    public static Raw Signal(int signo) => new(RawKind.Signal, (ulong)signo);

    public static Raw Unsupported(string reason) => new(RawKind.Unsupported, 0, reason);
}

public enum RawKind
{
    Ok,
    Errno,
    Signal,
    Unsupported,
}

/// <summary>One line of /proc/pid/maps, parsed.</summary>
public readonly record struct MapsLine(ulong Start, ulong End, string Perms, string Name);
