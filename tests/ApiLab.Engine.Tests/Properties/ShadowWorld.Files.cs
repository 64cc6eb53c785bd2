using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// File mappings in the shadow world: memfds (created by a process, inherited by its children through the fd table)
/// and regular files (opened by path, with a backing store, so reclaim writes them back and reads them in again),
/// mapped shared or private and truncated. A file's pages are shared values keyed by the file; a private page reads
/// them until it is written (then it has its own copy), and reads the file again after MADV_DONTNEED; pages past the
/// end of the file are SIGBUS, even copied ones (truncate drops private copies too).
/// </summary>
internal sealed partial class ShadowWorld
{
    private const int FilePages = 8;
    private const int MaxFiles = 4;

    private readonly List<(int Object, string? Path)> _fileObjects = [];
    private readonly Dictionary<int, long> _fileSizes = [];

    // Per process: memfd object → fd.
    private readonly Dictionary<Process, Dictionary<int, int>> _memfds = new(ReferenceEqualityComparer.Instance);

    /// <summary>File pages mapped, and loads of file pages (shared or still reading the file) checked against a non-zero
    /// file value: evidence that the runs really used files.</summary>
    public (long PagesMapped, long FileReadsChecked, long Shrinks) FileCounts { get; private set; }

    /// <summary>What a page must read now.</summary>
    private ulong ValueOf(ShadowPage page) =>
        page.IsShared ? SharedValues.GetValueOrDefault((page.Object, page.Index))
        : page.ReadsFile ? SharedValues.GetValueOrDefault((page.File, page.Index))
        : page.Value;

    private bool BeyondEof(ShadowPage page) => page.IsFile && page.Index >= _fileSizes[page.File];

    /// <summary>populate write-faults private writable pages (to break COW): a private file page there may now be a copy
    /// of the file's current value.</summary>
    private ShadowPage MaybeCopied(ShadowPage page) =>
        page is { ReadsFile: true, Guard: false } && (page.Prot & Prot.Write) != 0 && !BeyondEof(page)
            ? page with { MaybeCow = true, Value = ValueOf(page) }
            : page;

