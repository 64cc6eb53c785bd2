using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// Runs random operations on a small, checked machine and on a shadow model of what every process must observe,
/// and fails on the first difference: a wrong value, an errno the model does not allow, or (through
/// <see cref="MachineConfig.CheckInvariants"/>) a broken refcount, rmap, LRU or swap count. The machine is small so
/// that reclaim, swap and ENOMEM happen all the time. Ranges may be registered with a userfaultfd (MISSING and WP,
/// every event, WP_UNPOPULATED) and write-protected; the world then plays the monitor: whenever an access sleeps in a
/// userfault it reads every message and resolves each fault the only way the model allows — a MISSING page can only
/// hold zero (UFFDIO_ZEROPAGE), a WP fault is unprotected — and retries. So the value oracle is unchanged.
/// </summary>
internal sealed partial class ShadowWorld
{
    private const int MaxProcesses = 4;
    private const int MaxPagesPerProcess = 48;

    private readonly List<(Process Process, SortedDictionary<ulong, ShadowPage> Pages)> _procs = [];
    private int _nextObject;

    public ShadowWorld()
    {
        Machine = New(frames: 24, swapSlots: 64);
        _procs.Add((SpawnFirst(), []));
    }

    // CAP_SYS_PTRACE: kernel-mode userfaults (process_vm_readv) and EVENT_FORK are allowed.
    private Process SpawnFirst()
    {
        var first = Machine.User(comm: "p0");
        first.Limits.Memlock = MemlockPages * P;
        first.Credentials = first.Credentials.With(Capability.SysPtrace);
        return first;
    }

    /// <summary>
    /// exit + wait. An exit that orphans a process group with stopped members hangs the group up (SIGHUP, then
    /// SIGCONT): those processes die as soon as they run, so they are buried too. If nobody is left, a fresh first
    /// process starts.
    /// </summary>
    private void Bury(Process process)
    {
        Machine.Exit(process);
        Machine.Reap(process);
        _procs.RemoveAll(e => ReferenceEquals(e.Process, process));
        _defLocked.Remove(process);
        _memfds.Remove(process);
        foreach (var hungUp in _procs.Select(static e => e.Process).Where(static p => p.KillPending).ToList())
        {
            Bury(hungUp);
        }

        if (_procs.Count == 0)
        {
            _procs.Add((SpawnFirst(), []));
        }
    }

    public Machine Machine { get; }

    /// <summary>Shared objects' page values, by (object, index).</summary>
    public Dictionary<(int Object, long Index), ulong> SharedValues { get; } = [];

    /// <summary>Every frame and swap slot of a run must be free again once all its processes exit.</summary>
    public void TearDown()
    {
        ContinueAll();
        UnlinkFiles();
        foreach (var (process, pages) in _procs)
        {
            foreach (var (address, page) in pages.ToList())
            {
                CheckLoad(process, pages, address, page);
            }

            Machine.Reap(process);
        }

        Machine.CheckInvariants();
        Assert.Equal(0, Machine.Frames.UsedCount);
        Assert.Equal(0, Machine.Swap.UsedSlots);
    }

    public void Apply(Op op)
    {
        var (process, pages) = _procs[op.A % _procs.Count];
        if (process.Stopped)
        {
            BlockedWhileStopped(process, pages);
            return;
        }

        Dispatch(op, process, pages);
        if (op.Kind is OpKind.DontNeed or OpKind.Free or OpKind.Remove && _procs.Any(static e => e.Process.UffdEventsUnread > 0))
        {
            // The monitor reads the REMOVE at once: only then is the range zapped (the model's effect has happened).
            ResolveFaults();
        }
        switch (op.Kind)
        {
            case OpKind.Reclaim or OpKind.PageOutOrCold:
                // Locked pages must have survived, in every process.
                foreach (var (each, eachPages) in _procs)
                {
                    CheckFlags(each, eachPages);
                }

                break;
            case OpKind.Mmap or OpKind.MapFile or OpKind.Munmap or OpKind.Mprotect or OpKind.Mremap or OpKind.Fork or OpKind.Exec
                or OpKind.Mlock or OpKind.Mlockall or OpKind.Mseal when process.Mm is not null:
                CheckFlags(process, pages);
                break;
        }
    }

