using System.Text;
using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Properties;

/// <summary>
/// The shadow model of exec, mlock/munlock/mlock2(ONFAULT), mlockall/munlockall and mseal. Every process may lock
/// <see cref="MemlockPages"/> pages (RLIMIT_MEMLOCK), so the ENOMEM and EAGAIN paths are predictable; exec runs with a
/// small RLIMIT_STACK so E2BIG is too.
/// </summary>
internal sealed partial class ShadowWorld
{
    private const int MemlockPages = 6;

    /// <summary>Processes under mlockall(MCL_FUTURE).</summary>
    private readonly HashSet<Process> _defLocked = [];

    /// <summary>How often the new operations took each path, so the property test can show they were exercised.</summary>
    public (int ExecsDone, int ExecsRefused, int PagesLocked, int PagesSealed) NewOpCounts { get; private set; }

    private static int LockedPages(SortedDictionary<ulong, ShadowPage> pages) => pages.Values.Count(static p => p.Locked);

    /// <summary>After the operations that can change them: the engine's lock and seal flags agree with the model, and
    /// the pages mlock populated are still there.</summary>
    private static void CheckFlags(Process process, SortedDictionary<ulong, ShadowPage> pages)
    {
        var mm = process.Mm!;
        Assert.Equal(LockedPages(pages), mm.LockedVm);
        foreach (var (address, page) in pages)
        {
            // Messages are built only on failure: this runs after every operation.
            var flags = mm.Vmas.Find(address)!.Flags;
            if (page.Locked != ((flags & VmFlags.Locked) != 0) || page.Sealed != ((flags & VmFlags.Sealed) != 0))
            {
                Assert.Fail($"{process} {address:x}: VMA flags {flags}, model {page}");
            }

            if (page.Resident && !Pte.IsPresent(mm.PageTable.Get(Page.ToVpn(address))))
            {
                Assert.Fail($"{process} {address:x}: a locked page was evicted ({page})");
            }
        }
    }

    /// <summary>
    /// execve with random strings and a 1-4 page RLIMIT_STACK: E2BIG exactly when the strings need more stack than
    /// the limit, or (tolerated) when there are fewer free frames than pages to fill. On success the process's pages
    /// are the new stack: the argument pages hold the digests of the image copy_strings wrote, the rest read zero.
    /// </summary>
    private void Exec(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (op.B % 4 != 0)
        {
            return;
        }

        var stackPages = 1 + (op.C % 4);
        process.Limits.Stack = (ulong)stackPages * P;
        var argv = Strings(op.B / 2, 'a');
        var envp = Strings(op.C / 16, 'E');
        const string filename = "/bin/e";
        var strings = new List<string> { filename };
        strings.AddRange(Enumerable.Reverse(envp));
        strings.AddRange(argv.Count == 0 ? [""] : Enumerable.Reverse(argv));
        var bytes = strings.Sum(static s => s.Length + 1);
        var argPages = (8 + bytes + (int)P - 1) / (int)P;
        var free = Machine.Frames.FreeCount;
        var options = new ExecOptions { Filename = filename, StackRandomization = op.C % 2 == 0 ? 0 : null };
        var result = process.Execve(argv, envp, options);
        if (argPages > stackPages)
        {
            Assert.Equal(Errno.E2BIG, result.Error);
            NewOpCounts = NewOpCounts with { ExecsRefused = NewOpCounts.ExecsRefused + 1 };
            return;
        }

        if (!result.IsOk)
        {
            Assert.True(result.Error == Errno.E2BIG && free < argPages, $"exec: {result} with {free} free frames for {argPages} pages");
            return;
        }

        var top = options.StackTop;
        Assert.Equal(top, result.Value.StackEnd);
        Assert.Equal(top - ((ulong)stackPages * P), result.Value.StackStart);
        var image = new byte[argPages * (int)P];
        var cursor = image.Length - 8;
        foreach (var s in strings)
        {
            cursor -= s.Length + 1;
            Encoding.ASCII.GetBytes(s, image.AsSpan(cursor));
        }

        pages.Clear();
        _defLocked.Remove(process);
        NewOpCounts = NewOpCounts with { ExecsDone = NewOpCounts.ExecsDone + 1 };
        for (var i = 0; i < stackPages; i++)
        {
            var fromTop = stackPages - 1 - i;
            var value = fromTop < argPages
                ? ArgPageDigest.OfPage(image.AsSpan(image.Length - ((fromTop + 1) * (int)P), (int)P))
                : 0;
            pages[result.Value.StackStart + ((ulong)i * P)] = new ShadowPage { Prot = Prot.ReadWrite, Value = value };
        }
    }

