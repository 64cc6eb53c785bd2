namespace ApiLab.Engine;

/// <summary>
/// Linux's cyclic pid allocation (<c>alloc_pid</c> → <c>idr_alloc_cyclic</c>): the next pid is the lowest free one
/// above the last allocated; after <c>pid_max</c> it wraps to RESERVED_PIDS (300). A freed pid is therefore reused
/// only after a wrap, which is exactly how pid-reuse races happen, and is reproducible here.
/// </summary>
public sealed class PidAllocator(int pidMax)
{
    /// <summary>RESERVED_PIDS: where allocation restarts after a wrap.</summary>
    public const int ReservedPids = 300;

    private readonly HashSet<int> _used = [];
    private int _last;

    public int PidMax { get; } = pidMax > ReservedPids + 1 ? pidMax : throw new ArgumentOutOfRangeException(nameof(pidMax));

    /// <summary>Allocates a pid, or returns -1 when every pid is taken (fork fails with EAGAIN).</summary>
    public int Allocate()
    {
        var candidate = _last + 1;
        for (var tries = 0; tries < PidMax; tries++)
        {
            if (candidate >= PidMax)
            {
                candidate = ReservedPids;
            }

            if (_used.Add(candidate))
            {
                _last = candidate;
                return candidate;
            }

            candidate++;
        }

        return -1;
    }

    public void Free(int pid) => _used.Remove(pid);

    public bool InUse(int pid) => _used.Contains(pid);
}