    private void Dispatch(Op op, Process process, SortedDictionary<ulong, ShadowPage> pages)
    {
        switch (op.Kind)
        {
            case OpKind.Mmap:
                Mmap(process, pages, op);
                break;
            case OpKind.Store:
                if (Pick(pages, op.B) is { } s)
                {
                    Store(process, pages, s, (ulong)op.C + 1);
                }

                break;
            case OpKind.Load:
                if (Pick(pages, op.B) is { } l)
                {
                    CheckLoad(process, pages, l, pages[l]);
                }

                break;
            case OpKind.Munmap:
                Munmap(process, pages, op);
                break;
            case OpKind.DontNeed:
                Advise(process, pages, op, Advice.DontNeed, static p => !p.Locked && !p.SealBlocksDiscard,
                    static p => p.IsShared ? p : p with { Value = 0, Lazy = false, Cow = false, MaybeCow = false });
                break;
            case OpKind.PageOutOrCold:
                Advise(process, pages, op, op.C % 2 == 0 ? Advice.PageOut : Advice.Cold, static p => !p.Locked, static p => p);
                break;
            case OpKind.Free:
                Advise(process, pages, op, Advice.Free, static p => !p.IsShared && !p.IsFile && !p.Locked && !p.SealBlocksDiscard,
                    static p => p.Guard ? p : p with { Lazy = true });
                break;
            case OpKind.Mprotect:
                Mprotect(process, pages, op);
                break;
            case OpKind.Fork:
                Fork(process, pages);
                break;
            case OpKind.Exit:
                if (_procs.Count > 1)
                {
                    Bury(process);
                }

                break;
            case OpKind.Reclaim:
                Machine.Reclaim(1 + (op.B % 32));
                break;
            case OpKind.Mremap:
                Mremap(process, pages, op);
                break;
            case OpKind.ReadRemote:
                ReadRemote(process, pages, op);
                break;
            case OpKind.GuardInstall:
                Advise(process, pages, op, Advice.GuardInstall, static p => !p.Locked && !p.SealBlocksDiscard,
                    static p => p with { Guard = true, Value = 0, Lazy = false, Cow = false, MaybeCow = false });
                break;
            case OpKind.GuardRemove:
                Advise(process, pages, op, Advice.GuardRemove, static _ => true, static p => p with { Guard = false });
                break;
            case OpKind.DontForkOrDoFork:
                var dontFork = op.C % 2 == 0;
                Advise(process, pages, op, dontFork ? Advice.DontFork : Advice.DoFork, p => !dontFork || !p.SealBlocksDiscard,
                    p => p with { DontFork = dontFork });
                break;
            case OpKind.WipeOnFork:
                Advise(process, pages, op, Advice.WipeOnFork, static p => !p.IsShared && !p.IsFile && !p.SealBlocksDiscard,
                    static p => p with { WipeOnFork = true });
                break;
            case OpKind.Remove:
                Remove(process, pages, op);
                break;
            case OpKind.Exec:
                Exec(process, pages, op);
                break;
            case OpKind.Mlock:
                Mlock(process, pages, op);
                break;
            case OpKind.Mlockall:
                Mlockall(process, pages, op);
                break;
            case OpKind.Mseal:
                Mseal(process, pages, op);
                break;
            case OpKind.UffdRegister:
                UffdRegister(process, pages, op);
                break;
            case OpKind.UffdWriteProtect:
                UffdWriteProtect(process, pages, op);
                break;
            case OpKind.MapFile:
                MapFile(process, pages, op);
                break;
            case OpKind.Ftruncate:
                Ftruncate(process, pages, op);
                break;
            case OpKind.Setpgid:
                Setpgid(process, op);
                break;
            case OpKind.Setsid:
                Setsid(process);
                break;
            case OpKind.Kill:
                Kill(process, op);
                break;
        }

        foreach (var (p, _) in _procs)
        {
            Assert.True(p.UffdWait is null, $"{p} left asleep in a userfault after {op}");
        }
    }

