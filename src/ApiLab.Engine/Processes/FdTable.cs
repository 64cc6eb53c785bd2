namespace ApiLab.Engine;

/// <summary>A process's file descriptors. Like Linux, a new fd is the lowest free number.</summary>
public sealed class FdTable
{
    /// <summary>RLIMIT_NOFILE's usual soft limit.</summary>
    public const int DefaultLimit = 1024;

    /// <summary>This table's RLIMIT_NOFILE (setrlimit raises it: Android's system_server runs with 32768).</summary>
    public int Limit { get; set; } = DefaultLimit;

    private readonly List<object?> _files = [];
    private readonly List<bool> _closeOnExec = [];

    public int Count { get; private set; }

    /// <summary>Installs <paramref name="file"/> at the lowest free fd, or returns -1 when the table is full (EMFILE).
    /// <paramref name="closeOnExec"/> is FD_CLOEXEC (O_CLOEXEC at open; pidfds always have it).</summary>
    public int Install(object file, bool closeOnExec = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        for (var fd = 0; fd < _files.Count; fd++)
        {
            if (_files[fd] is null)
            {
                _files[fd] = file;
                _closeOnExec[fd] = closeOnExec;
                Count++;
                return fd;
            }
        }

        if (_files.Count >= Limit)
        {
            return -1;
        }

        _files.Add(file);
        _closeOnExec.Add(closeOnExec);
        Count++;
        return _files.Count - 1;
    }

    /// <summary>dup_fd at fork: the child gets the same open files at the same numbers (shared, not reopened).</summary>
    public FdTable Clone()
    {
        var copy = new FdTable { Limit = Limit };
        copy._files.AddRange(_files);
        copy._closeOnExec.AddRange(_closeOnExec);
        copy.Count = Count;
        return copy;
    }

    public bool IsCloseOnExec(int fd) => Get(fd) is not null && _closeOnExec[fd];

    /// <summary>do_close_on_exec: closes every FD_CLOEXEC descriptor; returns the files closed (for their release).</summary>
    internal List<object> CloseOnExec()
    {
        var closed = new List<object>();
        for (var fd = 0; fd < _files.Count; fd++)
        {
            if (_files[fd] is { } file && _closeOnExec[fd])
            {
                Close(fd);
                closed.Add(file);
            }
        }

        return closed;
    }

    /// <summary>Every open file, once per fd that holds it.</summary>
    internal IEnumerable<object> OpenFiles()
    {
        foreach (var file in _files)
        {
            if (file is not null)
            {
                yield return file;
            }
        }
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
        _closeOnExec[fd] = false;
        Count--;
        return true;
    }
}
