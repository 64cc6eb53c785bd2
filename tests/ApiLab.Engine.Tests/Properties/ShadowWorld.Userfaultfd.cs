using static ApiLab.Engine.Tests.Support.TestMachine;

namespace ApiLab.Engine.Tests.Properties;

/// <summary>The shadow world's userfaultfd operations, and the world playing the monitor for every userfaultfd.</summary>
internal sealed partial class ShadowWorld
{
    private const UffdFeatures Features = UffdFeatures.EventFork | UffdFeatures.EventRemap | UffdFeatures.EventRemove
        | UffdFeatures.EventUnmap | UffdFeatures.WpUnpopulated | UffdFeatures.ThreadId;

    /// <summary>MISSING faults the world resolved (so the run is known to have exercised them).</summary>
    public int MissingFaults { get; private set; }

    /// <summary>WP faults the world resolved.</summary>
    public int WpFaults { get; private set; }

    /// <summary>Non-cooperative events read (REMOVE, UNMAP, REMAP, FORK).</summary>
    public int Events { get; private set; }

    /// <summary>Runs an access; while it sleeps in a userfault, resolves every fault and runs it again. ENOMEM when a
    /// resolution ran out of memory (the callers tolerate ENOMEM).</summary>
    private SysResult<T> Retry<T>(Func<SysResult<T>> access)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = access();
            if (result.Error != Errno.ERESTARTSYS)
            {
                return result;
            }

