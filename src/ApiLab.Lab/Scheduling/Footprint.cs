namespace ApiLab.Lab;

/// <summary>
/// What a step reads and writes, as named resources (e.g. "mm:app", "fds:manager"). Two steps of different actors
/// are independent when neither writes what the other touches: then their order cannot change the outcome, and the
/// explorer need not try both. A step without a footprint conflicts with everything (always safe).
/// </summary>
public sealed record Footprint(IReadOnlyList<string> Reads, IReadOnlyList<string> Writes)
{
    public static Footprint Reading(params string[] resources) => new(resources, []);

    public static Footprint Writing(params string[] resources) => new([], resources);

    public Footprint AndWriting(params string[] resources) => this with { Writes = [.. Writes, .. resources] };

    public static bool Independent(Footprint? a, Footprint? b)
    {
        if (a is null || b is null)
        {
            return false;
        }

        return !Overlaps(a.Writes, b.Writes) && !Overlaps(a.Writes, b.Reads) && !Overlaps(a.Reads, b.Writes);
    }

    private static bool Overlaps(IReadOnlyList<string> x, IReadOnlyList<string> y)
    {
        foreach (var a in x)
        {
            foreach (var b in y)
            {
                if (string.Equals(a, b, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