    /// <summary>0-4 strings of up to 1.5 KiB, deterministic in <paramref name="seed"/>.</summary>
    private static List<string> Strings(int seed, char first)
    {
        var list = new List<string>();
        for (var i = 0; i < seed % 5; i++)
        {
            list.Add(new string((char)(first + i), (seed / 5 * (i + 1) * 37) % 1500));
        }

        return list;
    }

    /// <summary>
    /// mlock, mlock2(MLOCK_ONFAULT) or munlock over a run. Over the limit → ENOMEM and nothing changes; otherwise the
    /// non-droppable pages are locked, then what is not on-fault is populated: a PROT_NONE or guard page makes it
    /// ENOMEM, running out of memory EAGAIN. Only a fully successful mlock promises the pages stay resident.
    /// </summary>
    private void Mlock(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (Run(pages, op, static _ => true) is not { } run)
        {
            return;
        }

        var len = run.End - run.Start;
        var inRun = pages.Keys.Where(a => a >= run.Start && a < run.End).ToList();
        var mode = op.C / 4 % 3;
        if (mode == 2)
        {
            Assert.True(process.Munlock(run.Start, len).IsOk);
            foreach (var address in inRun)
            {
                pages[address] = pages[address] with { Locked = false, Resident = false };
            }

            return;
        }

        var onFault = mode == 1;
        if (!SettleMaybeCow(process, pages, inRun))
        {
            return;
        }

        var result = Retry(() => onFault ? process.Mlock2(run.Start, len, MlockFlags.OnFault) : process.Mlock(run.Start, len));
        var alreadyLocked = inRun.Count(a => pages[a].Locked);
        if (LockedPages(pages) + inRun.Count - alreadyLocked > MemlockPages)
        {
            Assert.Equal(Errno.ENOMEM, result.Error);
            return;
        }

        // What gets populated: everything but on-fault VMAs, and droppable VMAs never become on-fault. A PROT_NONE or
        // guard page there faults (ENOMEM); running out of memory before that is EAGAIN.
        var faults = inRun.Any(a => (!onFault || pages[a].Droppable) && (pages[a].Prot == Prot.None || pages[a].Guard || BeyondEof(pages[a])));
        Assert.True(result.Error == (faults ? Errno.ENOMEM : Errno.None) || result.Error == Errno.EAGAIN, $"mlock: {result}");

        foreach (var address in inRun)
        {
            var page = pages[address];
            if (!page.Droppable)
            {
                pages[address] = MaybeCopied(page with { Locked = true, Resident = result.IsOk && !onFault && !page.IsShared && !page.IsFile });
                NewOpCounts = NewOpCounts with { PagesLocked = NewOpCounts.PagesLocked + 1 };
            }
        }
    }

    /// <summary>mlockall(MCL_CURRENT | MCL_FUTURE) (ENOMEM when more is mapped than may be locked) or munlockall.</summary>
    private void Mlockall(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (op.B % 4 != 0)
        {
            return;
        }

        if (op.C % 2 == 0)
        {
            Assert.True(process.Munlockall().IsOk);
            _defLocked.Remove(process);
            foreach (var address in pages.Keys.ToList())
            {
                pages[address] = pages[address] with { Locked = false, Resident = false };
            }

            return;
        }

        if (!SettleMaybeCow(process, pages, pages.Keys))
        {
            return;
        }

        var result = Retry(() => process.Mlockall(MlockallFlags.Current | MlockallFlags.Future));
        if (pages.Count > MemlockPages)
        {
            Assert.Equal(Errno.ENOMEM, result.Error);
            return;
        }

        Assert.True(result.IsOk, $"mlockall: {result}");
        _defLocked.Add(process);
        foreach (var address in pages.Keys.ToList())
        {
            pages[address] = MaybeCopied(pages[address] with { Locked = !pages[address].Droppable });
        }
    }

    /// <summary>mseal over a run of mapped pages: always succeeds.</summary>
    private void Mseal(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        if (op.B % 3 != 0 || Run(pages, op, static _ => true) is not { } run)
        {
            return;
        }

        Assert.True(process.Mseal(run.Start, run.End - run.Start).IsOk);
        foreach (var address in pages.Keys.Where(a => a >= run.Start && a < run.End).ToList())
        {
            pages[address] = pages[address] with { Sealed = true };
            NewOpCounts = NewOpCounts with { PagesSealed = NewOpCounts.PagesSealed + 1 };
        }
    }
}