            Assert.True(attempt < 8, "an access kept sleeping in userfaults");
            if (!ResolveFaults())
            {
                return Errno.ENOMEM;
            }
        }
    }

    /// <summary>
    /// The monitor: reads every message of every userfaultfd any process holds (rounds repeat, since reading a FORK
    /// event installs the child's userfaultfd), then resolves each page fault — WP by unprotecting the page, MISSING by
    /// mapping a zero page (the only value a missing page can have in the model; an anonymous uffd-wp marker refuses
    /// UFFDIO_ZEROPAGE, so it is unprotected first) — and wakes the page in every case. False if it ran out of memory.
    /// </summary>
    private bool ResolveFaults()
    {
        // A stopped monitor reads nothing: the world continues every holder first.
        ContinueAll();
        var faults = new List<(Process Holder, int Fd, UffdMessage Message)>();
        for (var round = 0; round < 8; round++)
        {
            var read = false;
            foreach (var (holder, fd) in Userfaultfds())
            {
                while (Machine.UffdRead(holder, fd) is { IsOk: true } message)
                {
                    read = true;
                    if (message.Value.Event == UffdEventType.Pagefault)
                    {
                        faults.Add((holder, fd, message.Value));
                    }
                    else
                    {
                        Events++;
                    }
                }
            }

            if (!read)
            {
                break;
            }
        }

        var enough = true;
        foreach (var (holder, fd, message) in faults)
        {
            var page = Page.AlignDown(message.Address);
            Errno error;
            if ((message.PagefaultFlags & UffdPagefaultFlags.Wp) != 0)
            {
                WpFaults++;
                error = Machine.UffdioWriteprotect(holder, fd, page, P, UffdWriteprotectMode.None).Error;
            }
            else
            {
                MissingFaults++;
                error = Machine.UffdioZeropage(holder, fd, page, P, UffdZeropageMode.None, out _).Error;
                if (error == Errno.EEXIST)
                {
                    Machine.UffdioWriteprotect(holder, fd, page, P, UffdWriteprotectMode.DontWake);
                    error = Machine.UffdioZeropage(holder, fd, page, P, UffdZeropageMode.None, out _).Error;
                }
            }

            Assert.True(error is Errno.None or Errno.EEXIST or Errno.ENOMEM, $"resolving {message}: {error}");
            enough &= error != Errno.ENOMEM;
            Assert.True(Machine.UffdioWake(holder, fd, page, P).IsOk);
        }

        return enough;
    }

    /// <summary>Every (holder, fd) of an open userfaultfd.</summary>
    private List<(Process Holder, int Fd)> Userfaultfds()
    {
        var list = new List<(Process, int)>();
        foreach (var (holder, _) in _procs)
        {
            for (var fd = 0; fd < holder.Fds.Size; fd++)
            {
                if (holder.Fds.Get(fd) is UserfaultfdFile)
                {
                    list.Add((holder, fd));
                }
            }
        }

        return list;
    }

    /// <summary>A userfaultfd of <paramref name="target"/>'s mm and who holds it, or null.</summary>
    private (Process Holder, int Fd, UserfaultfdFile Uffd)? FindUffd(Process target)
    {
        foreach (var (holder, fd) in Userfaultfds())
        {
            var uffd = (UserfaultfdFile)holder.Fds.Get(fd)!;
            if (ReferenceEquals(uffd.Mm, target.Mm))
            {
                return (holder, fd, uffd);
            }
        }

        return null;
    }

    /// <summary>Registers (MISSING, WP or both), unregisters, or closes, over a run of the process's pages.</summary>
    private void UffdRegister(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        // File mappings are left out: regular files cannot be registered, and the monitor's zero-fill oracle does not
        // cover memfd pages that hold data.
        if (Run(pages, op, static p => !p.IsFile) is not { } run)
        {
            return;
        }

        if (FindUffd(process) is not var (holder, fd, uffd))
        {
            fd = Machine.Userfaultfd(process, UffdFlags.NonBlock).Value;
            Assert.True(Machine.UffdioApi(process, fd, Machine.UffdApiVersion, Features).IsOk);
            (holder, uffd) = (process, (UserfaultfdFile)process.Fds.Get(fd)!);
        }

        // The monitor acts only while it runs: a stopped holder's ioctls would be ERESTARTSYS.
        Continue(holder);
        var length = run.End - run.Start;
        switch (op.C % 5)
        {
            case 4:
                Assert.True(Machine.Close(holder, fd).IsOk);
                return;
            case 3:
                var unregistered = Machine.UffdioUnregister(holder, fd, run.Start, length);
                // Droppable VMAs can never be registered, so unregistering them is refused too (vma_can_userfault).
                Assert.Equal(
                    FirstVma(process, run, v => (v.Flags & VmFlags.Droppable) != 0 || (v.Uffd is { } o && !ReferenceEquals(o, uffd))) is null
                        ? Errno.None
                        : Errno.EINVAL,
                    unregistered.Error);
                return;
        }

        var mode = (op.C / 5 % 4) switch { 0 => UffdRegisterMode.Missing, 1 => UffdRegisterMode.Wp, _ => UffdRegisterMode.Missing | UffdRegisterMode.Wp };
        var result = Machine.UffdioRegister(holder, fd, run.Start, length, mode);
        // userfaultfd_register checks VMA by VMA: droppable → EINVAL, registered elsewhere → EBUSY, first one wins.
        var refused = FirstVma(process, run, v => (v.Flags & VmFlags.Droppable) != 0 || (v.Uffd is { } o && !ReferenceEquals(o, uffd)));
        var expected = refused is null ? Errno.None : (refused.Flags & VmFlags.Droppable) != 0 ? Errno.EINVAL : Errno.EBUSY;
        Assert.True(expected == result.Error, $"UFFDIO_REGISTER({run.Start:x}, {length}, {mode}): {result}, expected {expected}");
        if (result.IsOk && (mode & UffdRegisterMode.Wp) != 0 && op.C / 20 % 2 == 0)
        {
            // The usual monitor: register for WP, then protect at once.
            ResolveFaults();
            Assert.True(Machine.UffdioWriteprotect(holder, fd, run.Start, length, UffdWriteprotectMode.Wp).IsOk);
        }
    }

    /// <summary>Write-protects or unprotects a run through a userfaultfd of the process's mm, if it has one.</summary>
    private void UffdWriteProtect(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        // Mostly aim at pages registered for WP (a monitor protects what it registered); sometimes anywhere (ENOENT).
        var aimed = op.C % 8 != 7;
        var run = aimed ? WpRegisteredRun(process, pages, op) : Run(pages, op, static _ => true);
        if (run is not { } range || FindUffd(process) is not var (holder, fd, _))
        {
            return;
        }


        // Pending events would make it EAGAIN: a monitor reads them first.
        ResolveFaults();
        var protect = op.C / 8 % 4 != 0;
        var result = Machine.UffdioWriteprotect(holder, fd, range.Start, range.End - range.Start,
            protect ? UffdWriteprotectMode.Wp : UffdWriteprotectMode.None);
        var expected = FirstVma(process, range, static v => (v.Flags & VmFlags.UffdWp) == 0) is null ? Errno.None : Errno.ENOENT;
        Assert.True(expected == result.Error, $"UFFDIO_WRITEPROTECT({range.Start:x}, {protect}): {result}, expected {expected}");
        if (result.IsOk && protect && pages.ContainsKey(range.End - P))
        {
            // The target writes while its range is protected: the store must sleep, not be lost.
            Store(process, pages, range.End - P, (ulong)op.B + 1);
        }
    }

    /// <summary>A run of 1-4 mapped pages, all in VMAs registered for WP (engine state picks the target only).</summary>
    private static (ulong Start, ulong End)? WpRegisteredRun(Process process, SortedDictionary<ulong, ShadowPage> pages, Op op)
    {
        var mm = process.Mm!;
        bool Registered(ulong address) => mm.Vmas.Find(address) is { } vma && (vma.Flags & VmFlags.UffdWp) != 0;
        var candidates = pages.Keys.Where(Registered).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var start = candidates[op.B % candidates.Count];
        var end = start + P;
        while ((int)((end - start) / P) < 1 + (op.C % 4) && pages.ContainsKey(end) && Registered(end))
        {
            end += P;
        }

        return (start, end);
    }

    /// <summary>The first VMA overlapping the run that satisfies <paramref name="test"/>, in address order.</summary>
    private static Vma? FirstVma(Process process, (ulong Start, ulong End) run, Func<Vma, bool> test)
    {
        for (var vma = process.Mm!.Vmas.FindFirstEndingAbove(run.Start); vma is not null && vma.Start < run.End;
             vma = process.Mm.Vmas.FindFirstEndingAbove(vma.End))
        {
            if (test(vma))
            {
                return vma;
            }
        }

        return null;
    }
}