    private void Mmap(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        var count = 1 + (op.C % 6);
        if (pages.Count + count > MaxPagesPerProcess)
        {
            return;
        }

        var type = (op.B % 3) switch { 0 => MapFlags.Private, 1 => MapFlags.Shared, _ => MapFlags.Droppable };
        var prot = (op.B / 3 % 4) == 0 ? Prot.Read : Prot.ReadWrite;
        var at = process.Mmap(0, (ulong)count * P, prot, type | MapFlags.Anonymous);
        var defLocked = _defLocked.Contains(process);
        if (defLocked && LockedPages(pages) + count > MemlockPages)
        {
            // mlockall(MCL_FUTURE): mlock_future_ok counts the new mapping, droppable or not.
            Assert.Equal(Errno.EAGAIN, at.Error);
            return;
        }

        Assert.True(at.IsOk, $"mmap: {at}");
        var obj = type == MapFlags.Shared ? _nextObject++ : -1;
        for (var i = 0; i < count; i++)
        {
            pages[at.Value + ((ulong)i * P)] = new ShadowPage
            {
                Prot = prot,
                Object = obj,
                Index = i,
                Droppable = type == MapFlags.Droppable,
                WipeOnFork = type == MapFlags.Droppable,
                Locked = defLocked && type != MapFlags.Droppable,
            };
        }
    }

    private void Store(Process process, SortedDictionary<ulong, ShadowPage> pages, ulong address, ulong value)
    {
        var page = pages[address];
        var result = Retry(() => process.Store(address + 8, value));
        if (!page.Writable)
        {
            Assert.Equal(Errno.EFAULT, result.Error);
            return;
        }

        if (BeyondEof(page))
        {
            Assert.Equal(Errno.EIO, result.Error);
            return;
        }

        if (result.Error == Errno.ENOMEM)
        {
            return;
        }

        Assert.True(result.IsOk, $"store at {address:x}: {result}");
        if (page.IsShared)
        {
            SharedValues[(page.Object, page.Index)] = value;
        }
        else
        {
            pages[address] = page with { Value = value, Lazy = false, Cow = page.IsFile, MaybeCow = false };
        }
    }

    private void CheckLoad(Process process, SortedDictionary<ulong, ShadowPage> pages, ulong address, ShadowPage page)
    {
        var result = Retry(() => process.Load(address));
        if (!page.Readable)
        {
            Assert.Equal(Errno.EFAULT, result.Error);
            return;
        }

        if (BeyondEof(page))
        {
            Assert.Equal(Errno.EIO, result.Error);
            return;
        }

        if (result.Error == Errno.ENOMEM)
        {
            return;
        }

        Assert.True(result.IsOk, $"load at {address:x}: {result}");
        var expected = ValueOf(page);
        if ((page.IsShared || page.ReadsFile) && page.IsFile && expected != 0)
        {
            FileCounts = FileCounts with { FileReadsChecked = FileCounts.FileReadsChecked + 1 };
        }
        if (page.MaybeCow && (result.Value == page.Value || result.Value == expected))
        {
            // The read tells whether populate copied the page (unless file and copy still agree).
            if (result.Value != expected || result.Value != page.Value)
            {
                pages[address] = page with { Cow = result.Value == page.Value, MaybeCow = false };
            }

            return;
        }

        if (page.MayReadZero && result.Value == 0)
        {
            pages[address] = page with { Value = 0 };
            return;
        }

        Assert.True(expected == result.Value, $"{process} at {address:x}: read {result.Value}, expected {expected} ({page})");
    }

    private void Munmap(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (Pick(pages, op.B) is not { } start)
        {
            return;
        }

        var end = start + ((ulong)(1 + (op.C % 4)) * P);
        var result = process.Munmap(start, end - start);
        if (end > Page.TaskSize)
        {
            // Past TASK_SIZE (the top of an unrandomised exec stack).
            Assert.Equal(Errno.EINVAL, result.Error);
            return;
        }

        if (pages.Any(p => p.Key >= start && p.Key < end && p.Value.Sealed))
        {
            Assert.Equal(Errno.EPERM, result.Error);
            return;
        }

        Assert.True(result.IsOk, $"munmap: {result}");
        foreach (var address in pages.Keys.Where(a => a >= start && a < end).ToList())
        {
            pages.Remove(address);
        }
    }

