using ApiLab.Spec;

namespace ApiLab.Engine;

/// <summary>
/// Regular files: a flat namespace of in-memory files, each an inode with a page cache (a <see cref="ShmemObject"/>)
/// and a backing store. The file outlives its fds and mappings until it is unlinked; its cached pages stay until
/// reclaim drops them (clean) or writes them back and drops them (dirty).
/// </summary>
public sealed partial class Machine
{
    /// <summary>O_RDONLY, O_WRONLY, O_RDWR (the O_ACCMODE bits) and O_CLOEXEC.</summary>
    public const uint ORdonly = 0, OWronly = 1, ORdwr = 2, OCloexec = 0x80000;

    private const uint OAccMode = 3;

    private readonly Dictionary<string, ShmemObject> _files = new(StringComparer.Ordinal);

    /// <summary>The regular files the namespace holds (for the invariant checker and tests).</summary>
    public IReadOnlyCollection<ShmemObject> Files => _files.Values;

    /// <summary>
    /// Creates the file <paramref name="path"/> on disk with one content word per page (<paramref name="pages"/>; the
    /// size is that many pages, zero words are holes). Nothing is cached yet: the first access to each page is a major
    /// fault. EEXIST if the name is taken; EINVAL for an empty name.
    /// </summary>
    public SysResult<ShmemObject> CreateFile(string path, ReadOnlySpan<ulong> pages)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return Errno.EINVAL;
        }

        if (_files.ContainsKey(path))
        {
            return Errno.EEXIST;
        }

        var file = NewShmem(path);
        file.AttachBackingStore(pages);
        file.SizePages = pages.Length;
        file.Linked = true;
        _files.Add(path, file);
        return file;
    }

    /// <summary>
    /// open(path, flags): ENOENT if no such file; EINVAL for flags other than an access mode and O_CLOEXEC (the engine
    /// models no others); EMFILE when the fd table is full. File permissions are not modelled: every open of an existing
    /// file is allowed. The access mode (O_ACCMODE 3 gives neither read nor write) decides what mmap may map.
    /// </summary>
    public SysResult<int> Open(Process caller, string path, uint flags = ORdwr | OCloexec)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(path);
        using var scope = EnterSyscall(caller, "open");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if ((flags & ~(OAccMode | OCloexec)) != 0)
        {
            return Errno.EINVAL;
        }

        if (!_files.TryGetValue(path, out var file))
        {
            return Errno.ENOENT;
        }

        var access = (flags & OAccMode) switch
        {
            ORdonly => FileAccess.Read,
            OWronly => FileAccess.Write,
            ORdwr => FileAccess.ReadWrite,
            _ => (FileAccess)0,
        };
        var fd = caller.Fds.Install(new RegularFile(file, access), closeOnExec: (flags & OCloexec) != 0);
        if (fd < 0)
        {
            return Errno.EMFILE;
        }

        file.FileRefs++;
        return fd;
    }

    /// <summary>
    /// unlink(path): ENOENT if no such file. Open fds and mappings keep the inode (shown "(deleted)" in maps); once the
    /// last of them goes, its page cache and blocks are freed.
    /// </summary>
    public SysResult<int> Unlink(Process caller, string path)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(path);
        using var scope = EnterSyscall(caller, "unlink");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        if (!_files.Remove(path, out var file))
        {
            return Errno.ENOENT;
        }

        file.Linked = false;
        if (file.Unused)
        {
            FreeShmem(file);
        }

        return 0;
    }

    /// <summary>fsync(fd): writes back every dirty page of a regular file; a memfd has nothing to write (noop_fsync).
    /// EBADF for a bad fd, EINVAL for a file that cannot be synced (pidfd, userfaultfd).</summary>
    public SysResult<int> Fsync(Process caller, int fd)
    {
        ArgumentNullException.ThrowIfNull(caller);
        using var scope = EnterSyscall(caller, "fsync");
        if (scope.Blocked)
        {
            return Errno.ERESTARTSYS;
        }

        switch (caller.Fds.Get(fd))
        {
            case null:
                return Errno.EBADF;
            case PageCacheFile file:
                WriteBackRange(file.Shmem, 0, long.MaxValue);
                return 0;
            default:
                return Errno.EINVAL;
        }
    }
}
