namespace ApiLab.Engine;

/// <summary>A process's file descriptors. Like Linux, a new fd is the lowest free number.</summary>
public sealed class FdTable
{
    /// <summary>RLIMIT_NOFILE's usual soft limit.</summary>
    public const int Limit = 1024;

    private readonly List<object?> _files = [];

    public int Count { get; private set; }

    /// <summary>Installs <paramref name="file"/> at the lowest free fd, or returns -1 when the table is full (EMFILE).</summary>
    public int Install(object file)
    {
        ArgumentNullException.ThrowIfNull(file);
        for (var fd = 0; fd < _files.Count; fd++)
        {
            if (_files[fd] is null)
            {
                _files[fd] = file;
                Count++;
                return fd;
            }
        }

        if (_files.Count >= Limit)
        {
            return -1;
        }

        _files.Add(file);
        Count++;
        return _files.Count - 1;
    }

    public object? Get(int fd) => fd >= 0 && fd < _files.Count ? _files[fd] : null;

    /// <summary>One past the highest fd ever used (what a walk over <see cref="Get"/> covers).</summary>
    internal int Size => _files.Count;

    /// <summary>Closes every fd (exit_files) and returns the files, in fd order, for the caller to release.</summary>
    internal List<object> CloseAll()
    {
        var closed = new List<object>(Count);
        for (var fd = 0; fd < _files.Count; fd++)
        {
            if (_files[fd] is { } file)
            {
                closed.Add(file);
                _files[fd] = null;
            }
        }

        Count = 0;
        return closed;
    }

    public bool Close(int fd)
    {
        if (Get(fd) is null)
        {
            return false;
        }

        _files[fd] = null;
        Count--;
        return true;
    }
}