    /// <summary>madvise over a run of mapped pages that all satisfy <paramref name="eligible"/>: it must succeed.</summary>
    private static void Advise(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op, Advice advice,
        Func<ShadowPage, bool> eligible, Func<ShadowPage, ShadowPage> effect)
    {
        if (Run(pages, op, eligible) is not { } run)
        {
            return;
        }

        var result = process.Madvise(run.Start, run.End - run.Start, advice);
        Assert.True(result.IsOk, $"madvise({run.Start:x}, {run.End - run.Start}, {advice}): {result}");
        foreach (var address in pages.Keys.Where(a => a >= run.Start && a < run.End).ToList())
        {
            pages[address] = effect(pages[address]);
        }
    }

    private void Mprotect(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (Run(pages, op, static _ => true) is not { } run)
        {
            return;
        }

        var prot = (op.C % 3) switch { 0 => Prot.Read, 1 => Prot.ReadWrite, _ => Prot.None };
        var inRun = pages.Keys.Where(a => a >= run.Start && a < run.End).ToList();
        if (prot == Prot.ReadWrite && !SettleMaybeCow(process, pages, inRun.Where(a => pages[a].Locked)))
        {
            return;
        }

        var result = Retry(() => process.Mprotect(run.Start, run.End - run.Start, prot));
        // VMA by VMA: the pages before the first sealed one change, then EPERM.
        foreach (var address in pages.Keys.Where(a => a >= run.Start && a < run.End).ToList())
        {
            if (pages[address].Sealed)
            {
                Assert.Equal(Errno.EPERM, result.Error);
                return;
            }

            // mprotect_fixup populates a locked private VMA it makes writable: a private file page there may be copied.
            var old = pages[address];
            var updated = old with { Prot = prot };
            pages[address] = old.Locked && (old.Prot & Prot.Write) == 0 && (prot & Prot.Write) != 0 ? MaybeCopied(updated) : updated;
        }

        Assert.True(result.IsOk, $"mprotect: {result}");
    }

    private void Fork(Process parent, SortedDictionary<ulong, ShadowPage> pages)
    {
        if (_procs.Count >= MaxProcesses)
        {
            return;
        }

        var child = Machine.Fork(parent);
        Assert.True(child.IsOk, $"fork: {child}");
        var copy = new SortedDictionary<ulong, ShadowPage>();
        foreach (var (address, page) in pages)
        {
            if (page.DontFork)
            {
                continue;
            }

            // Locks are not inherited; seals are.
            var inherited = page with { Locked = false, Resident = false };
            copy[address] = page.WipeOnFork ? inherited with { Value = 0, Lazy = false, Guard = false } : inherited;
        }

        _procs.Add((child.Value, copy));
        if (_memfds.TryGetValue(parent, out var fds))
        {
            // dup_fd: the child has the same memfds at the same numbers.
            _memfds[child.Value] = new Dictionary<int, int>(fds);
        }
    }

