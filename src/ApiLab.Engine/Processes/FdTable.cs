namespace ApiLab.Engine;

/// <summary>A process's file descriptors. Like Linux, a new fd is the lowest free number.</summary>
public sealed class FdTable
{
    /// <summary>RLIMIT_NOFILE's usual soft limit.</summary>
    public const int Limit = 1024;

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
        var copy = new FdTable();
        copy._files.AddRange(_files);
        copy._closeOnExec.AddRange(_closeOnExec);
        copy.Count = Count;
        return copy;
    }

    public bool IsCloseOnExec(int fd) => Get(fd) is not null && _closeOnExec[fd];

    /// <summary>do_close_on_exec: closes every FD_CLOEXEC descriptor; returns how many.</summary>
    internal int CloseOnExec()
    {
        var closed = 0;
        for (var fd = 0; fd < _files.Count; fd++)
        {
            if (_files[fd] is not null && _closeOnExec[fd])
            {
                Close(fd);
                closed++;
            }
        }

        return closed;
    }

    public object? Get(int fd) => fd >= 0 && fd < _files.Count ? _files[fd] : null;

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