    /// <summary>
    /// Before a populate that may copy private file pages (mlock, mlockall, mprotect of a locked range): a page that
    /// may already be a copy, and whose copy and file now differ, is read, which tells which it is. False when one
    /// stays undecided (it cannot be read): the caller skips the operation, as the model could not follow it.
    /// </summary>
    private bool SettleMaybeCow(Process process, SortedDictionary<ulong, ShadowPage> pages, IEnumerable<ulong> addresses)
    {
        foreach (var address in addresses.ToList())
        {
            if (pages[address] is { MaybeCow: true, Readable: true } page && page.Value != ValueOf(page))
            {
                CheckLoad(process, pages, address, page);
            }

            if (pages[address] is { MaybeCow: true } still && still.Value != ValueOf(still))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>mmap of a memfd this process holds (or a new one) or of a regular file, shared or private, 1-4 pages at a
    /// page offset that may run past the end of the file.</summary>
    private void MapFile(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        var count = 1 + (op.C / 18 % 4);
        if (pages.Count + count > MaxPagesPerProcess || FileFd(process, op) is not var (obj, fd, opened))
        {
            return;
        }

        var shared = op.B / 4 % 2 == 0;
        var prot = op.C % 3 == 0 ? Prot.Read : Prot.ReadWrite;
        var offset = op.C / 3 % 6;
        var defLocked = _defLocked.Contains(process);
        var at = process.Mmap(0, (ulong)count * P, prot, shared ? MapFlags.Shared : MapFlags.Private, fd, (ulong)offset * P);
        if (opened)
        {
            Assert.True(Machine.Close(process, fd).IsOk);
        }

        if (defLocked && LockedPages(pages) + count > MemlockPages)
        {
            Assert.Equal(Errno.EAGAIN, at.Error);
            return;
        }

        Assert.True(at.IsOk, $"mmap file: {at}");
        for (var i = 0; i < count; i++)
        {
            var page = new ShadowPage
            {
                Prot = prot,
                Object = shared ? obj : -1,
                File = obj,
                Index = offset + i,
                Locked = defLocked,
            };
            pages[at.Value + ((ulong)i * P)] = defLocked ? MaybeCopied(page) : page;
        }

        FileCounts = FileCounts with { PagesMapped = FileCounts.PagesMapped + count };
        if (op.A % 2 == 0)
        {
            // A program reads the file it mapped: every page must show the file (or SIGBUS past its end).
            for (var i = 0; i < count; i++)
            {
                var address = at.Value + ((ulong)i * P);
                CheckLoad(process, pages, address, pages[address]);
            }
        }
    }

    /// <summary>ftruncate of a file to 0-10 pages: pages past the new end vanish from every mapping, copies included;
    /// growing again shows holes (zero).</summary>
    private void Ftruncate(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (FileFd(process, op) is not var (obj, fd, opened))
        {
            return;
        }

        var size = op.C % 11;
        var result = Machine.Ftruncate(process, fd, size * (long)P);
        if (opened)
        {
            Assert.True(Machine.Close(process, fd).IsOk);
        }

        Assert.True(result.IsOk, $"ftruncate: {result}");
        if (size < _fileSizes[obj])
        {
            FileCounts = FileCounts with { Shrinks = FileCounts.Shrinks + 1 };
            foreach (var key in SharedValues.Keys.Where(k => k.Object == obj && k.Index >= size).ToList())
            {
                SharedValues.Remove(key);
            }

            foreach (var (_, eachPages) in _procs)
            {
                foreach (var (address, page) in eachPages.ToList())
                {
                    if (page.File == obj && page.Index >= size)
                    {
                        eachPages[address] = page with { Value = 0, Cow = false, MaybeCow = false, Resident = false };
                    }
                }
            }
        }

        _fileSizes[obj] = size;
    }

    /// <summary>An fd for a file: one of the process's memfds, a new memfd, or a regular file opened for this call (the
    /// caller closes it). Null when there is nothing to use and no room for another file.</summary>
    private (int Object, int Fd, bool Opened)? FileFd(Process process, Op op)
    {
        var held = _memfds.GetValueOrDefault(process);
        var regular = _fileObjects.Where(static f => f.Path is not null).ToList();
        switch (op.B % 4)
        {
            case 0 when held is { Count: > 0 }:
                var (heldObj, heldFd) = held.ElementAt(op.B / 8 % held.Count);
                return (heldObj, heldFd, false);
            case 0 or 1 when _fileObjects.Count < MaxFiles:
                return NewMemfd(process);
            case 2 or 3 when regular.Count > 0 && (op.B % 4 == 2 || _fileObjects.Count >= MaxFiles):
                var (obj, path) = regular[op.B / 8 % regular.Count];
                return (obj, Machine.Open(process, path!, Machine.ORdwr).Value, true);
            case 2 or 3 when _fileObjects.Count < MaxFiles:
                return NewRegularFile(process, op);
            default:
                return null;
        }
    }

    private (int, int, bool) NewMemfd(Process process)
    {
        var obj = _nextObject++;
        var fd = Machine.MemfdCreate(process, "shadow" + obj, 0).Value;
        Assert.True(Machine.Ftruncate(process, fd, FilePages * (long)P).IsOk);
        _fileObjects.Add((obj, null));
        _fileSizes[obj] = FilePages;
        if (!_memfds.TryGetValue(process, out var held))
        {
            _memfds[process] = held = [];
        }

        held[obj] = fd;
        return (obj, fd, false);
    }

    private (int, int, bool) NewRegularFile(Process process, Op op)
    {
        var obj = _nextObject++;
        var path = "/shadow" + obj;
        var contents = new ulong[FilePages];
        for (var i = 0; i < FilePages; i++)
        {
            // Some holes, some data: both must read back right after reclaim dropped the page.
            contents[i] = (op.C >> i) % 2 == 0 ? 0 : (ulong)(obj << 8) + (ulong)i + 1;
            if (contents[i] != 0)
            {
                SharedValues[(obj, i)] = contents[i];
            }
        }

        Assert.True(Machine.CreateFile(path, contents).IsOk);
        _fileObjects.Add((obj, path));
        _fileSizes[obj] = FilePages;
        return (obj, Machine.Open(process, path, Machine.ORdwr).Value, true);
    }

    /// <summary>At the end of a run the regular files are unlinked, so their page cache must go with the last mapping.</summary>
    private void UnlinkFiles()
    {
        var caller = _procs[0].Process;
        foreach (var (_, path) in _fileObjects)
        {
            if (path is not null)
            {
                Assert.True(Machine.Unlink(caller, path).IsOk);
            }
        }
    }
}