    /// <summary>mremap of a run of private pages; whether it fits one VMA is the engine's business, the contents are ours.</summary>
    private static void Mremap(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (Run(pages, op, static p => !p.IsShared && !p.IsFile) is not { } run)
        {
            return;
        }

        var oldLen = run.End - run.Start;
        var oldPages = (int)(oldLen / P);
        var newPages = Math.Max(1, oldPages + (op.C / 4 % 5) - 2);
        if (pages.Count + newPages > MaxPagesPerProcess)
        {
            return;
        }

        var dontUnmap = op.C % 7 == 0 && newPages == oldPages;
        var flags = dontUnmap ? MremapFlags.MayMove | MremapFlags.DontUnmap : (op.C % 2 == 0 ? MremapFlags.MayMove : MremapFlags.None);
        var before = pages.Where(p => p.Key >= run.Start && p.Key < run.End).ToList();
        var result = process.Mremap(run.Start, oldLen, (ulong)newPages * P, flags);
        if (!result.IsOk)
        {
            var sealedAllowed = before.Any(static p => p.Value.Sealed) && result.Error == Errno.EPERM;
            Assert.True(result.Error is Errno.EFAULT or Errno.ENOMEM || sealedAllowed, $"mremap: {result}");
            return;
        }

        // Whatever left its place (moved, or unmapped by a shrink) was not sealed.
        var moved = result.Value != run.Start || dontUnmap;
        Assert.DoesNotContain(before.Skip(moved ? 0 : newPages), static p => p.Value.Sealed);

        var template = before[0].Value;
        foreach (var (address, _) in before)
        {
            pages.Remove(address);
        }

        if (dontUnmap)
        {
            // MREMAP_DONTUNMAP unlocks the whole old VMA, not just the range, and the new range too if copy_vma merged
            // it into that VMA (host-verified): where the VMA lies is the engine's business, what it does to the pages
            // is the model's.
            var oldVma = process.Mm!.Vmas.Find(run.Start) is { } v ? (v.Start, v.End) : (0UL, 0UL);
            foreach (var (address, page) in before)
            {
                pages[address] = page with { Value = 0, Lazy = false, Guard = false };
            }

            for (var i = 0; i < newPages; i++)
            {
                pages[result.Value + ((ulong)i * P)] = before[i].Value;
            }

            foreach (var address in pages.Keys.Where(a => a >= oldVma.Item1 && a < oldVma.Item2).ToList())
            {
                pages[address] = pages[address] with { Locked = false, Resident = false };
            }

            return;
        }

        for (var i = 0; i < newPages; i++)
        {
            var address = result.Value + ((ulong)i * P);
            pages[address] = i < before.Count
                ? before[i].Value
                : template with { Value = 0, Lazy = false, Guard = false, Resident = false };
        }
    }

    /// <summary>process_vm_readv of one word from another process's page into one of ours.</summary>
    private void ReadRemote(Process caller, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        var (target, targetPages) = _procs[op.C % _procs.Count];
        if (Pick(pages, op.B) is not { } local || Pick(targetPages, op.C / 7) is not { } remote)
        {
            return;
        }

        var source = targetPages[remote];
        var destination = pages[local];
        if (source.MayReadZero || ReferenceEquals(caller, target) || source.MaybeCow || destination.MaybeCow || BeyondEof(source)
            || BeyondEof(destination))
        {
            return;
        }

        var result = Retry(() => Machine.ProcessVmReadv(caller, new Pid(target.Pid), [new IoVec(local, 8)], [new IoVec(remote, 8)], 0));
        if (!source.Readable || !destination.Writable)
        {
            Assert.Equal(Errno.EFAULT, result.Error);
            return;
        }

        if (!result.IsOk && Machine.Frames.FreeCount == 0)
        {
            return;
        }

        Assert.True(result.IsOk, $"process_vm_readv: {result}");
        Assert.Equal(8L, result.Value);
        var value = ValueOf(source);
        if (destination.IsShared)
        {
            SharedValues[(destination.Object, destination.Index)] = value;
        }
        else
        {
            pages[local] = destination with { Value = value, Lazy = false, Cow = destination.IsFile };
        }
    }

    private void Remove(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (Run(pages, op, static p => p.IsShared && !p.Locked) is not { } run)
        {
            return;
        }

        var result = process.Madvise(run.Start, run.End - run.Start, Advice.Remove);
        Assert.True(result.IsOk, $"MADV_REMOVE: {result}");
        foreach (var address in pages.Keys.Where(a => a >= run.Start && a < run.End))
        {
            var page = pages[address];
            SharedValues.Remove((page.Object, page.Index));
        }
    }

    private static ulong? Pick(SortedDictionary<ulong, ShadowPage> pages, int choice) =>
        pages.Count == 0 ? null : pages.Keys.ElementAt(choice % pages.Count);

    /// <summary>A run of 1-4 contiguous mapped pages starting at a picked one, all satisfying <paramref name="eligible"/>.</summary>
    private static (ulong Start, ulong End)? Run(SortedDictionary<ulong, ShadowPage> pages, Op op, Func<ShadowPage, bool> eligible)
    {
        if (Pick(pages, op.B) is not { } start || !eligible(pages[start]))
        {
            return null;
        }

        var end = start + P;
        var wanted = 1 + (op.C % 4);
        while ((int)((end - start) / P) < wanted && pages.TryGetValue(end, out var next) && eligible(next))
        {
            end += P;
        }

        return (start, end);
    }
}
